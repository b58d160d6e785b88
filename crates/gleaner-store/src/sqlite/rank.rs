//! `gleaner_bm25`: FTS5's own `bm25()` with each record's length in tokens
//! read from memory instead of from the full-text table's size table.
//!
//! On the 100,000-record bench store a search for a common word (43,099
//! matches for "first") spent most of its time scoring every match, and
//! more than half of the scoring in one B-tree look-up per match in
//! `records_fts_docsize` for the record's length (issue 16). The lengths
//! are read once with the facet table (see [`super::facet_table`]), in its
//! snapshot, and handed to the function only while that table is fresh;
//! a row they do not cover is measured by FTS5 as `bm25()` does.
//!
//! Each phrase's hits are counted from its position list rather than from
//! the merged instance array `bm25()` builds (the same lists, so the same
//! counts). Every other step is `bm25()`'s, in its order and with its
//! constants, so each match's score is the same double and the page the
//! same rows in the same order, ties included: the store's tests compare
//! the two.

use std::ffi::{c_int, c_void};
use std::sync::{Arc, Mutex};

use rusqlite::{ffi, Connection};

use crate::StoreError;

/// The lengths the function reads while set: by row number, the record's
/// tokens in every column, or [`UNKNOWN`].
/// (A lock, for the store is `Send`; never contended: one connection's.)
pub(super) type Lengths = Arc<Mutex<Option<Arc<[u32]>>>>;

/// A row whose length the array does not hold.
pub(super) const UNKNOWN: u32 = u32::MAX;

/// The lengths of every row of `records_fts`, from its size table (one
/// varint per column), by row number below `len`; [`UNKNOWN`] elsewhere.
/// All unknown when the table has no size table (a `columnsize=0` table).
pub(super) fn read_lengths(conn: &Connection, len: usize) -> Result<Arc<[u32]>, StoreError> {
    let mut lengths = vec![UNKNOWN; len];
    let Ok(mut stmt) = conn.prepare("SELECT id, sz FROM records_fts_docsize") else {
        return Ok(lengths.into());
    };
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let Some(seq) = usize::try_from(row.get::<_, i64>(0)?).ok().filter(|&s| s < len) else {
            continue;
        };
        let blob = match row.get_ref(1)? {
            rusqlite::types::ValueRef::Blob(b) => b,
            _ => continue,
        };
        if let Some(total) = column_total(blob) {
            lengths[seq] = total;
        }
    }
    Ok(lengths.into())
}

/// The sum of a size record's varints (SQLite's format: seven bits a byte,
/// high bit set on all but the last, the ninth byte whole), as FTS5 sums
/// them for `xColumnSize(-1)`; `None` when malformed or too large to hold.
fn column_total(mut blob: &[u8]) -> Option<u32> {
    let mut total: u64 = 0;
    while !blob.is_empty() {
        let (mut v, mut i) = (0u64, 0usize);
        loop {
            let byte = *blob.get(i)?;
            i += 1;
            if i == 9 {
                v = (v << 8) | u64::from(byte);
                break;
            }
            v = (v << 7) | u64::from(byte & 0x7f);
            if byte & 0x80 == 0 {
                break;
            }
        }
        total = total.checked_add(v)?;
        blob = &blob[i..];
    }
    // FTS5 sums into a C int; a total past it is not one bm25() scores alike.
    u32::try_from(total).ok().filter(|&t| t <= i32::MAX as u32)
}

