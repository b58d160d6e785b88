// Included by build.rs, which places every gazetteer name in `NAME_SLOTS`
// with it, and by gazetteer.rs, which looks names up with it: one source, so
// the two cannot disagree.

/// The first slot to try for `name` in a table of `1 << bits` slots.
fn name_slot(name: &[u8], bits: u32) -> usize {
    // FNV-1a over the bytes, then multiply-shift to take well-mixed top bits.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in name {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as usize
}
