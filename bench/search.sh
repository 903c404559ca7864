#!/usr/bin/env bash
# Benchmarks the whole-site search against Pagefind on one synthetic timeline with a
# natural vocabulary (`gen N DIR --zipf`): the cost of making the index (dateline's build
# with its "search" lap; Pagefind on the same built HTML), and what a reader downloads,
# key by key, searching from page 1 in Chromium (tests/browser/budget.mjs, the same walk
# that tests/browser/search-budget.test.js checks against the reader's budgets).
#
#   bench/search.sh               # 100,000 entries (about 13 GB of memory for Pagefind)
#   bench/search.sh 10000         # another size
#   bench/search.sh > search.md   # the Markdown tables go to stdout, progress to stderr
#
# Environment:
#   KEEP=1            keep the work folder (site, output with pagefind/, JSON) afterwards
#   BENCH_DIR=DIR     work folder (default /dev/shm/dateline-search-bench: tmpfs)
#   NO_BUILD=1        do not run cargo; use DATELINE and GEN (or the target folder's binaries)
#   CARGO_TARGET_DIR  where cargo builds (default: <repo>/target)
#   NO_PAGEFIND=1     dateline alone;  PAGEFIND=/path/to/pagefind  use that binary
#   PAGEFIND_VERSION  the PyPI release of pagefind_bin to install (default 1.5.2), into a
#                     virtualenv at PAGEFIND_VENV (default ~/.cache/dateline-bench/pagefind-VERSION)
#
# One build of each, from an empty output folder: dateline `build --timings` and Pagefind
# under `/usr/bin/time -v` (wall time around it, "Maximum resident set size" as peak RSS).
# Pagefind indexes what dateline's search covers, one record per entry: the entry pages
# (`--glob 'entries/*/index.html'`; the timeline, archive and term pages repeat every
# entry) and in them the entry (`--root-selector article.entry`: title, date, text,
# sources; not the site's header, the related lists or the earlier/later links).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
bench=${BENCH_DIR:-/dev/shm/dateline-search-bench}
target=${CARGO_TARGET_DIR:-$repo/target}
n=${1:-100000}
[[ $n =~ ^[1-9][0-9]*$ ]] && [ "$#" -le 1 ] || { echo "usage: bench/search.sh [ENTRIES]  (got '$*')" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/search.sh needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
pagefind_version=${PAGEFIND_VERSION:-1.5.2}

script_start=${EPOCHREALTIME/./}
log() { printf '[search bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

mkdir -p "$bench"
cleanup() {
    if [ -z "${KEEP:-}" ]; then rm -rf "$bench"; else log "kept $bench"; fi
}
trap cleanup EXIT

# --- binaries -------------------------------------------------------------------------
if [ -z "${NO_BUILD:-}" ]; then
    log "building the release binary and the generator (cargo, target $target)"
    (cd "$repo" && CARGO_TARGET_DIR=$target cargo build --release --quiet --bin dateline --example gen) >&2
fi
dateline=${DATELINE:-$target/release/dateline}
gen=${GEN:-$target/release/examples/gen}
[ -x "$dateline" ] || { echo "no dateline binary at $dateline" >&2; exit 1; }
[ -x "$gen" ] || { echo "no generator at $gen" >&2; exit 1; }
# Measure copies: a shared target folder may get a new binary in the middle of a run.
mkdir -p "$bench/bin"
cp "$dateline" "$bench/bin/dateline"
cp "$gen" "$bench/bin/gen"
dateline=$bench/bin/dateline
gen=$bench/bin/gen
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ", with uncommitted changes" || true)

# Pagefind: $PAGEFIND, or PyPI's pagefind_bin (the binary inside the wheel, called
# directly so Python's start-up is not counted), installed once into a virtualenv.
find_pagefind() {
    if [ -n "${PAGEFIND:-}" ]; then printf '%s\n' "$PAGEFIND"; return; fi
    local venv=${PAGEFIND_VENV:-$HOME/.cache/dateline-bench/pagefind-$pagefind_version}
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pagefind_bin' 2>/dev/null; then
        log "installing pagefind_bin==$pagefind_version from PyPI into $venv"
        python3 -m venv "$venv" >&2
        "$venv/bin/python" -m pip install --quiet "pagefind_bin==$pagefind_version" >&2
    fi
    "$venv/bin/python" -c 'import pagefind_bin; print(pagefind_bin.get_executable())'
}
pagefind=""
if [ -z "${NO_PAGEFIND:-}" ]; then
    pagefind=$(find_pagefind || true)
    if [ -n "$pagefind" ] && "$pagefind" --version >/dev/null 2>&1; then
        log "pagefind: $pagefind ($("$pagefind" --version))"
    else
        log "pagefind unavailable: dateline alone"
        pagefind=""
    fi
fi

# The browser tests' Chromium and npm packages (installed only when missing).
"$repo/tests/browser/setup.sh" >&2

# --- helpers (as bench/run.sh) ---------------------------------------------------------
tfile=$bench/time.txt
# timed CMD...: runs CMD under /usr/bin/time -v, its stdout and stderr to $bench/cmd.out and
# cmd.err; sets T_MS (wall, ms), CPU_MS (user + system) and RSS_KB.
timed() {
    local t0 t1 status=0
    t0=${EPOCHREALTIME/./}
    /usr/bin/time -v -o "$tfile" "$@" >"$bench/cmd.out" 2>"$bench/cmd.err" || status=$?
    t1=${EPOCHREALTIME/./}
    if [ "$status" -ne 0 ]; then
        echo "command failed ($status): $*" >&2
        tail -n 30 "$bench/cmd.err" >&2
        exit 1
    fi
    T_MS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
    RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tfile")
    CPU_MS=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { t += $2 } END { printf "%.0f", t * 1000 }' "$tfile")
}
ms() { awk -v t="$1" 'BEGIN { if (t >= 10000) printf "%.1f s", t / 1000; else if (t >= 1000) printf "%.2f s", t / 1000; else printf "%.0f ms", t }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
n_fmt() { printf '%s\n' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
files_in() { find "$1" -type f | wc -l; }
bytes_in() { find "$1" -type f -printf '%s\n' | awk '{ t += $1 } END { print t + 0 }'; }

load_before=$(load)
log "load average before: $load_before (on $(nproc) CPUs)"

# --- the site ---------------------------------------------------------------------------
site=$bench/site-$n
out=$bench/out-$n
if [ ! -f "$site/.zipf" ] || [ "$(find "$site/content" -name '*.md' | wc -l)" -ne "$n" ]; then
    rm -rf "$site"
    log "generating $n entries (--zipf) into $site"
    "$gen" "$n" "$site" --zipf >/dev/null
    touch "$site/.zipf"
fi

# --- dateline --------------------------------------------------------------------------
rm -rf "$out" "$bench/.out-$n.dateline-tmp"
log "$n entries: dateline build --timings"
timed "$dateline" build --root "$site" --output "$out" --timings
dl_ms=$T_MS; dl_cpu=$CPU_MS; dl_rss=$RSS_KB
summary=$(sed -n 's/.*(\([0-9]* pages, [0-9]* files\)).*/\1/p' "$bench/cmd.out")
cp "$bench/cmd.err" "$bench/timings.txt"
lap() { grep -E "^ *$1: +[0-9.]+ ms$" "$bench/timings.txt" | head -n 1 | sed -E 's/.*: +([0-9.]+) ms$/\1/'; }
search_lap=$(lap 'search( \(beside them\))?')
search_parts=$(sed -n '/search (beside them)/,/swap in/p' "$bench/timings.txt" | grep -vE 'search \(beside them\)|swap in' | sed -E 's/^ +//; s/ +/ /g' | paste -sd ';' - || true)
peak_line=$(grep -E 'peak memory' "$bench/timings.txt" | sed -E 's/^ +//; s/ +/ /g' || true)
dl_files=$(files_in "$out/search")
dl_bytes=$(bytes_in "$out/search")
log "$n entries: dateline $(ms "$dl_ms"), search lap ${search_lap:-?} ms, $(mib "$dl_rss"); search/: $dl_files files, $(mb "$dl_bytes")"

# --- Pagefind --------------------------------------------------------------------------
if [ -n "$pagefind" ]; then
    log "$n entries: Pagefind on $out (entry pages)"
    timed "$pagefind" --site "$out" --glob 'entries/*/index.html' --root-selector 'article.entry'
    pf_ms=$T_MS; pf_cpu=$CPU_MS; pf_rss=$RSS_KB
    pf_files=$(files_in "$out/pagefind")
    pf_bytes=$(bytes_in "$out/pagefind")
    pf_pages=$(sed -n 's/.*Indexed \([0-9]*\) pages.*/\1/p' "$bench/cmd.out" | head -n 1)
    pf_words=$(sed -n 's/.*Indexed \([0-9]*\) words.*/\1/p' "$bench/cmd.out" | head -n 1)
    log "$n entries: Pagefind $(ms "$pf_ms"), $(mib "$pf_rss"); pagefind/: $pf_files files, $(mb "$pf_bytes")"
fi

# --- the reader, in Chromium --------------------------------------------------------------
log "$n entries: searching in Chromium (tests/browser/budget.mjs)"
node "$repo/tests/browser/budget.mjs" --content "$site/content" --dir "$out" ${pagefind:+--pagefind} \
    --json "$bench/budget-$n.json" >"$bench/budget.md"

load_after=$(load)
elapsed_s=$(( (${EPOCHREALTIME/./} - script_start) / 1000000 ))
log "load average after: $load_after; total $elapsed_s s"

# --- report ---------------------------------------------------------------------------
echo "## Search: dateline $("$dateline" --version | awk '{ print $2 }') (commit $commit$dirty)${pagefind:+ and Pagefind $("$pagefind" --version | awk '{ print $2 }')}, $(n_fmt "$n") entries (\`gen $n DIR --zipf\`)"
echo
echo "On $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs; files on $(df --output=fstype "$bench" | tail -n 1). One build each. Load average before: $load_before; after: $load_after."
echo
echo "| | wall | CPU | peak RSS | index files | index bytes |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| dateline build, whole site ($summary) | $(ms "$dl_ms") | $(ms "$dl_cpu") | $(mib "$dl_rss") | $(n_fmt "$dl_files") in search/ | $(mb "$dl_bytes") |"
echo "| of which the search lap (beside feeds and exports) | ${search_lap:+$(ms "$search_lap")} | | | | |"
if [ -n "$pagefind" ]; then
    echo "| Pagefind $("$pagefind" --version | awk '{ print $2 }'), $(n_fmt "${pf_pages:-?}") pages, $(n_fmt "${pf_words:-?}") words | $(ms "$pf_ms") | $(ms "$pf_cpu") | $(mib "$pf_rss") | $(n_fmt "$pf_files") in pagefind/ | $(mb "$pf_bytes") |"
fi
echo
echo "dateline's search lap, its parts: ${search_parts//;/, }. ${peak_line:+dateline --timings: $peak_line.}"
echo
cat "$bench/budget.md"
echo
echo "bench/search.sh took ${elapsed_s} s."
