#!/usr/bin/env bash
# Crate-only debug build time and line count of the generated client, ours beside progenitor's,
# for the same specs: the EnKash spec and synthetic specs (default 100 and 1,000 operations).
#
#   bench/compile.sh                      # sizes 100 1000, best of 3 builds
#   SIZES="100" RUNS=5 bench/compile.sh
#
# "Crate-only" means the dependencies are built first and only the client crate is rebuilt (its
# lib.rs touched), in the dev profile; the best of RUNS is kept. Our crate includes its runtime
# and is built with default features (no mock). Ours: the workspace's enkash-generated for the
# EnKash spec, and the `cargo xtask any-spec` scratch crates for the synthetic specs. Progenitor:
# cargo-progenitor $PROGENITOR_VERSION (installed into target/bench-tools once, about 5 minutes)
# from our OpenAPI export of the same spec. Lines are the crate's `.rs` lines (ours: runtime and
# generated code; progenitor: its generated lib.rs). Needs cargo, bc, python3.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100 1000"}
RUNS=${RUNS:-3}
PROGENITOR_VERSION=${PROGENITOR_VERSION:-0.15.1}
TOOLS=target/bench-tools
PROGENITOR=$TOOLS/bin/cargo-progenitor
WORK=target/bench-compile
XTASK=target/release/xtask
ROOT=$(pwd)

cargo build --release -p xtask --quiet
if [[ ! -x $PROGENITOR ]]; then
  cargo install cargo-progenitor --version "$PROGENITOR_VERSION" --locked --root "$TOOLS"
fi
mkdir -p "$WORK"
CSV=$WORK/results.csv
echo "tool,spec,operations,lines,build_s" > "$CSV"

# best_build MANIFEST PACKAGE TOUCH TARGET_DIR: builds once (dependencies), then RUNS times
# touching TOUCH; prints the fastest wall time in seconds.
best_build() {
  local manifest=$1 package=$2 touch_file=$3 target=$4 best="" start end took
  CARGO_TARGET_DIR=$target cargo build --quiet --manifest-path "$manifest" -p "$package"
  for _ in $(seq "$RUNS"); do
    touch "$touch_file"
    start=$(date +%s.%N)
    CARGO_TARGET_DIR=$target cargo build --quiet --manifest-path "$manifest" -p "$package"
    end=$(date +%s.%N)
    took=$(echo "$end - $start" | bc)
    if [[ -z $best ]] || (( $(echo "$took < $best" | bc) )); then best=$took; fi
  done
  printf '%.2f' "$best"
}

lines() { find "$@" -name '*.rs' -type f -exec cat {} + | wc -l; }

# progenitor NAME SPEC_DIR OPS: export, generate, build.
progenitor() {
  local name=$1 dir=$2 ops=$3 out=$WORK/progenitor-$1
  "$XTASK" openapi --spec "$dir" --out "$WORK/$name.json" > /dev/null
  rm -rf "$out"
  "$PROGENITOR" progenitor -i "$WORK/$name.json" -o "$out" -n "prog_${name//-/_}" -v 0.1.0 \
    > "$WORK/progenitor-$name.log" 2>&1
  # Outside the project's workspace.
  printf '\n[workspace]\n' >> "$out/Cargo.toml"
  local took
  took=$(best_build "$out/Cargo.toml" "prog_${name//-/_}" "$out/src/lib.rs" "$WORK/target-progenitor")
  echo "progenitor,$name,$ops,$(lines "$out/src"),$took" >> "$CSV"
}

# The EnKash spec: the workspace's own crate.
echo "EnKash spec ..." >&2
took=$(best_build Cargo.toml enkash-generated enkash-generated/src/lib.rs target)
ops=$(cat enkash-generated/src/generated/operations/*.rs \
  | grep -c '^pub(crate) static [A-Z0-9_]*: rt::OperationInfo' || true)
echo "ours,enkash,$ops,$(lines enkash-generated/src/generated enkash-generated/src/runtime enkash-generated/src/lib.rs),$took" >> "$CSV"
progenitor enkash enkash-spec/spec "$ops"

# Synthetic specs: the any-spec scratch crates (written and checked by `xtask any-spec`).
sizes_csv=$(echo "$SIZES" | tr ' ' ',')
"$XTASK" any-spec --synth "$sizes_csv" > "$WORK/any-spec.log" 2>&1 \
  || { tail -20 "$WORK/any-spec.log"; echo "error: any-spec failed" >&2; exit 1; }
for n in $SIZES; do
  echo "synthetic spec, $n operations ..." >&2
  crate=target/any-spec/crates/synth-$n
  took=$(best_build target/any-spec/Cargo.toml "any-spec-synth-$n" "$crate/src/lib.rs" target)
  echo "ours,synth-$n,$n,$(lines "$crate/src/generated" "$crate/src/runtime" "$crate/src/lib.rs"),$took" >> "$CSV"
  "$XTASK" synth --operations "$n" --out "$WORK/spec-$n" > /dev/null
  progenitor "synth-$n" "$WORK/spec-$n" "$n"
done

python3 - "$CSV" <<'PY'
import csv, sys
rows = {(r["tool"], r["spec"]): r for r in csv.DictReader(open(sys.argv[1]))}
specs = sorted({spec for _, spec in rows}, key=lambda s: (s != "enkash", int(s.split("-")[-1]) if s != "enkash" else 0))
print("| spec | ops | our lines | our build | progenitor lines | progenitor build | ours / progenitor (build) | ours / progenitor (lines per op) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for spec in specs:
    ours, prog = rows[("ours", spec)], rows[("progenitor", spec)]
    print(f"| {spec} | {ours['operations']} | {int(ours['lines']):,} | {float(ours['build_s']):.2f} s "
          f"| {int(prog['lines']):,} | {float(prog['build_s']):.2f} s "
          f"| {float(ours['build_s']) / float(prog['build_s']):.2f}x "
          f"| {int(ours['lines']) / int(prog['lines']):.2f}x |")
PY
