//! Turns `data/gazetteer.tsv` into static tables, so the binary looks names
//! up without parsing anything at start-up: building the name map from the
//! TSV on first use took ~75 ms, most of a short run (issue 16: start-up in
//! ≤ 15 ms). The TSV stays the one source; rows themselves are parsed from it
//! on first use, one at a time (`gazetteer::Places`).
//!
//! Written to `$OUT_DIR/gazetteer_tables.rs`:
//! - `ROWS`: the byte range of each usable row in the TSV (row index = place
//!   index);
//! - `NAMES` with `NAME_AT`: every lowercased name and alternate name, sorted
//!   and unique, concatenated, with their start offsets (one more at the end);
//! - `NAME_SLOTS` with `NAME_SLOT_BITS`: a hash table of the names (slot =
//!   name index + 1, 0 = empty; linear probing from `name_slot`, in
//!   src/name_hash.rs), so a lookup costs a hash and a comparison or two
//!   instead of a binary search's 17 comparisons, and nothing at start-up;
//! - `IDS` with `IDS_AT`: the places of each name, ascending;
//! - `COUNTRIES`: country code → its country row, sorted by code;
//! - `MAX_WORDS`: the longest name in words (at most 6).
//!
//! The rules (which rows count, lowercasing, a later country row replacing an
//! earlier one) are the ones `Gazetteer` applied when it parsed the TSV; its
//! tests compare the tables with that parse.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

include!("src/name_hash.rs");

fn main() {
    println!("cargo::rerun-if-changed=data/gazetteer.tsv");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/name_hash.rs");
    let tsv = std::fs::read_to_string("data/gazetteer.tsv").expect("data/gazetteer.tsv is readable UTF-8");
    let mut rows: Vec<(usize, usize)> = Vec::new();
    let mut keys: Vec<(String, u32)> = Vec::new();
    let mut countries: BTreeMap<String, u32> = BTreeMap::new();
    let mut max_words = 1;
    let mut at = 0;
    for line in tsv.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 8 || !matches!(f[1], "country" | "admin1" | "city") || f[0].parse::<u64>().is_err() {
            continue;
        }
        let idx = rows.len() as u32;
        rows.push((start, start + line.len()));
        if f[1] == "country" {
            countries.insert(f[3].to_string(), idx);
        }
        let alts = f
            .get(8)
            .map_or(Vec::new(), |a| a.split('|').filter(|a| !a.is_empty()).collect());
        for name in std::iter::once(f[2]).chain(alts) {
            let key = name.to_lowercase();
            max_words = max_words.max(key.split_whitespace().count());
            keys.push((key, idx));
        }
    }
    keys.sort();
    keys.dedup();

    let mut names = String::new();
    let (mut name_at, mut ids, mut ids_at) = (Vec::new(), Vec::new(), Vec::new());
    for (key, idx) in &keys {
        if name_at.is_empty() || &names[*name_at.last().unwrap() as usize..] != key.as_str() {
            name_at.push(names.len() as u32);
            ids_at.push(ids.len() as u32);
            names.push_str(key);
        }
        ids.push(*idx);
    }
    name_at.push(names.len() as u32);
    ids_at.push(ids.len() as u32);

    let mut out = String::new();
    let list = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    writeln!(out, "/// Byte ranges of the usable rows of the gazetteer TSV.").unwrap();
    writeln!(
        out,
        "static ROWS: [(u32, u32); {}] = [{}];",
        rows.len(),
        rows.iter()
            .map(|(a, b)| format!("({a},{b})"))
            .collect::<Vec<_>>()
            .join(",")
    )
    .unwrap();
    writeln!(out, "/// Sorted unique lowercased names, concatenated.").unwrap();
    writeln!(out, "static NAMES: &str = {names:?};").unwrap();
    writeln!(out, "static NAME_AT: [u32; {}] = [{}];", name_at.len(), list(&name_at)).unwrap();
    // At most 2/3 full, so that probes stay short.
    let count = name_at.len() - 1;
    let bits = (count * 3 / 2).next_power_of_two().trailing_zeros().max(1);
    let mut slots = vec![0u32; 1 << bits];
    for k in 0..count {
        let name = &names.as_bytes()[name_at[k] as usize..name_at[k + 1] as usize];
        let mut i = name_slot(name, bits);
        while slots[i] != 0 {
            i = (i + 1) & (slots.len() - 1);
        }
        slots[i] = k as u32 + 1;
    }
    writeln!(out, "static NAME_SLOT_BITS: u32 = {bits};").unwrap();
    writeln!(out, "static NAME_SLOTS: [u32; {}] = [{}];", slots.len(), list(&slots)).unwrap();
    writeln!(out, "static IDS: [u32; {}] = [{}];", ids.len(), list(&ids)).unwrap();
    writeln!(out, "static IDS_AT: [u32; {}] = [{}];", ids_at.len(), list(&ids_at)).unwrap();
    writeln!(
        out,
        "static COUNTRIES: [(&str, u32); {}] = [{}];",
        countries.len(),
        countries
            .iter()
            .map(|(c, i)| format!("({c:?},{i})"))
            .collect::<Vec<_>>()
            .join(",")
    )
    .unwrap();
    writeln!(out, "const MAX_WORDS: usize = {};", max_words.min(6)).unwrap();
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("gazetteer_tables.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
