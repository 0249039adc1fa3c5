#!/usr/bin/env bash
# Starts a throwaway Prometheus on 127.0.0.1 for the bake tests, scraping the given targets every second.
#   scripts/prometheus.sh start <dir> <port> <target>...   -> starts it, waits until it is ready, prints its URL
#   scripts/prometheus.sh stop <dir>                       -> stops it by the PID in <dir>/prometheus.pid
# A target is host:port; its metrics are read from /metrics. honor_labels keeps the scraped `instance` label
# (the machine id, as Fly's proxy labels it) instead of Prometheus's own host:port.
set -euo pipefail

bin=$(command -v prometheus || true)
if [[ -z "$bin" ]]; then
  echo "prometheus not found (install the Debian package 'prometheus')." >&2
  exit 3
fi

ready() {
  if command -v curl >/dev/null 2>&1; then
    curl -sf "http://127.0.0.1:$1/-/ready" >/dev/null 2>&1
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

case "${1:-}" in
  start)
    dir=$2 port=$3
    shift 3
    if (( $# == 0 )); then
      echo "usage: $0 start <dir> <port> <target>..." >&2
      exit 2
    fi
    rm -rf "$dir" && mkdir -p "$dir/data"
    {
      echo "global:"
      echo "  scrape_interval: 1s"
      echo "  scrape_timeout: 1s"
      echo "  evaluation_interval: 1s"
      echo "scrape_configs:"
      echo "  - job_name: targets"
      echo "    honor_labels: true"
      echo "    static_configs:"
      echo "      - targets:"
      for target in "$@"; do echo "          - '$target'"; done
    } >"$dir/prometheus.yml"
    nohup "$bin" --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
      --storage.tsdb.retention.time=2h --web.listen-address="127.0.0.1:$port" --log.level=warn \
      >"$dir/prometheus.log" 2>&1 </dev/null &
    echo $! >"$dir/prometheus.pid"
    for _ in $(seq 1 300); do
      if ready "$port"; then
        echo "http://127.0.0.1:$port"
        exit 0
      fi
      if ! kill -0 "$(cat "$dir/prometheus.pid")" 2>/dev/null; then
        echo "prometheus exited at start:" >&2
        tail -n 20 "$dir/prometheus.log" >&2
        exit 1
      fi
      sleep 0.1
    done
    echo "prometheus was not ready on 127.0.0.1:$port within 30 s" >&2
    kill "$(cat "$dir/prometheus.pid")" 2>/dev/null || true
    exit 1
    ;;
  stop)
    dir=$2
    if [[ -f "$dir/prometheus.pid" ]]; then
      pid=$(cat "$dir/prometheus.pid")
      if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 100); do
          kill -0 "$pid" 2>/dev/null || break
          sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$dir/prometheus.pid"
    fi
    ;;
  *)
    echo "usage: $0 start <dir> <port> <target>... | stop <dir>" >&2
    exit 2
    ;;
esac
