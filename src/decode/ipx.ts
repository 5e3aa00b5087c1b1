/**
 * Novell IPX (IPX Router Specification, Novell part 107-000029-001): the 30-byte header with its
 * checksum (0xffff: none), length, transport control (hops), packet type and the two addresses
 * (network number, node, socket), and what tcpdump reads from the well-known sockets: SAP (0x0452)
 * requests and responses, RIP (0x0453) requests and responses; NCP, NetBIOS, diagnostics and NWLink
 * datagrams are named with their length. IPX arrives under EtherType 0x8137, in 802.2 LLC (SAP 0xe0),
 * in SNAP, or right after an 802.3 length ("raw" 802.3, told by its 0xffff checksum).
 */
import { DecodeStatus, FixedHeaderView, u16, u32 } from './status.js';
import { macText } from './addr.js';
import { Layer } from './layers.js';
import { ETHERTYPE_MIN } from './ethernet.js';
import { type Printer, hex4, hex8, longjmpCut, safeChar } from './print.js';

/** Field offsets of the IPX header, and the sizes of a SAP and a RIP entry. */
export const IpxOffsets = {
  checksum: 0, length: 2, hops: 4, type: 5, dstNet: 6, dstNode: 10, dstSocket: 16, srcNet: 18, srcNode: 22, srcSocket: 28,
  headerLen: 30, sapEntry: 64, sapName: 2, sapNameLen: 48, sapNet: 50, sapNode: 54, sapSocket: 60, sapHops: 62, ripEntry: 8,
} as const;

/** Well-known IPX sockets. */
export const IpxSocket = { NCP: 0x0451, SAP: 0x0452, RIP: 0x0453, NETBIOS: 0x0455, DIAGNOSTICS: 0x0456, NWLINK_DGM: 0x0553, EIGRP: 0x85be } as const;

/** Zero-copy view of an IPX packet. */
export class IpxView extends FixedHeaderView {
  protected readonly headerLen = IpxOffsets.headerLen;
  /** Checksum (0xffff when not used). */
  get checksum(): number {
    return this.u16(IpxOffsets.checksum);
  }
  /** Packet length from the header (header included). */
  get packetLength(): number {
    return this.u16(IpxOffsets.length);
  }
  /** Transport control: routers passed. */
  get hops(): number {
    return this.u8(IpxOffsets.hops);
  }
  /** Packet type (1 RIP, 4 SAP/PEP, 5 SPX, 17 NCP, 20 NetBIOS broadcast). */
  get packetType(): number {
    return this.u8(IpxOffsets.type);
  }
  /** Destination socket. */
  get dstSocket(): number {
    return this.u16(IpxOffsets.dstSocket);
  }
  /** Source socket. */
  get srcSocket(): number {
    return this.u16(IpxOffsets.srcSocket);
  }
  /** `NNNNNNNN.MM:MM:MM:MM:MM:MM`: the network number and node at field offset `f`. */
  addrText(f: number): string {
    return ipxAddr(this.bytes, this.offset + f);
  }
}

/** tcpdump's IPX address text: the network number in 8 hex digits, a dot, the node as a MAC. */
function ipxAddr(b: Uint8Array, o: number): string {
  return `${hex8(u32(b, o))}.${macText(b, o + 4)}`;
}

/** One SAP server entry. */
export interface IpxSapEntry {
  serviceType: number;
  name: string;
  address: string;
  socket: number;
  hops: number;
}

/** One RIP route entry. */
export interface IpxRipEntry {
  network: number;
  hops: number;
  ticks: number;
}

/** Parsed IPX packet; `sap` or `rip` when the destination socket is theirs. */
export interface IpxRepr {
  checksum: number;
  length: number;
  hops: number;
  packetType: number;
  dst: string;
  dstSocket: number;
  src: string;
  srcSocket: number;
  sap?: { operation: number; serviceType?: number; entries?: IpxSapEntry[] };
  rip?: { operation: number; entries: IpxRipEntry[] };
}

