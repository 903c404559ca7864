#!/usr/bin/env bash
# Prints dateline's version, read from Cargo.toml's [package] table: the one
# place it is written. The wheel (maturin), the npm packages, the release
# archives and the CI action all take it from here or from cargo.
set -euo pipefail
manifest="$(dirname "$0")/../Cargo.toml"
version=$(awk '
  /^\[/ { in_package = ($0 == "[package]") }
  in_package && /^version *= *"/ { sub(/^version *= *"/, ""); sub(/".*$/, ""); print; exit }
' "$manifest")
if [ -z "$version" ]; then
  echo "error: no version = \"…\" line in the [package] table of $manifest" >&2
  exit 1
fi
echo "$version"
