#!/usr/bin/env bash
# Installs what the deploy tests need, only when it is missing: two independent
# S3-compatible servers run on loopback by the tests (moto's `moto_server` from
# PyPI, which also serves CloudFront, and `s3s-fs` from crates.io), boto3 to
# read back what was stored, and git. Called by ../../test.sh.
set -euo pipefail

python_has() { python3 -c "import $1" 2> /dev/null; }
if ! command -v moto_server > /dev/null || ! python_has boto3 || ! python_has flask_cors; then
  echo "deploy tests: installing moto[server] and boto3 with pip"
  python3 -m pip install -q --disable-pip-version-check 'moto[server]==5.*' 'boto3==1.*'
  command -v pyenv > /dev/null && pyenv rehash
fi
if ! command -v s3s-fs > /dev/null && [ ! -x "$HOME/.cargo/bin/s3s-fs" ]; then
  echo "deploy tests: installing s3s-fs 0.14.1 with cargo (a few minutes, once)"
  cargo install -q s3s-fs --version 0.14.1 --features binary --locked
fi
if ! command -v git > /dev/null; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq git > /dev/null
fi
