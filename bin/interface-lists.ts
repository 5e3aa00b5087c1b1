/**
 * What tcpdump says about interfaces: its choice of interface when no -i is given, and the -J and
 * -L lists. Apart from the option definitions because it needs the native bindings.
 */
import { IFF } from '../src/syscalls/index.js';
import { TIMESTAMP_TYPE_DESCRIPTIONS, dataLinkTypes, describeFlags, interfaceInfo, listInterfaces, timestampTypes, type InterfaceInfo } from '../src/capture/index.js';
import { LINK_TYPE_DESCRIPTIONS, LINK_TYPE_NAMES, LinkType } from '../src/pcap/linktype.js';

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

/** tcpdump -D's list: one line per interface. */
export function interfaceListText(): string {
  return listInterfaces()
    .map((i) => {
      const lt = i.linkType === undefined ? `ARPHRD ${i.arphrd} (unsupported)` : `${LINK_TYPE_NAMES[i.linkType]} (${LINK_TYPE_DESCRIPTIONS[i.linkType]})`;
      return `${i.index}.${i.name} [${describeFlags(i)}] link-type ${lt}\n`;
    })
    .join('');
}
