#!/usr/bin/env bash
# Installs what the integration tests need beyond cargo, only when it is missing:
# PyLD, an independent JSON-LD processor that expands the pages' structured data.
# Called by ../../test.sh.
set -euo pipefail

if ! python3 -c "import pyld" 2> /dev/null; then
  echo "integration tests: installing PyLD with pip"
  python3 -m pip install -q --disable-pip-version-check 'PyLD==2.*'
fi
