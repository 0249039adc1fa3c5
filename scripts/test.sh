#!/usr/bin/env bash
# The whole test suite: format check, warning-free build, unit and integration tests against a real
# PostgreSQL (started here on 127.0.0.1 and stopped afterwards), real pg_dump/psql and real Alembic.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

pgdir=$(mktemp -d /tmp/chatops-pg.XXXXXX)
port=${CHATOPS_TEST_PG_PORT:-55432}
cleanup() { scripts/postgres.sh stop "$pgdir" || true; rm -rf "$pgdir"; }
trap cleanup EXIT

if connection=$(scripts/postgres.sh start "$pgdir" "$port"); then
  export CHATOPS_TEST_POSTGRES="$connection"
  echo "PostgreSQL for tests on 127.0.0.1:$port"
elif [[ "${CI:-}" == "true" ]]; then
  echo "FATAL: PostgreSQL could not be started and CI=true; the integration tests need it." >&2
  exit 1
else
  echo "WARNING: no PostgreSQL; tests that need it will fail." >&2
fi

# The bake tests start their own Prometheus (scripts/prometheus.sh) scraping the simulated services.
if ! command -v prometheus >/dev/null 2>&1; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "FATAL: prometheus is not installed and CI=true; the bake tests need it (.ci/run installs Debian's package)." >&2
    exit 1
  fi
  echo "WARNING: no prometheus (apt-get install prometheus); the bake tests against it will fail." >&2
fi

# Core is one direction: rules, then commands, then the chat; nothing calls back up (see README "Where things are").
python3 scripts/core-dependencies.py

dotnet restore ChatOps.sln
dotnet format ChatOps.sln --verify-no-changes --no-restore
dotnet build ChatOps.sln -c Release --no-restore -warnaserror

log=$(mktemp)
status=0
dotnet test ChatOps.sln -c Release --no-build 2>&1 | tee "$log" || status=$?
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
# -a: the fault and kill suites append their figures to the same summary during the run; the test count goes after them.
echo "tests: $passed passed, $failed failed, $skipped skipped" | tee -a "${CHATOPS_TEST_SUMMARY:-/dev/null}"
if [[ "$skipped" -gt 0 && "${CI:-}" == "true" ]]; then
  echo "FATAL: tests were skipped under CI=true." >&2
  exit 1
fi
exit "$status"
