#!/usr/bin/env bash
# Debian packages parley needs on the host: debootstrap builds the Asterisk root, espeak-ng and sox
# render prompts, postgresql's binaries run the embedded database (without DATABASE_URL), sip-tester
# (SIPp) places test calls, chromium runs page tests, python3-icalendar is the third parser the invitation
# tests read every .ics with (test/support/ics-python.py).
set -euo pipefail
need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v sox >/dev/null || need+=(sox)
command -v sipp >/dev/null || need+=(sip-tester)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# What only the tests use (scripts/test.sh asks for it).
[ "${PARLEY_WITH_CHROMIUM:-0}" = 1 ] && { command -v chromium >/dev/null || need+=(chromium); }
[ "${PARLEY_WITH_CHROMIUM:-0}" = 1 ] && { /usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1 || need+=(python3-icalendar); }
[ ${#need[@]} -eq 0 ] && exit 0
[ "$(id -u)" = 0 ] || { echo "[host] missing ${need[*]}: run as root or install them with apt-get" >&2; exit 1; }
echo "[host] installing ${need[*]}" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
