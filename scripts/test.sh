#!/usr/bin/env bash
# The whole suite: lint, Django checks, then pytest on SQLite and on PostgreSQL.
# PostgreSQL is used whenever reachable (127.0.0.1:5432 or WEIBAO_TEST_POSTGRES_URL);
# with CI=true it is required (started when installed but stopped), and so is Chromium.
# The two pytest passes run at the same time (one per core), each with its own WEIBAO_VAR_DIR
# and temporary directory; each one's output is kept in a file and printed whole when both
# have ended (WEIBAO_TEST_SERIAL=1 runs them one after the other, printing as they go).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
ci=${CI:-false}
status=0
failed=()
export WEIBAO_VAR_DIR=${WEIBAO_VAR_DIR:-$PWD/var/test}
mkdir -p "$WEIBAO_VAR_DIR"

step() { printf '\n== %s\n' "$*"; }
# run NAME CMD...: run a step, remember its name when it fails.
run() { local name=$1; shift; "$@" || { failed+=("$name"); status=1; }; }

step "ruff"
run "ruff check" $BIN/ruff check .
run "ruff format" $BIN/ruff format --check .

step "import contracts (.importlinter)"
run "lint-imports" $BIN/lint-imports --no-cache

step "manage.py check / makemigrations --check"
run "manage.py check" $BIN/weibao check --fail-level WARNING
run "makemigrations --check" $BIN/weibao makemigrations --check --dry-run

if scripts/ensure-browser.sh; then
  export WEIBAO_BROWSER_TESTS=1
elif [ "$ci" = true ]; then
  echo "CI needs Chromium for the browser tests and it could not be installed." >&2
  exit 1
else
  echo "Browser tests will be skipped: no Chromium."
fi

pg_url=${WEIBAO_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/weibao}
# Redis is the broker of the Celery worker test (PostgreSQL pass); start it when installed.
scripts/services.sh redis || echo "Redis not available: the Celery worker test will skip (CI fails it)."
# Mosquitto is the broker of the MQTT alarm listener tests.
scripts/services.sh mosquitto || echo "Mosquitto not available: the MQTT listener tests will skip (CI fails them)."
postgres=false
if scripts/services.sh postgres; then
  postgres=true
elif [ "$ci" = true ]; then
  echo "CI=true needs PostgreSQL at $pg_url and it could not be reached or started." >&2
  echo "Install PostgreSQL (Debian: postgresql) or set WEIBAO_TEST_POSTGRES_URL." >&2
  exit 1
else
  echo "PostgreSQL not reachable at $pg_url: the PostgreSQL pass is skipped (CI requires it)."
fi

# pass_cmd KEY DATABASE_URL ARGS...: the pytest command of one pass, in its own var directory
# (files, SQLite databases of subprocesses, backups) and its own pytest temporary directory;
# it ends with the 20 slowest setups and calls, to see where the suite's time goes.
pass_cmd() {
  local key=$1 url=$2; shift 2
  local var="$WEIBAO_VAR_DIR/$key"
  mkdir -p "$var"
  passes+=("$key")
  cmds[$key]="$(printf '%q ' env WEIBAO_DATABASE_URL="$url" WEIBAO_VAR_DIR="$var" \
    $BIN/pytest -p no:cacheprovider --durations=20 --basetemp="$var/pytest-tmp" "$@")"
}
declare -A cmds titles names logs pids keys
passes=()
pass_cmd sqlite "" "$@"
titles[sqlite]="pytest on SQLite"
names[sqlite]="pytest (SQLite)"
if [ "$postgres" = true ]; then
  pass_cmd postgres "$pg_url" "$@"
  titles[postgres]="pytest on PostgreSQL ($pg_url)"
  names[postgres]="pytest (PostgreSQL)"
fi

if [ "${WEIBAO_TEST_SERIAL:-0}" != 0 ] || [ ${#passes[@]} -lt 2 ]; then
  for key in "${passes[@]}"; do
    step "${titles[$key]}"
    run "${names[$key]}" bash -c "${cmds[$key]}"
  done
else
  logs_dir=$(mktemp -d "${TMPDIR:-/tmp}/weibao-test.XXXXXX")
  # Stop both passes when this script is interrupted.
  trap 'for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p"; done; exit 130' INT TERM
  started=$SECONDS
  step "pytest on SQLite and on PostgreSQL at the same time (output follows when both end)"
  for key in "${passes[@]}"; do
    logs[$key]="$logs_dir/$key.log"
    setsid -w bash -c "${cmds[$key]}" >"${logs[$key]}" 2>&1 </dev/null &
    pids[$key]=$!
    keys[$!]=$key
  done
  declare -A rcs
  for _ in "${passes[@]}"; do
    wait -n -p ended "${pids[@]}"
    rc=$?
    key=${keys[$ended]}
    unset "pids[$key]"
    rcs[$key]=$rc
    printf '%s ended after %ss (exit %s)\n' "${names[$key]}" $((SECONDS - started)) "$rc"
  done
  trap - INT TERM
  for key in "${passes[@]}"; do
    step "${titles[$key]}"
    cat "${logs[$key]}"
    [ "${rcs[$key]}" -eq 0 ] || { failed+=("${names[$key]}"); status=1; }
  done
  rm -rf "$logs_dir"
fi

if [ $status -ne 0 ]; then
  printf '\nFAILED steps: %s\n' "${failed[*]}"
fi
exit $status
