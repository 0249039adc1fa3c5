#!/usr/bin/env bash
# A container-shaped test without Docker: the host published as the Dockerfile does, laid out as the image lays it
# out (read-only /app-like folder, writable /data-like volume, the base image's non-root user `app` uid 1654 through
# runuser, the image's ENV), started in LIVE mode against the loopback simulators (`ChatOps.Host simulators`) and a
# real PostgreSQL target, driven through the console chat on stdin: a release with a real pg_dump backup, then a
# rollback. Prints each step and ends with one PASS or FAIL line; everything it starts is stopped by PID.
#   scripts/container-smoke.sh            (as root: it creates the user `app` and runs the bot as it)
# Needs: the .NET SDK, PostgreSQL server and client (scripts/postgres.sh), python3-alembic and python3-psycopg2.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
started=$SECONDS
deadline=$((SECONDS + 290)) # the whole script stays under 5 minutes: every step's timeout is cut to what is left
budget() { local left=$((deadline - SECONDS)); ((left < $1)) || left=$1; ((left > 0)) || left=1; echo "$left"; }
say() { echo "[container-smoke $((SECONDS - started))s] $*"; }

root="" sim_pid="" bot_pid="" pg_started=""
fail() {
  say "FAIL: $*" >&2
  for log in simulators.err bot.out bot.err; do
    if [[ -n "$root" && -s "$root/$log" ]]; then
      echo "--- last lines of $log ---" >&2
      tail -n 40 "$root/$log" >&2
    fi
  done
  echo "container-smoke: FAIL ($*)" >&2
  exit 1
}
stop_pid() { # stop_pid PID NAME: SIGTERM, up to 10 s, then SIGKILL
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  say "$2 (pid $pid) did not stop on SIGTERM; SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$bot_pid" bot
  stop_pid "$sim_pid" simulators
  [[ -n "$pg_started" ]] && { timeout 30 scripts/postgres.sh stop "$root/pg" || true; }
  [[ -n "$root" ]] && rm -rf "$root"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM

[[ $(id -u) -eq 0 ]] || fail "run as root: the script creates the user app (uid 1654) and runs the bot as it through runuser"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: polls every 0.2 s, fails after SECONDS
  local limit=$1 what=$2
  shift 2
  local until_=$((SECONDS + $(budget "$limit")))
  until "$@"; do
    ((SECONDS < until_)) || fail "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}

root=$(mktemp -d /tmp/chatops-smoke.XXXXXX)
chmod 755 "$root" # the app and postgres users must reach their folders inside it
app="$root/app" data="$root/data"

# (a) Publish as the Dockerfile's build stage does.
say "publishing src/ChatOps.Host to $app (Release, /p:UseAppHost=false)"
timeout "$(budget 240)" dotnet publish src/ChatOps.Host/ChatOps.Host.csproj -c Release -o "$app" /p:UseAppHost=false -nologo -v quiet \
  >"$root/publish.log" 2>&1 || { tail -n 30 "$root/publish.log" >&2; fail "dotnet publish failed or ran out of time (240 s at most)"; }

# (b) The image's layout: the base image's user app (uid 1654), /app root-owned and read-only to it, /data its own.
if ! id app >/dev/null 2>&1; then
  say "creating the user app (uid 1654), as the aspnet base image defines it"
  useradd --uid 1654 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
fi
[[ $(id -u app) -eq 1654 ]] || fail "the user app exists with uid $(id -u app), not the base image's 1654"
chown -R root:root "$app" && chmod -R u=rwX,go=rX "$app"
mkdir -p "$data/backups" "$root/home"
chown -R app:app "$data" "$root/home"
if runuser -u app -- touch "$app/write-probe" 2>/dev/null; then fail "$app is writable by app; the image's /app is not"; fi
runuser -u app -- touch "$data/write-probe" || fail "$data is not writable by app"
rm -f "$data/write-probe"
say "layout: $app read-only to app (uid 1654), $data (with backups/) owned by app"

# (c) A real PostgreSQL target on the loopback, with the target app's schema two revisions behind head.
pg_port=$(free_port)
say "starting PostgreSQL on 127.0.0.1:$pg_port (scripts/postgres.sh)"
timeout "$(budget 90)" scripts/postgres.sh start "$root/pg" "$pg_port" >/dev/null || fail "PostgreSQL did not start"
pg_started=1
timeout "$(budget 30)" runuser -u postgres -- psql -h "$root/pg" -p "$pg_port" -U postgres -qc "CREATE DATABASE smoke_target" postgres \
  || fail "could not create the target database"
# The test server's password (scripts/postgres.sh), never printed.
target_url="postgres://postgres:chatops-test@127.0.0.1:$pg_port/smoke_target"
say "target database smoke_target: alembic upgrade 2b3c4d5e6f7a (the target app's own migrations), two seeded runs"
# The interpreter the simulators' Fly exec uses too (RealAlembic): Debian's, where python3-alembic is installed.
python=python3
[[ -x /usr/bin/python3 ]] && python=/usr/bin/python3
(cd "$app/TargetApp" && PYTHONDONTWRITEBYTECODE=1 DATABASE_URL="$target_url" timeout "$(budget 60)" "$python" -m alembic -c alembic.ini upgrade 2b3c4d5e6f7a) \
  >"$root/alembic.log" 2>&1 || { tail -n 20 "$root/alembic.log" >&2; fail "seeding the target database with alembic failed"; }
timeout "$(budget 30)" runuser -u postgres -- psql -h "$root/pg" -p "$pg_port" -U postgres -qc \
  "INSERT INTO runs (run_id, status) VALUES ('run-seed-1', 'published'), ('run-seed-2', 'running')" smoke_target \
  || fail "could not seed the target database"

# What to release, where: exactly the variables docs/deploy-fly.md §3 tells a reader to set (one environment, one
# service, its database), with this test's names. Shared by the simulators, which build their Fly app and repository
# from them, and the bot. Nothing else: the image's appsettings.json names no environment of its own.
settings=(
  "GitHub__Repository=smoke/target-app"
  "ChatOps__Access__Releasers__0=console:alice"
  "ChatOps__Access__Approvers__0=console:bob"
  "ChatOps__Environments__production__Services__0__Name=api"
  "ChatOps__Environments__production__Services__0__FlyApp=smoke-api"
  "ChatOps__Environments__production__Services__0__Image=registry.fly.io/smoke-api:{tag}"
  "ChatOps__Environments__production__Services__0__HealthUrl=https://smoke-api.fly.dev/health"
  "ChatOps__Environments__production__Services__0__VersionUrl=https://smoke-api.fly.dev/version"
  "ChatOps__Environments__production__Migrations__App=smoke-api"
  "ChatOps__Environments__production__Migrations__ExpectedTables__0=runs"
  "ChatOps__Environments__production__Migrations__ExpectedTables__1=artifacts"
  "ChatOps__Environments__production__Migrations__ExpectedTables__2=webhook_events"
  "ChatOps__Environments__production__DatabaseUrl=$target_url"
)

# The outside world: GitHub, Fly (whose exec runs the real alembic against the target) and the target services.
say "starting the simulators (dotnet ChatOps.Host.dll simulators) as root: they stand for GitHub, Fly and the services"
env -i PATH="$PATH" HOME="$root" DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 PYTHONDONTWRITEBYTECODE=1 "${settings[@]}" \
  dotnet "$app/ChatOps.Host.dll" simulators >"$root/simulators.out" 2>"$root/simulators.err" </dev/null &
sim_pid=$!
simulators_ready() {
  kill -0 "$sim_pid" 2>/dev/null || fail "the simulators exited early"
  grep -qsx Ready "$root/simulators.out"
}
wait_for 60 "the simulators" simulators_ready
say "$(head -n 1 "$root/simulators.out")"
# Their Key__Sub=value lines (the simulators' URLs and their own fake tokens): kept off the output.
mapfile -t aim < <(sed -n '2,/^Ready$/p' "$root/simulators.out" | grep -v '^Ready$')
((${#aim[@]} > 0)) || fail "the simulators printed no settings"

# (d) The bot as the image starts it: WORKDIR /app, USER app, ENTRYPOINT dotnet ChatOps.Host.dll, the image's ENV.
bot_port=$(free_port)
metrics_port=$(free_port)
image_env=(
  # The image sets ASPNETCORE_HTTP_PORTS=8080 and so listens on every interface. Here only the loopback is allowed:
  # the same variable with a free port, and ASPNETCORE_URLS (which wins over it) binding 127.0.0.1 only.
  "ASPNETCORE_HTTP_PORTS=$bot_port"
  "ASPNETCORE_URLS=http://127.0.0.1:$bot_port"
  "ChatOps__Mode=live"
  "ChatOps__StorePath=$data/chatops.db"
  "Logging__Format=json"
  # The image keeps the default metrics port, 9091, the one fly.toml's [metrics] names; a free one here.
  "Metrics__Port=$metrics_port"
  "DOTNET_NOLOGO=1"
)
# The image has Console__Enabled=false; the console chat (stdin) is the chat this test drives, in live mode, in place
# of the guide's Telegram token (whose people are console:alice and console:bob here).
run_env=(
  "Console__Enabled=true"
  "ChatOps__VerifyInterval=00:00:00.200"
)
# A typed /rollback asks for a second press: "1" presses its "Yes, roll back production".
printf '%s\n' "/release v0.2.0" "/as bob" "/approve 1" "/status" "/as alice" "/rollback" "1" "/quit" >"$root/chat.txt"
say "starting the bot in live mode as app (uid 1654) on 127.0.0.1:$bot_port, workdir $app; chat on stdin:"
sed 's/^/    /' "$root/chat.txt"
(cd "$app" && exec timeout "$(budget 150)" runuser -u app -- env -i PATH="$PATH" HOME="$root/home" \
  "${image_env[@]}" "${settings[@]}" "${aim[@]}" "${run_env[@]}" dotnet ChatOps.Host.dll) \
  <"$root/chat.txt" >"$root/bot.out" 2>"$root/bot.err" &
bot_pid=$!
# While the chat runs (the release alone takes seconds), the port the image's ENV names must answer /health/live.
live_ok=""
live_probe() {
  exec 3<>"/dev/tcp/127.0.0.1/$bot_port" || return 1
  printf 'GET /health/live HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  local status
  read -r -t 5 status <&3 || true
  exec 3<&- 3>&-
  [[ "$status" == *" 200"* ]]
}
for _ in $(seq 1 300); do
  kill -0 "$bot_pid" 2>/dev/null || break
  if live_probe 2>/dev/null; then live_ok=1; break; fi
  sleep 0.2
done
# /metrics on the metrics port only; the public port answers 404 there.
status_of() { # status_of PORT PATH: the HTTP status code, empty when nothing answered
  exec 4<>"/dev/tcp/127.0.0.1/$1" || return 0
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&4
  local line=""
  read -r -t 5 line <&4 || true
  exec 4<&- 4>&-
  line=${line#* }
  echo "${line%% *}"
}
metrics_status=$(status_of "$metrics_port" /metrics 2>/dev/null)
public_metrics_status=$(status_of "$bot_port" /metrics 2>/dev/null)
# Live mode must not load the simulators: the assembly would show among the bot process's mapped files. Looked at
# until the bot exits, so a load during the release, the rollback or the shutdown counts too.
bot_dotnet() { # the dotnet process below this run's timeout and runuser, not another run's bot
  local level=("$bot_pid") below p
  for _ in 1 2 3 4; do
    below=()
    for p in "${level[@]}"; do mapfile -t -O "${#below[@]}" below < <(pgrep -P "$p"); done
    for p in "${below[@]}"; do
      if [[ $(cat "/proc/$p/comm" 2>/dev/null) == dotnet ]]; then
        echo "$p"
        return 0
      fi
    done
    level=("${below[@]}")
  done
  return 1
}
bot_dotnet=$(bot_dotnet) || bot_dotnet=""
sandbox_loaded=no maps_read=""
while [[ -n "$bot_dotnet" ]] && kill -0 "$bot_dotnet" 2>/dev/null; do
  if maps=$(cat "/proc/$bot_dotnet/maps" 2>/dev/null) && [[ -n "$maps" ]]; then
    maps_read=1
    if grep -q 'ChatOps\.Sandbox\.dll' <<<"$maps"; then sandbox_loaded=yes; break; fi
  fi
  sleep 0.2
done
bot_status=0
wait "$bot_pid" || bot_status=$?
bot_pid=""
((bot_status != 124)) || fail "the bot did not finish the release and the rollback in time (150 s at most, within the 290 s budget)"
((bot_status == 0)) || fail "the bot exited with $bot_status"
[[ -n "$live_ok" ]] || fail "http://127.0.0.1:$bot_port/health/live never answered 200 while the bot ran"
say "http://127.0.0.1:$bot_port/health/live answered 200 (ASPNETCORE_URLS/ASPNETCORE_HTTP_PORTS honoured)"
[[ "$metrics_status" == 200 ]] || fail "http://127.0.0.1:$metrics_port/metrics answered '${metrics_status}', not 200"
[[ "$public_metrics_status" == 404 ]] || fail "http://127.0.0.1:$bot_port/metrics (the public port) answered '${public_metrics_status}', not 404"
say "/metrics answered 200 on the metrics port ($metrics_port) and 404 on the public one"
[[ -n "$maps_read" ]] || fail "could not read the live bot's /proc/PID/maps (dotnet pid '${bot_dotnet}') to see which assemblies it loaded"
[[ "$sandbox_loaded" == no ]] || fail "the live bot loaded ChatOps.Sandbox.dll (the simulators); live mode must not touch them"
say "the live bot did not load the simulators (no ChatOps.Sandbox.dll among its mapped files while it ran)"

# The outcome.
grep -q "✅ Released v0.2.0 to production" "$root/bot.out" || fail "no 'Released v0.2.0' in the chat"
say "released v0.2.0 to production"
grep -q "3/3 expected tables, alembic_version 4d5e6f7a8b9c" "$root/bot.out" || fail "the migrations did not reach 4d5e6f7a8b9c"
say "migrations ran for real: 3/3 expected tables, alembic_version 4d5e6f7a8b9c"
mapfile -t backups < <(find "$data/backups" -type f -name 'backup_pre_v0.2.0_*' -size +0)
((${#backups[@]} == 1)) || fail "expected one backup_pre_v0.2.0_* file under $data/backups, found ${#backups[@]}"
backup=${backups[0]}
[[ $(stat -c %U "$backup") == app ]] || fail "the backup is owned by $(stat -c %U "$backup"), not app"
# pg_dump's plain SQL, gzipped by the bot (backup_pre_<tag>_<time>.sql.gz): the dump's header and the seeded rows.
dump() { if [[ "$backup" == *.gz ]]; then gzip -cd "$backup"; else cat "$backup"; fi; }
dump | grep -q "PostgreSQL database dump" || fail "$backup is not a pg_dump dump"
dump | grep -q "run-seed-1" || fail "the backup does not hold the seeded rows"
say "pg_dump backup: $backup ($(stat -c %s "$backup") bytes, owned by app, holds the seeded rows)"
[[ -s "$data/chatops.db" && $(stat -c %U "$data/chatops.db") == app ]] || fail "no store at $data/chatops.db owned by app"
grep -q "↩️ Rolled back production to v0.1.0" "$root/bot.out" || fail "no 'Rolled back production to v0.1.0' in the chat"
say "rolled back production to v0.1.0"
[[ -z $(find "$app" -newer "$root/chat.txt" -print -quit) ]] || fail "something was written under $app"

echo "container-smoke: PASS (publish, read-only app, live mode as uid 1654, release with pg_dump backup, rollback) in $((SECONDS - started))s"
