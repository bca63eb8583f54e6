#!/usr/bin/env bash
# Runs the hostile inputs of issue 15's review at full size against the
# release build of aperture-validate, and prints for each: exit code, class
# totals, peak memory (GNU time's maximum resident set size), wall time, and
# the memory bound of validator/README.md for its --max-record-size and -j:
#
#   bound = 16 MiB + 20 × max-record-size + 32 MiB × workers
#
# Usage: bash validator/benches/attacks.sh   (from anywhere; about a minute,
# 1.2 GB of scratch space in $TMPDIR; needs python3 and GNU time).
# The tests (validator/tests/attacks.rs) run the same attacks scaled down.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /usr/bin/time ] || { echo "attacks.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }

cargo build --release --locked -q -p aperture-events-validator
BIN="$PWD/target/release/aperture-validate"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
cd "$DIR"

python3 - <<'EOF'
import gzip

MIB = 1 << 20
def event(extra=""):
    return ('{"log_type": "incident", "timestamp": "2020-05-08T23:50:55Z", '
            '"incident_id": "x", "severity": 1.0%s}' % extra)

def padded(size, severity="1.0"):
    e = event(', "item_name": "%s"')
    pad = "x" * (size - len(e) + 2)
    return (e % pad).replace("1.0", severity, 1)

big = padded(64 * MIB - 16)
open("valid64.ndjson", "w").write(big + "\n")
open("invalid64.ndjson", "w").write(padded(64 * MIB - 16, "9") + "\n")
open("four64.ndjson", "w").write((big + "\n") * 4)
ones = "[" + "1," * ((64 * MIB - 200) // 2 - 1) + "1]"
open("costly64.ndjson", "w").write(event(', "extra": %s' % ones) + "\n")
import json
entry = ('{"request": {"url": "https://h/api/v1/log_events"}, "response": {"status": 200, '
         '"content": {"mimeType": "application/json", "text": %s}}}') % json.dumps(padded(60 * MIB))
open("entry64.har", "w").write('{"log": {"entries": [%s]}}' % entry)

ct = "text/x-" + "a" * (10 * 1000 * 1000)
with gzip.open("bomb.http.gz", "wt", compresslevel=9) as f:
    for _ in range(300):
        f.write("HTTP/1.1 200 OK\r\nContent-Type: %s\r\n\r\n{\"events\": []}\r\n" % ct)
with open("mime.har", "w") as f:
    e = ('{"request": {"url": "https://h/api/v1/log_events"}, "response": {"status": 200, '
         '"content": {"mimeType": "%s", "text": "{}"}}}') % ct
    f.write('{"log": {"entries": [%s]}}' % ",".join([e] * 50))

keys = lambda n: "".join(', "k%d": 1' % i for i in range(n))
with gzip.open("keys.ndjson.gz", "wt", compresslevel=9) as f:
    line = event(keys(20000)) + "\n"
    for _ in range(200):
        f.write(line)
with gzip.open("dup200k.ndjson.gz", "wt") as f:
    f.write(event(keys(200000) + ', "k0": 2') + "\n")
with gzip.open("nested200k.ndjson.gz", "wt") as f:
    f.write(event(', "extra": {"a": 0%s, "k199999": 2}' % keys(200000)) + "\n")
with gzip.open("unique200k.ndjson.gz", "wt") as f:
    f.write(event(', "extra": {"a": 0%s}' % keys(200000)) + "\n")
EOF

printf '%-44s %4s %-22s %9s %9s %8s\n' "input (flags)" exit "total valid/inv/malf/unk" "peak MiB" "bound MiB" seconds
run() {
  local label="$1" limit_mib="$2" jobs="$3"; shift 3
  set +e
  /usr/bin/time -f "%M %e" -o time.txt "$BIN" --format json -j "$jobs" \
    --max-record-size "${limit_mib}M" "$@" > report.json 2> /dev/null
  local code=$?
  set -e
  read -r kb seconds < <(tail -n 1 time.txt)
  local counts
  counts=$(python3 -c "import json; s = json.load(open('report.json'))['summary']; print(s['total'], '%d/%d/%d/%d' % (s['valid'], s['invalid'], s['malformed'], s['unknown_type']))")
  printf '%-44s %4s %-22s %9d %9d %8s\n' "$label" "$code" "$counts" $((kb / 1024)) \
    $((16 + 20 * limit_mib + 32 * jobs)) "$seconds"
}

run "64 MiB valid record (64M, -j 2)" 64 2 valid64.ndjson
run "64 MiB invalid record (64M, -j 2)" 64 2 invalid64.ndjson
run "64 MiB of [1,1,...] (64M, -j 2)" 64 2 costly64.ndjson
run "four 64 MiB records (64M, -j 2)" 64 2 four64.ndjson
run "64 MiB HAR entry (64M, -j 2)" 64 2 entry64.har
run "300 responses, 10 MB Content-Type (gz)" 16 2 bomb.http.gz
run "50 HAR entries, 10 MB mimeType" 16 2 mime.har
run "200 x 20,000 undocumented keys, --strict" 8 2 --strict keys.ndjson.gz
run "200k keys, repeated at the end (gz)" 8 2 dup200k.ndjson.gz
run "200k keys nested, repeated (gz)" 8 2 nested200k.ndjson.gz
run "200k keys nested, no repeat (gz)" 8 2 unique200k.ndjson.gz
