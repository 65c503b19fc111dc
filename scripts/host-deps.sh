#!/usr/bin/env bash
# Debian packages parley needs on the host: debootstrap builds the Asterisk root, espeak-ng and sox
# render prompts, postgresql's binaries run the embedded database (without DATABASE_URL), sip-tester
# (SIPp) places test calls, chromium runs page tests.
set -euo pipefail
need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v sox >/dev/null || need+=(sox)
command -v sipp >/dev/null || need+=(sip-tester)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ "${PARLEY_WITH_CHROMIUM:-0}" = 1 ] && { command -v chromium >/dev/null || need+=(chromium); }
[ ${#need[@]} -eq 0 ] && exit 0
[ "$(id -u)" = 0 ] || { echo "[host] missing ${need[*]}: run as root or install them with apt-get" >&2; exit 1; }
echo "[host] installing ${need[*]}" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
