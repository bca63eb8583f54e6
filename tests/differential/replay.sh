#!/usr/bin/env bash
# The differential replay of the `codegen_schema` fuzz corpus (run after
# tests/fuzz/run.sh by tests/run-all.sh): every grammar-mode input (first
# byte 16 or more) becomes the schema and instances that
# aperture-events-schema-grammar derives from it, as the fuzz target derived
# them; the generated code of all of them is compiled once and each instance
# is checked against jsonschema (see tests/src/differential/).
#
# Usage: bash tests/differential/replay.sh [CORPUS_DIR]
# Environment:
#   DIFFERENTIAL_REPLAY_MAX    inputs replayed at most (default 200)
#   DIFFERENTIAL_ALLOW_REFUSED 1: schemas the generator refuses are listed, not failures
#   DIFFERENTIAL_CLIPPY        0: build the generated code without clippy's lints
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-tests/fuzz/corpus/codegen_schema}
max=${DIFFERENTIAL_REPLAY_MAX:-200}
echo "== differential replay of the codegen_schema fuzz corpus"
if [ ! -d "$corpus" ]; then
  echo "no corpus at $corpus (tests/fuzz/run.sh makes it): nothing to replay"
  exit 0
fi
cargo run --locked --quiet -p aperture-events-tests --bin differential-replay -- "$corpus" "$max"
