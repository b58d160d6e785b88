//! `gleaner export --format parquet`: the flat columns (`gleaner_record::flat`)
//! and the whole record as JSON, as one Parquet file written in row groups so
//! memory stays bounded whatever the store's size. The Spark job writes the
//! same columns.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use gleaner_record::flat;
use gleaner_store::QueryStore;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

const ROWS_PER_GROUP: usize = 2048;

/// Writes every record to `path`; returns how many.
pub fn write(store: &(impl QueryStore + ?Sized), path: &Path) -> Result<usize> {
    let columns: Vec<&str> = flat::COLUMNS.iter().copied().chain([flat::RECORD_COLUMN]).collect();
    let schema = Arc::new(Schema::new(
        columns
            .iter()
            .map(|c| Field::new(*c, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    ));
    let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut writer = ArrowWriter::try_new(file, Arc::clone(&schema), Some(props))?;
    let mut rows: Vec<Vec<Option<String>>> = Vec::with_capacity(ROWS_PER_GROUP);
    let mut total = 0usize;
    gleaner_store::for_each_record(store, |rec| -> Result<()> {
        let mut row = flat::row(&rec.record, &rec.urls);
        row.push(Some(serde_json::to_string(&rec.record)?));
        rows.push(row);
        if rows.len() >= ROWS_PER_GROUP {
            flush(&mut writer, &schema, &mut rows)?;
        }
        total += 1;
        Ok(())
    })?;
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
    let columns: Vec<ArrayRef> = (0..schema.fields().len())
        .map(|c| Arc::new(rows.iter().map(|r| r[c].as_deref()).collect::<StringArray>()) as ArrayRef)
        .collect();
    writer.write(&RecordBatch::try_new(Arc::clone(schema), columns)?)?;
    rows.clear();
    Ok(())
}
