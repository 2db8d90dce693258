#!/usr/bin/env bash
# The steps of action.yml, kept here so they can be run and tested outside GitHub:
#   key      where the build lives and a cache key from the sources it is built from
#   install  `cargo install` the tool from the action's own checkout (unless cached)
#   check    run `secretlint check`: SARIF to a file, then annotations on stdout; records the
#            exit code in $GITHUB_OUTPUT instead of failing, so the upload still happens
set -uo pipefail

action_dir="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
# Step outputs go to $GITHUB_OUTPUT; outside GitHub they are shown on stderr.
set_output() {
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "$1" >>"$GITHUB_OUTPUT"; else echo "output: $1" >&2; fi
}

case "${1:-}" in
key)
  root="${RUNNER_TOOL_CACHE:-$HOME/.cache}/secretlint-action"
  # The action's checkout is a tarball, not a git repository: hash what the build reads.
  hash=$(cd "$action_dir" && find Cargo.toml Cargo.lock src crates policy -type f \
    -not -path '*/target/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
  set_output "root=$root"
  set_output "key=secretlint-${RUNNER_OS:-local}-${RUNNER_ARCH:-x}-$hash"
  ;;
install)
  root="${ROOT:?ROOT names the install root}"
  if [[ ! -x "$root/bin/secretlint" ]]; then
    cargo install --locked --path "$action_dir" --root "$root" || exit 2
  fi
  echo "$root/bin" >>"${GITHUB_PATH:-/dev/null}"
  "$root/bin/secretlint" --version
  ;;
check)
  read -r -a paths <<<"${INPUT_PATHS:-.}"
  read -r -a extra <<<"${INPUT_ARGS:-}"
  policy=()
  if [[ -n "${INPUT_POLICY:-}" ]]; then policy=(--policy "$INPUT_POLICY"); fi
  sarif="${INPUT_SARIF_FILE:-secretlint.sarif}"
  rm -f "$sarif"
  secretlint check "${paths[@]}" "${policy[@]}" "${extra[@]}" --format sarif --output "$sarif"
  code=$?
  # A run that exits 2 (bad policy, bad flag) printed why on stderr; there is nothing to
  # annotate or upload.
  if [[ $code -ne 2 && "${INPUT_ANNOTATE:-true}" == "true" ]]; then
    secretlint check "${paths[@]}" "${policy[@]}" "${extra[@]}" --format github
  fi
  set_output "exit-code=$code"
  if [[ -s "$sarif" ]]; then set_output "sarif-file=$sarif"; fi
  ;;
*)
  echo "usage: $0 key|install|check" >&2
  exit 2
  ;;
esac
