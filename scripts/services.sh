#!/usr/bin/env bash
# Starts the local services the tests use when they are installed but stopped.
# Usage: scripts/services.sh postgres|redis|mosquitto   (exit 0 when the service answers afterwards)
set -uo pipefail

pg_url=${WEIBAO_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/weibao}

postgres_up() {
  .venv/bin/python - "$pg_url" <<'PY' 2>/dev/null
import sys, psycopg, dj_database_url
cfg = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"],
                password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
PY
}

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
mosquitto_up() { (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; }

case "${1:-}" in
  postgres)
    postgres_up && exit 0
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      for version in $(ls /etc/postgresql); do
        pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
      done
      for _ in $(seq 1 20); do postgres_up && exit 0; sleep 0.5; done
    fi
    exit 1 ;;
  redis)
    redis_up && exit 0
    if command -v redis-server >/dev/null 2>&1; then
      mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 || true
      for _ in $(seq 1 20); do redis_up && exit 0; sleep 0.25; done
    fi
    exit 1 ;;
  mosquitto)
    mosquitto_up && exit 0
    if command -v mosquitto >/dev/null 2>&1; then
      mosquitto -d -p 1883 >/dev/null 2>&1 || true
      for _ in $(seq 1 20); do mosquitto_up && exit 0; sleep 0.25; done
    fi
    exit 1 ;;
  *) echo "usage: $0 postgres|redis|mosquitto" >&2; exit 2 ;;
esac
