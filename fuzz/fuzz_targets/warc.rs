//! Bytes → the WARC/ARC reader, over an in-memory file, from the start and
//! from every offset it hands out. Nothing may panic or hang, every item's
//! offsets must move forward, and resuming at an item's `next_offset` must
//! yield exactly the items after it.
#![no_main]

use std::io::Cursor;

use gleaner_read::{Item, ReadLimits, WarcReader};
use libfuzzer_sys::fuzz_target;

fn read(data: &[u8], start: u64, limits: ReadLimits) -> Vec<Item> {
    match WarcReader::from_reader(Cursor::new(data.to_vec()), start, limits) {
        Ok(r) => r.take(10_000).collect(),
        Err(_) => Vec::new(),
    }
}

fuzz_target!(|data: &[u8]| {
    // A small limit reaches the "too large" paths with small inputs.
    let limits = ReadLimits { max_bytes: 4096 };
    let items = read(data, 0, limits);
    let mut last = 0u64;
    for item in &items {
        assert!(item.next_offset() >= item.offset());
        assert!(item.offset() >= last, "offsets go back: {} after {last}", item.offset());
        last = item.offset();
    }
    // Resume after the first item that ends a gzip member or a plain record:
    // exactly the items after it come back.
    if let Some(i) = items.iter().position(|it| it.next_offset() > it.offset()) {
        let rest = read(data, items[i].next_offset(), limits);
        assert_eq!(rest, items[i + 1..], "resume at {}", items[i].next_offset());
    }
});
