//! Prints the analysis of a plain-text file: `analyse FILE [PUBLISHED]`.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: analyse FILE [YYYY-MM-DD]");
    let published = args.next();
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let a = gleaner_analyse::analyse(&text, published.as_deref());
    for t in &a.times {
        println!("TIME  {:?} -> {}", t.text, t.value);
    }
    for q in &a.quantities {
        println!(
            "QTY   {:?} -> {} {:?} {:?}",
            q.text,
            q.value,
            q.unit,
            q.si.as_ref().map(|s| (s.value, &s.unit))
        );
    }
    for q in &a.quotes {
        let t: String = q.text.chars().take(50).collect();
        println!(
            "QUOTE [{}] {:?} anon={} to={:?} on={:?}: {t}…",
            q.speaker_id.as_deref().unwrap_or("-"),
            q.speaker,
            q.anonymous,
            q.told_to,
            q.told_on
        );
    }
    for e in &a.entities {
        println!(
            "ENT   {:<7} {:?} {:?}",
            e.label,
            e.text,
            e.place.as_ref().map(|p| (&p.name, &p.country))
        );
    }
}
