#!/usr/bin/env bash
# Prints one hash per built site, to prove a refactor changes no output:
#
#   bench/tree-hashes.sh [DATELINE_BINARY] > before.txt   # on the old commit
#   bench/tree-hashes.sh [DATELINE_BINARY] > after.txt    # on the new one
#   diff before.txt after.txt
#
# Builds the bundled site, every fixture under tests/fixtures that builds, and the
# 10,000-entry synthetic site of examples/gen.rs (SYNTHETIC=N for another size, 0
# for none), each with a fixed clock, and hashes every file of each output with its
# path. dateline's own two files are left out: the manifest (.dateline-manifest)
# holds fingerprints, internal to the code that computes them, and the marker
# (.dateline-output) says which site and flags made the folder.
set -euo pipefail
export LC_ALL=C
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$repo/target/release/dateline}
gen=${GEN:-$repo/target/release/examples/gen}
size=${SYNTHETIC:-10000}
now=2027-01-01T00:00:00Z
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tree() { # folder → one hash of every path and its bytes, dateline's own files left out
    (cd "$1" && find . -type f ! -name .dateline-manifest ! -name .dateline-output -print0 | sort -z |
        xargs -0 sha256sum | sha256sum | cut -c1-16)
}
site() { # name root [build flags...]
    local name=$1 root=$2 out=$work/out-$1
    shift 2
    if "$bin" build --root "$root" --output "$out" --now "$now" --quiet "$@" >/dev/null 2>&1; then
        printf '%-28s %s %6d files\n' "$name" "$(tree "$out")" "$(find "$out" -type f | wc -l)"
    else
        printf '%-28s fails to build\n' "$name"
    fi
}
site bundled "$repo"
site bundled-preview "$repo" --base-url http://127.0.0.1:8000/sub/ --drafts --future
site drafts-shown "$repo/tests/fixtures/drafts" --drafts
site future-shown "$repo/tests/fixtures/future" --future
for dir in "$repo"/tests/fixtures/*/ "$repo"/tests/fixtures/hostile/*/; do
    [ -f "$dir/site.yaml" ] && site "$(basename "$dir")" "$dir"
done
if [ "$size" -gt 0 ]; then
    [ -x "$gen" ] || (cd "$repo" && cargo build --release --quiet --example gen)
    "$gen" "$size" "$work/synthetic" >/dev/null
    site "synthetic-$size" "$work/synthetic"
fi
