//! One page through the stages: decode → extract → analyse → record.
//!
//! The pipeline itself lives in `gleaner-pipeline`, shared with the Python
//! package; this module re-exports it so the commands keep their imports.

// The whole single-page API stays reachable as `crate::process::…`, including
// the parts no command uses today, so a command can take them up unchanged.
#[allow(unused_imports)]
pub use gleaner_pipeline::{process, process_item, process_page, Done, Failure, ItemSource, Outcome, Page};
