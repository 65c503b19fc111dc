#!/usr/bin/env bash
# `npm run test:cluster` (and the end of `npm test`): the end-to-end tests of parley past one media
# server (test/cluster/), against the cluster scripts/cluster.sh runs on this machine: Kamailio on
# 127.0.0.1:5060, Asterisk nodes on 127.0.0.2 and 127.0.0.3, two parley instances, one fresh database.
# The single-box Asterisk gives up 5060 meanwhile, and is brought back afterwards, whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "[test:cluster] starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
export ARI_USERNAME=${ARI_USERNAME:-parley-test}
export ARI_PASSWORD=${ARI_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')}
export API_TOKEN=${CLUSTER_API_TOKEN:-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}
export NAME_RECORDING_SECONDS=0
database=parley_cluster_test
admin=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
export DATABASE_URL="${admin%/*}/$database"
# Whatever a killed earlier run left: its instances, nodes and Kamailio.
bash scripts/cluster.sh down >/dev/null 2>&1 || true
psql -q "$admin" -c "drop database if exists $database" -c "create database $database"
[ -f dist/main.js ] || npm run --silent build
finish() {
  local status=$?
  # A failed run's parley side, for a CI log that is all one has: each instance's warnings and errors.
  if [ "$status" -ne 0 ]; then
    for log in "${PARLEY_CLUSTER_DIR:-/var/cache/parley/cluster}"/parley-*.log; do
      [ -f "$log" ] || continue
      echo "[test:cluster] the last warnings and errors of $(basename "$log"):" >&2
      grep -E '"level":(40|50|60)' "$log" | tail -n 40 >&2 || true
    done
  fi
  bash scripts/cluster.sh down || true
  bash scripts/asterisk.sh up >/dev/null || echo "[test:cluster] warning: the single-box Asterisk did not come back" >&2
  psql -q "$admin" -c "drop database if exists $database" >/dev/null 2>&1 || true
  echo "[test:cluster] done in $((SECONDS - start)) s" >&2
  exit $status
}
trap finish EXIT
# The cluster's tests are one client of one parley app: none of the single box's per-worker test slots
# (with them, callers would ask the nodes for a slot's Stasis app that no instance registers).
env -u PARLEY_TEST_SLOTS bash scripts/cluster.sh up
env -u PARLEY_TEST_SLOTS npx vitest run --config vitest.cluster.config.ts "$@"
