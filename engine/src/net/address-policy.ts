import { isIP } from 'node:net';

/**
 * Which addresses a workflow's outgoing calls may not reach unless `HTTP_ALLOW_PRIVATE=true`:
 * the host itself, private networks, link-local (cloud metadata at 169.254.169.254), CGNAT,
 * multicast, documentation and reserved space. IPv6 forms that carry an IPv4 address (mapped,
 * SIIT, 6to4, well-known NAT64) are judged by that IPv4 address, because that is where the
 * packet ends up; IPv4-compatible, local-use NAT64 and Teredo addresses are refused outright,
 * as their real destination cannot be read from the address. Outside these, IPv6 is allowed
 * only in global unicast (2000::/3).
 */

interface Range {
  readonly network: bigint;
  readonly bits: number;
  readonly width: 32 | 128;
  readonly cidr: string;
}

interface Rule {
  readonly range: Range;
  readonly reason: string;
}

const ipv4Rules: readonly Rule[] = [
  rule('0.0.0.0/8', '"this network" (0.0.0.0 reaches the host itself)'),
  rule('10.0.0.0/8', 'private'),
  rule('100.64.0.0/10', 'shared address space (carrier-grade NAT)'),
  rule('127.0.0.0/8', 'loopback'),
  rule('169.254.0.0/16', 'link-local (cloud metadata services live here)'),
  rule('172.16.0.0/12', 'private'),
  rule('192.0.0.0/24', 'reserved for IETF protocol assignments'),
  rule('192.0.2.0/24', 'documentation'),
  rule('192.88.99.0/24', 'the deprecated 6to4 relay anycast'),
  rule('192.168.0.0/16', 'private'),
  rule('198.18.0.0/15', 'benchmarking'),
  rule('198.51.100.0/24', 'documentation'),
  rule('203.0.113.0/24', 'documentation'),
  rule('224.0.0.0/4', 'multicast'),
  rule('240.0.0.0/4', 'reserved (and broadcast)'),
];

/** IPv6 forms whose destination is the IPv4 address they embed, with where it sits. */
const embeddingRules: readonly { range: Range; name: string; shift: bigint }[] = [
  { range: range('::ffff:0:0/96'), name: 'IPv4-mapped', shift: 0n },
  { range: range('::ffff:0:0:0/96'), name: 'IPv4-translated (SIIT)', shift: 0n },
  { range: range('64:ff9b::/96'), name: 'NAT64', shift: 0n },
  { range: range('2002::/16'), name: '6to4', shift: 80n },
];

const ipv6Rules: readonly Rule[] = [
  rule('::/128', 'unspecified (reaches the host itself)'),
  rule('::1/128', 'loopback'),
  rule('::/96', 'IPv4-compatible (deprecated; may be tunnelled to any IPv4 address)'),
  rule('64:ff9b:1::/48', 'local-use NAT64 (the IPv4 address it stands for is defined by the site)'),
  rule('100::/64', 'discard-only'),
  rule('2001::/32', 'Teredo (tunnelled to an IPv4 address)'),
  rule('2001:2::/48', 'benchmarking'),
  rule('2001:10::/28', 'ORCHID (deprecated)'),
  rule('2001:db8::/32', 'documentation'),
  rule('3fff::/20', 'documentation'),
  rule('fc00::/7', 'unique local (private)'),
  rule('fe80::/10', 'link-local'),
  rule('fec0::/10', 'site-local (deprecated)'),
  rule('ff00::/8', 'multicast'),
];

const GLOBAL_UNICAST = range('2000::/3');

/**
 * Why `address` (an IP literal, brackets allowed) may not be reached, e.g. `"loopback
 * (127.0.0.0/8)"`; null when it may. Anything that is not an IP address is refused.
 */
export function addressRefusal(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return ipv4Refusal(ipv4Value(bare));
  if (family === 6) return bare.includes('%') ? 'scoped to a network interface' : ipv6Refusal(ipv6Value(bare));
  return 'not an IP address';
}

export function isForbiddenAddress(address: string): boolean {
  return addressRefusal(address) !== null;
}

/**
 * Names that resolve only inside a host or a site, whatever DNS says elsewhere: `localhost`
 * (RFC 6761), mDNS `.local`, `.home.arpa` and `.internal` (where cloud metadata hosts live).
 */
const INTERNAL_NAME = /(^|\.)(localhost|local|home\.arpa|internal)\.?$/i;

/**
 * Why a URL host (as `URL.hostname` spells it) is refused before any lookup: a forbidden IP
 * literal or an internal name. Null for other names; the connection-time check still applies
 * to the addresses they resolve to.
 */
export function hostRefusal(hostname: string): string | null {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) return addressRefusal(bare);
  return INTERNAL_NAME.test(bare) ? 'a name that resolves only inside this host or its network' : null;
}

export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
  readonly code = 'E_FORBIDDEN_ADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(
      `${host === address ? address : `${host} (${address})`} is ${reason}: outgoing calls may not reach loopback, ` +
        'private, link-local or reserved addresses unless the server runs with HTTP_ALLOW_PRIVATE=true',
    );
  }
}

/** The `ForbiddenAddressError` anywhere in an error's `cause` chain (fetch and gaxios wrap it). */
export function forbiddenAddressIn(error: unknown): ForbiddenAddressError | null {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof ForbiddenAddressError) return current;
  }
  return null;
}

function ipv4Refusal(value: bigint): string | null {
  const matched = ipv4Rules.find((candidate) => contains(candidate.range, value));
  return matched ? `${matched.reason} (${matched.range.cidr})` : null;
}

function ipv6Refusal(value: bigint): string | null {
  const embedding = embeddingRules.find((candidate) => contains(candidate.range, value));
  if (embedding) {
    const ipv4 = (value >> embedding.shift) & 0xffff_ffffn;
    const refused = ipv4Refusal(ipv4);
    return refused && `${embedding.name}, standing for ${ipv4Text(ipv4)}, which is ${refused}`;
  }
  const matched = ipv6Rules.find((candidate) => contains(candidate.range, value));
  if (matched) return `${matched.reason} (${matched.range.cidr})`;
  return contains(GLOBAL_UNICAST, value) ? null : 'reserved (outside global unicast 2000::/3)';
}

function rule(cidr: string, reason: string): Rule {
  return { range: range(cidr), reason };
}

function range(cidr: string): Range {
  const [network = '', bits = ''] = cidr.split('/');
  const width = isIP(network) === 4 ? 32 : 128;
  return { network: width === 32 ? ipv4Value(network) : ipv6Value(network), bits: Number(bits), width, cidr };
}

function contains(range: Range, value: bigint): boolean {
  const shift = BigInt(range.width - range.bits);
  return value >> shift === range.network >> shift;
}

/** A dotted-quad IPv4 address (as `isIP` accepts it) as a 32-bit number. */
function ipv4Value(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

function ipv4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** An IPv6 address (as `isIP` accepts it, zone removed) as a 128-bit number. */
function ipv6Value(text: string): bigint {
  let groups = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const ipv4 = ipv4Value(dotted);
    groups = `${text.slice(0, -dotted.length)}${(ipv4 >> 16n).toString(16)}:${(ipv4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = groups.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].reduce(
    (value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)),
    0n,
  );
}
