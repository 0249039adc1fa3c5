#!/usr/bin/env bash
# Webhook ingress under wrk (issue 15 item 4), on 127.0.0.1 only and bounded in time. One run starts, and stops by PID:
#   a throwaway Postgres (scripts/postgres.sh), the Telegram and Slack API simulators (bench mode chat-sims), the bot
#   in sandbox mode on the Postgres store with Telegram in webhook mode and Slack signing, the minimal endpoint
#   (bench mode minimal-endpoint), and the plain Npgsql insert loop (bench mode insert-loop). Then it drives
#   POST /telegram/webhook and POST /slack/commands with wrk and prints throughput, p99 and the ratios.
#   bench/wrk-webhooks.sh
# Knobs: KEEP=1 keeps the logs, DURATION (10s), WARMUP (5s), THREADS (2), CONNECTIONS (32), PG_PORT (55461), BOT_PORT (18090), MINIMAL_PORT (18091).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-10s}
warmup=${WARMUP:-5s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
pg_port=${PG_PORT:-55461}
bot_port=${BOT_PORT:-18090}
minimal_port=${MINIMAL_PORT:-18091}
lock=/tmp/chatops-build.lock
host_dll=src/ChatOps.Host/bin/Release/net10.0/ChatOps.Host.dll
bench_dll=bench/ChatOps.Benchmarks/bin/Release/net10.0/ChatOps.Benchmarks.dll

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 3; }
work=$(mktemp -d /tmp/chatops-wrk-webhooks.XXXXXX)
chmod 755 "$work"  # the Postgres server runs as the postgres user when this runs as root
flock -w 600 "$lock" dotnet build bench/ChatOps.Benchmarks -c Release -v quiet -nologo >"$work/build.log" 2>&1 \
  || { echo "the bench did not build:" >&2; tail -n 30 "$work/build.log" >&2; exit 1; }

# Fresh secrets for this run, never printed; the Lua scripts and the processes read them from the environment.
export BENCH_TELEGRAM_SECRET="tg_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export BENCH_SLACK_SECRET="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export BENCH_TG_CHATS=64

pids=()
stop_all() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do timeout 20 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true; done
  scripts/postgres.sh stop "$work/pg" 2>/dev/null || true
  [[ -n ${KEEP:-} ]] && echo "logs kept in $work" >&2 || rm -rf "$work"
}
trap stop_all EXIT

server=$(scripts/postgres.sh start "$work/pg" "$pg_port") || { echo "Postgres did not start; see $work/pg" >&2; exit 1; }
export CHATOPS_BENCH_POSTGRES="$server"
PGPASSWORD=chatops-test psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE chatops_wrk" postgres
store="${server/Database=postgres/Database=chatops_wrk}"
psql_wrk() { PGPASSWORD=chatops-test psql -h 127.0.0.1 -p "$pg_port" -U postgres -At -c "$1" chatops_wrk; }

wait_for() {  # url pid log
  for _ in $(seq 1 240); do
    curl -fs "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { echo "process $2 exited; its log:" >&2; cat "$3" >&2; exit 1; }
    sleep 0.25
  done
  echo "no answer from $1 within 60 s; log: $3" >&2; exit 1
}

timeout 900 dotnet "$bench_dll" chat-sims --chats "$BENCH_TG_CHATS" --seconds 600 </dev/null >"$work/sims.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do grep -q '^slack-hooks ' "$work/sims.log" && break; sleep 0.25; done
telegram_api=$(awk '$1 == "telegram" { print $2 }' "$work/sims.log")
slack_api=$(awk '$1 == "slack" { print $2 }' "$work/sims.log")
slack_hooks=$(awk '$1 == "slack-hooks" { print $2 }' "$work/sims.log")
[[ -n $slack_hooks ]] || { echo "the simulators did not start:" >&2; cat "$work/sims.log" >&2; exit 1; }

env ChatOps__Mode=sandbox Urls="http://127.0.0.1:$bot_port" Console__Enabled=false ConnectionStrings__ChatOps="$store" \
  Telegram__BotToken=123456:TEST Telegram__ApiBaseUrl="$telegram_api" Telegram__EditInterval=00:00:00 \
  Telegram__WebhookUrl=https://bench.invalid/telegram/webhook Telegram__WebhookSecret="$BENCH_TELEGRAM_SECRET" \
  Slack__BotToken=xoxb-test Slack__SigningSecret="$BENCH_SLACK_SECRET" Slack__ApiBaseUrl="$slack_api" \
  timeout 900 dotnet "$host_dll" </dev/null >"$work/bot.log" 2>&1 &
bot=$!
pids+=($bot)
timeout 900 dotnet "$bench_dll" minimal-endpoint --url "http://127.0.0.1:$minimal_port" --seconds 600 </dev/null >"$work/minimal.log" 2>&1 &
minimal=$!
pids+=($minimal)
wait_for "http://127.0.0.1:$bot_port/health" "$bot" "$work/bot.log"
wait_for "http://127.0.0.1:$minimal_port/health" "$minimal" "$work/minimal.log"

# Measure while holding the shared build lock, so nobody's build competes for the two cores.
exec 9>"$lock"
flock -w 600 9
echo "$(nproc) cores, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD), load average: $(cut -d' ' -f1-3 /proc/loadavg)"

