#!/usr/bin/env bash
# Forwarding throughput: events/s from a journal into a one-node JetStream
# stream (raw, and --format ocsf) and into a 3-replica stream on a 3-node
# cluster (all on loopback),
# against the journal's own synced write rate (aperture-capture from the
# mock, a sync per response), and the forwarder's peak memory (max RSS).
#
# Run: bash forward/bench.sh   (EVENTS=N changes the journal's size)
# Needs nats-server (tests/nats/run.sh installs it) and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${EVENTS:-200000}"

cargo build --release --locked -q -p aperture-events-capture -p aperture-events-mock -p aperture-events-forward --bins
bin=target/release
work="$(mktemp -d -p target forward-bench.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do { kill -9 "$p"; wait "$p"; } 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 did not open" >&2; exit 1; }
now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1/($3-$2):,.0f}')"; }

# 1. The journal, written by the capture from the mock (synced per response).
mport=$(port)
"$bin/aperture-mock" --listen "127.0.0.1:$mport" --generate "$EVENTS" --empty-wait-ms 10 >/dev/null &
pids+=($!)
wait_port "$mport"
t0=$(now)
APERTURE_CLIENT_ID=mock-client APERTURE_CLIENT_SECRET=mock-secret \
  "$bin/aperture-capture" --base-url "http://127.0.0.1:$mport" --out "$work/events.ndjson" --until-drained --quiet
t1=$(now)
lines=$(wc -l < "$work/events.ndjson")
bytes=$(stat -c %s "$work/events.ndjson")
echo "journal: $lines events, $((bytes / 1024 / 1024)) MiB"
printf '%-44s %14s\n' "what" "events/s"
printf '%-44s %14s\n' "capture → journal (synced per response)" "$(rate "$lines" "$t0" "$t1")"

# 2. Forwarding runs: a fresh copy of the journal each time (no checkpoint).
forward() { # name url replicas stream [flags…]
  local dir="$work/$1"; mkdir -p "$dir"; cp "$work/events.ndjson" "$dir/"
  local name="$1" url="$2" replicas="$3" stream="$4"; shift 4
  local t0 t1
  t0=$(now)
  /usr/bin/time -f "%M" -o "$dir/rss" "$bin/aperture-forward" --quiet --nats "$url" --stream "$stream" \
    --replicas "$replicas" "$@" "$dir/events.ndjson"
  t1=$(now)
  printf '%-44s %14s   (peak RSS %s MiB)\n' "journal → JetStream, $name" "$(rate "$lines" "$t0" "$t1")" \
    "$(( $(cat "$dir/rss") / 1024 ))"
}

node() { # name port cluster-port routes
  mkdir -p "$work/$1-store"
  { echo "server_name: $1"; echo "listen: 127.0.0.1:$2"; echo "jetstream { store_dir: \"$work/$1-store\" }"
    if [ -n "${3:-}" ]; then echo "cluster { name: bench, listen: 127.0.0.1:$3, routes: [$4] }"; fi
  } > "$work/$1.conf"
  nats-server -c "$work/$1.conf" 2>"$work/$1.log" &
  pids+=($!)
  wait_port "$2"
}

p1=$(port); node single "$p1"
forward "one node" "nats://127.0.0.1:$p1" 1 BENCH1
forward "one node, OCSF" "nats://127.0.0.1:$p1" 1 BENCHOCSF --format ocsf

ports=($(port) $(port) $(port)); cports=($(port) $(port) $(port))
routes() { local r=""; for j in 0 1 2; do [ "$j" = "$1" ] || r="$r${r:+, }nats-route://127.0.0.1:${cports[$j]}"; done; echo "$r"; }
for i in 0 1 2; do node "c$i" "${ports[$i]}" "${cports[$i]}" "$(routes "$i")"; done
sleep 2 # the cluster elects its meta leader
forward "3 nodes, 3 replicas" "nats://127.0.0.1:${ports[0]},nats://127.0.0.1:${ports[1]},nats://127.0.0.1:${ports[2]}" 3 BENCH3
