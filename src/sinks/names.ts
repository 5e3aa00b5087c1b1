/**
 * Names for the printer when `-n` is not given, as tcpdump prints them: ports from /etc/services,
 * IP protocols from /etc/protocols (with tcpdump's own words where they differ), hosts from /etc/hosts and reverse DNS, MAC addresses from
 * /etc/ethers (or the OUI note). The difference from tcpdump: tcpdump asks the resolver
 * synchronously (gethostbyaddr), so a slow DNS server stalls its capture; here reverse DNS runs in
 * the background through a cache. The first sighting of an address prints the number, later ones the
 * name once the answer is in; a failed or timed-out query keeps the number for good.
 */
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';

import type { NameLookup as PrinterNames } from '../decode/print.js';

/** What the printer asks (every method answers at once from tables or the cache), and `close`. */
export interface NameLookup extends PrinterNames {
  /** Cancels queries still in flight (so the process can exit at once). */
  close(): void;
}

/** Where names come from; the defaults are the system's files and its resolver. */
export interface NameLookupOptions {
  servicesFile?: string;
  protocolsFile?: string;
  hostsFile?: string;
  ethersFile?: string;
  /** Reverse DNS for addresses not in the hosts file (default true). */
  dns?: boolean;
  /** A reverse lookup; default node:dns with a 2 s timeout and one try. Resolves to names (first used). */
  reverse?: (addr: string) => Promise<string[]>;
  /** `-N`: print host names without their domain (`www.example.com` → `www`). */
  stripDomain?: boolean;
  /** Most queries in flight at once; addresses seen while full are asked on a later sighting. */
  maxPending?: number;
}

/** Lines of a system table without comments, split into words. */
function tableRows(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').map((l) => l.replace(/#.*/, '').trim().split(/\s+/)).filter((w) => w.length >= 2 && w[0] !== '');
}

/** `name port/proto` lines: the first name given for a port wins, as in tcpdump's table. */
function readServices(path: string): { tcp: Map<number, string>; udp: Map<number, string> } {
  const tcp = new Map<number, string>();
  const udp = new Map<number, string>();
  for (const [name, spec] of tableRows(path)) {
    const m = /^(\d+)\/(tcp|udp)$/.exec(spec ?? '');
    if (m === null || name === undefined) continue;
    const table = m[2] === 'tcp' ? tcp : udp;
    const port = Number(m[1]);
    if (!table.has(port)) table.set(port, name);
  }
  return { tcp, udp };
}

/**
 * tcpdump names IP protocols from its own copy of IANA's registry, not /etc/protocols; where Debian's
 * file says otherwise (its first line for 0 is the pseudo-protocol `ip`), these are tcpdump's words.
 */
const TCPDUMP_PROTOCOL_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'hopopt'],
  [4, 'ipv4'],
  [253, 'exptest-253'],
  [254, 'exptest-254'],
]);

function readProtocols(path: string): Map<number, string> {
  const out = new Map<number, string>(TCPDUMP_PROTOCOL_NAMES);
  for (const [name, num] of tableRows(path)) if (name !== undefined && /^\d+$/.test(num ?? '') && !out.has(Number(num))) out.set(Number(num), name);
  return out;
}

/** Address text → first name on its line (IPv6 written as Node writes it, compressed). */
function readHosts(path: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [addr, name] of tableRows(path)) if (addr !== undefined && name !== undefined && !out.has(canonicalAddr(addr))) out.set(canonicalAddr(addr), name);
  return out;
}

/** IPv6 text as the printer writes it (RFC 5952, lower case), so table and packet addresses meet. */
function canonicalAddr(addr: string): string {
  if (!addr.includes(':')) return addr;
  try {
    return new URL(`http://[${addr}]/`).hostname.slice(1, -1);
  } catch {
    return addr.toLowerCase();
  }
}

/** OUIs tcpdump names (its table is longer; the others print as Unknown here). */
const OUI_NAMES: ReadonlyMap<string, string> = new Map([
  ['00:00:00', 'Ethernet'],
  ['00:00:0c', 'Cisco'],
]);

const defaultReverse = (): ((addr: string) => Promise<string[]>) => {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  const f = (addr: string): Promise<string[]> => resolver.reverse(addr);
  (f as { cancel?: () => void }).cancel = () => resolver.cancel();
  return f;
};

/**
 * Builds a lookup over the system tables, read once.
 * @example
 * const names = createNameLookup({ stripDomain: opts.N === true });
 * names.port(53, 'udp'); // 'domain'
 */
export function createNameLookup(opts: NameLookupOptions = {}): NameLookup {
  const services = readServices(opts.servicesFile ?? '/etc/services');
  const protocols = readProtocols(opts.protocolsFile ?? '/etc/protocols');
  const hosts = readHosts(opts.hostsFile ?? '/etc/hosts');
  const ethers = new Map<string, string>();
  for (const [mac, name] of tableRows(opts.ethersFile ?? '/etc/ethers')) {
    if (mac !== undefined && name !== undefined) ethers.set(mac.toLowerCase().split(':').map((h) => h.padStart(2, '0')).join(':'), name);
  }
  const reverse = opts.dns === false ? undefined : (opts.reverse ?? defaultReverse());
  const maxPending = opts.maxPending ?? 32;
  /** address → name; null once a query failed (the number stays). */
  const cache = new Map<string, string | null>();
  const pending = new Set<string>();
  const strip = (name: string): string => (opts.stripDomain === true ? (name.split('.')[0] ?? name) : name);

  return {
    host(addr: string): string {
      const known = cache.get(addr);
      if (known !== undefined) return known ?? addr;
      const fromFile = hosts.get(addr);
      if (fromFile !== undefined) {
        cache.set(addr, strip(fromFile));
        return strip(fromFile);
      }
      if (reverse !== undefined && !pending.has(addr) && pending.size < maxPending) {
        pending.add(addr);
        reverse(addr).then(
          (names) => {
            pending.delete(addr);
            const n = names[0];
            cache.set(addr, n === undefined || n === '' ? null : strip(n.replace(/\.$/, '')));
          },
          () => {
            pending.delete(addr);
            cache.set(addr, null);
          },
        );
      }
      return addr;
    },
    port(port: number, proto: 'tcp' | 'udp'): string {
      return (proto === 'tcp' ? services.tcp : services.udp).get(port) ?? String(port);
    },
    protocol(proto: number): string | undefined {
      return protocols.get(proto);
    },
    mac(text: string): string {
      if (text === 'ff:ff:ff:ff:ff:ff') return 'Broadcast';
      const name = ethers.get(text);
      if (name !== undefined) return name;
      return `${text} (oui ${OUI_NAMES.get(text.slice(0, 8)) ?? 'Unknown'})`;
    },
    close(): void {
      (reverse as { cancel?: () => void } | undefined)?.cancel?.();
    },
  };
}
