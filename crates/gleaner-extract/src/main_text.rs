//! Chooses the article's container and the blocks inside it that are article
//! text.
//!
//! Every block gets a weight: running text counts for it, link text and
//! short widget-like lines against it. Each element's score is the sum of the
//! weights of the blocks below it, except that a block inside a
//! boilerplate-looking element (by tag, class or role) counts against every
//! element *above* that one. The article container is the element with the
//! highest score: big enough to hold all of the article's paragraphs, small
//! enough to leave the comments, link lists and promos out. Boilerplate marks
//! on the container's own ancestors do not matter, which makes the method
//! immune to page wrappers with names like `has-sidebar` or `comments-open`.

use crate::blocks::{segment, Block, BlockKind};
use crate::html::{Dom, Tag, NONE};
use crate::patterns;

/// The main text as blocks, plus the blocks cut from inside the container.
#[derive(Debug, Default)]
pub struct MainText {
    /// Blocks of article text, in order.
    pub blocks: Vec<Block>,
    /// Short pieces dropped from inside the article container.
    pub removed: Vec<String>,
}

/// Weight of one block judged as ordinary content.
fn weight(b: &Block) -> f32 {
    let chars = b.chars as f32;
    let links = b.link_chars as f32;
    let own = chars - links;
    let ld = if chars > 0.0 { links / chars } else { 0.0 };
    // Mildly linked text (a paragraph citing sources) still counts; link lists count against.
    let mut w = own * (1.0 - ld) - 0.5 * links * ld;
    if own < 30.0 && !matches!(b.kind, BlockKind::Heading(_) | BlockKind::Cell) {
        // Short unlinked lines are typical of widgets: labels, dates, buttons.
        w -= 15.0;
    }
    if ends_like_sentence(&b.text) && own >= 30.0 {
        w += 20.0;
    }
    w
}

/// Weight of a block inside a boilerplate-looking element.
fn negative_weight(b: &Block) -> f32 {
    -(b.chars as f32) * 0.8 - 10.0
}

fn ends_like_sentence(t: &str) -> bool {
    matches!(
        t.chars().last(),
        Some('.' | '!' | '?' | '"' | '\u{201d}' | '\u{3002}' | ':' | ')' | '\u{2019}')
    )
}

/// Extracts the main text of a parsed page.
pub fn extract(dom: &Dom) -> MainText {
    let (blocks, parts, _, good, negative) = choose(dom);
    let mut out = MainText::default();
    for part in parts {
        let m = select(dom, &blocks, part, &good, &negative);
        out.blocks.extend(m.blocks);
        out.removed.extend(m.removed);
    }
    drop_repeated_runs(&mut out.blocks);
    out
}

