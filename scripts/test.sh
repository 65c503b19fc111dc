#!/usr/bin/env bash
# `npm test`: every test, against the real parts. Sets up what it needs, fails loudly otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
PARLEY_WITH_CHROMIUM=1 bash scripts/host-deps.sh
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "[test] starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
export ARI_USERNAME=${ARI_USERNAME:-parley-test}
export ARI_PASSWORD=${ARI_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')}
export PARLEY_TEST_SLOTS=${PARLEY_TEST_SLOTS:-8}
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
echo "[test] typecheck, lint and architecture rules" >&2
npm run --silent typecheck
npm run --silent lint
npm run --silent build
npm run --silent prompts
bash scripts/asterisk.sh up
npx vitest run "$@"
# The cluster's own end-to-end tests (test/cluster/) need 127.0.0.1:5060 for Kamailio: after the rest,
# and only when the whole suite runs.
if [ $# -eq 0 ]; then bash scripts/test-cluster.sh; fi
echo "[test] done in $((SECONDS - start)) s" >&2
