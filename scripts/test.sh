#!/usr/bin/env bash
# The whole suite: lint, Django checks, then pytest on SQLite and on PostgreSQL.
# PostgreSQL is used whenever reachable (127.0.0.1:5432 or WEIBAO_TEST_POSTGRES_URL);
# with CI=true it is required (started when installed but stopped), and so is Chromium.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
ci=${CI:-false}
status=0
failed=()
export WEIBAO_VAR_DIR=${WEIBAO_VAR_DIR:-$PWD/var/test}

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

step "pytest on SQLite"
run "pytest (SQLite)" env WEIBAO_DATABASE_URL= $BIN/pytest -p no:cacheprovider "$@"

pg_url=${WEIBAO_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/weibao}
# Redis is the broker of the Celery worker test (PostgreSQL pass); start it when installed.
scripts/services.sh redis || echo "Redis not available: the Celery worker test will skip (CI fails it)."
if scripts/services.sh postgres; then
  step "pytest on PostgreSQL ($pg_url)"
  run "pytest (PostgreSQL)" env WEIBAO_DATABASE_URL="$pg_url" $BIN/pytest -p no:cacheprovider "$@"
elif [ "$ci" = true ]; then
  echo "CI=true needs PostgreSQL at $pg_url and it could not be reached or started." >&2
  echo "Install PostgreSQL (Debian: postgresql) or set WEIBAO_TEST_POSTGRES_URL." >&2
  exit 1
else
  echo "PostgreSQL not reachable at $pg_url: the PostgreSQL pass is skipped (CI requires it)."
fi

if [ $status -ne 0 ]; then
  printf '\nFAILED steps: %s\n' "${failed[*]}"
fi
exit $status
