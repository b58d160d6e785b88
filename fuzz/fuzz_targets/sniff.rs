//! Bytes → the input sniffer, as a head of a gzip file or not, with and
//! without name hints: nothing may panic, and the same bytes always get the
//! same answer.
#![no_main]

use gleaner_read::{read_head, sniff};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let a = sniff(data, None).map_err(|e| e.to_string());
    let b = sniff(data, None).map_err(|e| e.to_string());
    assert_eq!(a, b);
    for name in ["robots.txt", "pages.jsonl.gz", "feed.xml", "crawl.warc.gz"] {
        let _ = sniff(data, Some(name));
    }
    if let Ok(head) = read_head(data) {
        let _ = sniff(&head, None);
    }
});
