#!/usr/bin/env bash
# Is enkash-generated ready to publish? Packages it as `cargo publish` would (without uploading),
# then checks what a user of the .crate file gets:
#   1. `cargo package --no-verify`: the manifest is complete and no path-only dependency leaks into
#      the published one (cargo drops the path-only dev-dependencies `enkash-spec` and
#      `enkash-codegen`; the tests that use them are left out by `package.exclude`);
#   2. `cargo package`: the packaged crate builds on its own (default features);
#   3. unpacked outside the workspace: every packaged test and example compiles with all features,
#      and the docs build as docs.rs builds them (`--cfg docsrs`, all features), warnings denied.
#
#   bench/package.sh            # all three (a few minutes the first time)
#   QUICK=1 bench/package.sh    # 1 only, as `.ci/run` does
#
# `publish = false` (from the workspace) does not stop `cargo package`; only `cargo publish`.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo package --no-verify"
cargo package -p enkash-generated --allow-dirty --no-verify
crate=target/package/enkash-generated-$(cargo pkgid -p enkash-generated | sed 's/.*[#@]//').crate
test -f "$crate"

# The published manifest keeps no dev-dependency on a crate that is not published.
listing=$(tar -xzOf "$crate" --wildcards '*/Cargo.toml' | sed -n '/^\[dev-dependencies/,$p')
if grep -Eq '^\[dev-dependencies\.enkash-(spec|codegen)\]' <<<"$listing"; then
  echo "error: a path-only dev-dependency is in the published manifest" >&2
  exit 1
fi
for excluded in tests/dates.rs tests/e2e_coverage.rs tests/examples.rs; do
  if tar -tzf "$crate" | grep -q "/$excluded\$"; then
    echo "error: $excluded needs enkash-spec/enkash-codegen but is in the package" >&2
    exit 1
  fi
done
[[ ${QUICK:-0} == 1 ]] && exit 0

echo "== cargo package (verify: the packaged crate builds)"
cargo package -p enkash-generated --allow-dirty

echo "== the unpacked crate: tests, examples and docs with all features"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tar -xzf "$crate" -C "$scratch"
unpacked=$(echo "$scratch"/enkash-generated-*)
# Outside the workspace: its own Cargo.lock (packaged), a target dir of its own kept between runs.
export CARGO_TARGET_DIR=$PWD/target/package-check
(cd "$unpacked" && cargo test --all-features --all-targets --no-run)
(cd "$unpacked" && RUSTDOCFLAGS="--cfg docsrs -D warnings" cargo doc --all-features --no-deps)
echo "package ok: $crate"
