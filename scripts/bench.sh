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
  .venv/bin/python "$script" || status=1
done
exit $status
