//! The analyse stage (planned, issue 4): fills a record's `entities`, `times`,
//! `quantities` and `quotes` from its text — sentences and tokens, a GeoNames
//! gazetteer, date and figure normalisation, quote attribution.
//!
//! Nothing is implemented yet; the crate exists so that the workspace already has
//! the shape of the pipeline (read → extract → analyse → dedup → store → serve)
//! and later work lands in its place. Until then records carry empty lists here.
