#!/usr/bin/env bash
# The types' `schemars` feature, and OpenAPI that works:
#   - cargo test -p aperture-events --features schemars (schema_for! agrees
#     with the source schemas; snapshots under each setting);
#   - the OpenAPI 3.0 document of `--example openapi` (schemas from the types)
#     passes openapi-spec-validator, and its LogEvent component, read by
#     openapi-schema-validator, gives the fixtures the source schema's verdicts
#     (generated/tests/openapi_check.py);
#   - the same for the OpenAPI 3.1 document aide generates for the example
#     service (examples/openapi-service, `--print-openapi`; its own tests,
#     which `cargo test --workspace` runs, check the served document and the
#     verdicts).
# The Python tools are pinned (openapi-requirements.txt) and installed on first
# use into target/openapi-venv; later runs reuse them while the pins hold.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

VENV="$ROOT/target/openapi-venv"
want="$(sha256sum "$HERE/openapi-requirements.txt" | cut -c1-64) $(python3 --version 2>&1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.installed" 2>/dev/null)" != "$want" ]; then
  echo "openapi: installing the pinned Python tools into target/openapi-venv"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/openapi-requirements.txt"
  echo "$want" >"$VENV/.installed"
fi

cargo test --locked -p aperture-events --features schemars

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cargo run --locked --quiet -p aperture-events --features schemars --example openapi >"$WORK/openapi.json"
"$VENV/bin/python" "$HERE/openapi_check.py" "$WORK/openapi.json" "$ROOT"
cargo run --locked --quiet -p aperture-events-openapi-service -- --print-openapi >"$WORK/service.json"
"$VENV/bin/python" "$HERE/openapi_check.py" "$WORK/service.json" "$ROOT"
