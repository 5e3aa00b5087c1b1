/**
 * tcpdump options that tscap takes for parity: -j/-J (timestamp types), -L (data link types), -K, -N,
 * -E (ESP decryption, src/sinks/esp.ts), -H, -b and --count, plus tcpdump's choice of interface when no -i is given.
 */
import type { Command } from 'commander';
import { IFF } from '../src/syscalls/index.js';
import { TIMESTAMP_TYPE_DESCRIPTIONS, dataLinkTypes, interfaceInfo, listInterfaces, timestampTypes, type InterfaceInfo, type TimestampType } from '../src/capture/index.js';
import type { PacketSink } from '../src/packet.js';
import { LINK_TYPE_DESCRIPTIONS, LINK_TYPE_NAMES, LinkType } from '../src/pcap/linktype.js';

/** Parsed values of these options. */
export interface TcpdumpOptionValues {
  timeStampType?: string;
  listTimeStampTypes?: boolean;
  listDataLinkTypes?: boolean;
  dontVerifyChecksums?: boolean;
  N?: boolean;
  E?: string;
  H?: boolean;
  b?: boolean;
  count?: boolean;
}

/**
 * Adds the options to a command.
 * @example
 * addTcpdumpOptions(new Command('tscap'));
 */
export function addTcpdumpOptions(cmd: Command): Command {
  return cmd
    .option('-j, --time-stamp-type <type>', 'timestamp type: host (default), adapter or adapter_unsynced')
    .option('-J, --list-time-stamp-types', 'list the timestamp types the interface offers, and exit')
    .option('-L, --list-data-link-types', 'list the data link types the interface offers, and exit')
    .option('-K, --dont-verify-checksums', "don't verify IP, TCP and UDP checksums (with -v)")
    .option('-N', "don't print the domain part of host names")
    .option('-E <spec>', 'decrypt ESP: [spi@addr ]algo:secret[,...], algo aes128-cbc, aes256-cbc, 3des-cbc (+-hmac96/-hmac256), secret ASCII or 0xHEX')
    .option('-H', 'detect 802.11s draft mesh headers (accepted; tscap decodes no 802.11)')
    .option('-b', 'print BGP AS numbers in asdot notation (accepted; tscap has no BGP printer)')
    .option('--count', 'print only the number of matching packets (on stdout), not the packets');
}

/**
 * tscap once spelled `-c N` as `--count N`; tcpdump's `--count` takes no value. `--count N` and
 * `--count=N` (N a number, which as a filter expression would be a syntax error anyway) are read as
 * `-c N` with a warning on stderr; a lone `--count` keeps tcpdump's meaning.
 * @example rewriteLegacyCount(['node', 'tscap', '--count', '5']) // ['node', 'tscap', '-c', '5']
 */
export function rewriteLegacyCount(argv: string[], warn: (msg: string) => void = () => undefined): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = /^--count=(\d+)$/.exec(a);
    const next = argv[i + 1];
    if (eq !== null || (a === '--count' && next !== undefined && /^\d+$/.test(next))) {
      const n = eq !== null ? (eq[1] as string) : (next as string);
      warn(`--count ${n} is read as -c ${n}; --count alone prints only the number of matching packets, as tcpdump's`);
      out.push('-c', n);
      if (eq === null) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** The number at the end of a name (eth12 → 12), as libpcap's ranking uses it; 0 when none. */
function trailingNumber(name: string): number {
  const m = /(\d+)$/.exec(name);
  return m === null ? 0 : Math.min(Number(m[1]), 0x07ffffff);
}

/**
 * The interface tcpdump captures on without -i: libpcap's ranking of its device list, best first:
 * up before down, running before not, loopback last, and among equals the lower trailing number,
 * then the kernel's order. Undefined when there is none.
 */
export function defaultInterface(ifaces: readonly InterfaceInfo[] = listInterfaces()): string | undefined {
  const merit = (i: InterfaceInfo): number => {
    let n = trailingNumber(i.name);
    if ((i.flags & IFF.UP) === 0) n += 0x80000000;
    if ((i.flags & IFF.RUNNING) === 0) n += 0x40000000;
    if ((i.flags & IFF.LOOPBACK) !== 0) n += 0x20000000;
    return n;
  };
  const usable = ifaces.filter((i) => i.linkType !== undefined);
  const ranked = [...usable].sort((a, b) => merit(a) - merit(b) || a.index - b.index);
  return ranked[0]?.name;
}

/** tcpdump -J's text for one interface. */
export function timestampTypesText(ifname: string): string {
  const types = timestampTypes(ifname);
  if (types.length === 0) return `Time stamp type cannot be set for ${ifname}\n`;
  return `Time stamp types for ${ifname} (use option -j to set):\n${types.map((t) => `  ${t} (${TIMESTAMP_TYPE_DESCRIPTIONS[t]})\n`).join('')}`;
}

/** tcpdump -L's text for one interface. */
export function dataLinkTypesText(ifname: string): string {
  const info = ifname === 'any' ? { name: 'any', index: 0, flags: 0, arphrd: -1, linkType: LinkType.LINUX_SLL2, address: '', mtu: 0 } : interfaceInfo(ifname);
  const lines = dataLinkTypes(info).map((lt) => `  ${LINK_TYPE_NAMES[lt] ?? lt} (${LINK_TYPE_DESCRIPTIONS[lt] ?? 'unknown'})\n`);
  return `Data link types for ${ifname} (use option -y to set):\n${lines.join('')}`;
}

/** The -j value checked, or an error message in tcpdump's words. */
export function timestampTypeOption(value: string): { ok: true; type: TimestampType } | { ok: false; message: string } {
  if (value === 'host' || value === 'adapter' || value === 'adapter_unsynced') return { ok: true, type: value };
  return { ok: false, message: `invalid time stamp type ${value}` };
}

/** A sink that counts packets and prints tcpdump's `N packets` line at close (`--count`; tcpdump prints it for files only). */
export function countingSink(write: (text: string) => void, print = true): PacketSink & { readonly count: number } {
  let n = 0;
  return {
    get count(): number {
      return n;
    },
    write(): void {
      n++;
    },
    flush(): void {},
    async close(): Promise<void> {
      if (print) write(`${n} packet${n === 1 ? '' : 's'}\n`);
    },
  };
}
