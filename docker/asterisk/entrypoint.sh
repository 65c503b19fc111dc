#!/usr/bin/env bash
# Installs /parley/asterisk-config/*.conf and /parley/sounds/ (both mounted read-only) the way
# scripts/asterisk.sh does for the sandbox, then runs Asterisk in the foreground as PID 1.
set -euo pipefail

config=/parley/asterisk-config
sounds=/parley/sounds
etc=/etc/asterisk

die() { printf '[asterisk] error: %s\n' "$*" >&2; exit 1; }

: "${ARI_USERNAME:?ARI_USERNAME must be set}"
: "${ARI_PASSWORD:?ARI_PASSWORD must be set}"

shopt -s nullglob
confs=("$config"/*.conf)
[ ${#confs[@]} -gt 0 ] || die "no *.conf in $config: mount asterisk-config/ there"
find "$etc" -maxdepth 1 -type f -name '*.conf' -delete
cp "${confs[@]}" "$etc/"

# ari.conf carries placeholders only; the credentials come from the environment at every start.
user=$(printf '%s' "$ARI_USERNAME" | sed 's/[&/\]/\\&/g')
pass=$(printf '%s' "$ARI_PASSWORD" | sed 's/[&/\]/\\&/g')
sed -i "s/@ARI_USERNAME@/$user/; s/@ARI_PASSWORD@/$pass/" "$etc/ari.conf"
chmod 600 "$etc/ari.conf"
bash "$config/render-gateway.sh" >"$etc/pjsip_gateway.conf"
chmod 600 "$etc/pjsip_gateway.conf"

# A missing bind source is created empty by Docker, which would silently drop the fallback prompt.
langs=("$sounds"/*/)
[ ${#langs[@]} -gt 0 ] || die "no prompts in $sounds: run 'npm run prompts' on the host before 'docker compose up'"
for dir in "${langs[@]}"; do
  lang=$(basename "$dir")
  # Debian's language folders are symlinks (en -> /etc/alternatives/...): copy into the real directory.
  target=$(readlink -m "/usr/share/asterisk/sounds/$lang")
  mkdir -p "$target"
  cp -r "$dir". "$target/"
done

mkdir -p /var/spool/asterisk/recording /run/asterisk
# Shared with the parley container (another user): it writes spoken names there, downloads and purges recordings.
chmod 0777 /var/spool/asterisk/recording
exec /usr/sbin/asterisk -f -U root -G root
