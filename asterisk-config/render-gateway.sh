#!/usr/bin/env bash
# Prints pjsip_gateway.conf from the environment: the [gateway] endpoint (on pjsip.conf's template),
# its address (GATEWAY_URI), which source addresses count as the gateway (GATEWAY_MATCH) and, when the
# carrier asks for them, credentials for the calls parley places. Used by scripts/asterisk.sh and the
# Docker image's entrypoint alike.
set -euo pipefail
uri=${GATEWAY_URI:-sip:127.0.0.1:5070}
match=${GATEWAY_MATCH:-127.0.0.1/32}
[[ $uri =~ ^sips?:[^[:space:]]+$ ]] || { echo "GATEWAY_URI must look like sip:host[:port], got '$uri'" >&2; exit 1; }
[[ $match =~ ^[0-9a-fA-F.:/,]+$ ]] || { echo "GATEWAY_MATCH must be addresses or networks, got '$match'" >&2; exit 1; }
# The test suite runs its end-to-end files side by side on this one Asterisk (PARLEY_TEST_SLOTS=N): each
# file's parley is its own Stasis app, named by the test caller in an X-Parley-App header (the gateway's
# context becomes access-numbers-test), and places its calls through its own gateway-test-K endpoint,
# whose address is that file's SIPp phones (port 5070 + 2K). Never set in a deployment.
slots=${PARLEY_TEST_SLOTS:-0}
[[ $slots =~ ^[0-9]$ ]] || { echo "PARLEY_TEST_SLOTS must be 0-9, got '$slots'" >&2; exit 1; }
printf '[gateway](gateway-endpoint)\n'
if [ "$slots" -gt 0 ]; then printf 'context = access-numbers-test\n'; fi
if [ -n "${GATEWAY_USERNAME:-}" ]; then printf 'outbound_auth = gateway-auth\n'; fi
printf '\n[gateway]\ntype = aor\nmax_contacts = 1\ncontact = %s\n' "$uri"
printf '\n[gateway]\ntype = identify\nendpoint = gateway\nmatch = %s\n' "$match"
if [ -n "${GATEWAY_USERNAME:-}" ]; then
  printf '\n[gateway-auth]\ntype = auth\nauth_type = userpass\nusername = %s\npassword = %s\n' "$GATEWAY_USERNAME" "${GATEWAY_PASSWORD:-}"
fi
for k in $(seq 1 "$slots"); do
  printf '\n[gateway-test-%s](gateway-endpoint)\naors = gateway-test-%s\n' "$k" "$k"
  printf '\n[gateway-test-%s]\ntype = aor\nmax_contacts = 1\ncontact = sip:127.0.0.1:%s\n' "$k" "$((5070 + 2 * k))"
done
