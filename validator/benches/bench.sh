#!/usr/bin/env bash
# Throughput and memory of aperture-validate, against a plain single-threaded
# loop and two other validators, on a generated corpus.
#
#   validator/benches/bench.sh            # 200,000 events (about 95 MB of NDJSON)
#   BENCH_EVENTS=50000 validator/benches/bench.sh
#
# In one run it:
#   1. builds aperture-validate and the `corpus` and `plain_loop` examples (release);
#   2. generates the corpus: mixed valid events (NDJSON), the same events as one
#      JSON array, and an invalid-heavy corpus (every second event invalid);
#   3. installs jsonschema-cli (cargo install --locked) and ajv-cli with
#      ajv-formats (npm install) into a tools directory, once;
#   4. measures wall time (best of BENCH_RUNS runs, default 3) and peak memory
#      (/usr/bin/time) of:
#      aperture-validate (all cores, and -j 1), the plain loop (serde_json::Value
#      + jsonschema is_valid against the union schema, one thread),
#      aperture-validate on the invalid-heavy corpus, jsonschema-cli and ajv-cli
#      on the JSON array;
#   5. prints events/s, the ratios and the peak memory.
#
# Needs: cargo, npm, GNU time (/usr/bin/time, Debian package `time`).
# "cpu s" is user + system time: on a machine shared with other work it says
# more than the wall time does.
# Environment: BENCH_DIR (work directory, default $TMPDIR/aperture-validate-bench),
# BENCH_TOOLS (where the other validators are installed, default $BENCH_DIR/tools),
# BENCH_EVENTS, BENCH_RUNS, CARGO_TARGET_DIR.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-${TMPDIR:-/tmp}/aperture-validate-bench}
tools=${BENCH_TOOLS:-$work/tools}
events=${BENCH_EVENTS:-200000}
runs=${BENCH_RUNS:-3}
target=${CARGO_TARGET_DIR:-$root/target}
mkdir -p "$work/schemas" "$tools"
[ -x /usr/bin/time ] || { echo "bench.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }

echo "== building (release)" >&2
(cd "$root" && CARGO_TARGET_DIR=$target cargo build --release --quiet -p aperture-events-validator \
    --bin aperture-validate --example corpus --example plain_loop)
validate=$target/release/aperture-validate

echo "== generating $events events" >&2
"$target/release/examples/corpus" "$events" >"$work/valid.ndjson"
"$target/release/examples/corpus" "$events" 2 >"$work/half.ndjson"
{ echo '['; paste -sd, "$work/valid.ndjson"; echo ']'; } >"$work/valid.json"

# The other validators get the same schemas, plus one for an array of events.
cp "$root"/schema/*.schema.json "$work/schemas/"
cat >"$work/schemas/events_array.schema.json" <<'JSON'
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://schemas.aperture-events.dev/v1/events_array.schema.json",
  "type": "array",
  "items": { "$ref": "log_event.schema.json" }
}
JSON
names="common activity_monitoring incident remediation policy_violation admin_audit log_event"

if [ ! -x "$tools/bin/jsonschema-cli" ]; then
    echo "== installing jsonschema-cli into $tools" >&2
    CARGO_TARGET_DIR=$tools/target cargo install --quiet --locked --root "$tools" jsonschema-cli
fi
if [ ! -x "$tools/ajv/node_modules/.bin/ajv" ]; then
    echo "== installing ajv-cli into $tools/ajv" >&2
    mkdir -p "$tools/ajv"
    (cd "$tools/ajv" && npm install --silent --no-audit --no-fund ajv-cli@5 ajv-formats@2)
fi
# jsonschema-cli's validate takes no local resources (it would fetch the $refs over
# the network): dereference the schemas offline into one self-contained schema first.
resources=()
for name in $names; do
    resources+=(--resource "https://schemas.aperture-events.dev/v1/$name.schema.json=$work/schemas/$name.schema.json")
done
"$tools/bin/jsonschema-cli" dereference "$work/schemas/events_array.schema.json" "${resources[@]}" \
    -o "$work/schemas/events_array.dereferenced.json"
ajv_refs=()
for name in $names; do ajv_refs+=(-r "$work/schemas/$name.schema.json"); done

# measure LABEL EVENTS EXPECTED_EXIT COMMAND...: one line "label|events|seconds|peak_kib|cpu_seconds".
# Each command runs $runs times; the fastest run's wall time (nanosecond clock,
# not GNU time's hundredths) and CPU time are kept, with the largest peak memory.
measure() {
    local label=$1 count=$2 expected=$3
    shift 3
    local best="" best_cpu="" peak=0 run status start end seconds kib user sys
    for ((run = 0; run < runs; run++)); do
        status=0
        start=$(date +%s.%N)
        /usr/bin/time -f 'TIME %e %M %U %S' -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" || status=$?
        end=$(date +%s.%N)
        if [ "$status" != "$expected" ]; then
            echo "bench.sh: $label exited with $status, expected $expected" >&2
            tail -n 5 "$work/err.txt" "$work/out.txt" >&2
        fi
        read -r _ _ kib user sys < <(grep '^TIME' "$work/time.txt")
        seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f", e - s }')
        if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$seconds
            best_cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
        fi
        [ "$kib" -gt "$peak" ] && peak=$kib
    done
    echo "$label|$count|$best|$peak|$best_cpu" >>"$work/results.txt"
}

echo "== measuring" >&2
: >"$work/results.txt"
measure "aperture-validate (all cores)" "$events" 0 "$validate" "$work/valid.ndjson"
measure "aperture-validate -j 1" "$events" 0 "$validate" -j 1 "$work/valid.ndjson"
measure "plain loop (Value + is_valid, 1 thread)" "$events" 0 "$target/release/examples/plain_loop" "$work/valid.ndjson"
measure "aperture-validate, half invalid" "$events" 1 "$validate" "$work/half.ndjson"
measure "jsonschema-cli (JSON array)" "$events" 0 "$tools/bin/jsonschema-cli" validate \
    "$work/schemas/events_array.dereferenced.json" -i "$work/valid.json" --assert-format
measure "ajv-cli (JSON array)" "$events" 0 "$tools/ajv/node_modules/.bin/ajv" validate --spec=draft2020 \
    --strict=false -c ajv-formats -s "$work/schemas/events_array.schema.json" "${ajv_refs[@]}" -d "$work/valid.json"

echo
echo "cores: $(nproc); corpus: $events events, $(du -m "$work/valid.ndjson" | cut -f1) MB of NDJSON; best of $runs runs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -F'|' '
    { label[NR] = $1; n[NR] = $2; s[NR] = $3; kib[NR] = $4; cpu[NR] = $5 }
    END {
        printf "%-42s %9s %12s %10s %9s\n", "", "seconds", "events/s", "peak MiB", "cpu s"
        for (i = 1; i <= NR; i++)
            printf "%-42s %9.3f %12.0f %10.1f %9.2f\n", label[i], s[i], (s[i] > 0 ? n[i] / s[i] : 0), kib[i] / 1024, cpu[i]
        printf "\naperture-validate / plain loop: %.1fx\n", s[3] / s[1]
        printf "aperture-validate / jsonschema-cli: %.1fx; / ajv-cli: %.1fx\n", s[5] / s[1], s[6] / s[1]
        printf "half invalid / valid only (time): %.2fx\n", s[4] / s[1]
    }' "$work/results.txt"