/** The name field of a SAP entry: up to 48 bytes, ending at the first zero byte. */
function sapName(b: Uint8Array, o: number, end: number): string {
  let s = '';
  for (let k = o; k < Math.min(o + IpxOffsets.sapNameLen, end) && b[k] !== 0; k++) s += String.fromCharCode(b[k]!);
  return s;
}

/** Builds the sink representation (SAP and RIP entries as far as the packet's length and the capture hold them). */
export function ipxRepr(v: IpxView): IpxRepr {
  const O = IpxOffsets;
  const r: IpxRepr = {
    checksum: v.checksum, length: v.packetLength, hops: v.hops, packetType: v.packetType,
    dst: v.addrText(O.dstNet), dstSocket: v.dstSocket, src: v.addrText(O.srcNet), srcSocket: v.srcSocket,
  };
  const b = v.bytes;
  const d = v.offset + O.headerLen;
  const end = v.offset + Math.min(v.length, Math.max(O.headerLen, v.packetLength));
  if (d + 2 > end) return r;
  const op = u16(b, d);
  if (v.dstSocket === IpxSocket.SAP) {
    r.sap = { operation: op };
    // a query (1 general, 3 nearest; other operations read the same way) names a service type, a response lists servers
    if (op !== 2 && op !== 4) {
      if (d + 4 <= end) r.sap.serviceType = u16(b, d + 2);
    } else {
      const entries: IpxSapEntry[] = [];
      for (let e = d + 2; e + O.sapEntry <= end; e += O.sapEntry) {
        entries.push({ serviceType: u16(b, e), name: sapName(b, e + O.sapName, end), address: ipxAddr(b, e + O.sapNet), socket: u16(b, e + O.sapSocket), hops: u16(b, e + O.sapHops) });
      }
      r.sap.entries = entries;
    }
  } else if (v.dstSocket === IpxSocket.RIP) {
    const entries: IpxRipEntry[] = [];
    for (let e = d + 2; e + O.ripEntry <= end; e += O.ripEntry) entries.push({ network: u32(b, e), hops: u16(b, e + 4), ticks: u16(b, e + 6) });
    r.rip = { operation: op, entries };
  }
  return r;
}

/** Names of the sockets tcpdump prints as `ipx-NAME LENGTH`. */
const NAMED_SOCKETS: Readonly<Record<number, string>> = {
  [IpxSocket.NCP]: 'ncp', [IpxSocket.NETBIOS]: 'netbios', [IpxSocket.DIAGNOSTICS]: 'diags', [IpxSocket.NWLINK_DGM]: 'nwlink-dgm',
};

/**
 * tcpdump's IPX text: the encapsulation at -e (`IPX 802.3: `, `IPX 802.2: `, or `(NOV-ETHII) ` for an
 * EtherType; nothing after a PPP protocol field), the addresses with their sockets, and what the destination socket carries.
 */
export function printIpx(c: Printer, v: IpxView, i: number): void {
  const p = c.parser;
  const prev = i > 0 ? p.kinds[i - 1] : Layer.None;
  const llc = prev === Layer.Llc ? p.at(i - 1, Layer.Llc) : undefined;
  if (llc && !llc.isSnap) {
    if (c.opts.linkHeader) c.s += 'IPX 802.2: ';
  } else if (rawAfterLength(p, i)) {
    if (c.opts.linkHeader) c.s += 'IPX 802.3: ';
  } else if (prev !== Layer.Ppp && prev !== Layer.Pppoe && prev !== Layer.L2tp) c.s += '(NOV-ETHII) ';
  if (!c.opts.linkHeader) c.s += 'IPX ';
  if (v.status !== DecodeStatus.Ok) {
    longjmpCut(c, 'ipx');
    return;
  }
  const O = IpxOffsets;
  c.s += `${v.addrText(O.srcNet)}.${hex4(v.srcSocket)} > ${v.addrText(O.dstNet)}.${hex4(v.dstSocket)}: `;
  const len = v.packetLength;
  if (len < O.headerLen) {
    c.s += `[length ${len} < ${O.headerLen}] (invalid)`;
    return;
  }
  const n = len - O.headerLen;
  const sock = v.dstSocket;
  const named = NAMED_SOCKETS[sock];
  if (named) c.s += `ipx-${named} ${n}`;
  else if (sock === IpxSocket.SAP) printSap(c, v, n);
  else if (sock === IpxSocket.RIP) printRip(c, v, n);
  else c.s += `ipx-#${sock.toString(16)} ${n}`;
}