/// A run of paragraphs the page shows twice (a copy of the introduction for
/// another screen size) is one run of the article: the later copy goes. A
/// single repeated paragraph stays (a question put to each interviewee, a
/// meal plan's recurring dish).
fn drop_repeated_runs(blocks: &mut Vec<Block>) {
    let is_para = |b: &Block| b.kind == BlockKind::Paragraph && b.chars >= 80;
    let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut drop = vec![false; blocks.len()];
    let mut i = 0;
    while i < blocks.len() {
        if !is_para(&blocks[i]) {
            i += 1;
            continue;
        }
        match first.get(blocks[i].text.as_str()) {
            Some(&j) => {
                let mut k = 0;
                while i + k < blocks.len()
                    && j + k < i
                    && is_para(&blocks[i + k])
                    && blocks[i + k].text == blocks[j + k].text
                {
                    k += 1;
                }
                if k >= 2 {
                    drop[i..i + k].iter_mut().for_each(|d| *d = true);
                    i += k;
                    continue;
                }
            }
            None => {
                first.insert(blocks[i].text.as_str(), i);
            }
        }
        i += 1;
    }
    let mut k = 0;
    blocks.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// The best containers with their scores, for tuning and debugging.
pub fn explain(dom: &Dom, top: usize) -> Vec<(u32, f32, String)> {
    let (_, _, mut ranked, _, _) = choose(dom);
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.truncate(top);
    ranked
        .into_iter()
        .map(|(i, s)| {
            let cls = dom.attr(i, crate::html::AttrName::Class).unwrap_or("");
            let id = dom.attr(i, crate::html::AttrName::Id).unwrap_or("");
            (i, s, format!("<{} id={id:?} class={cls:?}>", dom.node(i).tag.name()))
        })
        .collect()
}

type Choice = (Vec<Block>, Vec<u32>, Vec<(u32, f32)>, Vec<f32>, Vec<bool>);

fn choose(dom: &Dom) -> Choice {
    let root = dom.elements(Tag::Body).next().unwrap_or(0);
    let mut seg = segment(dom, root);
    let n = dom.nodes.len();
    // Plain amount of readable text under each node, boilerplate marks ignored.
    let mut good = vec![0f32; n];
    for b in &seg.blocks {
        good[b.owner as usize] += weight(b).max(0.0);
    }
    for i in (1..n).rev() {
        let p = dom.nodes[i].parent;
        if p != NONE {
            good[p as usize] += good[i];
        }
    }
    // A "boilerplate" element holding nearly all of the page's text is a page
    // wrapper with an unlucky name (`has-sidebar`, an ASP.NET `<form>`).
    let total = good[root as usize];
    for (negative, &g) in seg.negative.iter_mut().zip(&good) {
        if *negative && g >= 0.85 * total {
            *negative = false;
        }
    }
    let mut score = vec![0f32; n];
    let mut neg_sum = vec![0f32; n];
    for b in &seg.blocks {
        score[b.owner as usize] += weight(b);
        neg_sum[b.owner as usize] += negative_weight(b);
    }
    // Children have larger indices than their parents: one reverse pass is a post-order.
    for i in (1..n).rev() {
        let p = dom.nodes[i].parent;
        if p == NONE {
            continue;
        }
        let up = if seg.negative[i] { neg_sum[i] } else { score[i] };
        score[p as usize] += up;
        neg_sum[p as usize] += neg_sum[i];
    }
    // And a forward pass (parents first): is a node inside boilerplate?
    let mut under_neg = vec![false; n];
    for i in 1..n {
        let p = dom.nodes[i].parent;
        if p != NONE {
            under_neg[i] = under_neg[p as usize] || seg.negative[p as usize];
        }
    }
    let mut best = root;
    let mut best_score = f32::MIN;
    let mut ranked = Vec::new();
    for i in root as usize..n {
        // The document itself is a candidate: pages without <body> keep their text there.
        if dom.nodes[i].tag == Tag::Text {
            continue;
        }
        let mut s = score[i];
        if seg.positive[i] && s > 0.0 {
            s *= 1.5;
        }
        if under_neg[i] && s > 0.0 {
            // Text inside a comment thread or a sidebar is not the article.
            s *= 0.25;
        }
        ranked.push((i as u32, s));
        // Ties go to the later, deeper element: the wrapper adds nothing.
        if s >= best_score {
            best_score = s;
            best = i as u32;
        }
    }
    // No element scores above zero (only short lines, or no text at all): the
    // page has no boilerplate structure to choose against, so keep it whole
    // rather than return nothing.
    if best_score <= 0.0 {
        best = root;
        best_score = score[root as usize];
    }
    // Refine downwards: an element marked as the article (by class, itemprop or
    // `<article>`) that carries most of the winner's score is the better
    // answer; the rest of the winner is a ticker or teaser list beside it.
    // Text of real paragraphs under each node: what refining must not leave out.
    let mut para = vec![0f32; n];
    for b in &seg.blocks {
        if matches!(b.kind, BlockKind::Paragraph | BlockKind::Quote) && b.chars >= 80 && b.link_density() < 0.3 {
            para[b.owner as usize] += b.chars as f32;
        }
    }
    for i in (1..n).rev() {
        let p = dom.nodes[i].parent;
        if p != NONE {
            para[p as usize] += para[i];
        }
    }
    let end = subtree_end(dom, best);
    let mut refined = best;
    for i in (best + 1)..end {
        let iu = i as usize;
        let marked = seg.positive[iu] || dom.nodes[iu].tag == Tag::Article;
        if marked
            && !under_neg[iu]
            && score[iu] >= 0.6 * best_score
            && para[best as usize] - para[iu] <= 0.25 * para[iu]
        {
            refined = i;
            break;
        }
    }
    // A single paragraph is not a container: when one outscores everything
    // (the rest of the article lost points to a widget beside it), the
    // article is its parent, whose other blocks `select` still judges.
    if matches!(dom.node(refined).tag, Tag::P | Tag::Pre | Tag::Blockquote) {
        let p = dom.node(refined).parent;
        if p != NONE && score[p as usize] > 0.0 && !seg.negative[p as usize] {
            refined = p;
        }
    }
    // A story split into parts around an ad, a promo or a layout row:
    // elements that share the container's tag and class names and whose
    // parents share its parent's, that hold a real paragraph and are not
    // inside boilerplate, are parts of it.
    let mut parts = vec![refined];
    let class = dom.attr(refined, crate::html::AttrName::Class).unwrap_or("");
    let parent = dom.node(refined).parent;
    if !class.is_empty() && parent != NONE {
        let tag = dom.node(refined).tag;
        let signature = |e: u32| (dom.node(e).tag, dom.attr(e, crate::html::AttrName::Class));
        let (start, end) = (refined, subtree_end(dom, refined));
        let mut i = root;
        while (i as usize) < n {
            let iu = i as usize;
            let p = dom.nodes[iu].parent;
            let same = i != refined
                && dom.nodes[iu].tag == tag
                && dom.attr(i, crate::html::AttrName::Class) == Some(class)
                && p != NONE
                && signature(p) == signature(parent)
                && !(start..end).contains(&i)
                && !(i..subtree_end(dom, i)).contains(&refined);
            if same && score[iu] > 0.0 && para[iu] > 0.0 && !under_neg[iu] && !seg.negative[iu] {
                parts.push(i);
                // Nothing inside a part is a part again.
                i = subtree_end(dom, i);
                continue;
            }
            i += 1;
        }
        parts.sort_unstable();
    }
    (seg.blocks, parts, ranked, good, seg.negative)
}

fn subtree_end(dom: &Dom, root: u32) -> u32 {
    let mut cur = root;
    loop {
        let n = dom.node(cur);
        if n.next_sibling != NONE {
            return n.next_sibling;
        }
        if n.parent == NONE {
            return dom.nodes.len() as u32;
        }
        cur = n.parent;
    }
}

fn select(dom: &Dom, blocks: &[Block], container: u32, good: &[f32], negative: &[bool]) -> MainText {
    let end = subtree_end(dom, container);
    let mut out = MainText::default();
    // A boilerplate-looking element inside the container that holds most of
    // the container's text is a misnamed wrapper, not boilerplate.
    let small_neg = |i: u32| negative[i as usize] && good[i as usize] < 0.5 * good[container as usize];
    for b in blocks {
        if b.owner < container || b.owner >= end {
            continue;
        }
        let inside_neg = b.neg != NONE && b.neg > container && {
            let mut i = b.owner;
            let mut hit = false;
            while i != container && i != NONE {
                if small_neg(i) {
                    hit = true;
                    break;
                }
                i = dom.node(i).parent;
            }
            hit
        };
        let ld = b.link_density();
        let own = b.chars - b.link_chars;
        let link_heavy = (ld > 0.5 && own < 40 || ld > 0.8) && !matches!(b.kind, BlockKind::Heading(_));
        let boilerplate = b.chars <= 40 && patterns::is_boilerplate_line(&b.text);
        if inside_neg || link_heavy || boilerplate {
            if !link_heavy && b.chars <= 300 {
                out.removed.push(b.text.clone());
            }
            continue;
        }
        out.blocks.push(b.clone());
    }
    out
}
