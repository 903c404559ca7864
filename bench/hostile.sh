#!/usr/bin/env bash
# Times `dateline build` on small hostile inputs: each case is a site of one or
# two content files built to a fresh output, and the table gives wall time, peak
# resident memory, output size and how the build ended. SECURITY.md keeps the
# table of the code before and after the second hardening round.
#
#   bench/hostile.sh                       # target/release/dateline
#   bench/hostile.sh /path/to/dateline     # another binary
#   LIMIT=120 bench/hostile.sh             # seconds before a case is stopped (default 60)
#
# Each case's input is at most about 1 MB per file: the promise is that any such
# input builds or fails in under 2 s with a peak RSS under 300 MiB.
set -euo pipefail
export LC_ALL=C
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$repo/target/release/dateline}
limit=${LIMIT:-60}
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import os, sys
work = sys.argv[1]
head = "---\ntitle: x\ndate: 2017-10-15\n"
def case(name, files):
    root = os.path.join(work, name)
    os.makedirs(os.path.join(root, "content"))
    with open(os.path.join(root, "site.yaml"), "w") as f:
        f.write("title: T\nbase_url: https://example.org/\n")
    for rel, text in files.items():
        with open(os.path.join(root, "content", rel), "w") as f:
            f.write(text)
n = 100_000
case("yaml-flow-lists", {"a.md": head + "extra: " + "[" * n + "]" * n + "\n---\n"})
case("yaml-flow-maps", {"a.md": head + "extra: " + "{a: " * (n // 2) + "}" * (n // 2) + "\n---\n"})
case("markdown-quotes-and-html", {"a.md": head + "---\n" + "> " * n + " x <b>y</b>\n"})
case("stray-end-tags", {"a.md": head + "---\n" + "<div></x>" * n + "\n"})
case("removed-links-one-line", {"a.md": head + "---\n" + "[a](javascript:x) " * 5000 + "\n"})
case("missing-files-one-line", {"a.md": head + "---\n" + "[a](y) " * 10_000 + "\n"})
sources = "".join(f"  - title: S{i}\n    url: https://e.org/{i}\n    publisher: P\n" for i in range(20_000))
case("sources-20k", {"a.md": head + "sources:\n" + sources + "---\n"})
case("tags-40k", {"a.md": head + "tags:\n" + "".join(f"  - t{i}\n" for i in range(40_000)) + "---\n"})
case("unknown-keys-40k", {"a.md": head + "".join(f"k{i}: v\n" for i in range(40_000)) + "---\n"})
keys = lambda indent: "".join(f"{indent}k{i}: v\n" for i in range(40_000))
case("source-keys-40k", {"a.md": head + "sources:\n  - title: t\n    url: https://e.org/\n" + keys("    ") + "---\n"})
case("image-keys-40k", {"a.md": head + "image:\n  src: https://e.org/a.png\n  alt: a\n" + keys("  ") + "---\n"})
case("duplicate-after-40k-keys", {"a.md": head + "extra:\n" + keys("  ") + "  k0: again\n---\n"})
terms = lambda p: "[" + ", ".join(f"{p}{i}" for i in range(100)) + "]"
case("long-title-many-terms", {"a.md": "---\ntitle: " + "w" * 1_000_000 + "\ndate: 2017-10-15\ntags: " + terms("t") + "\npeople: " + terms("p") + "\n---\n"})
case("plain-1mb-body", {"a.md": head + "---\n" + ("Words of an ordinary body. " * 40 + "\n\n") * 900})
PY

printf '| case | input | result | wall | peak RSS | output |\n|---|---:|---|---:|---:|---:|\n'
for dir in "$work"/*/; do
    name=$(basename "$dir")
    input=$(du -sb "$dir/content" | cut -f1)
    out=$work/out-$name
    start=${EPOCHREALTIME/./}
    set +e
    timeout "$limit" /usr/bin/time -f '%M' -o "$work/$name.rss" "$bin" build --root "$dir" --output "$out" --quiet >/dev/null 2>"$work/$name.err"
    code=$?
    set -e
    wall=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
    case $code in
        0) result="built" ;;
        1) result="refused: $(grep -m1 -oE 'error: .{0,60}' "$work/$name.err" | head -c 70)" ;;
        124) result="stopped after ${limit} s" ;;
        *) result="exit $code" ;;
    esac
    rss=$(tail -n1 "$work/$name.rss" 2>/dev/null | grep -E '^[0-9]+$' || echo 0)
    size=$( [ -d "$out" ] && du -sb "$out" | cut -f1 || echo 0)
    printf '| %s | %s KB | %s | %s ms | %s MiB | %s KB |\n' "$name" "$((input / 1024))" "$result" "$wall" "$((rss / 1024))" "$((size / 1024))"
done
