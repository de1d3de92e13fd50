#!/usr/bin/env bash
# Creates the virtualenv and installs the locked dependencies plus Weibao itself.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
cd "$(dirname "$0")/.."

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Weibao needs Python ≥ 3.11 (found: $("$python" --version 2>&1)). Set PYTHON=python3.x." >&2
  exit 2
fi
# System libraries for PDF reports (WeasyPrint: Pango) and the CJK font they embed.
need=()
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || need+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${need[*]} with apt-get (PDF reports with Chinese text)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Warning: missing ${need[*]} — install them for PDF reports with Chinese text." >&2
  fi
fi

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
uv_version=$(sed -n 's/^uv==\([0-9.]*\).*/\1/p' requirements.lock)
"$venv/bin/uv" --version 2>/dev/null | grep -q "$uv_version" \
  || "$venv/bin/python" -m pip install -q --disable-pip-version-check "uv==$uv_version"
"$venv/bin/uv" pip sync -q --python "$venv/bin/python" requirements.lock
"$venv/bin/uv" pip install -q --python "$venv/bin/python" --no-deps -e .
echo "Environment ready in $venv"
