#!/usr/bin/env bash
# The action's install step (../../action.yml): puts a pinned dateline on PATH.
# The version is the action's own (Cargo.toml at the ref `uses:` names), or the
# `version` input. It comes from PyPI as a wheel that carries the binary, into a
# virtual environment of its own under RUNNER_TEMP, so it works the same on Linux,
# macOS and Windows runners and never compiles anything.
#
# Environment: DATELINE_VERSION (may be empty), RUNNER_TEMP, GITHUB_PATH,
# GITHUB_OUTPUT (set by Actions), and for tests DATELINE_FIND_LINKS, a folder of
# wheels to install from instead of PyPI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=${DATELINE_VERSION:-$("$here/../version.sh")}
version=${version#v}

python=python3
command -v "$python" > /dev/null || python=python # Windows runners have only `python`
venv="${RUNNER_TEMP:?RUNNER_TEMP is not set; this runs inside GitHub Actions}/dateline-$version"
if [ ! -d "$venv" ]; then
  "$python" -m venv "$venv"
fi
if [ -x "$venv/bin/python" ]; then bin="$venv/bin"; else bin="$venv/Scripts"; fi

source=()
if [ -n "${DATELINE_FIND_LINKS:-}" ]; then
  source=(--no-index --find-links "$DATELINE_FIND_LINKS")
fi
# --only-binary: a platform without a wheel fails here, clearly, instead of
# starting a Rust build from the source distribution.
"$bin/python" -m pip install -q --disable-pip-version-check --only-binary :all: \
  "${source[@]}" "dateline==$version"

installed=$("$bin/dateline" --version)
case "$installed" in
  "dateline $version "*) ;;
  *) echo "::error::asked for dateline $version but installed \`$installed\`" >&2; exit 1 ;;
esac
echo "$installed"
# GITHUB_PATH wants the runner's own form of a path (C:\… on Windows).
if command -v cygpath > /dev/null; then bin=$(cygpath -w "$bin"); fi
echo "$bin" >> "${GITHUB_PATH:?}"
echo "version=$version" >> "${GITHUB_OUTPUT:?}"
