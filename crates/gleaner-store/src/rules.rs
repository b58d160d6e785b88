//! Rules both backends apply the same way, whatever their SQL: which copy of
//! a text is kept, and how a stored record is read back. The ranking of
//! reports ("earliest") is the dedup policy's (`gleaner_dedup::rank`).

use gleaner_record::Record;

use crate::{StoreError, StoredRecord};

/// Which of two copies of a record (same id) the store keeps: the one at the
/// smaller address (copies without one last), then the smaller JSON. Keeping
/// the least rather than the first makes the stored copy independent of the
/// order copies arrive in, which concurrent ingesters cannot control.
pub(crate) fn prefer_copy(new_url: Option<&str>, new_json: &str, old_url: Option<&str>, old_json: &str) -> bool {
    (new_url.is_none(), new_url, new_json) < (old_url.is_none(), old_url, old_json)
}

/// A signature as stored (little-endian u64s) and back.
pub(crate) fn sig_bytes(sig: &[u64]) -> Vec<u8> {
    sig.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// See [`sig_bytes`].
pub(crate) fn sig_values(bytes: &[u8]) -> Vec<u64> {
    bytes
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
        .collect()
}

/// A stored record as read: `duplicate_of` comes from its cluster (named by
/// its earliest member); the addresses are its own first, then the others
/// sorted (arrival order would differ between concurrent ingesters).
pub(crate) fn stored_record(
    json: &str,
    cluster: Option<String>,
    mut urls: Vec<String>,
) -> Result<StoredRecord, StoreError> {
    let mut record: Record = serde_json::from_str(json)?;
    if let Some(c) = cluster.filter(|c| *c != record.id) {
        let syn = record.syndication.get_or_insert(gleaner_record::Syndication {
            original_publisher: None,
            notice: None,
            duplicate_of: None,
        });
        syn.duplicate_of = Some(c);
    }
    urls.sort();
    urls.dedup();
    if let Some(first) = &record.url {
        urls.retain(|u| u != first);
        urls.insert(0, first.clone());
    }
    Ok(StoredRecord { record, urls })
}
