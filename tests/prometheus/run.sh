#!/usr/bin/env bash
# A real Prometheus server scrapes aperture-capture's --metrics-listen on
# loopback while it drains the mock (with server errors injected); PromQL
# over the HTTP API must return the mock's counts. Also: `promtool check
# metrics` on the exposition, `promtool check rules` and `promtool test
# rules` on the alert rules of capture/deploy/. Installs Debian's
# `prometheus` package (which has promtool) where it is missing. About
# half a minute once built.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  echo "== installing prometheus (Debian's package, with promtool)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus
fi
prometheus --version 2>&1 | head -1

echo "== the alert rules (capture/deploy/alerts.yml)"
promtool check rules capture/deploy/alerts.yml
promtool test rules capture/deploy/alerts.test.yml

cargo build --locked -p aperture-events-capture -p aperture-events-mock --bins
bin="$root/target/debug"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Waits up to $2 seconds for a line matching $1 in file $3; prints it.
wait_line() {
  local pattern=$1 limit=$2 file=$3 i
  for ((i = 0; i < limit * 10; i++)); do
    if grep -m1 -E "$pattern" "$file" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "no line /$pattern/ in $file after ${limit}s:" >&2
  cat "$file" >&2
  return 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

events=1000
"$bin/aperture-mock" --listen 127.0.0.1:0 --generate "$events" --server-error-every 4 \
  --empty-wait-ms 100 >"$work/mock.out" 2>"$work/mock.err" &
pids+=($!)
mock_url=$(wait_line '^listening on ' 30 "$work/mock.out" | sed -E 's/^listening on ([^ ]+) .*/\1/')

APERTURE_CLIENT_ID=mock-client APERTURE_CLIENT_SECRET=mock-secret \
  "$bin/aperture-capture" --base-url "$mock_url" --out "$work/events.ndjson" \
  --metrics-listen 127.0.0.1:0 --poll-wait-ms 200 --retry-base-ms 10 --retry-cap-ms 100 \
  </dev/null >/dev/null 2>"$work/capture.err" &
pids+=($!)
metrics=$(wait_line 'serving metrics on http://' 30 "$work/capture.err" | sed -E 's|.*http://([^/]+)/metrics.*|\1|')
echo "capture serves metrics on $metrics"

echo "== promtool check metrics (the exposition, both formats)"
curl -fsS "http://$metrics/metrics" | tee "$work/exposition.txt" | promtool check metrics
curl -fsS -H 'Accept: application/openmetrics-text; version=1.0.0' "http://$metrics/metrics" >"$work/openmetrics.txt"
tail -1 "$work/openmetrics.txt" | grep -qx '# EOF'

prom_port=$(free_port)
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $root/capture/deploy/alerts.yml
scrape_configs:
  - job_name: aperture-capture
    static_configs:
      - targets: ['$metrics']
YAML
promtool check config "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)
for ((i = 0; i < 300; i++)); do
  curl -fsS "http://127.0.0.1:$prom_port/-/ready" >/dev/null 2>&1 && break
  sleep 0.1
done

# The value of an instant PromQL query (the first sample), or "none".
query() {
  curl -fsS --get "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'
}

# Waits up to 60 s for the query $1 to return $2.
expect() {
  local got i
  for ((i = 0; i < 120; i++)); do
    got=$(query "$1")
    if [ "$got" = "$2" ]; then echo "ok: $1 = $got"; return 0; fi
    sleep 0.5
  done
  echo "FAILED: $1 = $got, expected $2" >&2
  tail -20 "$work/prometheus.log" >&2
  return 1
}

echo "== PromQL over the HTTP API"
expect 'up{job="aperture-capture"}' 1
# Every event the mock had, scraped (a 500 pops nothing, so none is lost).
expect 'sum(aperture_capture_events_total)' "$events"
expect 'sum by (log_type) (aperture_capture_events_total{log_type="incident"})' 250
# Every fourth request failed; each was retried.
expect 'aperture_capture_api_errors_total{kind="server_error"} > bool 0' 1
expect 'sum(aperture_capture_api_errors_total) - sum(aperture_capture_retries_total)' 0
expect 'aperture_capture_responses_total{region="custom"}' 10
expect 'aperture_capture_fsync_seconds_count' 10
expect 'aperture_capture_journaled_bytes_total' "$(stat -c %s "$work/events.ndjson")"
expect 'aperture_capture_expiry_risk' 0
expect 'count(ALERTS{alertstate="firing"})' none
rules=$(curl -fsS "http://127.0.0.1:$prom_port/api/v1/rules" |
  python3 -c 'import json, sys; print(sum(len(g["rules"]) for g in json.load(sys.stdin)["data"]["groups"]))')
[ "$rules" = 8 ] || { echo "FAILED: $rules rules loaded, expected 8" >&2; exit 1; }
echo "ok: the server loaded the 8 alert rules"
echo "tests/prometheus: 1 passed, 0 failed"
