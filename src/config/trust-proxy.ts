import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

/** Proxy chains longer than this are rare; a larger count trusts hops the client itself can write. */
export const MAX_PROXY_HOPS = 5;
/** A public range wider than this is no proxy's address: it covers clients too. */
const NARROWEST_PUBLIC_PREFIX = { ipv4: 16, ipv6: 48 } as const;
/** Ranges no client on the internet comes from, so trusting all of them is safe however wide. */
const INTERNAL_RANGES = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '100.64.0.0/10',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
].map((cidr) => ipaddr.parseCIDR(cidr));

/**
 * Why TRUST_PROXY cannot be used as given, or undefined. Express trusts
 * X-Forwarded-For entries that come through the listed proxies; whatever
 * trusts more than the real proxies lets a client pick its own IP, and so
 * dodge every per-IP limit. In production that is refused: `true`, hop
 * counts above MAX_PROXY_HOPS, and public ranges wider than a /16 (IPv4) or a
 * /48 (IPv6), such as 0.0.0.0/1,128.0.0.0/1. A value Express itself would
 * refuse (0.0.0.0/0) is refused everywhere, in one line.
 */
export function trustProxyProblem(value: string, isProduction: boolean): string | undefined {
  const lower = value.trim().toLowerCase();
  if (lower === 'true' || lower === 'false') {
    return isProduction && lower === 'true'
      ? 'TRUST_PROXY=true lets clients choose their own IP in production: give the number of proxy hops (such as 1) or the proxy addresses'
      : undefined;
  }
  if (/^\d+$/.test(lower)) {
    return isProduction && Number(lower) > MAX_PROXY_HOPS
      ? `TRUST_PROXY=${lower} trusts more proxy hops than any real chain has (at most ${MAX_PROXY_HOPS} in production), so clients could choose their own IP`
      : undefined;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  try {
    proxyAddr.compile(entries);
  } catch (error) {
    return `TRUST_PROXY is not a hop count or a list of addresses: ${(error as Error).message}`;
  }
  const tooWide = isProduction ? entries.find(coversClients) : undefined;
  return tooWide
    ? `TRUST_PROXY entry ${tooWide} covers addresses clients come from, so they could choose their own IP: list only your proxies' addresses`
    : undefined;
}

function coversClients(entry: string): boolean {
  const range = asRange(entry);
  if (!range) return false;
  const [address, prefix] = range;
  // Same kind checked first, so the cast only settles the typings' union.
  const internal = INTERNAL_RANGES.some(
    ([network, bits]) =>
      network.kind() === address.kind() && prefix >= bits && (address as ipaddr.IPv4).match(network as ipaddr.IPv4, bits),
  );
  return !internal && prefix < NARROWEST_PUBLIC_PREFIX[address.kind()];
}

/** An address, CIDR or address/netmask as a range; undefined for proxy-addr's names (loopback, linklocal, uniquelocal). */
function asRange(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  const [ip, mask] = entry.split('/');
  if (!ipaddr.isValid(ip)) return undefined;
  const address = ipaddr.parse(ip);
  if (mask === undefined) return [address, address.kind() === 'ipv4' ? 32 : 128];
  if (/^\d+$/.test(mask)) return [address, Number(mask)];
  return [address, ipaddr.parse(mask).prefixLengthFromSubnetMask() ?? 0];
}