/// Registers `gleaner_bm25` on the connection; the lengths it reads are
/// the returned slot's while it holds them.
pub(super) fn register(conn: &Connection) -> Result<Lengths, StoreError> {
    let failed = |rc: c_int, what: &str| {
        StoreError::from(rusqlite::Error::SqliteFailure(
            ffi::Error::new(rc),
            Some(format!("registering gleaner_bm25: {what}")),
        ))
    };
    // SAFETY: the handle is the open connection's, used on its thread; the
    // statement is finalised before return; FTS5 writes the API pointer
    // into `api` during the step (the documented way to obtain it).
    unsafe {
        let db = conn.handle();
        let mut stmt: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
        let rc = ffi::sqlite3_prepare_v2(db, c"SELECT fts5(?1)".as_ptr(), -1, &mut stmt, std::ptr::null_mut());
        if rc != ffi::SQLITE_OK {
            return Err(failed(rc, "no FTS5"));
        }
        let mut api: *mut ffi::fts5_api = std::ptr::null_mut();
        ffi::sqlite3_bind_pointer(
            stmt,
            1,
            (&mut api as *mut *mut ffi::fts5_api).cast::<c_void>(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        ffi::sqlite3_step(stmt);
        ffi::sqlite3_finalize(stmt);
        let Some(create) = api.as_ref().and_then(|a| a.xCreateFunction) else {
            return Err(failed(ffi::SQLITE_ERROR, "no FTS5 API"));
        };
        let slot: Lengths = Arc::default();
        let user = Box::into_raw(Box::new(Arc::clone(&slot))).cast::<c_void>();
        // On failure FTS5 calls the destructor, which frees `user`.
        let rc = create(api, c"gleaner_bm25".as_ptr(), user, Some(rank), Some(drop_slot));
        if rc != ffi::SQLITE_OK {
            return Err(failed(rc, "not created"));
        }
        Ok(slot)
    }
}

unsafe extern "C" fn drop_slot(p: *mut c_void) {
    if !p.is_null() {
        drop(Box::from_raw(p.cast::<Lengths>()));
    }
}

/// What `bm25()` computes once per query (its `Fts5Bm25Data`).
struct Query {
    avgdl: f64,
    idf: Vec<f64>,
    freq: Vec<f64>,
}

unsafe extern "C" fn drop_query(p: *mut c_void) {
    if !p.is_null() {
        drop(Box::from_raw(p.cast::<Query>()));
    }
}

unsafe extern "C" fn count_row(_: *const ffi::Fts5ExtensionApi, _: *mut ffi::Fts5Context, n: *mut c_void) -> c_int {
    *n.cast::<i64>() += 1;
    ffi::SQLITE_OK
}

unsafe extern "C" fn rank(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    _n: c_int,
    _values: *mut *mut ffi::sqlite3_value,
) {
    let rc = match api.as_ref() {
        Some(api) => score(api, fts, ctx).err().unwrap_or(ffi::SQLITE_OK),
        None => ffi::SQLITE_MISUSE,
    };
    if rc != ffi::SQLITE_OK {
        ffi::sqlite3_result_error_code(ctx, rc);
    }
}

/// `fts5Bm25Function` of SQLite's `fts5_aux.c` with no column weights,
/// the length from the slot when it has the row's.
unsafe fn score(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
) -> Result<(), c_int> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    let ok = |rc: c_int| if rc == ffi::SQLITE_OK { Ok(()) } else { Err(rc) };
    let missing = ffi::SQLITE_MISUSE;
    let get_aux = api.xGetAuxdata.ok_or(missing)?;
    let mut query = get_aux(fts, 0).cast::<Query>();
    if query.is_null() {
        let phrases = api.xPhraseCount.ok_or(missing)?(fts).max(0);
        let (mut rows, mut tokens) = (0i64, 0i64);
        ok(api.xRowCount.ok_or(missing)?(fts, &mut rows))?;
        ok(api.xColumnTotalSize.ok_or(missing)?(fts, -1, &mut tokens))?;
        let avgdl = tokens as f64 / rows as f64;
        let mut idf = Vec::with_capacity(phrases as usize);
        for i in 0..phrases {
            let mut hits = 0i64;
            ok(api.xQueryPhrase.ok_or(missing)?(
                fts,
                i,
                (&mut hits as *mut i64).cast::<c_void>(),
                Some(count_row),
            ))?;
            let mut v = (((rows - hits) as f64 + 0.5) / (hits as f64 + 0.5)).ln();
            if v <= 0.0 {
                v = 1e-6;
            }
            idf.push(v);
        }
        let built = Box::into_raw(Box::new(Query {
            avgdl,
            freq: vec![0.0; idf.len()],
            idf,
        }));
        // On failure FTS5 calls the destructor itself.
        ok(api.xSetAuxdata.ok_or(missing)?(
            fts,
            built.cast::<c_void>(),
            Some(drop_query),
        ))?;
        query = built;
    }
    let query = &mut *query;
    // Each phrase's hits counted from its own position list: bm25() asks
    // xInst for them, which first merges every phrase's list into one array
    // by position (allocating as it grows) only for the count to be taken.
    // The lists are the same ones, so the counts, and the score, are too.
    let first = api.xPhraseFirst.ok_or(missing)?;
    let next = api.xPhraseNext.ok_or(missing)?;
    let columns = api.xColumnCount.ok_or(missing)?(fts);
    for (phrase, freq) in (0..).zip(query.freq.iter_mut()) {
        let mut iter = ffi::Fts5PhraseIter {
            a: std::ptr::null(),
            b: std::ptr::null(),
        };
        let (mut column, mut offset) = (0, 0);
        ok(first(fts, phrase, &mut iter, &mut column, &mut offset))?;
        let mut hits = 0u32;
        while column >= 0 {
            // Where xInst would report the table corrupt, so does this.
            if column >= columns {
                return Err(ffi::SQLITE_CORRUPT_VTAB);
            }
            hits += 1;
            next(fts, &mut iter, &mut column, &mut offset);
        }
        // bm25() adds 1.0 a hit: exact in a double to 2^53, so the same.
        *freq = f64::from(hits);
    }
    let rowid = api.xRowid.ok_or(missing)?(fts);
    let slot = api.xUserData.ok_or(missing)?(fts).cast::<Lengths>();
    let known = slot
        .as_ref()
        .and_then(|s| s.try_lock().ok())
        .and_then(|s| s.as_ref().and_then(|l| l.get(usize::try_from(rowid).ok()?).copied()))
        .filter(|&n| n != UNKNOWN);
    let d = match known {
        Some(n) => f64::from(n),
        None => {
            let mut n: c_int = 0;
            ok(api.xColumnSize.ok_or(missing)?(fts, -1, &mut n))?;
            f64::from(n)
        }
    };
    let mut score = 0.0;
    for (idf, freq) in query.idf.iter().zip(&query.freq) {
        score += idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1.0 - B + B * d / query.avgdl)));
    }
    // bm25() returns `-1.0 * score`: the same bits as the negation.
    ffi::sqlite3_result_double(ctx, -score);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row's score is bm25()'s to the bit, with the lengths held and
    /// without them, on rows of many lengths and words repeated.
    #[test]
    fn scores_are_bm25s() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE VIRTUAL TABLE records_fts USING fts5(title, text)")
            .unwrap();
        for i in 0..400i64 {
            let text = (0..(i % 37 + 1))
                .map(|j| ["red", "blue", "green", "red red", "tree"][((i + j) % 5) as usize])
                .collect::<Vec<_>>()
                .join(" ");
            conn.execute(
                "INSERT INTO records_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
                rusqlite::params![i + 1, if i % 3 == 0 { "blue tree" } else { "" }, text],
            )
            .unwrap();
        }
        let slot = register(&conn).unwrap();
        let lengths = read_lengths(&conn, 402).unwrap();
        assert!(lengths[1..=400].iter().all(|&n| n != UNKNOWN));
        for held in [false, true] {
            *slot.lock().unwrap() = held.then(|| Arc::clone(&lengths));
            for words in ["red", "\"blue\" \"tree\"", "green \"red\"", "tree"] {
                let mut stmt = conn
                    .prepare(
                        "SELECT rowid, bm25(records_fts), gleaner_bm25(records_fts) FROM records_fts WHERE records_fts MATCH ?1",
                    )
                    .unwrap();
                let rows: Vec<(i64, f64, f64)> = stmt
                    .query_map([words], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                assert!(rows.len() > 10, "{words}");
                for (rowid, old, new) in rows {
                    assert_eq!(old.to_bits(), new.to_bits(), "{words} row {rowid} held {held}");
                }
            }
        }
    }

    #[test]
    fn size_records_are_summed() {
        assert_eq!(column_total(&[3, 5]), Some(8));
        assert_eq!(column_total(&[0x81, 0x00, 2]), Some(130));
        assert_eq!(column_total(&[0x81]), None);
        assert_eq!(column_total(&[]), Some(0));
    }
}
