#!/usr/bin/env bash
# One installed dateline, used as an editor would from a folder of their own:
#   smoke.sh WORK_DIR VERSION COMMIT COMMAND...
# COMMAND runs dateline (a path, or `npx --no-install dateline`). Checks that
# --version names VERSION and COMMIT (or "unknown commit" when COMMIT is empty),
# then init, check and build a new site. run.sh calls it with the checkout and
# the build folder hidden, so nothing can come from there.
set -euo pipefail
work=$1 version=$2 commit=$3
shift 3
mkdir -p "$work"
cd "$work"

said=$("$@" --version)
if [ -n "$commit" ]; then
  expected="^dateline $version \\($commit [0-9]{4}-[0-9]{2}-[0-9]{2}\\)\$"
else
  expected="^dateline $version \\(unknown commit\\)\$"
fi
if ! [[ "$said" =~ $expected ]]; then
  echo "error: \`$* --version\` said \`$said\`; expected /$expected/" >&2
  exit 1
fi
"$@" init site > /dev/null
"$@" check --root site > /dev/null
"$@" build --root site --quiet
for file in index.html feed.xml sitemap.xml; do
  [ -s "site/public/$file" ] || { echo "error: the build has no site/public/$file" >&2; exit 1; }
done
echo "$said"
