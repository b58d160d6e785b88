//! `gleaner export --format parquet`: the flat columns as one Parquet file,
//! written in row groups so memory stays bounded whatever the store's size.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use gleaner_store::Store;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::store_cmds::{flat, COLUMNS};

const ROWS_PER_GROUP: usize = 2048;

/// Writes every record to `path`; returns how many.
pub fn write(store: &dyn Store, path: &Path) -> Result<usize> {
    let schema = Arc::new(Schema::new(
        COLUMNS
            .iter()
            .map(|c| Field::new(*c, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    ));
    let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut writer = ArrowWriter::try_new(file, Arc::clone(&schema), Some(props))?;
    let mut rows: Vec<Vec<Option<String>>> = Vec::with_capacity(ROWS_PER_GROUP);
    let mut total = 0usize;
    let mut failure: Option<anyhow::Error> = None;
    store.for_each_record(&mut |rec| {
        rows.push(flat(&rec));
        if rows.len() >= ROWS_PER_GROUP {
            if let Err(e) = flush(&mut writer, &schema, &mut rows) {
                failure.get_or_insert(e);
            }
        }
        total += 1;
        Ok(())
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    flush(&mut writer, &schema, &mut rows)?;
    writer.close()?;
    Ok(total)
}

fn flush(
    writer: &mut ArrowWriter<std::fs::File>,
    schema: &Arc<Schema>,
    rows: &mut Vec<Vec<Option<String>>>,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let columns: Vec<ArrayRef> = (0..COLUMNS.len())
        .map(|c| Arc::new(rows.iter().map(|r| r[c].as_deref()).collect::<StringArray>()) as ArrayRef)
        .collect();
    writer.write(&RecordBatch::try_new(Arc::clone(schema), columns)?)?;
    rows.clear();
    Ok(())
}
