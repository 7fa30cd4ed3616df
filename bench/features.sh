#!/usr/bin/env bash
# What the `payouts` feature costs a consumer, and what a PG-only build saves: the crate-only dev
# build of enkash-generated (dependencies built first, its lib.rs touched, non-incremental, best
# of RUNS) with default features and with `payouts`, the crates each feature set pulls in, and
# the generated lines each compiles.
#
#   bench/features.sh            # best of 3
#   RUNS=5 bench/features.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
export CARGO_TARGET_DIR=target/bench-features
export CARGO_INCREMENTAL=0

build_time() {
  local features=$1 best=""
  cargo build -q -p enkash-generated --lib $features
  for _ in $(seq "$RUNS"); do
    touch enkash-generated/src/lib.rs
    local start end secs
    start=$(date +%s.%N)
    cargo build -q -p enkash-generated --lib $features
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc)
    if [[ -z $best ]] || (( $(echo "$secs < $best" | bc) )); then best=$secs; fi
  done
  printf '%.2f' "$best"
}

crates() {
  cargo tree -q -p enkash-generated -e normal --prefix none $1 | sed 's/ (\*)//' | sort -u | wc -l
}

lines() {
  cat "$@" | wc -l
}

pg_lines=$(lines $(find enkash-generated/src/generated -maxdepth 2 -name '*.rs' -not -path '*/payouts/*' -not -name mock.rs -not -name smoke.rs))
payouts_lines=$(lines $(find enkash-generated/src/generated/payouts -name '*.rs' -not -name mock.rs -not -name smoke.rs))

default_s=$(build_time "")
payouts_s=$(build_time "--features payouts")
echo "| features | crate build (s) | crates in the tree | generated lines compiled |"
echo "|---|---:|---:|---:|"
echo "| default (PG only) | $default_s | $(crates "") | $pg_lines |"
echo "| default + payouts | $payouts_s | $(crates "--features payouts") | $((pg_lines + payouts_lines)) |"
