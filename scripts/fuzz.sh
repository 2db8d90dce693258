#!/usr/bin/env bash
# Runs the cargo-fuzz targets, one after another, each for a set time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     # default: 600 seconds, every target
#   scripts/fuzz.sh 600 env_reader & scripts/fuzz.sh 600 check_files   # two at once
#
# Needs nightly Rust and cargo-fuzz (`cargo install cargo-fuzz`). The corpus is seeded from
# the repository's fixtures on the first run and kept in fuzz/corpus/<target> (not committed).
# A crash is written to fuzz/artifacts/<target>/; copy it to
# crates/secretlint-engine/tests/fixtures/fuzz/<target>/ so that `cargo test` replays it on
# stable, fix it, and run again. The run's log, with libFuzzer's execution counts, goes to
# fuzz/logs/<target>.log; the last line of each is summarised at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list --fuzz-dir fuzz)
fi
target_dir="${CARGO_TARGET_DIR:-fuzz/target}"
target_dir="${target_dir%/}/fuzz"

# Seeds: every file of the kind a target reads, from the fixtures and the built-in policies.
seed() {
    local target="$1" dir="fuzz/corpus/$1"
    [ -d "$dir" ] && return
    mkdir -p "$dir"
    if [ "$target" = fix_applier ]; then
        # A kind byte, the document, 0xFF, then values separated by 0xFE.
        local n=0 f kind
        while IFS= read -r -d '' f; do
            case "$f" in *.yaml | *.yml) kind='\001' ;; *) kind='\000' ;; esac
            case "$f" in *compose*) kind='\002' ;; esac
            { printf "$kind"; cat "$f"; printf '\377Xf3kQ9vR2mT7wL1p\376q"x'"'"'y\376b\\\\'; } \
                >"$dir/seed-$n"
            n=$((n + 1))
        done < <(find tests/fixtures crates/secretlint-engine/tests/fixtures -type f \
            \( -name '.env*' -o -name '*.yaml' -o -name '*.yml' \) -print0)
    fi
    case "$target" in
        fix_applier) ;;
        policy_loader)
            find policy tests crates -name '*.toml' -not -path '*/target/*' -print0 ;;
        yaml_reader)
            find tests crates \( -name '*.yaml' -o -name '*.yml' \) -not -path '*/target/*' -print0 ;;
        *)
            find tests/fixtures crates/secretlint-engine/tests/fixtures -type f \
                -name '.env*' -print0 ;;
    esac | while IFS= read -r -d '' f; do
        cp "$f" "$dir/$(sha1sum "$f" | cut -c1-16)"
    done
    # A regression input is also a good seed.
    if [ -d "crates/secretlint-engine/tests/fixtures/fuzz/$target" ]; then
        cp crates/secretlint-engine/tests/fixtures/fuzz/"$target"/* "$dir"/ 2>/dev/null || true
    fi
}

mkdir -p fuzz/logs
status=0
for t in "${targets[@]}"; do
    seed "$t"
    echo "fuzzing $t for ${seconds}s (log: fuzz/logs/$t.log)"
    # -a: debug assertions (overflow checks) on, as in the test builds. -s none: no sanitizer;
    # the engine forbids unsafe code, so AddressSanitizer would only halve the speed.
    # -timeout: an input that takes longer than 10 s is a hang, reported as a crash.
    # -rss_limit_mb: memory must stay bounded whatever the input.
    if ! cargo +nightly fuzz run --fuzz-dir fuzz -a -s none --target-dir "$target_dir" "$t" \
        "fuzz/corpus/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 \
        >"fuzz/logs/$t.log" 2>&1; then
        status=1
        echo "  $t FAILED: see fuzz/logs/$t.log and fuzz/artifacts/$t/"
    fi
done

echo
echo "summary (libFuzzer's final stats):"
for t in "${targets[@]}"; do
    runs=$(grep -h 'stat::number_of_executed_units' "fuzz/logs/$t.log" | awk '{print $2}' | tail -1)
    time=$(grep -h '^Done [0-9]* runs in' "fuzz/logs/$t.log" | tail -1 || true)
    echo "  $t: ${runs:-?} executions; ${time:-no final line (crashed or interrupted)}"
done
exit "$status"
