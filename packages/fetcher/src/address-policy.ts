import { BlockList, isIP } from 'node:net';

// Addresses a feed fetch must never reach unless private networks are allowed: "this network",
// loopback, RFC 1918, CGNAT (100.100.100.200 is a cloud metadata address), link-local (cloud
// metadata at 169.254.169.254), IETF protocol assignments (192.0.0.192 is one too),
// documentation, benchmarking, the 6to4 relay anycast, multicast, reserved and broadcast.
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
  ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
// IPv6: unspecified, loopback and IPv4-compatible (::/96), SIIT-translated, NAT64 local-use,
// discard-only, IETF protocol assignments including Teredo (2001::/32), documentation, 6to4
// (2002::/16: it tunnels to any IPv4 address, private ones included), SRv6, unique-local
// (fd00:ec2::254 is a cloud metadata address), link-local, site-local and multicast.
for (const [net, prefix] of [
  ['::', 96], ['::ffff:0:0:0', 96], ['64:ff9b:1::', 48], ['100::', 64],
  ['2001::', 23], ['2001:db8::', 32], ['2002::', 16], ['3fff::', 20], ['5f00::', 16],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}
// IPv4-mapped addresses (::ffff:0:0/96) are judged by their IPv4 address below. They must not be
// listed here: BlockList matches IPv4 addresses against IPv6 rules in their mapped form.

/** The eight 16-bit groups of an IPv6 address in any valid spelling, or null. */
export function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const zeros = halves.length > 1 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(zeros).fill('0'), ...tail].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * The IPv4 address an IPv6 address stands for when a translator or the kernel would deliver it
 * to IPv4: IPv4-mapped (::ffff:a.b.c.d) and the NAT64 well-known prefix (64:ff9b::/96). On an
 * IPv6-only network with DNS64 every public site resolves to the latter, so it is judged by its
 * IPv4 address rather than refused outright.
 */
function embeddedIpv4(groups: number[]): string | null {
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  const mapped = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff;
  const nat64 = g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0;
  if (!mapped && !nat64) return null;
  return `${g6 >> 8}.${g6 & 255}.${g7 >> 8}.${g7 & 255}`;
}

/** True when an IP address is publicly routable; false for anything a fetch must not reach. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return !blocked.check(bare, 'ipv4');
  if (family !== 6) return false;
  const groups = ipv6Groups(bare);
  if (groups === null) return false;
  const v4 = embeddedIpv4(groups);
  if (v4 !== null) return isPublicAddress(v4);
  return !blocked.check(groups.map((g) => g.toString(16)).join(':'), 'ipv6');
}
