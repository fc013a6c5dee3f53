// Which addresses a fetch of a URL taken from a config may reach. Link-local addresses (169.254.0.0/16, fe80::/10),
// where clouds serve instance metadata and credentials (169.254.169.254, fd00:ec2::254), are refused always;
// loopback, private and shared ranges only unless --allow-private. Checked for every hop of a redirect and for every
// address a name resolves to.
import { isIP } from 'node:net';

export type AddressClass = 'public' | 'private' | 'link-local';

function ipv4Class(ip: string): AddressClass {
  const [a, b] = ip.split('.').map(Number) as [number, number, number, number];
  if (a === 169 && b === 254) return 'link-local';
  if (a === 127 || a === 10 || a === 0) return 'private';
  if (a === 172 && b >= 16 && b <= 31) return 'private';
  if (a === 192 && b === 168) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // shared address space (RFC 6598)
  return 'public';
}

function expandIpv6(ip: string): number[] {
  const [head, tail = ''] = ip.split('::') as [string, string?];
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  let left = parse(head);
  let right = parse(tail ?? '');
  // An embedded IPv4 tail (::ffff:1.2.3.4) is two groups.
  const v4 = (groups: string[]) => {
    const last = groups[groups.length - 1];
    if (last && last.includes('.')) {
      const [a, b, c, d] = last.split('.').map(Number) as [number, number, number, number];
      groups.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
    }
    return groups;
  };
  left = v4(left);
  right = v4(right);
  const fill = ip.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...Array(fill).fill('0'), ...right].map((g) => parseInt(g, 16));
}

/** The class of an IP address (v4 or v6, IPv4-mapped forms included). */
export function addressClass(ip: string): AddressClass {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(bare) === 4) return ipv4Class(bare);
  const g = expandIpv6(bare);
  if (g.length !== 8) return 'public';
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return ipv4Class(`${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`);
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  // AWS's instance metadata over IPv6 (fd00:ec2::254) is in the unique-local range; refused like 169.254.169.254.
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && g.slice(2, 7).every((x) => x === 0) && g[7] === 0x254) return 'link-local';
  if (g.every((x, i) => x === (i === 7 ? 1 : 0)) || g.every((x) => x === 0)) return 'private'; // ::1, ::
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  return 'public';
}

/** Why `ip` may not be fetched from, or null when it may. */
export function refusedAddress(ip: string, allowPrivate: boolean): string | null {
  const kind = addressClass(ip);
  if (kind === 'link-local') return `${ip} is a link-local address (where clouds serve instance metadata); it is never fetched from`;
  if (kind === 'private' && !allowPrivate) return `${ip} is a loopback or private address; pass --allow-private to fetch from it`;
  return null;
}
