#!/usr/bin/env bash
# parley past one media server, on this one machine (README, "Beyond one media server"): Kamailio on
# 127.0.0.1:5060 in front of two Asterisk media nodes on 127.0.0.2 and 127.0.0.3 (own configuration,
# database, spool, log and RTP ranges, from the same cached root as scripts/asterisk.sh), and one parley
# process per node on one PostgreSQL.
#
#   scripts/cluster.sh up       (npm run cluster)          start what is not running
#   scripts/cluster.sh down     (npm run cluster -- down)  stop everything it started
#   scripts/cluster.sh status
#
# The single-box Asterisk listens on 0.0.0.0:5060 and is stopped first: Kamailio takes 127.0.0.1:5060.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=${PARLEY_ASTERISK_ROOT:-/var/cache/parley/asterisk-root}
RUN=${PARLEY_CLUSTER_DIR:-/var/cache/parley/cluster}
INGRESS=127.0.0.1:5060
# name, address, first and last RTP port, parley's HTTP port
# (the single box's RTP range, free while it is stopped; the test suite's SIPp ports start at 22000)
NODES=("a 127.0.0.2 10000 14999 3101" "b 127.0.0.3 15000 19999 3102")

step() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }
in_root() { chroot "$ROOT" "$@"; }
# Running, and not a zombie: a killed daemon whose parent does not reap it still answers kill -0.
alive() {
  [ -f "$1" ] || return 1
  local pid
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null
}

: "${ARI_USERNAME:?ARI_USERNAME must be set (see .env.example)}"
: "${ARI_PASSWORD:?ARI_PASSWORD must be set (see .env.example)}"

# One node's configuration: the installed one, with its own directories, addresses and RTP range.
node_config() { # name address rtp_first rtp_last
  local name=$1 address=$2 etc="$ROOT/etc/asterisk-node-$1"
  rm -rf "$etc"; mkdir -p "$etc"
  cp -p "$ROOT"/etc/asterisk/*.conf "$etc/"
  # [directories](!) is a template (ignored) in the single-box file: a node's must apply.
  sed -i "s/^\[directories\](!)/[directories]/; s#^astetcdir => .*#astetcdir => /etc/asterisk-node-$name#; \
    s#^astdbdir => .*#astdbdir => /var/lib/asterisk-node-$name#; s#^astspooldir => .*#astspooldir => /var/spool/asterisk-node-$name#; \
    s#^astrundir => .*#astrundir => /run/asterisk-node-$name#; s#^astlogdir => .*#astlogdir => /var/log/asterisk-node-$name#" "$etc/asterisk.conf"
  # Both nodes would report the same ID (from the MAC), and number their channels alike (epoch.sequence):
  # the system name prefixes every channel ID, which parley's roster keys calls by.
  sed -i "s/^\[options\]/[options]\nentityid = 02:00:00:00:00:0${address##*.}\nsystemname = node-$name/" "$etc/asterisk.conf"
  sed -i "s/^bind = 0.0.0.0:5060/bind = $address:5060/" "$etc/pjsip.conf"
  sed -i "s/^bindaddr = .*/bindaddr = $address/" "$etc/http.conf"
  sed -i "s/^rtpstart = .*/rtpstart = $3/; s/^rtpend = .*/rtpend = $4/" "$etc/rtp.conf"
  # Relay legs between the nodes: only the nodes' own addresses are taken as such.
  local addresses node
  addresses=$(for node in "${NODES[@]}"; do set -- $node; printf '%s,' "$2"; done)
  sed "s/@NODES@/${addresses%,}/; s/@APP@/${ARI_APP:-parley}/" "$here/deploy/cluster/pjsip-relay.conf" >>"$etc/pjsip.conf"
  for d in "var/lib/asterisk-node-$name" "var/spool/asterisk-node-$name" "run/asterisk-node-$name" "var/log/asterisk-node-$name" var/spool/asterisk/recording; do
    mkdir -p "$ROOT/$d"
  done
  # One recordings directory for all nodes (on separate hosts: shared storage), so that names recorded
  # or spoken on one node play on another, and parley finds every conference recording in one place.
  rm -rf "$ROOT/var/spool/asterisk-node-$name/recording"
  ln -s ../asterisk/recording "$ROOT/var/spool/asterisk-node-$name/recording"
}

start_node() { # name address
  local name=$1 address=$2
  if alive "$ROOT/run/asterisk-node-$name/asterisk.pid"; then step "node $name already running"; return; fi
  step "node $name: Asterisk on $address"
  mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
  (
    for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"; done
    exec setsid chroot "$ROOT" /usr/sbin/asterisk -C "/etc/asterisk-node-$name/asterisk.conf" -n -g -U root -G root </dev/null >/dev/null 2>&1
  )
  for _ in $(seq 1 100); do
    curl -fsS -m 2 -u "$ARI_USERNAME:$ARI_PASSWORD" "http://$address:8088/ari/asterisk/ping" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "node $name: ARI did not answer on http://$address:8088; see $ROOT/var/log/asterisk-node-$name/messages.log"
}

stop_node() { # name
  local pidfile="$ROOT/run/asterisk-node-$1/asterisk.pid"
  alive "$pidfile" || return 0
  local p; p=$(cat "$pidfile")
  in_root /usr/sbin/asterisk -C "/etc/asterisk-node-$1/asterisk.conf" -rx 'core stop now' >/dev/null 2>&1 || kill "$p" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || { step "node $1 stopped"; return 0; }; sleep 0.1; done
  kill -9 "$p" 2>/dev/null || true
}

