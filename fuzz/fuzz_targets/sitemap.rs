//! Bytes → the sitemap readers: XML sitemaps and indexes, text sitemaps and
//! robots.txt. Nothing may panic; items are numbered by entry.
#![no_main]

use gleaner_read::{read_robots, read_sitemap, read_url_list, Item};
use libfuzzer_sys::fuzz_target;

fn check(items: &[Item]) {
    for (i, it) in items.iter().enumerate() {
        assert!(it.offset() <= i as u64);
        assert_eq!(it.next_offset(), it.offset() + 1);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(items) = read_sitemap(data) {
        check(&items);
    }
    check(&read_url_list(data));
    check(&read_robots(data));
});
