#!/usr/bin/env bash
# How long a merchant's crate takes to build enkash-generated from nothing: builds the minimal
# consumer bench/consumer/main.rs (enkash-generated, tokio, serde_json) into an empty target
# folder and prints the wall time. Nothing of the project's build is reused; the registry must
# already hold the sources (run `cargo fetch` once, online).
#
#   bench/consumer-build.sh                          # default features
#   TLS=rustls-aws-lc RUNS=3 bench/consumer-build.sh # another TLS backend, 3 runs
#
# TLS picks the client's TLS feature (rustls-ring, rustls-aws-lc, native-tls; default: the
# crate's default features). Needs bash, bc.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-1}
WORK=target/consumer-build
ROOT=$(pwd)
if [[ -n "${TLS:-}" ]]; then
  DEP="{ path = \"$ROOT/enkash-generated\", default-features = false, features = [\"$TLS\"] }"
else
  DEP="{ path = \"$ROOT/enkash-generated\" }"
fi
mkdir -p "$WORK/crate/src"
cp bench/consumer/main.rs "$WORK/crate/src/main.rs"
cat > "$WORK/crate/Cargo.toml" <<TOML
[package]
name = "enkash-consumer"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
enkash-generated = $DEP
tokio = { version = "1.48", features = ["macros", "rt-multi-thread"] }
serde_json = "1.0.145"
TOML
# The project's lock file, so that the same versions are built.
cp Cargo.lock "$WORK/crate/Cargo.lock"
for run in $(seq "$RUNS"); do
  rm -rf "$WORK/target"
  start=$(date +%s.%N)
  CARGO_TARGET_DIR=$WORK/target cargo build --quiet --manifest-path "$WORK/crate/Cargo.toml"
  end=$(date +%s.%N)
  printf 'consumer cold build, run %s: %.1f s (TLS: %s)\n' "$run" "$(echo "$end - $start" | bc)" \
    "${TLS:-default features}"
done
