#!/usr/bin/env bash
# Runs one fuzz target for a given time and keeps libFuzzer's log.
#   fuzz/run.sh TARGET SECONDS [more libFuzzer flags, e.g. -max_len=65536]
# Stable Rust: RUSTC_BOOTSTRAP lets cargo-fuzz use the nightly-only flags it needs.
# `-s none`: the code under test is safe Rust, so no AddressSanitizer (5-10x
# faster); `-a`: debug assertions and overflow checks on, so arithmetic
# overflow panics too. Crashes land in fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1
seconds=${2:-600}
shift $(( $# < 2 ? $# : 2 ))
case $target in
  frontmatter|config) dict=fuzz/dict/yaml.dict ;;
  markdown) dict=fuzz/dict/markdown.dict ;;
  import_json|import_csv) dict=fuzz/dict/timelinejs.dict ;;
  *) dict= ;;
esac
mkdir -p "fuzz/corpus/$target" fuzz/logs
export RUSTC_BOOTSTRAP=1
exec cargo fuzz run -s none -a --fuzz-dir fuzz "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
  ${dict:+-dict=$dict} -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$@" \
  2>&1 | tee "fuzz/logs/$target.log"
