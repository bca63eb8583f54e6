#!/usr/bin/env bash
# Conformance of the exported schemas (schema/export/) with other ecosystems'
# own tools, on every fixture and captured event:
#   - Python jsonschema (Draft 2020-12, formats asserted) and Node ajv
#     (Ajv2020 + ajv-formats, strict) give each event a verdict, which must
#     equal aperture-validate's tolerant verdict and the fixture's expected one;
#   - datamodel-code-generator's pydantic v2 models load every valid event,
#     reject every invalid one, and dump accepted ones back unchanged;
#   - json-schema-to-typescript's types compile with ts/handle.ts under
#     `tsc --strict`.
# The tools are pinned (requirements.txt, package-lock.json) and installed here
# on first use into tests/conformance/.venv and tests/conformance/node_modules;
# later runs reuse them while the pins are unchanged.
#
# Usage: bash tests/conformance/run.sh        (from any directory)
# Needs: python3 (3.10+, with venv), node and npm (Node 18+), cargo.
# Environment: APERTURE_VALIDATE="cmd args" runs that instead of building
# aperture-validate with cargo; CONFORMANCE_EXPORT_DIR checks another export
# directory than schema/export (to see the checks fail on a broken one).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
EXPORT="${CONFORMANCE_EXPORT_DIR:-$ROOT/schema/export}"
cd "$ROOT"

die() {
  echo "conformance: $*" >&2
  exit 1
}
step() { printf '\n==> %s\n' "$*"; }

for tool in python3 node npm; do
  command -v "$tool" >/dev/null || die "$tool is required but not on PATH"
done
[ -f "$EXPORT/log_event.schema.json" ] ||
  die "no export in $EXPORT; create it with: cargo run -p aperture-events-codegen --features cli -- export --out schema/export"

# --- install the pinned tools (idempotent) -----------------------------------
VENV="$HERE/.venv"
PY="$VENV/bin/python"
py_want="$(sha256sum "$HERE/requirements.txt" | cut -c1-64) $(python3 --version 2>&1)"
if [ ! -x "$PY" ] || [ "$(cat "$VENV/.installed" 2>/dev/null)" != "$py_want" ]; then
  step "installing the Python tools into tests/conformance/.venv"
  rm -rf "$VENV"
  python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  "$PY" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt" ||
    die "pip install -r tests/conformance/requirements.txt failed"
  echo "$py_want" >"$VENV/.installed"
fi
node_want="$(sha256sum "$HERE/package-lock.json" | cut -c1-64) $(node --version)"
if [ "$(cat "$HERE/node_modules/.installed" 2>/dev/null)" != "$node_want" ]; then
  step "installing the Node tools into tests/conformance/node_modules"
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci in tests/conformance failed"
  echo "$node_want" >"$HERE/node_modules/.installed"
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0
check() {
  local name="$1"
  shift
  step "$name"
  local started=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "ok: $name ($((SECONDS - started))s)"
  else
    failed=$((failed + 1))
    echo "FAILED: $name" >&2
  fi
}

"$PY" "$HERE/events.py" "$WORK/events.json" || die "cannot read the fixtures"
verdicts=("$WORK/jsonschema.json" "$WORK/ajv.json" "$WORK/pydantic.json")

python_jsonschema() { "$PY" "$HERE/check_jsonschema.py" "$EXPORT" "$WORK/events.json" "$WORK/jsonschema.json"; }
node_ajv() { node "$HERE/check_ajv.mjs" "$EXPORT" "$WORK/events.json" "$WORK/ajv.json"; }
pydantic_models() { "$PY" "$HERE/check_models.py" "$EXPORT" "$WORK/events.json" "$WORK/pydantic.json" "$WORK/python"; }
aperture_validate() {
  local command
  if [ -n "${APERTURE_VALIDATE:-}" ]; then
    read -r -a command <<<"$APERTURE_VALIDATE"
  else
    cargo build --quiet -p aperture-events-validator || {
      echo "aperture-validate does not build" >&2
      return 1
    }
    command=(cargo run --quiet -p aperture-events-validator --)
  fi
  "$PY" "$HERE/check_validate.py" "$WORK/events.json" "$WORK/aperture-validate.json" "$WORK" "${command[@]}"
}
verdict_table() { "$PY" "$HERE/compare.py" "$WORK/events.json" "${verdicts[@]}"; }
typescript_types() {
  # Every exported file gets its module (log_event.ts is the one handle.ts uses).
  mkdir -p "$WORK/ts"
  local schema
  for schema in "$EXPORT"/*.schema.json; do
    "$HERE/node_modules/.bin/json2ts" --unknownAny --no-format -i "$schema" -o "$WORK/ts/$(basename "$schema" .schema.json).ts" || return 1
  done
  cp "$HERE/ts/handle.ts" "$WORK/ts/handle.ts"
  "$HERE/node_modules/.bin/tsc" --strict --noEmit --target es2022 --module esnext --moduleResolution bundler \
    "$WORK"/ts/*.ts
}

check "python jsonschema verdicts" python_jsonschema
check "node ajv verdicts" node_ajv
check "pydantic models from datamodel-code-generator" pydantic_models
if [ -n "${APERTURE_VALIDATE:-}" ] || [ -f "$ROOT/validator/src/main.rs" ]; then
  check "aperture-validate verdicts" aperture_validate
  verdicts+=("$WORK/aperture-validate.json")
else
  step "aperture-validate is not in this tree: comparing with the fixtures' expected verdicts only"
fi
present=()
for file in "${verdicts[@]}"; do [ -f "$file" ] && present+=("$file"); done
verdicts=("${present[@]}")
check "verdict table" verdict_table
check "typescript types from json-schema-to-typescript (tsc --strict)" typescript_types

echo
echo "conformance: $passed passed, $failed failed (${SECONDS}s)"
[ "$failed" -eq 0 ] || die "$failed check(s) failed; see the output above"
