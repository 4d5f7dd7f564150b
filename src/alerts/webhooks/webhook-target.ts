import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

/*
 * Webhook URLs are written by revops keys but requested by the server: a URL aimed at loopback,
 * the private network or the cloud metadata address would let a key holder probe or call
 * services that only the server can reach. Such targets are refused unless the operator allows
 * them (WEBHOOK_ALLOW_PRIVATE_HOSTS, for receivers inside the same network).
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(net, prefix, 'ipv6');

/** True for loopback, private, link-local, CGNAT, multicast and reserved addresses (IPv4-mapped IPv6 too). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: never treat as public
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolve = (host: string) => Promise<string[]>;
const resolveAll: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Why a URL may not be a webhook target, or null when it may. A name that does not resolve now
 * is accepted (the receiver may not exist yet); every delivery checks again.
 */
export async function privateTargetProblem(url: string, resolve: Resolve = resolveAll): Promise<string | null> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isPrivateAddress(host) ? `${host} is a loopback, private or reserved address` : null;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return null;
  }
  const blocked = addresses.find(isPrivateAddress);
  return blocked ? `${host} resolves to ${blocked}, a loopback, private or reserved address` : null;
}
