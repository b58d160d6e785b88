//! The store stage (planned, issue 3): records, full-text search, the inputs seen
//! and the errors met, behind one interface with an embedded SQLite backend first
//! and PostgreSQL later.
//!
//! Nothing is implemented yet; see `ARCHITECTURE.md`.
