#!/usr/bin/env bash
# parley's own Asterisk, without Docker: a Debian sid chroot with apt's Asterisk (22.10.1+),
# built once into a cache outside the clone, configured from asterisk-config/ on every start.
#
#   scripts/asterisk.sh up       build the root if needed, install config and prompts; a running Asterisk
#                                reloads what changed in place (calls stay up), a stopped one is started
#   scripts/asterisk.sh restart  install, then stop and start Asterisk (ends every call)
#   scripts/asterisk.sh down     stop Asterisk
#   scripts/asterisk.sh status   is it running, which version
#   scripts/asterisk.sh cli [CMD]  attach a console, or run one CLI command
#   scripts/asterisk.sh install  build the root if needed, install config and prompts (start nothing)
#   scripts/asterisk.sh root     print the chroot's path
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=${PARLEY_ASTERISK_ROOT:-/var/cache/parley/asterisk-root}
MIN_VERSION=22.10.1
ARI_URL=${ARI_URL:-http://127.0.0.1:8088}
PACKAGES="asterisk asterisk-modules asterisk-core-sounds-en-wav asterisk-moh-opsound-wav"

step() { printf '[asterisk] %s\n' "$*" >&2; }
die() { printf '[asterisk] error: %s\n' "$*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "must run as root (debootstrap and chroot need it)"; }
in_root() { chroot "$ROOT" "$@"; }

# The host's own Debian mirror, so the chroot comes from wherever this machine's apt already points.
debian_mirror() {
  if [ -n "${PARLEY_DEBIAN_MIRROR:-}" ]; then echo "$PARLEY_DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  [ -n "$uri" ] || uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  [ -n "$uri" ] || die "no Debian mirror found in /etc/apt; set PARLEY_DEBIAN_MIRROR"
  echo "$uri"
}

version_ok() { # $1 = installed version like 1:22.10.1~dfsg+~cs6.15.60671435-1
  local v=${1#*:}; v=${v%%[~+-]*}
  [ "$(printf '%s\n%s\n' "$MIN_VERSION" "$v" | sort -V | head -n1)" = "$MIN_VERSION" ]
}

build_root() {
  need_root
  if ! command -v debootstrap >/dev/null; then
    step "installing debootstrap on the host"
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  fi
  local tmp="$ROOT.building" start=$SECONDS
  rm -rf "$tmp"; mkdir -p "$(dirname "$ROOT")"
  step "debootstrap sid into $tmp (first run only, about a minute)"
  debootstrap --variant=minbase sid "$tmp" "$(debian_mirror)" >"$tmp.log" 2>&1 || die "debootstrap failed, see $tmp.log"
  step "apt-get install $PACKAGES inside the chroot (about 30 s)"
  mount -t proc proc "$tmp/proc"
  trap 'umount "$tmp/proc" 2>/dev/null || true' EXIT
  chroot "$tmp" apt-get -o Acquire::Check-Valid-Until=false -qq update >>"$tmp.log" 2>&1 || die "apt update failed, see $tmp.log"
  DEBIAN_FRONTEND=noninteractive chroot "$tmp" apt-get -o Acquire::Check-Valid-Until=false install -y -qq \
    --no-install-recommends $PACKAGES >>"$tmp.log" 2>&1 || die "apt install failed, see $tmp.log"
  chroot "$tmp" apt-get clean
  umount "$tmp/proc"; trap - EXIT
  local version
  version=$(chroot "$tmp" dpkg-query -W -f='${Version}' asterisk)
  version_ok "$version" || die "Asterisk $version is older than $MIN_VERSION"
  step "Asterisk $version installed; making its directories root-owned"
  # var/run is an absolute symlink to /run in sid: always use run/ so the host's /run is never touched.
  # The chroot's asterisk user maps to a foreign uid on the host: run as root and own everything as root,
  # or Asterisk fails with "ASTdb initialization failed".
  for d in var/lib/asterisk var/spool/asterisk var/log/asterisk run/asterisk etc/asterisk; do
    mkdir -p "$tmp/$d"; chown -R root:root "$tmp/$d"
  done
  mkdir -p "$tmp/var/spool/asterisk/recording"
  echo "$version" >"$tmp/.parley-ready"
  rm -rf "$ROOT"; mv "$tmp" "$ROOT"; mv "$tmp.log" "$ROOT.log"
  step "root ready in $((SECONDS - start)) s"
}

# Files whose changes `core reload` cannot apply: a running Asterisk needs a restart for them.
RESTART_ONLY="asterisk.conf modules.conf stasis.conf"

# Writes the configuration into $1 (a fresh directory).
render_config() {
  : "${ARI_USERNAME:?ARI_USERNAME must be set (see .env.example)}"
  : "${ARI_PASSWORD:?ARI_PASSWORD must be set (see .env.example)}"
  local etc=$1
  cp "$here"/asterisk-config/*.conf "$etc/"
  # ari.conf carries placeholders only; the credentials come from the environment at every start.
  local user pass
  user=$(printf '%s' "$ARI_USERNAME" | sed 's/[&/\]/\\&/g'); pass=$(printf '%s' "$ARI_PASSWORD" | sed 's/[&/\]/\\&/g')
  sed -i "s/@ARI_USERNAME@/$user/; s/@ARI_PASSWORD@/$pass/" "$etc/ari.conf"
  bash "$here/asterisk-config/render-gateway.sh" >"$etc/pjsip_gateway.conf" || die "could not write the gateway configuration"
  chmod 600 "$etc"/*.conf
}

# Installs the configuration; prints the names of the files that changed (nothing when none did).
install_config() {
  local etc="$ROOT/etc/asterisk" next f
  next=$(mktemp -d "$ROOT/etc/asterisk.next.XXXXXX")
  render_config "$next"
  for f in "$etc"/*.conf; do [ -e "$f" ] && [ ! -e "$next/$(basename "$f")" ] && basename "$f"; done
  for f in "$next"/*.conf; do cmp -s "$f" "$etc/$(basename "$f")" || basename "$f"; done
  find "$etc" -maxdepth 1 -type f -name '*.conf' -delete
  cp -p "$next"/*.conf "$etc/"
  rm -rf "$next"
  grep -qw "$(hostname)" "$ROOT/etc/hosts" 2>/dev/null || printf '127.0.1.1 %s\n' "$(hostname)" >>"$ROOT/etc/hosts"
  mkdir -p "$ROOT/var/spool/asterisk/recording" "$ROOT/run/asterisk"
}

# Each language's parley/ is a symlink to a versioned folder, swapped in one rename so a call
# playing a prompt during the install never finds it half-copied.
install_prompts() {
  local src="$here/build/sounds"
  [ -d "$src" ] || { step "no build/sounds yet: run 'npm run prompts' (the fallback prompt will be missing)"; return; }
  local dir lang target fresh old
  for dir in "$src"/*/; do
    lang=$(basename "$dir")
    # Debian's language folders are absolute symlinks (en -> /etc/alternatives/...): resolve them inside the root.
    target=$ROOT$(in_root readlink -m "/usr/share/asterisk/sounds/$lang")
    mkdir -p "$target"
    diff -rq "$dir/parley" "$target/parley/" >/dev/null 2>&1 && continue
    fresh="parley.$(date +%s%N)"
    cp -r "$dir/parley" "$target/$fresh"
    # A plain folder left by an older install: move it aside so the symlink can take its place.
    if [ -d "$target/parley" ] && [ ! -L "$target/parley" ]; then mv "$target/parley" "$target/parley.old.$$"; fi
    ln -sfn "$fresh" "$target/parley.link.$$"
    mv -T "$target/parley.link.$$" "$target/parley"
    for old in "$target"/parley.*; do [ "$(basename "$old")" = "$fresh" ] || rm -rf "$old"; done
  done
}

pid() { cat "$ROOT/run/asterisk/asterisk.pid" 2>/dev/null || true; }
running() { local p; p=$(pid); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

ari_ready() {
  curl -fsS -m 2 -u "$ARI_USERNAME:$ARI_PASSWORD" "$ARI_URL/ari/asterisk/ping" >/dev/null 2>&1
}

channels() { in_root /usr/sbin/asterisk -rx 'core show channels count' 2>/dev/null | awk '/active channel/ {print $1}'; }

# Asterisk must not hold the caller's open files (a test's lock, a terminal): close every descriptor
# above stderr and leave the caller's session.
start() {
  mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
  step "starting Asterisk $(cat "$ROOT/.parley-ready")"
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
    done
    # -g: a crash leaves a core file in the chroot's / (its working directory) to find out what it was doing.
    exec env -u PARLEY_TEST_RUN setsid chroot "$ROOT" /usr/sbin/asterisk -n -g -U root -G root </dev/null >/dev/null 2>&1
  )
  wait_for_ari 100
}

wait_for_ari() { # $1 = tries, 0.2 s apart
  for _ in $(seq 1 "$1"); do
    if ari_ready; then step "ARI answers on $ARI_URL"; return 0; fi
    sleep 0.2
  done
  return 1
}

prepare() {
  need_root
  [ -f "$ROOT/.parley-ready" ] || build_root
  step "installing asterisk-config/ and prompts into the root"
  changed=$(install_config)
  install_prompts
}

up() {
  prepare
  if ! running; then
    start || die "ARI did not answer on $ARI_URL within 20 s; see $ROOT/var/log/asterisk/messages.log"
    return 0
  fi
  local f needs_restart=""
  for f in $changed; do case " $RESTART_ONLY " in *" $f "*) needs_restart=$f ;; esac; done
  if [ -n "$needs_restart" ] && [ "$(channels)" = 0 ]; then
    step "$needs_restart changed and no call is up: restarting"
    down; start || die "ARI did not answer on $ARI_URL within 20 s"
    return 0
  fi
  [ -z "$needs_restart" ] || step "warning: $needs_restart changed but calls are up; run 'scripts/asterisk.sh restart' to apply it"
  if [ -n "$changed" ]; then
    step "already running (pid $(pid)); reloading the changed configuration in place: $(echo $changed)"
    in_root /usr/sbin/asterisk -rx 'core reload' >/dev/null 2>&1 || step "warning: core reload failed"
  else
    step "already running (pid $(pid)); configuration unchanged"
  fi
  wait_for_ari 50 && return 0
  step "running but ARI does not answer: restarting"
  down; start || die "ARI did not answer on $ARI_URL within 20 s; see $ROOT/var/log/asterisk/messages.log"
}

restart() {
  prepare
  down
  start || die "ARI did not answer on $ARI_URL within 20 s; see $ROOT/var/log/asterisk/messages.log"
}

down() {
  running || { step "not running"; return 0; }
  local p; p=$(pid)
  in_root /usr/sbin/asterisk -rx 'core stop now' >/dev/null 2>&1 || kill "$p" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || { step "stopped"; return 0; }; sleep 0.1; done
  kill -9 "$p" 2>/dev/null || true
  step "killed"
}

status() {
  if running; then
    echo "running (pid $(pid)), $(in_root /usr/sbin/asterisk -rx 'core show version' 2>/dev/null | head -n1)"
  else
    echo "stopped${ROOT:+ (root: $([ -f "$ROOT/.parley-ready" ] && echo "ready, $(cat "$ROOT/.parley-ready")" || echo 'not built'))}"
    return 3
  fi
}

case "${1:-}" in
  up) up ;;
  restart) restart ;;
  down) down ;;
  status) status ;;
  build) need_root; [ -f "$ROOT/.parley-ready" ] || build_root ;;
  install) prepare ;;
  cli) shift; if [ $# -gt 0 ]; then in_root /usr/sbin/asterisk -rx "$*"; else in_root /usr/sbin/asterisk -r; fi ;;
  root) echo "$ROOT" ;;
  *) echo "usage: $0 up|restart|down|status|build|install|cli [command]|root" >&2; exit 2 ;;
esac
