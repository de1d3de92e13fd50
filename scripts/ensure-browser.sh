#!/usr/bin/env bash
# Makes Debian's Chromium (and CJK fonts) available for the browser tests.
# Installs them with apt-get when missing and we are root; otherwise says what is missing.
set -uo pipefail
browser=${WEIBAO_CHROMIUM:-/usr/bin/chromium}
if [ -x "$browser" ] && fc-list 2>/dev/null | grep -qi "CJK"; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium and CJK fonts with apt-get (once)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
[ -x "$browser" ] && exit 0
echo "Chromium not found at $browser (install Debian's chromium, or set WEIBAO_CHROMIUM)." >&2
exit 1
