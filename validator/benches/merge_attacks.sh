#!/usr/bin/env bash
# Runs the hostile reports of issue 26's review at full size against the
# release build of `aperture-validate merge`, and prints for each: exit code,
# peak memory (GNU time's maximum resident set size), wall time, the size of
# the output, and the merge's memory bound (validator/README.md, `merge`).
#
# Usage: bash validator/benches/merge_attacks.sh [BIN]   (from anywhere; a few
# minutes, 2.2 GB of scratch space in $TMPDIR; needs python3 and GNU time).
# BIN defaults to target/release/aperture-validate, built here.
# The tests (validator/tests/readback.rs) run the same attacks scaled down.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /usr/bin/time ] || { echo "merge_attacks.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }
if [ $# -ge 1 ]; then
    BIN="$(realpath "$1")"
else
    cargo build --release --locked -q -p aperture-events-validator
    BIN="$PWD/target/release/aperture-validate"
fi
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
cd "$DIR"

python3 - <<'PY'
import json

def summary(total, **more):
    s = {"reading": "tolerant", "total": total, "valid": total, "invalid": 0,
         "malformed": 0, "unknown_type": 0}
    s.update(more)
    return s

# 500,000 errors of 3 KB each: 1.5 GB.
n = 500_000
message = "m" * 3000
with open("errors.json", "w") as f:
    f.write('{"summary": %s, "errors": [' % json.dumps(summary(n, valid=0, invalid=n)))
    for i in range(n):
        f.write('%s{"source": "a.ndjson", "line": %d, "class": "invalid", "problems": '
                '[{"pointer": "/x", "keyword": "type", "message": "%s"}]}'
                % ("," if i else "", i + 1, message))
    f.write('], "errors_omitted": 0, "drift": {}}\n')

# 1,000,006 types claiming to be documented.
n = 1_000_006
with open("types.json", "w") as f:
    f.write('{"summary": %s' % json.dumps(summary(n))[:-1])
    f.write(', "by_log_type": {')
    f.write(",".join('"type_%d": {"total": 1, "valid": 1, "invalid": 0, "unknown_type": 0}' % i
                     for i in range(n)))
    f.write('}}, "errors": [], "drift": {}}\n')

# 2,000,000 unreadable inputs.
n = 2_000_000
with open("inputs.json", "w") as f:
    f.write('{"summary": %s, "errors": [], "drift": {}, "inputs": ['
            % json.dumps(summary(0, unreadable_inputs=n)))
    f.write(",".join('{"source": "f%d", "message": "cannot read"}' % i for i in range(n)))
    f.write(']}\n')

# The most a report can hold within the caps, three times: errors without
# problems up to MAX_ERROR_BYTES, drift entries of distinct types up to
# MAX_DRIFT_BYTES, the longest notes, inputs and type names a report keeps.
n = 100_000
longest = "a" * 40961  # Text<4096>::LONGEST: kept as written
with open("worst.json", "w") as f:
    f.write('{"summary": %s' % json.dumps(summary(n, valid=0, invalid=n,
                                                  error_responses=n, unreadable_inputs=n))[:-1])
    f.write(', "by_log_type": {')
    f.write(",".join('"%s%d": {"total": 1, "valid": 0, "invalid": 1, "unknown_type": 0}'
                     % ("t" * 990, i) for i in range(3000)))
    f.write('}}, "errors": [')
    f.write(",".join('{"source": "s", "line": %d, "class": "invalid", "problems": []}' % i
                     for i in range(n)))
    f.write('], "errors_omitted": 0, "drift": {"undocumented_fields": [')
    f.write(",".join('{"log_type": "t%d", "field": "f", "count": 1, "first": {"source": "s"}}' % i
                     for i in range(n)))
    f.write(']}, "notes": [')
    f.write(",".join('{"source": "%s", "line": 1, "message": "%s"}' % (longest, "m" * 4001)
                     for i in range(200)))
    f.write('], "inputs": [')
    f.write(",".join('{"source": "%s", "message": "%s"}' % (longest, "m" * 4001)
                     for i in range(200)))
    f.write(']}\n')

# One 200 MB source.
with open("source.json", "w") as f:
    f.write('{"summary": %s, "errors": [], "drift": {}, "inputs": [{"source": "'
            % json.dumps(summary(0, unreadable_inputs=1)))
    chunk = "s" * (1 << 20)
    for _ in range(200):
        f.write(chunk)
    f.write('", "message": "cannot read"}]}\n')
PY

printf '%-12s %6s %5s %10s %8s %12s\n' attack size exit "peak MiB" seconds "output bytes"
for attack in errors types inputs source worst; do
    size=$(du -m "$attack.json" | cut -f1)
    files=("$attack.json")
    # The worst case three times: the merged report and the one being read are full.
    [ "$attack" = worst ] && files=(worst.json worst.json worst.json)
    set +e
    /usr/bin/time -f '%M %e' -o time.txt "$BIN" merge --format json "${files[@]}" >out.json 2>err.txt
    code=$?
    set -e
    read -r kb secs < <(tail -n 1 time.txt)
    printf '%-12s %5sM %5s %10s %8s %12s\n' "$attack" "$size" "$code" "$((kb / 1024))" "$secs" "$(stat -c %s out.json)"
done
