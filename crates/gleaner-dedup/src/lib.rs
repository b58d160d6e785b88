//! The dedup stage (planned, issue 5): near-duplicate detection (MinHash over
//! word shingles with LSH banding), reprint chains (`syndication.duplicate_of`)
//! and merging events reported by several copies.
//!
//! Nothing is implemented yet; see `ARCHITECTURE.md`.
