/** Network interfaces as the capture engines need them: index, flags and link type, from sysfs. */
import { readdirSync, readFileSync } from 'node:fs';
import { linkTypeFromArphrd } from '../pcap/linktype.js';
import { ERRNO, IFF, SyscallError, lastErrno, raw } from '../syscalls/index.js';

/** What tscap knows of an interface. */
export interface InterfaceInfo {
  name: string;
  index: number;
  /** IFF_* flags (up, running, promisc, ...). */
  flags: number;
  /** ARPHRD_* hardware type. */
  arphrd: number;
  /** LINKTYPE_* for capture, undefined when tscap has no mapping. */
  linkType: number | undefined;
  /** Hardware address as text, '' when none. */
  address: string;
  mtu: number;
}

function readSys(name: string, attr: string): string | undefined {
  try {
    return readFileSync(`/sys/class/net/${name}/${attr}`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Looks an interface up by name; throws `SyscallError` with ENODEV (`eth9: No such device (ENODEV)`)
 * when there is none.
 */
export function interfaceInfo(name: string): InterfaceInfo {
  if (name.length === 0 || name.length > 15 || name.includes('/')) {
    throw new SyscallError('if_nametoindex', ERRNO.ENODEV, name);
  }
  const index = raw.ifNameToIndex(name);
  if (index === 0) {
    const errno = lastErrno();
    throw new SyscallError('if_nametoindex', errno === 0 ? ERRNO.ENODEV : errno, name);
  }
  let flags = Number.parseInt(readSys(name, 'flags') ?? '0', 16);
  // sysfs shows the administrative flags only; IFF_RUNNING (up with carrier) comes from operstate.
  const oper = readSys(name, 'operstate');
  if (flags & IFF.UP && (oper === 'up' || (oper === 'unknown' && readSys(name, 'carrier') === '1'))) flags |= IFF.RUNNING;
  const arphrd = Number(readSys(name, 'type') ?? '1');
  return {
    name,
    index,
    flags,
    arphrd,
    linkType: linkTypeFromArphrd(arphrd),
    address: readSys(name, 'address') ?? '',
    mtu: Number(readSys(name, 'mtu') ?? '0'),
  };
}

/** The name of an interface index, or undefined when it is gone. */
export function interfaceName(index: number): string | undefined {
  const buf = new Uint8Array(16);
  const name = raw.ifIndexToName(index, buf);
  return name ?? undefined;
}

/**
 * Every interface of this network namespace, in index order.
 * @example
 * for (const i of listInterfaces()) console.log(i.index, i.name);
 */
export function listInterfaces(): InterfaceInfo[] {
  let names: string[];
  try {
    names = readdirSync('/sys/class/net');
  } catch {
    return [];
  }
  const out: InterfaceInfo[] = [];
  for (const name of names) {
    try {
      out.push(interfaceInfo(name));
    } catch {
      // Gone between readdir and lookup.
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** `[Up, Running]`-style flag words as tcpdump -D prints them. */
export function describeFlags(info: InterfaceInfo): string {
  const words: string[] = [];
  if (info.flags & IFF.UP) words.push('Up');
  if (info.flags & IFF.RUNNING) words.push('Running');
  if (info.flags & IFF.LOOPBACK) words.push('Loopback');
  return words.join(', ');
}
