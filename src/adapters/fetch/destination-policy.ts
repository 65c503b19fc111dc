import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { WebhookDestinations } from '../../ports/webhooks.js';

/** Loopback, private, link-local, shared, multicast and reserved space: never a webhook receiver unless allowed. */
const DISALLOWED: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['::', 96, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const family = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 4 ? 'ipv4' : 'ipv6');

/** ::ffff:127.0.0.1 is 127.0.0.1: judged as the IPv4 address it reaches. */
function unwrapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return address;
}

export interface DestinationPolicy extends WebhookDestinations {
  /** Why webhooks may not go to this IP address, or undefined when they may. */
  addressRefusal(address: string): string | undefined;
}

/**
 * Where webhooks may go: anywhere public, and the networks the administrator allowed
 * (WEBHOOK_ALLOWED_NETWORKS). Checked when a subscription is saved and again on every connection
 * (the sender's lookup), so a name that later resolves elsewhere (DNS rebinding) is caught too.
 */
export function destinationPolicy(allowedNetworks: readonly string[]): DestinationPolicy {
  const disallowed = new BlockList();
  for (const [network, prefix, type] of DISALLOWED) disallowed.addSubnet(network, prefix, type);
  const allowed = new BlockList();
  for (const cidr of allowedNetworks) {
    const [network = '', prefix] = cidr.split('/');
    const type = family(network);
    allowed.addSubnet(network, prefix === undefined ? (type === 'ipv4' ? 32 : 128) : Number(prefix), type);
  }
  const addressRefusal = (raw: string): string | undefined => {
    const address = unwrapped(raw);
    if (isIP(address) === 0) return `${raw} is not an IP address`;
    if (allowed.check(address, family(address))) return undefined;
    if (disallowed.check(address, family(address))) return `${address} is a loopback, private, link-local or reserved address`;
    return undefined;
  };
  return {
    addressRefusal,
    async refusal(url) {
      const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
      if (isIP(host) !== 0) return addressRefusal(host);
      let addresses: { address: string }[];
      try {
        addresses = await lookup(host, { all: true, verbatim: true });
      } catch {
        // Not resolvable now: nothing to judge; every delivery checks the address it connects to.
        return undefined;
      }
      for (const { address } of addresses) {
        const refused = addressRefusal(address);
        if (refused) return `${host} resolves to ${refused.replace(/^\S+ is /, `${address}, `)}`;
      }
      return undefined;
    },
  };
}
