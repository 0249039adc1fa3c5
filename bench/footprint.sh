#!/usr/bin/env bash
# Footprint (issue 15 item 5): start-up to the first 200 on /health and idle RSS of the bot (sandbox) next to the
# minimal endpoint, RSS after 100 releases through the sandbox console, and a release plus rollback with the GC heap
# limited to 200 MB. Loopback only (port 18097), bounded (every wait has a deadline, the whole run at most 15 min).
#   bench/footprint.sh                      RUNS (3) start-ups each, RELEASES (100), SKIP_RELEASES=1 for start-up only
set -euo pipefail
cd "$(dirname "$0")/.."
lock=/tmp/chatops-build.lock
log=$(mktemp /tmp/chatops-footprint-build.XXXXXX.log)
flock -w 600 "$lock" dotnet build bench/ChatOps.Benchmarks -c Release -v quiet -nologo >"$log" 2>&1 \
  || { echo "the bench did not build:" >&2; tail -n 30 "$log" >&2; exit 1; }
exec 9>"$lock"
flock -w 600 9  # measure with no build competing for the cores
echo "$(nproc) cores, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)"
timeout 900 python3 bench/footprint.py src/ChatOps.Host/bin/Release/net10.0/ChatOps.Host.dll \
  bench/ChatOps.Benchmarks/bin/Release/net10.0/ChatOps.Benchmarks.dll
