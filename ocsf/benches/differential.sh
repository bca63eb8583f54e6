#!/usr/bin/env bash
# Differential check of two aperture-ocsf binaries (an earlier build and this
# one): stdout, stderr and the exit code must be byte for byte the same on
# every input shape the validator reads, with malformed records, so that a
# change of the command line's pipeline keeps lines, places and summaries.
#
#   ocsf/benches/differential.sh BASELINE [NEW]
#
# NEW defaults to target/release/aperture-ocsf (build it first). Inputs are
# made from the benchmark corpus (bench.sh's BENCH_DIR/events.ndjson, made
# if missing) in BENCH_DIR/differential. Needs gzip and iconv.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
base=$1
new=${2:-${CARGO_TARGET_DIR:-$root/target}/release/aperture-ocsf}
work=${BENCH_DIR:-${TMPDIR:-/tmp}/aperture-ocsf-bench}
d=$work/differential
data=$root/validator/tests/data
mkdir -p "$d"
if [ ! -s "$work/events.ndjson" ]; then
    (cd "$root" && cargo build --release --quiet -p aperture-events-validator --example corpus)
    "${CARGO_TARGET_DIR:-$root/target}/release/examples/corpus" 20000 >"$work/events.ndjson"
fi
head -10000 "$work/events.ndjson" >"$d/events.ndjson"

# Inputs: several batches with the reader's and the converter's problems
# interleaved, a line over 1 MiB (handed over with its buffer), gzip and
# gzip of gzip, UTF-16 plain and gzipped, broken gzip and UTF-16, a
# pretty-printed array, bulk bodies one per line.
awk '{
    if (NR % 53 == 0) print substr($0, 1, length($0) / 2);
    else if (NR % 71 == 0) print "{\"log_type\":\"incident\",\"incident_id\":\"b\"}";
    else if (NR % 89 == 0) print "{\"log_type\":\"nosuch\",\"timestamp\":\"2020-05-08T23:50:55Z\"}";
    else if (NR % 97 == 0) print "";
    else if (NR % 101 == 0) print "[1,2]";
    else if (NR % 103 == 0) print "  \t" $0 "  ";
    else print
}' "$d/events.ndjson" >"$d/mixed.ndjson"
{
    sed -n 1p "$d/events.ndjson"
    printf '{"log_type":"incident","incident_id":"long","timestamp":"2020-05-08T23:50:55Z","pad":"'
    head -c 2200000 /dev/zero | tr '\0' x
    printf '"}\n'
    sed -n 2p "$d/events.ndjson"
    echo "not json"
} >"$d/long.ndjson"
head -300 "$d/events.ndjson" | gzip >"$d/events.gz"
head -200 "$d/events.ndjson" | gzip | gzip >"$d/events2.gz"
head -100 "$d/events.ndjson" | iconv -f UTF-8 -t UTF-16 >"$d/utf16.ndjson"
head -100 "$d/events.ndjson" | iconv -f UTF-8 -t UTF-16 | gzip >"$d/utf16.gz"
printf '\xff\xfe\x00' >"$d/bad16.ndjson"
printf '\x1f\x8b\x08\x00garbage' >"$d/bad.gz"
{ echo "["; head -50 "$d/events.ndjson" | sed '$!s/$/,/'; echo "]"; } >"$d/array.json"
head -49 "$d/events.ndjson" | paste -d, - - - - - - - | sed 's/^/{"events": [/; s/$/]}/' >"$d/bulk.ndjson"

fails=0
check() { # label, args... (stdin from $stdin)
    local label=$1 rb=0 rn=0
    shift
    "$base" "$@" <"$stdin" >"$d/b.out" 2>"$d/b.err" || rb=$?
    "$new" "$@" <"$stdin" >"$d/n.out" 2>"$d/n.err" || rn=$?
    if cmp -s "$d/b.out" "$d/n.out" && cmp -s "$d/b.err" "$d/n.err" && [ "$rb" = "$rn" ]; then
        echo "same  $label (exit $rb, $(wc -l <"$d/n.out") lines out, $(wc -l <"$d/n.err") on stderr)"
    else
        echo "DIFF  $label (exit $rb and $rn)"
        diff <(head -c 4000 "$d/b.err") <(head -c 4000 "$d/n.err") | head -20 || true
        fails=1
    fi
}
stdin=/dev/null
for f in "$d"/mixed.ndjson "$d"/long.ndjson "$d"/*.gz "$d"/utf16.ndjson "$d"/bad16.ndjson \
    "$d"/array.json "$d"/bulk.ndjson "$data"/*; do
    check "$(basename "$f")" "$f"
done
check "all at once" "$d/mixed.ndjson" "$d/long.ndjson" "$data" "$d/missing.ndjson" "$d"/*.gz
check "options" --unknown skip --no-raw-data --severity-table 0=1,5=6 "$d/mixed.ndjson" "$data"
stdin=$d/mixed.ndjson
check "stdin" -
stdin=/dev/null
# A write error: the same message and exit code.
rb=0 rn=0
"$base" "$d/mixed.ndjson" >/dev/full 2>"$d/b.err" || rb=$?
"$new" "$d/mixed.ndjson" >/dev/full 2>"$d/n.err" || rn=$?
if cmp -s "$d/b.err" "$d/n.err" && [ "$rb" = "$rn" ]; then
    echo "same  output on /dev/full (exit $rb)"
else
    echo "DIFF  output on /dev/full (exit $rb and $rn)"
    fails=1
fi
exit $fails
