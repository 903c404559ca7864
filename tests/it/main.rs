//! dateline's integration tests: one binary that builds fixture sites under
//! `tests/fixtures/` with the real `dateline` executable and the library.
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;
mod support;

mod build;
mod cli;
mod determinism;
mod errors;
mod images;
mod import;
mod links;
mod oracle;
mod publish;
mod search;
mod serve;
mod serve_guard;
