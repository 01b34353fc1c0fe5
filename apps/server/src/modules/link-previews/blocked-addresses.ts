import { isIP } from 'node:net';

/*
 * Which addresses a link preview may never connect to: anything that is not
 * a unicast address on the public internet. Written out by hand rather than
 * with `net.BlockList` because a BlockList holding ::ffff:0:0/96 matches
 * every IPv4 address (it compares IPv4 as IPv4-mapped), and because the
 * embedded-IPv4 ranges need the embedded address classified, not the range.
 */

/** [network, prefix length] */
const BLOCKED_IPV4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, including cloud metadata at 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

const BLOCKED_IPV6: readonly (readonly [string, number])[] = [
  // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d, which some stacks still route to IPv4.
  ['::', 96],
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 32], // Teredo: the embedded client address is obfuscated, so it cannot be classified
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
];

/**
 * Ranges whose traffic goes to an IPv4 address carried in the IPv6 one, in
 * the 32 bits right after the prefix: judged by that IPv4 address.
 */
const EMBEDDING_IPV6: readonly (readonly [string, number])[] = [
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64
  ['2002::', 16], // 6to4
];

function parseIpv4(address: string): bigint | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(address: string): bigint | null {
  let text = address;
  // A trailing dotted quad (::ffff:1.2.3.4) stands for the last two groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] && dotted[2]) {
    const v4 = parseIpv4(dotted[2]);
    if (v4 === null) return null;
    text = `${dotted[1]}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return null;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  return value;
}

/** Parses the range tables once; a typo in them is a programming error, not a request to let everything through. */
function ranges(table: readonly (readonly [string, number])[], parse: (text: string) => bigint | null) {
  return table.map(([text, prefix]) => {
    const network = parse(text);
    if (network === null) throw new Error(`Bad network ${text} in the link preview block list`);
    return { network, prefix };
  });
}

const IPV4_RANGES = ranges(BLOCKED_IPV4, parseIpv4);
const IPV6_RANGES = ranges(BLOCKED_IPV6, parseIpv6);
const EMBEDDING_RANGES = ranges(EMBEDDING_IPV6, parseIpv6);

function inRange(value: bigint, bits: number, range: { network: bigint; prefix: number }): boolean {
  const shift = BigInt(bits - range.prefix);
  return value >> shift === range.network >> shift;
}

function isBlockedIpv4(value: bigint): boolean {
  return IPV4_RANGES.some((range) => inRange(value, 32, range));
}

/**
 * Whether a preview must not connect to this IP address (IPv4 dotted quad or
 * IPv6, brackets and a %zone tolerated). Anything that does not parse as an
 * IP address counts as blocked: the check fails closed.
 */
export function isBlockedAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) {
    const value = parseIpv4(bare);
    return value === null || isBlockedIpv4(value);
  }
  if (family !== 6) return true;
  const value = parseIpv6(bare);
  if (value === null) return true;
  for (const range of EMBEDDING_RANGES) {
    if (inRange(value, 128, range)) return isBlockedIpv4((value >> BigInt(96 - range.prefix)) & 0xffffffffn);
  }
  return IPV6_RANGES.some((range) => inRange(value, 128, range));
}
