#!/usr/bin/env bash
# Builds every fuzz target on stable Rust (libfuzzer-sys with the coverage
# passes cargo-fuzz would ask for, without its nightly-only sanitizer) and
# runs each one for SECONDS seconds (default 20) from seeds taken from the
# input-format corpus and corpus-seed/ (seed.py). Exits non-zero when a target
# does not build or any run finds a crash, a timeout or a leak of memory past
# the limit; the input that did it is in fuzz/artifacts/TARGET/.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-20}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(warc feed sitemap sniff extract html_parse)
fi
triple=$(rustc -vV | sed -n 's/^host: //p')
# --target keeps RUSTFLAGS away from build scripts (they would not link);
# --cfg fuzzing is what cargo-fuzz sets, -C passes=sancov-module the coverage.
RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module \
-Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
-Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares \
-Cdebug-assertions -Coverflow-checks" \
    cargo build --release --target "$triple" --target-dir target/stable --bins
python3 seed.py
bin=target/stable/$triple/release
for t in "${targets[@]}"; do
    mkdir -p "artifacts/$t"
    echo "fuzz: $t for ${seconds}s"
    # Inputs are capped at 4 KiB so that a short run spends its time mutating,
    # not re-reading the largest archives.
    "$bin/$t" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="artifacts/$t/" "corpus/$t" 2>&1 |
        grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+== ERROR|SUMMARY|Done)' || true
    # libFuzzer's exit status is lost in the pipe: a crash leaves an artifact.
    if compgen -G "artifacts/$t/*" >/dev/null; then
        echo "fuzz: $t found a crash: $(ls artifacts/"$t")" >&2
        exit 1
    fi
done
