//! The serve stage (planned, issue 6): the HTTP API and the offline web app over
//! a store.
//!
//! Nothing is implemented yet; see `ARCHITECTURE.md`.
