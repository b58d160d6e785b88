//! Bytes → the feed reader (RSS, RDF, Atom, JSON Feed). Nothing may panic;
//! items are numbered by entry, in order, one offset each.
#![no_main]

use gleaner_read::read_feed;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(items) = read_feed(data) {
        for (i, it) in items.iter().enumerate() {
            assert!(it.offset() <= i as u64);
            assert_eq!(it.next_offset(), it.offset() + 1);
        }
    }
});