start_ingress() {
  if alive "$RUN/kamailio.pid"; then step "Kamailio already running"; return; fi
  orphaned_ingress
  # Kamailio itself refuses to start over a pid file naming a process that is still there, zombie or not.
  rm -f "$RUN/kamailio.pid"
  # db_postgres: Kamailio reads from parley's database who is a user's device and whose a number is.
  { command -v kamailio >/dev/null && dpkg -s kamailio-postgres-modules >/dev/null 2>&1; } || {
    step "installing kamailio"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kamailio kamailio-postgres-modules >/dev/null
  }
  local list="$RUN/dispatcher.list" node
  : >"$list"
  # Algorithm 10 counts calls per duid and never sends a node more than maxload at once.
  for node in "${NODES[@]}"; do set -- $node; printf '1 sip:%s:5060 0 0 duid=node-%s;maxload=%s\n' "$2" "$1" "${NODE_MAX_CALLS:-400}" >>"$list"; done
  # Kamailio's own form of the URL: postgres://user[:password]@host[:port]/database, no query string.
  local db=${DATABASE_URL%%\?*}
  db=${db/#postgresql:/postgres:}
  db=${db//&/\\&}
  sed "s#@LISTEN@#$INGRESS#; s#@GATEWAY_NET@#${GATEWAY_MATCH:-127.0.0.1/32}#; s#@NODES_LIST@#$list#; s#@RUN_DIR@#$RUN#; s#@DB_URL@#$db#" \
    "$here/deploy/cluster/kamailio.cfg" >"$RUN/kamailio.cfg"
  kamailio -c -f "$RUN/kamailio.cfg" >"$RUN/kamailio-check.log" 2>&1 || die "the Kamailio configuration does not load: see $RUN/kamailio-check.log"
  step "Kamailio on $INGRESS"
  kamailio -f "$RUN/kamailio.cfg" -P "$RUN/kamailio.pid" -Y "$RUN" -w "$RUN" -E >"$RUN/kamailio.log" 2>&1 || die "Kamailio did not start: see $RUN/kamailio.log"
  for _ in $(seq 1 50); do alive "$RUN/kamailio.pid" && return 0; sleep 0.1; done
  die "Kamailio did not start: see $RUN/kamailio.log"
}

# CLUSTER_NODES for parley: every node's name and address.
cluster_nodes() {
  local node list=""
  for node in "${NODES[@]}"; do set -- $node; list="$list,node-$1=$2"; done
  printf '%s' "${list#,}"
}

start_parley() { # name address port
  local name=$1 address=$2 port=$3 pidfile="$RUN/parley-$1.pid"
  if alive "$pidfile"; then step "parley $name already running"; return; fi
  step "parley $name on 127.0.0.1:$port, for node $name (ARI http://$address:8088)"
  (
    for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"; done
    cd "$here"
    PORT=$port CLUSTER_NODES="$(cluster_nodes)" CLUSTER_HOME="node-$name" INSTANCE_NAME="parley-$name" INSTANCE_URL="http://127.0.0.1:$port" \
      exec setsid node dist/main.js </dev/null >>"$RUN/parley-$name.log" 2>&1
  ) &
  echo $! >"$pidfile"
  for _ in $(seq 1 100); do
    curl -fsS -m 2 "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    alive "$pidfile" || die "parley $name exited: see $RUN/parley-$name.log"
    sleep 0.2
  done
  die "parley $name did not answer on port $port: see $RUN/parley-$name.log"
}

stop_pid() { # pidfile what
  alive "$1" || return 0
  local p; p=$(cat "$1")
  kill "$p" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || { step "$2 stopped"; rm -f "$1"; return 0; }; sleep 0.1; done
  kill -9 "$p" 2>/dev/null || true; rm -f "$1"
}

up() {
  [ "$(id -u)" = 0 ] || die "must run as root (the Asterisk root is a chroot)"
  [ -f "$here/dist/main.js" ] || die "build parley first: npm run build"
  : "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL every parley instance shares}"
  mkdir -p "$RUN"
  bash "$here/scripts/asterisk.sh" install
  bash "$here/scripts/asterisk.sh" down
  local node
  for node in "${NODES[@]}"; do
    set -- $node
    alive "$ROOT/run/asterisk-node-$1/asterisk.pid" || node_config "$1" "$2" "$3" "$4"
    start_node "$1" "$2"
  done
  start_ingress
  for node in "${NODES[@]}"; do set -- $node; start_parley "$1" "$2" "$5"; done
  step "up: calls to sip:<access number>@$INGRESS"
}

down() {
  local node
  for node in "${NODES[@]}"; do set -- $node; stop_pid "$RUN/parley-$1.pid" "parley $1"; done
  stop_pid "$RUN/kamailio.pid" Kamailio
  orphaned_ingress
  for node in "${NODES[@]}"; do set -- $node; stop_node "$1"; done
}

# A Kamailio killed with -9 leaves its worker processes running, still holding the port: they go too.
orphaned_ingress() {
  pkill -9 -f "kamailio -f $RUN/kamailio.cfg" 2>/dev/null || true
  for _ in $(seq 1 50); do pgrep -f "kamailio -f $RUN/kamailio.cfg" >/dev/null || return 0; sleep 0.1; done
}

status() {
  local node
  alive "$RUN/kamailio.pid" && echo "Kamailio: running on $INGRESS" || echo "Kamailio: stopped"
  for node in "${NODES[@]}"; do
    set -- $node
    alive "$ROOT/run/asterisk-node-$1/asterisk.pid" && echo "node $1 ($2): running" || echo "node $1 ($2): stopped"
    alive "$RUN/parley-$1.pid" && echo "parley $1 (port $5): running" || echo "parley $1 (port $5): stopped"
  done
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
