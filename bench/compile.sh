#!/usr/bin/env bash
# Build time and line count of the generated client, ours beside progenitor's, for the same
# specs: the EnKash spec and synthetic specs (default 100 and 1,000 operations).
#
#   bench/compile.sh                      # sizes 100 1000, best of 3 builds
#   SIZES="100" RUNS=5 bench/compile.sh
#
# Each client crate is rebuilt on its own (dependencies built first, its lib.rs touched, dev
# profile) without incremental compilation, which is how a consumer builds it: as a dependency,
# on every clean build and in every CI run. (An incremental rebuild after `touch` reuses the
# previous build's code generation and measures little but the front end.) The best of RUNS is
# kept. Our crate includes its runtime and is built with default features (no mock). Ours: the
# workspace's enkash-generated for the EnKash spec, and the `cargo xtask any-spec` scratch crates
# for the synthetic specs; the 1-operation synthetic crate is the runtime's own cost (progenitor's
# runtime, progenitor-client, is a separate crate that builds in about 0.3 s, nearly all of it
# generic code compiled into the generated crate). Progenitor: cargo-progenitor
# $PROGENITOR_VERSION (installed into target/bench-tools once, about 5 minutes) from our OpenAPI
# export of the same spec. Lines are `.rs` lines: ours split into generated code compiled by
# default, generated code compiled only with the `mock` feature or in tests (mock server, smoke
# test), and the hand-written runtime; progenitor's generated lib.rs. Needs cargo, bc, python3.
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
echo "tool,spec,operations,lines,mock_lines,runtime_lines,build_s" > "$CSV"

# best_build MANIFEST PACKAGE TOUCH TARGET_DIR: builds once (dependencies), then RUNS times
# touching TOUCH; prints the fastest wall time in seconds.
best_build() {
  local manifest=$1 package=$2 touch_file=$3 target=$4 best="" start end took
  CARGO_TARGET_DIR=$target cargo build --quiet --manifest-path "$manifest" -p "$package"
  for _ in $(seq "$RUNS"); do
    touch "$touch_file"
    start=$(date +%s.%N)
    CARGO_INCREMENTAL=0 CARGO_TARGET_DIR=$target \
      cargo build --quiet --manifest-path "$manifest" -p "$package" --lib
    end=$(date +%s.%N)
    took=$(echo "$end - $start" | bc)
    if [[ -z $best ]] || (( $(echo "$took < $best" | bc) )); then best=$took; fi
  done
  printf '%.2f' "$best"
}

lines() { find "$@" -name '*.rs' -type f -exec cat {} + | wc -l; }

# ours_row SPEC OPS CRATE_DIR BUILD_S: our lines, split as the header says.
ours_row() {
  local spec=$1 ops=$2 dir=$3 took=$4 all mock
  all=$(lines "$dir/src/generated")
  mock=$(lines "$dir/src/generated/mock.rs" "$dir/src/generated/smoke.rs")
  echo "ours,$spec,$ops,$((all - mock)),$mock,$(lines "$dir/src/runtime" "$dir/src/lib.rs"),$took" >> "$CSV"
}

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
  echo "progenitor,$name,$ops,$(lines "$out/src"),0,0,$took" >> "$CSV"
}

# The EnKash spec: the workspace's own crate.
echo "EnKash spec ..." >&2
took=$(best_build Cargo.toml enkash-generated enkash-generated/src/lib.rs target)
ops=$(cat enkash-generated/src/generated/operations/*.rs \
  | grep -c '^pub(crate) static [A-Z0-9_]*: rt::OperationInfo' || true)
ours_row enkash "$ops" enkash-generated "$took"
progenitor enkash enkash-spec/spec "$ops"

# Synthetic specs: the any-spec scratch crates (written and checked by `xtask any-spec`).
sizes_csv=$(echo "1 $SIZES" | tr ' ' ',')
"$XTASK" any-spec --synth "$sizes_csv" > "$WORK/any-spec.log" 2>&1 \
  || { tail -20 "$WORK/any-spec.log"; echo "error: any-spec failed" >&2; exit 1; }
for n in 1 $SIZES; do
  echo "synthetic spec, $n operations ..." >&2
  crate=target/any-spec/crates/synth-$n
  took=$(best_build target/any-spec/Cargo.toml "any-spec-synth-$n" "$crate/src/lib.rs" target)
  ours_row "synth-$n" "$n" "$crate" "$took"
  [[ $n == 1 ]] && continue
  "$XTASK" synth --operations "$n" --out "$WORK/spec-$n" > /dev/null
  progenitor "synth-$n" "$WORK/spec-$n" "$n"
done

python3 - "$CSV" <<'PY'
import csv, sys
rows = {(r["tool"], r["spec"]): r for r in csv.DictReader(open(sys.argv[1]))}
base = float(rows[("ours", "synth-1")]["build_s"])
specs = sorted({spec for tool, spec in rows if tool == "progenitor"},
               key=lambda s: (s != "enkash", int(s.split("-")[-1]) if s != "enkash" else 0))
print(f"Runtime alone (the 1-operation synthetic crate): {base:.2f} s.")
print()
print("| spec | ops | our build | progenitor build | ours / progenitor | ours without the runtime's "
      f"{base:.2f} s / progenitor | our lines: generated (+ mock and smoke test) | progenitor lines "
      "| generated lines, ours / progenitor |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for spec in specs:
    ours, prog = rows[("ours", spec)], rows[("progenitor", spec)]
    o, p = float(ours["build_s"]), float(prog["build_s"])
    print(f"| {spec} | {ours['operations']} | {o:.2f} s | {p:.2f} s | {o / p:.2f}x | {(o - base) / p:.2f}x "
          f"| {int(ours['lines']):,} (+ {int(ours['mock_lines']):,}) | {int(prog['lines']):,} "
          f"| {int(ours['lines']) / int(prog['lines']):.2f}x |")
print()
print(f"Our runtime: {int(rows[('ours', 'synth-1')]['runtime_lines']):,} lines.")
PY
