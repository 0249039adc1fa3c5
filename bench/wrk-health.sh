#!/usr/bin/env bash
# HTTP load on the bot's /health and /metrics with Debian's wrk, on 127.0.0.1 only and bounded in time:
# builds the host, starts it in sandbox mode, runs wrk per endpoint, stops the host by its PID.
#   bench/wrk-health.sh                       embedded store (SQLite in memory, the sandbox default)
#   CHATOPS_CONNECTION='Host=...' bench/wrk-health.sh   the Postgres store (/health pings it on every request)
# Knobs: PORT (18080), DURATION (10s), THREADS (2), CONNECTIONS (32).
set -euo pipefail
cd "$(dirname "$0")/.."

port=${PORT:-18080}
duration=${DURATION:-10s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
lock=/tmp/chatops-build.lock
dll=src/ChatOps.Host/bin/Release/net10.0/ChatOps.Host.dll

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 3; }
build_log=$(mktemp /tmp/chatops-wrk-build.XXXXXX.log)
flock "$lock" dotnet build src/ChatOps.Host -c Release -v quiet -nologo >"$build_log" 2>&1 \
  || { echo "the host did not build:" >&2; tail -n 30 "$build_log" >&2; exit 1; }

log=$(mktemp /tmp/chatops-wrk-host.XXXXXX.log)
env ChatOps__Mode=sandbox Urls="http://127.0.0.1:$port" Console__Enabled=false \
  ${CHATOPS_CONNECTION:+ConnectionStrings__ChatOps="$CHATOPS_CONNECTION"} \
  dotnet "$dll" </dev/null >"$log" 2>&1 &
pid=$!
stop_host() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
trap stop_host EXIT

for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "the host exited; its log:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/health" || { echo "the host did not answer /health within 60 s; log: $log" >&2; exit 1; }
echo

# Measure while holding the shared build lock, so nobody's build competes for the two cores.
exec 9>"$lock"
flock 9
echo "host PID $pid, store: $( [[ -n ${CHATOPS_CONNECTION:-} ]] && echo postgres || echo 'sqlite (in-memory)' ), $(nproc) cores, $(date -u +%FT%TZ)"
timeout 30 wrk -t"$threads" -c"$connections" -d2s "http://127.0.0.1:$port/health" >/dev/null  # warm-up: JIT, pools
for path in /health /metrics; do
  echo "== wrk -t$threads -c$connections -d$duration --latency http://127.0.0.1:$port$path"
  timeout 60 wrk -t"$threads" -c"$connections" -d"$duration" --latency "http://127.0.0.1:$port$path"
done
echo "host RSS after the load: $(ps -o rss= -p "$pid" | awk '{printf "%.0f MiB", $1/1024}')"
