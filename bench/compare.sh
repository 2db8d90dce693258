#!/usr/bin/env bash
# compare.sh — times `secretlint check` with the full benchmark policy beside the walk floor
# (`rg --files -uu`) and the read floor (`rg -c . -uu`) on one corpus, in one hyperfine run so
# the ratios hold while the shared machine's speed drifts; then measures each command's peak
# memory once with GNU time. Prints a markdown table (medians). `secretlint-no-zxcvbn` runs
# bench/policy-no-zxcvbn.toml, the same policy without the zxcvbn estimate, to show its cost.
#
# Usage: bench/compare.sh CORPUS_DIR [SECRETLINT_BINARY]
#   CORPUS_DIR          made by: bench/make-corpus.sh --preset medium /tmp/bench/corpus-medium
#   SECRETLINT_BINARY   default: target/release/secretlint (CARGO_TARGET_DIR is honoured)
#   RUNS=10             hyperfine runs per command (after one warm-up)
# Needs ripgrep, hyperfine and GNU time: bench/install-tools.sh installs them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
corpus=$(cd "${1:?usage: compare.sh CORPUS_DIR [SECRETLINT_BINARY]}" && pwd)
sl=${2:-${CARGO_TARGET_DIR:-$repo/target}/release/secretlint}
sl=$(cd "$(dirname "$sl")" && pwd)/$(basename "$sl")
[ -x "$sl" ] || { echo "no binary at $sl: cargo build --release first" >&2; exit 2; }
policy=$here/policy.toml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export SECRETLINT_NOW=2026-11-30

cd "$corpus"
names=(walk-floor read-floor secretlint secretlint-no-zxcvbn)
cmds=("rg --files -uu ." "rg -c . -uu ." "$sl check --policy $policy --format json ."
      "$sl check --policy $here/policy-no-zxcvbn.toml --format json .")
args=()
for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
hyperfine -N -i --warmup 1 --runs "${RUNS:-10}" --export-json "$out/times.json" "${args[@]}" >&2

for i in "${!names[@]}"; do
  # shellcheck disable=SC2086 # the commands are word-split on purpose, as hyperfine -N does
  /usr/bin/time -v ${cmds[$i]} >/dev/null 2>"$out/${names[$i]}.time" || true
done

files=$(rg --files -uu . | wc -l)
python3 - "$out" "$files" "${names[@]}" <<'PY'
import json, re, statistics, sys
out, files, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
times = {r["command"]: r for r in json.load(open(f"{out}/times.json"))["results"]}
floor = statistics.median(times["walk-floor"]["times"])
print(f"{files} files, {__import__('os').cpu_count()} cores; medians of {len(times['walk-floor']['times'])} runs\n")
print("| command | wall s (median) | user+sys s | × walk floor | peak MiB |")
print("|---|---|---|---|---|")
for n in names:
    r = times[n]
    med = statistics.median(r["times"])
    cpu = statistics.median([u + s for u, s in zip(r["user"], r["system"])]) if "user" in r and isinstance(r["user"], list) else r["user"] + r["system"]
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{out}/{n}.time").read())
    mib = f"{int(rss.group(1)) / 1024:.1f}" if rss else "?"
    print(f"| {n} | {med:.3f} | {cpu:.3f} | {med / floor:.2f} | {mib} |")
PY
