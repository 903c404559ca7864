#!/usr/bin/env bash
# `dateline deploy` against `aws s3 sync` of the same build to the same local
# S3 server (s3s-fs on loopback, or moto with SERVER=moto), alternating which goes first in each round:
# a first deploy to an empty bucket, a no-change deploy, and a deploy after one
# entry was edited. BENCHMARKS.md keeps the results.
#
#   bench/deploy.sh              # the 10,000-entry synthetic site, 2 rounds
#   SYNTHETIC=1000 ROUNDS=3 bench/deploy.sh
#   SERVER=moto bench/deploy.sh  # moto_server instead of s3s-fs
#
# Needs s3s-fs and the aws CLI (tests/deploy/setup.sh installs s3s-fs; `pip
# install awscli`), and builds the release binary and the generator.
set -euo pipefail
export LC_ALL=C
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${SYNTHETIC:-10000}
rounds=${ROUNDS:-2}
target=${CARGO_TARGET_DIR:-$repo/target}
(cd "$repo" && cargo build --release --quiet --bin dateline --example gen)
bin=$target/release/dateline
work=$(mktemp -d)
s3s=$(command -v s3s-fs || echo "$HOME/.cargo/bin/s3s-fs")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir "$work/data"
if [ "${SERVER:-s3s-fs}" = moto ]; then
  moto_server -H 127.0.0.1 -p "$port" > /dev/null 2>&1 &
else
  "$s3s" --host 127.0.0.1 --port "$port" --access-key AKIDBENCH --secret-key bench-secret "$work/data" > /dev/null 2>&1 &
fi
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
export AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=bench-secret AWS_DEFAULT_REGION=us-east-1
endpoint=http://127.0.0.1:$port
aws_s3() { aws --endpoint-url "$endpoint" s3 "$@"; }
until aws_s3 ls > /dev/null 2>&1; do sleep 0.2; done

"$target/release/examples/gen" "$n" "$work/site" > /dev/null
"$bin" build --root "$work/site" --quiet 2> /dev/null
files=$(find "$work/site/public" -type f ! -name '.dateline-*' | wc -l)
bytes=$(du -sb --exclude='.dateline-*' "$work/site/public" | cut -f1)
echo "site: $n entries, $files files, $((bytes / 1000000)) MB; server: ${SERVER:-s3s-fs} on loopback"
base=$(cat "$work/site/site.yaml")

# One timed run: prints seconds and the tool's own count of uploads.
run_dateline() {
  local bucket=$1 out
  printf '%s\ndeploy:\n  - { name: bench, url: "s3://%s/", endpoint: "%s" }\n' "$base" "$bucket" "$endpoint" > "$work/site/site.yaml"
  local start=$(date +%s.%N)
  out=$("$bin" deploy --root "$work/site" --max-deletes 100000)
  local end=$(date +%s.%N)
  printf '%.2f s  %s\n' "$(echo "$end - $start" | bc)" "$(echo "$out" | sed 's/.*: //')"
}
run_aws() {
  local bucket=$1 out
  local start=$(date +%s.%N)
  out=$(aws_s3 sync "$work/site/public" "s3://$bucket/" --delete --exclude '.dateline-*' --no-progress)
  local end=$(date +%s.%N)
  printf '%.2f s  %s uploaded\n' "$(echo "$end - $start" | bc)" "$(echo "$out" | grep -c '^upload:' || true)"
}
both() { # label, bucket suffix; alternates the order by round
  local label=$1 round=$2
  if [ $((round % 2)) -eq 1 ]; then
    echo "  $label  dateline: $(run_dateline "dl-$round")"
    echo "  $label  aws sync: $(run_aws "aws-$round")"
  else
    echo "  $label  aws sync: $(run_aws "aws-$round")"
    echo "  $label  dateline: $(run_dateline "dl-$round")"
  fi
}

for round in $(seq 1 "$rounds"); do
  echo "round $round"
  aws_s3 mb "s3://dl-$round" > /dev/null
  aws_s3 mb "s3://aws-$round" > /dev/null
  printf '%s\n' "$base" > "$work/site/site.yaml"
  "$bin" build --root "$work/site" --quiet 2> /dev/null
  both "first    " "$round"
  both "no change" "$round"
  entry=$(find "$work/site/content" -name '*.md' | sort | sed -n "$((n / 2))p")
  printf '\nA correction, round %s.\n' "$round" >> "$entry"
  printf '%s\n' "$base" > "$work/site/site.yaml"
  "$bin" build --root "$work/site" --quiet 2> /dev/null
  both "one edit " "$round"
done