/** True when layer i follows an 802.3 length directly (Novell's raw 802.3 framing). */
function rawAfterLength(p: Printer['parser'], i: number): boolean {
  const t = p.at(i - 1, Layer.Ethernet)?.etherType ?? p.at(i - 1, Layer.Vlan)?.etherType ?? ETHERTYPE_MIN;
  return t < ETHERTYPE_MIN;
}

/** SAP: the operation, then the service type of a request or up to 8 servers of a response (`n`: data length). */
function printSap(c: Printer, v: IpxView, n: number): void {
  const b = v.bytes;
  const cap = v.offset + v.length;
  let o = v.offset + IpxOffsets.headerLen;
  // tcpdump reads the operation, then checks the length (an 802.3 length bounds the capture first)
  if (o + 2 > cap) return longjmpCut(c, 'ipx');
  if (n < 2) {
    c.s += ` [length ${n} < 2] (invalid)`;
    return;
  }
  const op = u16(b, o);
  o += 2;
  n = (n - 2) >>> 0;
  if (op === 1 || op === 3) {
    c.s += op === 1 ? 'ipx-sap-req' : 'ipx-sap-nearest-req';
    if (o + 2 > cap) return longjmpCut(c, 'ipx');
    c.s += ` ${hex4(u16(b, o))}`;
  } else if (op === 2 || op === 4) {
    c.s += op === 2 ? 'ipx-sap-resp' : 'ipx-sap-nearest-resp';
    // tcpdump counts the length down by whole entries (unsigned): a ragged length reads on to the capture's end
    for (let k = 0; k < 8 && n !== 0; k++) {
      if (o + 2 > cap) return longjmpCut(c, 'ipx');
      c.s += ` ${hex4(u16(b, o))} '`;
      const name = o + IpxOffsets.sapName;
      let e = name;
      while (e < name + IpxOffsets.sapNameLen && e < cap && b[e] !== 0) c.s += safeChar(b[e++]!);
      // a name cut by the capture ends the text there, without its closing quote
      if (e === cap && e < name + IpxOffsets.sapNameLen) return longjmpCut(c, 'ipx');
      c.s += "'";
      if (o + IpxOffsets.sapSocket > cap) return longjmpCut(c, 'ipx');
      c.s += ` addr ${ipxAddr(b, o + IpxOffsets.sapNet)}`;
      o += IpxOffsets.sapEntry;
      n = (n - IpxOffsets.sapEntry) >>> 0;
    }
  } else c.s += `ipx-sap-?${op.toString(16)}`;
}

/** RIP: the operation, then the first route of a request or up to 50 routes of a response as `net/hops.ticks`. */
function printRip(c: Printer, v: IpxView, n: number): void {
  const b = v.bytes;
  const cap = v.offset + v.length;
  let o = v.offset + IpxOffsets.headerLen;
  if (o + 2 > cap) return longjmpCut(c, 'ipx');
  const op = u16(b, o);
  o += 2;
  n = (n - 2) >>> 0;
  const route = (): boolean => {
    if (o + IpxOffsets.ripEntry > cap) {
      longjmpCut(c, 'ipx');
      return false;
    }
    c.s += ` ${hex8(u32(b, o))}/${u16(b, o + 4)}.${u16(b, o + 6)}`;
    return true;
  };
  if (op === 1) {
    c.s += 'ipx-rip-req';
    if (n !== 0) route();
  } else if (op === 2) {
    c.s += 'ipx-rip-resp';
    for (let k = 0; k < 50 && n !== 0; k++) {
      if (!route()) return;
      o += IpxOffsets.ripEntry;
      n = (n - IpxOffsets.ripEntry) >>> 0;
    }
  } else c.s += `ipx-rip-?${op.toString(16)}`;
}
