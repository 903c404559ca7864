#!/usr/bin/env bash
# Installs what the integration tests need beyond cargo, only when it is missing:
# PyLD, an independent JSON-LD processor that expands the pages' structured data,
# and exiftool.
# Called by ../../test.sh.
set -euo pipefail

if ! python3 -c "import pyld" 2> /dev/null; then
  echo "integration tests: installing PyLD with pip"
  python3 -m pip install -q --disable-pip-version-check 'PyLD==2.*'
fi

# exiftool, an independent reader of image metadata, for the tests that prove
# published images carry none.
if ! command -v exiftool > /dev/null; then
  echo "integration tests: installing exiftool with apt-get"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq libimage-exiftool-perl > /dev/null
fi
