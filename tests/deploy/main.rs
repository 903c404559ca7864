//! `dateline deploy` against real servers: S3-compatible ones on loopback and
//! a local bare git repository.
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;
mod git;
mod s3;
mod servers;
