#!/usr/bin/env bash
# `npm start`: the whole product on this machine. Asterisk in its chroot, the database (embedded
# unless DATABASE_URL is set), the API and the attendant.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
[ -f .env ] && . ./.env
# First run without a .env: generate the secrets once and keep them, readable by root only.
if [ -z "${ARI_PASSWORD:-}" ] || [ -z "${API_TOKEN:-}" ]; then
  mkdir -p data
  if [ ! -f data/secrets.env ]; then
    umask 077
    printf 'ARI_USERNAME=parley\nARI_PASSWORD=%s\nAPI_TOKEN=%s\n' "$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" \
      "$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" >data/secrets.env
    echo "[start] generated ARI_PASSWORD and API_TOKEN in data/secrets.env (use API_TOKEN as the API's Bearer token)" >&2
  fi
  . ./data/secrets.env
fi
set +a
bash scripts/host-deps.sh
npm run --silent build
npm run --silent prompts
bash scripts/asterisk.sh up
exec node dist/main.js
