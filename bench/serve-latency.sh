#!/usr/bin/env bash
# Measures how fast `dateline serve` shows an edit: for a 10,000-entry synthetic site and
# for the bundled site (copied to a temporary folder; the originals are never touched),
# it starts `dateline serve --port 0`, then 10 times appends a unique sentence to one
# mid-timeline entry and measures
#   - "write → page": from just before the write to the entry's page, fetched over HTTP
#     (polled every 2 ms), containing the new sentence;
#   - "event → rebuilt": serve's own "rebuilt … in N ms" line, timed from the file event.
#
#   bench/serve-latency.sh            # 10000 entries and the bundled site
#   bench/serve-latency.sh 1000       # another synthetic size
#
# Environment: EDITS=10, KEEP=1, BENCH_DIR (default /dev/shm/dateline-bench), NO_BUILD=1,
# DATELINE, GEN, CARGO_TARGET_DIR (as bench/run.sh).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
bench=${BENCH_DIR:-/dev/shm/dateline-bench}
target=${CARGO_TARGET_DIR:-$repo/target}
size=${1:-10000}
edits=${EDITS:-10}
[[ $size =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/serve-latency.sh [ENTRIES]" >&2; exit 2; }

if [ -z "${NO_BUILD:-}" ]; then
    echo "building the release binary and the generator (cargo, target $target)" >&2
    (cd "$repo" && CARGO_TARGET_DIR=$target cargo build --release --quiet --bin dateline --example gen) >&2
fi
dateline=${DATELINE:-$target/release/dateline}
gen=${GEN:-$target/release/examples/gen}
[ -x "$dateline" ] && [ -x "$gen" ] || { echo "no dateline or gen binary under $target/release" >&2; exit 1; }

work=$bench/serve
rm -rf "$work"
mkdir -p "$work/bin"
cleanup() { if [ -z "${KEEP:-}" ]; then rm -rf "$work"; rmdir "$bench" 2>/dev/null || true; fi; }
trap cleanup EXIT
# Measure copies: a shared target folder may get a new binary in the middle of a run.
cp "$dateline" "$work/bin/dateline"
cp "$gen" "$work/bin/gen"
dateline=$work/bin/dateline
gen=$work/bin/gen

# The synthetic site: generated fresh (deterministic) so the edits of a previous run
# do not accumulate.
"$gen" "$size" "$work/synthetic" >/dev/null
# The bundled site: its inputs only.
mkdir -p "$work/bundled"
cp -r "$repo/site.yaml" "$repo/content" "$work/bundled/"
for d in static themes; do [ -d "$repo/$d" ] && cp -r "$repo/$d" "$work/bundled/"; done

echo "dateline $("$dateline" --version | awk '{ print $2 }'), work tree at commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)" >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| site | entries | edits | write → page served: median | max | event → rebuilt (serve's log): median | max | files changed per rebuild |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for site in synthetic bundled; do
    python3 - "$dateline" "$work/$site" "$edits" "$site" <<'PY'
import http.client, os, re, statistics, subprocess, sys, threading, time, queue, urllib.parse

dateline, root, edits, label = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

# A mid-timeline entry: the middle file in name (date) order, without a `slug:` override
# unless we read it.
content = os.path.join(root, "content")
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(content) for f in fs if f.endswith(".md"))
path = files[len(files) // 2]
text = open(path, encoding="utf-8").read()
m = re.search(r"^slug:\s*\"?([^\"\n]+)\"?\s*$", text.split("\n---", 1)[0], re.M)
slug = m.group(1).strip() if m else re.sub(r"^\d{4}(-\d{2}){0,2}-", "", os.path.basename(path)[:-3])

proc = subprocess.Popen([dateline, "serve", "--root", root, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
lines = queue.Queue()
def reader():
    for line in proc.stdout:
        lines.put((time.monotonic(), line.rstrip("\n")))
threading.Thread(target=reader, daemon=True).start()

def next_line(pattern, timeout):
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise SystemExit(f"{label}: no line matching {pattern!r} from dateline serve within {timeout} s")
        try:
            at, line = lines.get(timeout=left)
        except queue.Empty:
            continue
        m = re.search(pattern, line)
        if m:
            return at, m

try:
    started = time.monotonic()
    _, m = next_line(r"serving (http://\S+)", 600)
    url = urllib.parse.urlsplit(m.group(1))
    first_build = time.monotonic() - started
    page = f"{url.path.rstrip('/')}/entries/{slug}/"
    # A new connection per request: on a reused (keep-alive) connection dateline serve's
    # answers stall about 40 ms (Nagle's algorithm meeting delayed ACKs), which would
    # hide the rebuild time being measured. See BENCHMARKS.md.
    def get(p):
        for _ in range(3):
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
            try:
                conn.request("GET", p)
                r = conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                time.sleep(0.01)
            finally:
                conn.close()
        raise SystemExit(f"{label}: cannot fetch {p}")

    status, _ = get(page)
    if status != 200:
        raise SystemExit(f"{label}: {page} answered {status}; is {os.path.basename(path)} published there?")

    served, rebuilt, made = [], [], []
    for i in range(edits):
        time.sleep(0.5)  # well past serve's 300 ms settling window of the previous edit
        while not lines.empty():
            lines.get_nowait()
        marker = f"Benchmark edit {os.getpid()} number {i} zqx{i:03d}."
        t0 = time.monotonic()
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\n{marker}\n")
        while True:
            status, body = get(page)
            if status == 200 and marker.encode() in body:
                break
            if time.monotonic() - t0 > 30:
                raise SystemExit(f"{label}: edit {i} not served after 30 s")
            time.sleep(0.002)
        served.append((time.monotonic() - t0) * 1000)
        logged_at, m = next_line(r"rebuilt \d+ entr(?:y|ies) in (\d+) ms: (\d+) of (\d+) files changed", 30)
        rebuilt.append(int(m.group(1)))
        made.append(f"{m.group(2)}/{m.group(3)}")
        print(f"  {label} edit {i + 1}: page served after {served[-1]:.1f} ms; serve: rebuilt in {m.group(1)} ms (its log line read {(logged_at - t0) * 1000:.1f} ms after the write), {m.group(2)} of {m.group(3)} files changed", file=sys.stderr)
finally:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()

entries = len(files)
made_note = ", ".join(sorted(set(made), key=made.index))
print(f"{label}: first build (until 'serving') {first_build * 1000:.0f} ms; edited {os.path.relpath(path, root)}", file=sys.stderr)
print(f"| {label} | {entries:,} | {edits} | {statistics.median(served):.0f} ms | {max(served):.0f} ms | {statistics.median(rebuilt):.0f} ms | {max(rebuilt)} ms | {made_note} |")
PY
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
