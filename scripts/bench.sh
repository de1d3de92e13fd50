#!/usr/bin/env bash
# Runs every benchmark under bench/; each prints one JSON line per figure.
set -uo pipefail
cd "$(dirname "$0")/.."
export WEIBAO_VAR_DIR=${WEIBAO_VAR_DIR:-$PWD/var/bench}
.venv/bin/weibao migrate --noinput -v0
status=0
for script in bench/bench_*.py; do
  [ -e "$script" ] || continue
  echo "# $script" >&2
  args=()
  # The queue at 1,000,000 tickets by default (issue 12); BENCH_QUEUE_TICKETS=100000 for less.
  [ "$script" = bench/bench_queue.py ] && args=(--tickets "${BENCH_QUEUE_TICKETS:-1000000}")
  # The alarm storm at 100,000 alarms by default (issue 13); BENCH_ALARMS_STORM=20000 for less.
  [ "$script" = bench/bench_alarms.py ] && args=(--storm "${BENCH_ALARMS_STORM:-100000}")
  .venv/bin/python "$script" "${args[@]}" || status=1
done
exit $status
