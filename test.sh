#!/usr/bin/env bash
# Runs every test of dateline: unit and integration tests (cargo), then the
# browser tests of the built site in Debian's headless Chromium (tests/browser,
# node's built-in test runner). This is the README's test command, and what CI
# runs. It installs what the deploy, packaging and browser tests need when it is
# missing.
set -euo pipefail
cd "$(dirname "$0")"

tests/deploy/setup.sh
tests/it/setup.sh
cargo test --locked --all-targets

# The wheel, npm packages and release archive, installed into fresh folders and
# run with the checkout hidden; it reuses the debug build above (about 70 s).
tests/packaging/run.sh

tests/browser/setup.sh
# The debug binary `cargo test` just built behaves exactly like the release one;
# reusing it saves CI a release build of every dependency.
cargo build --locked --bin dateline
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
export DATELINE_BIN="$target/debug/dateline"
cd tests/browser
node --test *.test.js
