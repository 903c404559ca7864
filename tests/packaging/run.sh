#!/usr/bin/env bash
# The packaging test: dateline as people without a Rust toolchain get it. For the
# host it builds the wheel (maturin, pyproject.toml), the npm packages
# (packaging/npm/pack.mjs, `npm pack`) and the release archive
# (packaging/archive.sh), installs each into a fresh folder that has never seen
# the checkout, and runs `dateline --version`, `init`, `check` and `build` from
# an unrelated folder with the checkout and the build folder hidden (a private
# mount namespace), so nothing can be read from them. It also runs the CI
# action's scripts against the wheel, builds the source distribution with no
# .git (`--version` then says "unknown commit"), and lints the workflows
# (actionlint) and the shell scripts (shellcheck). Called by ../../test.sh.
#
# DATELINE_PACKAGING_PROFILE=dist builds the wheel as releases do (LTO; a few
# minutes). The default, dev, reuses the debug build `cargo test` just made:
# the packaging is the same, only the compiler's optimisation differs.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
tests/packaging/setup.sh

profile=${DATELINE_PACKAGING_PROFILE:-dev}
target_dir=${CARGO_TARGET_DIR:-target}
case "$target_dir" in /*) ;; *) target_dir="$repo/$target_dir" ;; esac
version=$(packaging/version.sh)
host=$(rustc -vV | sed -n 's/^host: //p')
commit=$(git log -1 --format=%h 2> /dev/null || true)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export npm_config_update_notifier=false

passed=0
step=""
begin() { step=$1; echo "packaging: $step"; }
pass() { passed=$((passed + 1)); }
trap 'echo "packaging: failed at: $step" >&2; echo "packaging: $passed passed, 1 failed"' ERR

# Runs a chatty command quietly, showing its output only when it fails.
logged() {
  "$@" > "$tmp/log" 2>&1 || { cat "$tmp/log" >&2; return 1; }
}

# Runs smoke.sh with the checkout and the target folder hidden under empty
# tmpfs mounts. Needs root (CI is root) and unshare; elsewhere it runs plainly.
cp tests/packaging/smoke.sh "$tmp/smoke.sh"
isolated() {
  if [ "$(id -u)" -eq 0 ] && command -v unshare > /dev/null; then
    # shellcheck disable=SC2016 # $1, $2 and $@ are the inner shell's arguments
    unshare --mount --propagation private bash -c '
      set -e
      mount -t tmpfs none "$1"
      [ -d "$2" ] && mount -t tmpfs none "$2"
      shift 2
      exec bash "$@"' _ "$repo" "$target_dir" "$tmp/smoke.sh" "$@"
  else
    echo "packaging: (not root: the checkout stays visible to this run)"
    bash "$tmp/smoke.sh" "$@"
  fi
}

begin "wheel (maturin build --profile $profile)"
started=$SECONDS
logged maturin build --locked --profile "$profile" --out "$tmp/wheels"
wheel=$(ls "$tmp"/wheels/dateline-"$version"-py3-none-*.whl)
echo "packaging: $(basename "$wheel"), $(du -k "$wheel" | cut -f1) KiB, built in $((SECONDS - started)) s"
pass

begin "wheel installed into a fresh venv, run from an unrelated folder"
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check --no-index "$wheel"
isolated "$tmp/pip-user" "$version" "$commit" "$tmp/venv/bin/dateline"
binary="$tmp/venv/bin/dateline"
pass

begin "npm packages (pack.mjs, npm pack) for $host"
node packaging/npm/pack.mjs "$tmp/npm" "$host=$binary" > /dev/null
mkdir "$tmp/tarballs"
for dir in "$tmp"/npm/*/; do
  (cd "$dir" && npm pack --silent --pack-destination "$tmp/tarballs" > /dev/null)
