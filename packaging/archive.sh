#!/usr/bin/env bash
# Packs one built binary as a release archive beside its SHA-256 checksum:
#   packaging/archive.sh BINARY TARGET OUT_DIR
# writes OUT_DIR/dateline-<version>-<target>.tar.gz (.zip for Windows) holding
# dateline-<version>-<target>/{dateline,README.md,docs/templates.md} (the README
# links the template reference), and the same name + .sha256
# in `sha256sum` format, so `sha256sum -c` checks a download. Run by the release
# workflow for each target and by tests/packaging/run.sh for the host.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 BINARY TARGET OUT_DIR   (e.g. target/dist/dateline x86_64-unknown-linux-musl dist)" >&2
  exit 2
fi
binary=$1 target=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$binary" ] || { echo "error: $binary: no such binary; build it first (cargo build --profile dist)" >&2; exit 1; }
version=$("$here/version.sh")
name="dateline-$version-$target"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/$name/docs" "$out"
case "$target" in *windows*) exe=dateline.exe ;; *) exe=dateline ;; esac
cp "$binary" "$work/$name/$exe"
chmod 755 "$work/$name/$exe"
cp "$here/../README.md" "$work/$name/"
cp "$here/../docs/templates.md" "$work/$name/docs/"
out=$(cd "$out" && pwd)
case "$target" in
  *windows*)
    archive="$name.zip"
    (cd "$work" && 7z a -tzip -bso0 "$out/$archive" "$name") ;;
  *)
    archive="$name.tar.gz"
    # GNU tar: sorted names, no owner, so the archive does not depend on who
    # built it. BSD tar (macOS) has no such flags.
    if tar --version 2> /dev/null | grep -q GNU; then
      tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner -czf "$out/$archive" "$name"
    else
      tar -C "$work" -czf "$out/$archive" "$name"
    fi ;;
esac
if command -v sha256sum > /dev/null; then
  (cd "$out" && sha256sum "$archive" > "$archive.sha256")
else
  (cd "$out" && shasum -a 256 "$archive" > "$archive.sha256")
fi
echo "$out/$archive"
