#!/usr/bin/env bash
# Throughput of aperture_events.Validator.validate_many against python-jsonschema
# and jsonschema-rs (the jsonschema crate's Python bindings), on the corpus of
# validator/benches/bench.sh (validator/examples/corpus.rs), with the same
# export schema (schema/export/log_event.schema.json).
#
#   bash python/bench/bench.sh                 # 200,000 events
#   BENCH_EVENTS=50000 RUNS=1 bash python/bench/bench.sh
#
# Builds a release wheel with maturin and the corpus generator, installs the
# wheel and the other validators (python/bench/requirements.txt, pinned) into a
# venv of its own ($BENCH_DIR/venv), and prints events/s (see bench.py).
# Environment: BENCH_DIR (default $TMPDIR/aperture-events-python-bench),
# BENCH_EVENTS (200000), JSONSCHEMA_EVENTS (20000: python-jsonschema is timed
# on these first events only), RUNS (3), CARGO_TARGET_DIR.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${BENCH_DIR:-${TMPDIR:-/tmp}/aperture-events-python-bench}
events=${BENCH_EVENTS:-200000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
mkdir -p "$work"

echo "== building the corpus generator and the release wheel" >&2
cargo build --release --quiet --locked --manifest-path "$root/Cargo.toml" -p aperture-events-validator --example corpus
maturin=$root/python/.tools/bin/maturin
if ! "$maturin" --version >/dev/null 2>&1; then
    python3 -m venv "$root/python/.tools"
    "$root/python/.tools/bin/pip" install --quiet --disable-pip-version-check maturin==1.16.0
fi
rm -rf "$work/dist"
"$maturin" build --quiet --release --locked --manifest-path "$root/python/Cargo.toml" --out "$work/dist"

echo "== installing into $work/venv" >&2
[ -x "$work/venv/bin/python" ] || python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$work"/dist/*.whl
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "pydantic==2.14.4" "rfc3339-validator==0.1.4"

echo "== generating $events events" >&2
"$CARGO_TARGET_DIR/release/examples/corpus" "$events" >"$work/corpus.ndjson"

echo "cores: $(nproc); corpus: $events events, $(du -m "$work/corpus.ndjson" | cut -f1) MB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$work/venv/bin/python" "$here/bench.py" "$work/corpus.ndjson" "$root/schema/export" "${JSONSCHEMA_EVENTS:-20000}"
