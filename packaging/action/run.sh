#!/usr/bin/env bash
# The action's check, build and deploy steps (../../action.yml), one command each,
# so a failure shows which one failed. Inputs arrive as environment variables
# (INPUT_ROOT, INPUT_BASE_URL, …), each possibly empty.
set -euo pipefail
root=${INPUT_ROOT:-.}
output=${INPUT_OUTPUT:-$root/public}

is_true() {
  case "$1" in
    true) return 0 ;;
    false | "") return 1 ;;
    *) echo "::error::\`$2\` is \`$1\`; use true or false" >&2; exit 2 ;;
  esac
}

if is_true "${INPUT_CHECK:-true}" check; then
  args=(check --root "$root")
  is_true "${INPUT_STRICT:-false}" strict && args+=(--strict)
  echo "dateline ${args[*]}"
  dateline "${args[@]}"
fi
if is_true "${INPUT_BUILD:-true}" build; then
  args=(build --root "$root" --output "$output")
  [ -n "${INPUT_BASE_URL:-}" ] && args+=(--base-url "$INPUT_BASE_URL")
  echo "dateline ${args[*]}"
  dateline "${args[@]}"
fi
if is_true "${INPUT_DEPLOY:-false}" deploy; then
  args=(deploy)
  [ -n "${INPUT_DEPLOY_TARGET:-}" ] && args+=("$INPUT_DEPLOY_TARGET")
  args+=(--root "$root" --output "$output")
  echo "dateline ${args[*]}"
  dateline "${args[@]}"
fi
echo "output=$output" >> "${GITHUB_OUTPUT:?}"
