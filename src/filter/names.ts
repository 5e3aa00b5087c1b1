/**
 * Name resolution for filter expressions, from the system databases libpcap consults through libc:
 * /etc/hosts (hosts), /etc/services (ports), /etc/protocols (IP protocols), /etc/ethers (MAC
 * addresses), /etc/networks (network names). No DNS: a host name missing from /etc/hosts is
 * reported as unknown, with libpcap's message.
 */
import { readFileSync } from 'node:fs';

/** Where the databases are read from; tests may point them elsewhere. */
export const NAME_FILES = {
  hosts: '/etc/hosts',
  services: '/etc/services',
  protocols: '/etc/protocols',
  ethers: '/etc/ethers',
  networks: '/etc/networks',
};

const cache = new Map<string, string[][]>();

/** Lines of a database split into fields, comments removed; a missing file reads as empty. */
function table(path: string): string[][] {
  let t = cache.get(path);
  if (t) return t;
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = '';
  }
  t = text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '')
    .map((l) => l.split(/\s+/));
  cache.set(path, t);
  return t;
}

/** Forgets cached databases (after NAME_FILES changes). */
export function clearNameCache(): void {
  cache.clear();
}

/** A resolved host address: 4 bytes (IPv4) or 16 bytes (IPv6). */
export type HostAddr = { family: 4; addr: number } | { family: 6; words: [number, number, number, number] };

/** Parses dotted IPv4 (all four parts) to a uint32, or undefined. */
export function parseIPv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const p = Number(m[i]);
    if (p > 255) return undefined;
    v = v * 256 + p;
  }
  return v >>> 0;
}

