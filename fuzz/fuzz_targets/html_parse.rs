//! Bytes → lossy UTF-8 → the arena HTML parser, then a walk over the tree.
#![no_main]

use gleaner_extract::html::{Dom, NONE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let page = String::from_utf8_lossy(data);
    let dom = Dom::parse(&page);
    // Every node is reachable from the document in pre-order, and parents
    // come before their children.
    let mut i = 0;
    let mut seen = 0usize;
    while i != NONE {
        let node = dom.node(i);
        assert!(node.parent == NONE || node.parent < i);
        let _ = dom.text_of(i);
        seen += 1;
        i = dom.next_in(0, i, false);
    }
    assert_eq!(seen, dom.nodes.len());
    let _ = dom.subtree_text(0);
});
