#!/usr/bin/env bash
# Throughput and peak memory of aperture-ocsf: NDJSON in, OCSF NDJSON out, on
# the validator's generated benchmark corpus (its `corpus` example).
#
#   ocsf/benches/bench.sh                       # 200,000 events
#   BENCH_EVENTS=50000 BENCH_RUNS=5 ocsf/benches/bench.sh
#
# Builds aperture-ocsf and the corpus generator (release), generates the
# corpus, then reports the best wall time of BENCH_RUNS runs (default 3,
# after one run not timed) and the peak resident memory (GNU time), for
# raw_data on (the default) and off, one worker thread (RAYON_NUM_THREADS=1),
# and for where the output goes:
#   - "new file": `-o FILE` where no file is (the usual case);
#   - "replacing a file": `-o FILE` over the last run's output (slower for
#     the filesystem's sake: docs/ocsf.md, "Speed");
#   - "/dev/null": the conversion alone, nothing written.
# Every timed run starts after `sync` (outside the time), so no run pays for
# writing out the one before. "cpu" is user + system time, the least of the
# runs: on a machine shared with other work it says more than the wall time
# (two idle cores give at most twice "events per cpu s": the whole run's CPU
# time over two, when reading, converting and writing overlap).
# Needs: cargo, GNU time (/usr/bin/time, Debian package `time`).
# Environment: BENCH_DIR (default $TMPDIR/aperture-ocsf-bench), BENCH_EVENTS,
# BENCH_RUNS, CARGO_TARGET_DIR; BENCH_BASELINE=PATH also measures another
# aperture-ocsf binary (an earlier build) in the same run, before each setting, and
# fails unless its output is byte for byte the same as this build's.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-${TMPDIR:-/tmp}/aperture-ocsf-bench}
events=${BENCH_EVENTS:-200000}
runs=${BENCH_RUNS:-3}
target=${CARGO_TARGET_DIR:-$root/target}
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "bench.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }

echo "== building (release)" >&2
(cd "$root" && CARGO_TARGET_DIR=$target cargo build --release --quiet -p aperture-events-ocsf --bin aperture-ocsf)
(cd "$root" && CARGO_TARGET_DIR=$target cargo build --release --quiet -p aperture-events-validator --example corpus)
ocsf=$target/release/aperture-ocsf

echo "== generating $events events" >&2
"$target/release/examples/corpus" "$events" >"$work/events.ndjson"
bytes=$(stat -c %s "$work/events.ndjson")

measure() { # binary, label, env, sink (new, replace, null), args...
    local bin=$1 label=$2 env=$3 sink=$4; shift 4
    local best="" mem=0 cpu="" out=$work/out.ndjson
    [ "$sink" = null ] && out=/dev/null
    for run in $(seq 0 "$runs"); do
        [ "$sink" = new ] && rm -f "$out"
        sync
        env $env /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$bin" -q -o "$out" "$@" "$work/events.ndjson"
        [ "$run" = 0 ] && continue
        read -r secs kb user sys <"$work/time"
        if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
        local used
        used=$(awk "BEGIN{print $user + $sys}")
        if [ -z "$cpu" ] || awk "BEGIN{exit !($used < $cpu)}"; then cpu=$used; fi
        [ "$kb" -gt "$mem" ] && mem=$kb
    done
    local lines=-
    [ "$sink" = null ] || lines=$(wc -l <"$out")
    awk -v l="$label" -v n="$events" -v s="$best" -v b="$bytes" -v m="$mem" -v o="$lines" -v c="$cpu" 'BEGIN {
        printf "%-40s %7d events %6.2f s %9.0f events/s %6.1f MB/s in  cpu %6.2f s (%7.0f events per cpu s)  peak %6.1f MiB  (%s lines out)\n",
            l, n, s, (s > 0 ? n / s : 0), (s > 0 ? b / s / 1e6 : 0), c, (c > 0 ? n / c : 0), m / 1024, o }'
}

echo "== $(nproc) cores, input $((bytes / 1000000)) MB" >&2
null_mode=$(stat -c %a /dev/null)
both() { # label, env, sink, args...: the baseline (if any), then this build, same output
    local label=$1 env=$2 sink=$3; shift 3
    if [ -n "${BENCH_BASELINE:-}" ]; then
        measure "$BENCH_BASELINE" "baseline: $label" "$env" "$sink" "$@"
        [ "$sink" = null ] || mv "$work/out.ndjson" "$work/baseline.ndjson"
    fi
    measure "$ocsf" "$label" "$env" "$sink" "$@"
    # Builds before f92d612 gave a device named by -o mode 0600 when run as root.
    if [ "$(stat -c %a /dev/null)" != "$null_mode" ]; then
        chmod "$null_mode" /dev/null
        echo "bench.sh: a build changed the mode of /dev/null; put back to $null_mode" >&2
    fi
    if [ -n "${BENCH_BASELINE:-}" ] && [ "$sink" != null ]; then
        cmp "$work/baseline.ndjson" "$work/out.ndjson" >&2 || { echo "bench.sh: the outputs differ" >&2; exit 1; }
        echo "  (output identical to the baseline's: $(sha256sum <"$work/out.ndjson" | cut -c1-16))"
    fi
}
both "raw_data on, new file" "X=1" new
both "raw_data on, replacing a file" "X=1" replace
both "raw_data on, /dev/null" "X=1" null
both "raw_data off, new file" "X=1" new --no-raw-data
both "raw_data on, 1 thread, new file" "RAYON_NUM_THREADS=1" new