/** Parses an IPv6 address (with optional embedded IPv4 tail) into four 32-bit words. */
export function parseIPv6(s: string): [number, number, number, number] | undefined {
  let text = s;
  const tail: number[] = [];
  const v4m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4m) {
    const v4 = parseIPv4(v4m[2] as string);
    if (v4 === undefined) return undefined;
    tail.push(v4 >>> 16, v4 & 0xffff);
    text = (v4m[1] as string).endsWith('::') ? (v4m[1] as string) : (v4m[1] as string).slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (p: string): number[] | undefined => {
    if (p === '') return [];
    const out: number[] = [];
    for (const g of p.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const a = parse(halves[0] as string);
  const b = halves.length === 2 ? parse(halves[1] as string) : [];
  if (!a || !b) return undefined;
  const groups: number[] = [];
  if (halves.length === 2) {
    const fill = 8 - a.length - b.length - tail.length;
    if (fill < 1) return undefined;
    groups.push(...a, ...new Array<number>(fill).fill(0), ...b, ...tail);
  } else groups.push(...a, ...tail);
  if (groups.length !== 8) return undefined;
  const w = (i: number): number => ((((groups[i] as number) << 16) | (groups[i + 1] as number)) >>> 0);
  return [w(0), w(2), w(4), w(6)];
}

/** Addresses of a host name from /etc/hosts (IPv6 first, as glibc's getaddrinfo sorts them), or a literal. */
export function lookupHost(name: string): HostAddr[] {
  const v4 = parseIPv4(name);
  if (v4 !== undefined) return [{ family: 4, addr: v4 }];
  const v6 = parseIPv6(name);
  if (v6 && name.includes(':')) return [{ family: 6, words: v6 }];
  const out6: HostAddr[] = [];
  const out4: HostAddr[] = [];
  const seen = new Set<string>();
  for (const f of table(NAME_FILES.hosts)) {
    if (!f.slice(1).includes(name)) continue;
    const a = f[0] as string;
    if (seen.has(a)) continue;
    seen.add(a);
    const x4 = parseIPv4(a);
    if (x4 !== undefined) out4.push({ family: 4, addr: x4 });
    else {
      const x6 = parseIPv6(a.replace(/%.*/, ''));
      if (x6) out6.push({ family: 6, words: x6 });
    }
  }
  return [...out6, ...out4];
}

/** A service port: the port and the protocol libpcap deduces ('tcp', 'udp', or undefined for both). */
export interface ServicePort {
  port: number;
  proto: 'tcp' | 'udp' | undefined;
}

function servByName(name: string, proto: string): number | undefined {
  for (const f of table(NAME_FILES.services)) {
    const [svc, pp, ...aliases] = f;
    if (!pp) continue;
    const [port, pr] = pp.split('/');
    if (pr !== proto) continue;
    if (svc === name || aliases.includes(name)) return Number(port);
  }
  return undefined;
}

/** Looks a port name up like pcap_nametoport: tcp first, then udp; both equal means either. */
export function lookupPort(name: string): ServicePort | undefined {
  const tcp = servByName(name, 'tcp');
  const udp = servByName(name, 'udp');
  if (tcp !== undefined) return { port: tcp, proto: udp !== undefined && udp === tcp ? undefined : 'tcp' };
  if (udp !== undefined) return { port: udp, proto: 'udp' };
  return undefined;
}

/** Looks a port or numeric port up (libpcap's stoulen then pcap_nametoport). */
function portOrNumber(s: string): ServicePort | undefined {
  if (/^[0-9]+$/.test(s)) return { port: Number(s), proto: undefined };
  return lookupPort(s);
}

/** Parses `a-b` where each side is a number or a service name (pcap_nametoportrange). */
export function lookupPortRange(s: string): { p1: number; p2: number; proto: 'tcp' | 'udp' | undefined } | undefined {
  const m = /^([^-]+)-(.+)$/.exec(s);
  if (!m) {
    const p = portOrNumber(s);
    return p ? { p1: p.port, p2: p.port, proto: p.proto } : undefined;
  }
  const a = portOrNumber(m[1] as string);
  const b = portOrNumber(m[2] as string);
  if (!a || !b) return undefined;
  return { p1: a.port, p2: b.port, proto: a.proto === b.proto ? a.proto : undefined };
}

/** IP protocol number by name from /etc/protocols, or undefined. */
export function lookupProtocol(name: string): number | undefined {
  for (const f of table(NAME_FILES.protocols)) {
    const [n, num, ...aliases] = f;
    if (n === name || aliases.includes(name)) return Number(num);
  }
  return undefined;
}

/** MAC address by host name from /etc/ethers, or undefined. */
export function lookupEther(name: string): Uint8Array | undefined {
  for (const f of table(NAME_FILES.ethers)) {
    if (f[1] === name) return parseMac(f[0] as string);
  }
  return undefined;
}

/** Network number by name from /etc/networks (host order, unshifted like getnetbyname), or undefined. */
export function lookupNetwork(name: string): number | undefined {
  for (const f of table(NAME_FILES.networks)) {
    const [n, num, ...aliases] = f;
    if (n !== name && !aliases.includes(name)) continue;
    const parts = (num as string).split('.').map(Number);
    let v = 0;
    for (const p of parts) v = v * 256 + p;
    return v >>> 0;
  }
  return undefined;
}

/** Parses a MAC in any of libpcap's forms (colon, dash, dot-pairs, dotted quads of 4 hex digits, 12 hex digits). */
export function parseMac(s: string): Uint8Array | undefined {
  let hex: string[];
  if (/^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/.test(s)) hex = s.replace(/\./g, '').match(/../g) ?? [];
  else if (/^[0-9A-Fa-f]{12}$/.test(s)) hex = s.match(/../g) ?? [];
  else hex = s.split(/[:.-]/);
  if (hex.length !== 6) return undefined;
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    const h = hex[i] as string;
    if (!/^[0-9A-Fa-f]{1,2}$/.test(h)) return undefined;
    out[i] = parseInt(h, 16);
  }
  return out;
}

/** Ethernet protocol names pcap_nametoeproto knows, then the LLC SAP names of pcap_nametollc. */
export const ETHER_PROTO_NAMES: Readonly<Record<string, number>> = {
  aarp: 0x80f3, arp: 0x0806, atalk: 0x809b, decnet: 0x6003, ip: 0x0800, ip6: 0x86dd, lat: 0x6004,
  loopback: 0x9000, mopdl: 0x6001, moprc: 0x6002, rarp: 0x8035, sca: 0x6007,
};

/** LLC SAP names (pcap_nametollc). */
export const LLC_NAMES: Readonly<Record<string, number>> = { iso: 0xfe, stp: 0x42, ipx: 0xe0, netbeui: 0xf0 };
