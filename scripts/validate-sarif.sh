#!/usr/bin/env bash
# validate-sarif.sh — holds the SARIF that `secretlint check --format sarif` writes against
# Microsoft's reference validator, `sarif-multitool validate`, installed from the npm registry
# (pinned) into a project-local directory. Run by .ci/run.
#
# The multitool exits 0 even when it reports errors, so this script reads what it prints:
# any `error` or `warning` line fails the run (SARIF_STRICT=0 lets warnings through).
#
# Usage: scripts/validate-sarif.sh [SECRETLINT_BINARY]
#   SECRETLINT_BINARY   default: built here with `cargo build --locked` (debug)
#   SARIF_TOOLS_DIR     where the multitool is installed (default: .tools/sarif-multitool)
#   SARIF_STRICT=0      fail on errors only
# Without npm it prints that validation was SKIPPED and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

MULTITOOL_VERSION=5.7.0
tools=${SARIF_TOOLS_DIR:-$repo/.tools/sarif-multitool}
log() { printf '[validate-sarif] %s\n' "$*" >&2; }

if ! command -v npm >/dev/null 2>&1; then
  echo "validate-sarif: SKIPPED: npm not found, the SARIF output was not validated"
  exit 0
fi

# --- install the pinned validator -------------------------------------------------------------
pkg="$tools/node_modules/@microsoft/sarif-multitool/package.json"
if ! grep -q "\"version\": \"$MULTITOOL_VERSION\"" "$pkg" 2>/dev/null; then
  log "npm install @microsoft/sarif-multitool@$MULTITOOL_VERSION into $tools"
  mkdir -p "$tools"
  [ -f "$tools/package.json" ] || printf '{ "name": "secretlint-tools", "private": true }\n' > "$tools/package.json"
  (cd "$tools" && npm install --silent --no-audit --no-fund --save-exact "@microsoft/sarif-multitool@$MULTITOOL_VERSION")
fi
# The platform package's postinstall only marks the binary executable; npm may skip install
# scripts, so do it here.
for b in "$tools"/node_modules/@microsoft/sarif-multitool-*/Sarif.Multitool; do
  [ -f "$b" ] && chmod u+x "$b"
done
multitool="$tools/node_modules/.bin/sarif-multitool"
[ -x "$multitool" ] || { echo "validate-sarif: $multitool is missing after install" >&2; exit 1; }

# --- produce SARIF ------------------------------------------------------------------------------
if [ $# -gt 0 ]; then
  bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
else
  cargo build --locked --quiet --bin secretlint
  bin=${CARGO_TARGET_DIR:-$repo/target}/debug/secretlint
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SECRETLINT_NOW=2026-11-30 NO_COLOR=1

# Each run must exit 1 (the samples have findings) or 0, never 2.
produce() {
  local name=$1; shift
  local code=0
  "$bin" check "$@" --format sarif --output "$work/$name.sarif" 2>/dev/null || code=$?
  if [ "$code" -gt 1 ]; then
    echo "validate-sarif: \`secretlint check $*\` failed with exit code $code" >&2
    exit 1
  fi
}
# The JobSwipe fixture: every rule family, related locations, fixes.
produce jobswipe --policy "$repo/policy/jobswipe.toml" "$repo/tests/fixtures/jobswipe"
produce jobswipe-shard --policy "$repo/policy/jobswipe.toml" --shard 1/2 "$repo/tests/fixtures/jobswipe"
# Non-ASCII and spaces in paths and lines: URI encoding and UTF-16 columns.
mkdir -p "$work/repo/sérvice a"
printf '# clé ünïcode 😀\nSECRET_KEY="😀é-dev"\nAPI_TOKEN=short\n' > "$work/repo/sérvice a/.env.production"
(cd "$work/repo" && produce unicode .)
# No findings at all: an empty results array.
mkdir -p "$work/empty"
(cd "$work/empty" && produce empty .)

# A canary the validator must reject: proves that its output is still read correctly (a
# format change in what it prints would otherwise turn every check into a silent pass).
mkdir -p "$work/canary"
printf '%s\n' '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"canary"}},"results":[{"ruleId":"x","message":{"text":"x."},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a b"},"region":{"startLine":0}}}]}]}]}' > "$work/canary/canary.sarif"

# --- validate (one multitool start for every file) ------------------------------------------------
out=$("$multitool" validate "$work"/*.sarif "$work/canary/canary.sarif" 2>&1) || {
  printf '%s\n' "$out"; echo "validate-sarif: the multitool failed to run" >&2; exit 1; }
if ! printf '%s\n' "$out" | grep -q 'Analysis completed successfully'; then
  printf '%s\n' "$out"; echo "validate-sarif: the multitool did not complete" >&2; exit 1
fi
count() { printf '%s\n' "$out" | grep -cE "^$work/$1\\([0-9,]+\\): $2 [A-Z]+[0-9]+:" || true; }
if [ "$(count 'canary/canary\.sarif' error)" -eq 0 ]; then
  printf '%s\n' "$out"
  echo "validate-sarif: the canary passed: this script no longer understands the multitool's output" >&2
  exit 1
fi
status=0
for f in "$work"/*.sarif; do
  name=$(basename "$f")
  printf '%s\n' "$out" | grep -F "$f(" | sed "s|$work/||" || true
  errors=$(count "${name//./\\.}" error)
  warnings=$(count "${name//./\\.}" warning)
  echo "validate-sarif: $name: $errors errors, $warnings warnings"
  [ "$errors" -eq 0 ] || status=1
  [ "${SARIF_STRICT:-1}" = 0 ] || [ "$warnings" -eq 0 ] || status=1
done
if [ "$status" -ne 0 ]; then
  echo "validate-sarif: FAILED" >&2
  exit 1
fi
echo "validate-sarif: ok, sarif-multitool $MULTITOOL_VERSION found no errors and no warnings"