done
for tarball in "$tmp"/tarballs/*.tgz; do
  echo "packaging: $(basename "$tarball"), $(du -k "$tarball" | cut -f1) KiB"
done
pass

# A registry that refuses every connection: the install may not download
# anything, and the other platforms' optional packages are simply skipped.
npm_offline=(--registry=http://127.0.0.1:9/ --fetch-retries=0 --no-audit --no-fund --loglevel=error)
begin "npm install of the packed tarballs into a fresh folder, npx dateline"
mkdir "$tmp/app"
(cd "$tmp/app" && npm init -y > /dev/null && npm install "${npm_offline[@]}" "$tmp"/tarballs/*.tgz > /dev/null)
(cd "$tmp/app" && isolated "$tmp/app/work" "$version" "$commit" npx --no-install dateline)
pass

begin "npx dateline without its platform package says what to do"
mkdir "$tmp/app-bare"
(cd "$tmp/app-bare" && npm init -y > /dev/null && npm install "${npm_offline[@]}" "$tmp"/tarballs/dateline-cli-"$version".tgz > /dev/null)
if (cd "$tmp/app-bare" && npx --no-install dateline --version 2> "$tmp/bare.err"); then
  echo "error: npx dateline ran without its platform package" >&2
  false
fi
grep -q "is not installed" "$tmp/bare.err"
grep -q "help: " "$tmp/bare.err"
pass

begin "release archive with its checksum (archive.sh)"
archive=$(packaging/archive.sh "$binary" "$host" "$tmp/dist")
(cd "$tmp/dist" && sha256sum --quiet -c ./*.sha256)
tar -C "$tmp/dist" -xzf "$archive"
# The README's link to the template reference works in the unpacked folder.
grep -q "(docs/templates.md)" "$tmp/dist/dateline-$version-$host/README.md"
grep -q "^### EntryView" "$tmp/dist/dateline-$version-$host/docs/templates.md"
echo "packaging: $(basename "$archive"), $(du -k "$archive" | cut -f1) KiB"
isolated "$tmp/archive-user" "$version" "$commit" "$tmp/dist/dateline-$version-$host/dateline"
pass

begin "the CI action's scripts (action.yml) with the wheel"
runner="$tmp/runner"
mkdir -p "$runner"
"$tmp/venv/bin/dateline" init "$runner/site" > /dev/null
RUNNER_TEMP="$runner" GITHUB_PATH="$runner/path" GITHUB_OUTPUT="$runner/out" \
  DATELINE_VERSION="" DATELINE_FIND_LINKS="$tmp/wheels" packaging/action/install.sh > /dev/null
PATH="$(cat "$runner/path"):$PATH" GITHUB_OUTPUT="$runner/out" INPUT_ROOT="$runner/site" \
  INPUT_BASE_URL="https://example.org/action/" INPUT_STRICT=false packaging/action/run.sh > /dev/null
grep -q "https://example.org/action/" "$runner/site/public/index.html"
grep -qx "version=$version" "$runner/out"
grep -qx "output=$runner/site/public" "$runner/out"
if PATH="$(cat "$runner/path"):$PATH" GITHUB_OUTPUT="$runner/out" INPUT_ROOT="$runner/site" \
  INPUT_CHECK=yes packaging/action/run.sh > /dev/null 2>&1; then
  echo "error: the action accepted check: yes" >&2
  false
fi
pass

begin "source distribution built with no .git: --version says unknown commit"
started=$SECONDS
logged maturin sdist --out "$tmp/sdist"
tar -C "$tmp/sdist" -xzf "$tmp"/sdist/dateline-"$version".tar.gz
# Cargo's build folder is the checkout's, which holds every dependency built,
# so only dateline compiles (18 s, not 95); the binary lands in a folder of its
# own, never over the target/debug/dateline the browser tests run. Cargo hashes
# a package without its path, so it would take the checkout's dateline as fresh:
# a setting for dateline alone (codegen units, no effect on behaviour) keeps the
# two apart, and fresh modification times make it compile the unpacked sources
# (build.rs included) on every run, not an earlier run's.
find "$tmp/sdist/dateline-$version" -type f -exec touch {} +
(cd "$tmp/sdist/dateline-$version" && [ ! -e .git ] &&
  CARGO_BUILD_BUILD_DIR="$target_dir" CARGO_TARGET_DIR="$tmp/sdist-target" \
    cargo build --quiet --locked --bin dateline --config 'profile.dev.package.dateline.codegen-units=255')
isolated "$tmp/sdist-user" "$version" "" "$tmp/sdist-target/debug/dateline"
echo "packaging: sdist built in $((SECONDS - started)) s"
pass

begin "actionlint on the workflows, shellcheck on the packaging scripts"
actionlint .github/workflows/*.yml examples/github-pages.yml
# The action as a workflow uses it, checked against action.yml's inputs.
mkdir -p "$tmp/lint/.github/workflows"
cp action.yml "$tmp/lint/"
cat > "$tmp/lint/.github/workflows/uses-action.yml" << 'YAML'
on: push
jobs:
  site:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - id: dateline
        uses: ./
        with: { base-url: "https://example.org/", strict: "true", deploy: "false" }
      - run: echo "${{ steps.dateline.outputs.output }}"
YAML
(cd "$tmp/lint" && git init -q && actionlint)
shellcheck packaging/*.sh packaging/action/*.sh tests/packaging/*.sh
pass

trap - ERR
echo "packaging: $passed passed, 0 failed"