declare -A rps p99
measure() {  # name base_url lua [env...]
  local name=$1 url=$2 script=$3
  shift 3
  # Warm-up (JIT, pools) with update ids of its own, so the measured run sends no duplicate.
  env "$@" BENCH_TG_WARMUP=1 timeout 60 wrk -t"$threads" -c"$connections" -d"$warmup" -s "$script" "$url" >/dev/null
  echo "== $name: wrk -t$threads -c$connections -d$duration --latency -s $script $url $*"
  env "$@" timeout 60 wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$script" "$url" | tee "$work/$name.out"
  rps[$name]=$(awk '/^Requests\/sec:/ { print $2 }' "$work/$name.out")
  p99[$name]=$(awk '$1 == "99%" { print $2 }' "$work/$name.out")
  if grep -q 'Non-2xx' "$work/$name.out"; then echo "!! $name had non-2xx answers" >&2; fi
}
slack_lua() { python3 bench/wrk/slack-bodies.py "$work/slack.lua" 60000 "$slack_hooks" && echo "$work/slack.lua"; }

tg=bench/wrk/telegram-update.lua
measure minimal-telegram "http://127.0.0.1:$minimal_port" $tg BENCH_TG_TEXT=/whoami BENCH_TG_BASE=1000000
measure bot-telegram-no-store "http://127.0.0.1:$bot_port" $tg BENCH_TG_TEXT=hello BENCH_TG_BASE=100000000
measure minimal-slack "http://127.0.0.1:$minimal_port" "$(slack_lua)"
before=$(psql_wrk "SELECT count(*) FROM processed_updates WHERE platform = 'slack'")
measure bot-slack-ack "http://127.0.0.1:$bot_port" "$(slack_lua)"
sleep 2
after=$(psql_wrk "SELECT count(*) FROM processed_updates WHERE platform = 'slack'")
echo "slack commands recorded in processed_updates during the run and 2 s after: $((after - before)); turned away as busy (work queue full): $(grep -o 'turned away [0-9]*' "$work/bot.log" | awk '{ n += $3 } END { print n + 0 }')"
before=$(psql_wrk "SELECT count(*) FROM processed_updates WHERE platform = 'telegram'")
measure bot-telegram-store "http://127.0.0.1:$bot_port" $tg BENCH_TG_TEXT=/whoami BENCH_TG_BASE=200000000
after=$(psql_wrk "SELECT count(*) FROM processed_updates WHERE platform = 'telegram'")
echo "telegram /whoami updates recorded in processed_updates: $((after - before)) (warm-up included)"
# The reply rides back on the webhook's answer (a sendMessage call Telegram makes for the bot): show that it does.
answer=$(curl -fs -H "X-Telegram-Bot-Api-Secret-Token: $BENCH_TELEGRAM_SECRET" -H 'Content-Type: application/json' \
  -d '{"update_id":999999999,"message":{"message_id":9,"date":1764600000,"chat":{"id":-1001000,"type":"supergroup","title":"bench"},"from":{"id":111,"is_bot":false,"first_name":"Bench"},"text":"/whoami","entities":[{"type":"bot_command","offset":0,"length":7}]}}' \
  "http://127.0.0.1:$bot_port/telegram/webhook")
echo "the /whoami reply in the webhook's answer: $(grep -q '"method":"sendMessage"' <<<"$answer" && echo yes || echo "no: $answer")"
insert_loop() {  # name label [--multiplexing]
  local name=$1 label=$2
  shift 2
  echo "== $label: dotnet $bench_dll insert-loop --concurrency $connections --seconds ${duration%s} $*"
  timeout 120 dotnet "$bench_dll" insert-loop --concurrency "$connections" --seconds "${duration%s}" "$@" | tee "$work/$name.out"
  rps[$name]=$(sed -n 's/.* = \([0-9.]*\)\/s.*/\1/p' "$work/$name.out")
  p99[$name]=$(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1ms/p' "$work/$name.out")
}
insert_loop insert "insert loop"
insert_loop insert-mux "insert loop, multiplexed as the bot's update log" --multiplexing
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); bot RSS $(ps -o rss= -p "$(pgrep -P "$bot" | head -n 1)" | awk '{printf "%.0f MiB", $1/1024}')"

echo
echo "| what | requests/s | p99 |"
echo "| --- | ---: | ---: |"
for name in minimal-telegram bot-telegram-no-store minimal-slack bot-slack-ack bot-telegram-store insert insert-mux; do
  echo "| $name | ${rps[$name]} | ${p99[$name]} |"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f %%", 100 * a / b }'; }
echo "bot Telegram, refused before the store (not a command) / minimal endpoint: $(ratio "${rps[bot-telegram-no-store]}" "${rps[minimal-telegram]}") (goal >= 50 %)"
echo "bot Slack, acknowledged before the work / minimal endpoint: $(ratio "${rps[bot-slack-ack]}" "${rps[minimal-slack]}") (goal >= 50 %)"
echo "bot Telegram /whoami with the store / insert loop: $(ratio "${rps[bot-telegram-store]}" "${rps[insert]}") (goal >= 65 %)"
echo "bot Telegram /whoami with the store / insert loop multiplexed as the bot's update log: $(ratio "${rps[bot-telegram-store]}" "${rps[insert-mux]}") (for reading the one above)"
