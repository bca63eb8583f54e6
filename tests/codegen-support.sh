#!/usr/bin/env bash
# The support code generated code carries (codegen/src/emit/support), each
# part pasted alone into a scratch crate and held to `cargo clippy -D warnings`
# (offline: the workspace tests have fetched its crates already).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== codegen support code: pasted parts pass clippy"
cargo test --locked -p aperture-events-codegen --lib pasted_parts_pass_clippy_in_a_crate -- --ignored
