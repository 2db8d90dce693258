#!/usr/bin/env bash
# install-tools.sh — installs what the benchmark needs from Debian's packages: ripgrep (the
# walk and read floors), hyperfine (timing) and GNU time (peak memory). Idempotent.
set -euo pipefail
need=()
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "[install-tools] apt-get install ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "ripgrep $(rg --version | head -1 | awk '{print $2}'), hyperfine $(hyperfine --version | awk '{print $2}'), $(/usr/bin/time --version 2>&1 | head -1)"
