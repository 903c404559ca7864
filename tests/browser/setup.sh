#!/usr/bin/env bash
# Installs what the browser tests need, only when it is missing: Debian's
# chromium (never a downloaded browser: playwright-core drives /usr/bin/chromium),
# a Java runtime for the Nu HTML Checker, Node.js and npm, then the npm packages
# pinned in package-lock.json. Called by ../../test.sh and by ../../.ci/run.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java > /dev/null || missing+=(default-jre-headless)
command -v node > /dev/null || missing+=(nodejs)
command -v npm > /dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "browser tests: installing ${missing[*]} with apt-get"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" > /dev/null
fi

# npm ci when node_modules is missing or older than the lock file. Install
# scripts stay off: vnu-jar's would download a JDK, and the machine has Java.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
