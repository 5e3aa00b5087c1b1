/**
 * AppleTalk Datagram Delivery Protocol (Inside AppleTalk, 2nd edition, chapter 4): the 13-byte
 * extended header (hop count and length, checksum, destination and source network, node and socket,
 * type) on EtherTalk (EtherType 0x809b, SNAP 08-00-07/809b) and ARCNET (type 221), with the Name
 * Binding Protocol (type 2, chapter 7) and the AppleTalk Transaction Protocol (type 3, chapter 9)
 * decoded; RTMP, AEP, ZIP and the rest are named by type with their length, as tcpdump prints them.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { Layer } from './layers.js';
import { type Printer, safeChar, wireFrom } from './print.js';
import { printEigrpAt } from './eigrp.js';

/** Field offsets of the extended DDP header, then of NBP and ATP after it. */
export const DdpOffsets = {
  hopsLen: 0, checksum: 2, dstNet: 4, srcNet: 6, dstNode: 8, srcNode: 9, dstSocket: 10, srcSocket: 11, type: 12, headerLen: 13,
  nbpControl: 0, nbpId: 1, nbpHeaderLen: 2, tupleNet: 0, tupleNode: 2, tupleSocket: 3, tupleEnum: 4, tupleLen: 5,
  atpControl: 0, atpBitmap: 1, atpTid: 2, atpUser: 4, atpHeaderLen: 8,
} as const;

/** DDP types. */
export const DdpType = { RTMP: 1, NBP: 2, ATP: 3, AEP: 4, RTMP_REQUEST: 5, ZIP: 6, ADSP: 7, EIGRP: 88 } as const;

/** `net.node`, or the network alone for node 255, as tcpdump writes an AppleTalk address. */
export const atAddr = (net: number, node: number): string => (node === 255 ? `${net}` : `${net}.${node}`);

/** Zero-copy view of a DDP datagram. */
export class DdpView extends ByteView {
  /**
   * Points at the DDP header; Truncated below its 13 bytes.
   * @example ddp.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, DdpOffsets.headerLen);
  }
  private u8(f: number): number {
    return this.bytes[this.offset + f] ?? 0;
  }
  /** Hop count (4 bits). */
  get hops(): number {
    return (this.u8(0) >> 2) & 0x0f;
  }
  /** Datagram length (10 bits, header included). */
  get datagramLen(): number {
    return u16(this.bytes, this.offset) & 0x3ff;
  }
  /** Checksum (0: none). */
  get checksum(): number {
    return u16(this.bytes, this.offset + DdpOffsets.checksum);
  }
  /** Destination network. */
  get dstNet(): number {
    return u16(this.bytes, this.offset + DdpOffsets.dstNet);
  }
  /** Source network. */
  get srcNet(): number {
    return u16(this.bytes, this.offset + DdpOffsets.srcNet);
  }
  /** Destination node. */
  get dstNode(): number {
    return this.u8(DdpOffsets.dstNode);
  }
  /** Source node. */
  get srcNode(): number {
    return this.u8(DdpOffsets.srcNode);
  }
  /** Destination socket. */
  get dstSocket(): number {
    return this.u8(DdpOffsets.dstSocket);
  }
  /** Source socket. */
  get srcSocket(): number {
    return this.u8(DdpOffsets.srcSocket);
  }
  /** DDP type. */
  get type(): number {
    return this.u8(DdpOffsets.type);
  }
}

/** An NBP tuple: the entity's address, enumerator and name (object:type@zone, Mac OS Roman), as far as captured. */
export interface NbpTupleRepr {
  net: number;
  node: number;
  socket: number;
  enumerator: number;
  object?: string;
  type?: string;
  zone?: string;
}

/** Parsed DDP datagram, with its NBP or ATP header. */
export interface DdpRepr {
  hops: number;
  length: number;
  checksum: number;
  dstNet: number;
  srcNet: number;
  dstNode: number;
  srcNode: number;
  dstSocket: number;
  srcSocket: number;
  type: number;
  /** NBP: function (1 broadcast request, 2 lookup, 3 lookup reply, ...), tuple count, id, whole tuples captured. */
  nbp?: { function: number; count: number; id: number; tuples: NbpTupleRepr[] };
  /** ATP: function (1 request, 2 response, 3 release), XO, EOM, STS, bitmap or sequence number, transaction id, user bytes. */
  atp?: { function: number; xo: boolean; eom: boolean; sts: boolean; bitmap: number; tid: number; userData: number };
}

/** Builds the sink representation. */
export function ddpRepr(v: DdpView): DdpRepr {
  const r: DdpRepr = {
    hops: v.hops, length: v.datagramLen, checksum: v.checksum, dstNet: v.dstNet, srcNet: v.srcNet, dstNode: v.dstNode,
    srcNode: v.srcNode, dstSocket: v.dstSocket, srcSocket: v.srcSocket, type: v.type,
  };
  const O = DdpOffsets;
  const b = v.bytes;
  const p = v.offset + O.headerLen;
  const end = v.offset + v.length;
  if (r.type === DdpType.NBP && p + O.nbpHeaderLen <= end) {
    const c = b[p] ?? 0;
    const tuples: NbpTupleRepr[] = [];
    let t = p + O.nbpHeaderLen;
    for (let k = 0; k < (c & 0x0f) && t + O.tupleLen <= end; k++) {
      const tp: NbpTupleRepr = { net: u16(b, t), node: b[t + O.tupleNode] ?? 0, socket: b[t + O.tupleSocket] ?? 0, enumerator: b[t + O.tupleEnum] ?? 0 };
      let q = t + O.tupleLen;
      for (const k2 of ['object', 'type', 'zone'] as const) {
        const n = b[q] ?? 0;
        if (q + 1 + n > end) break;
        tp[k2] = cstring(b, q + 1, n);
        q += 1 + n;
      }
      tuples.push(tp);
      if (tp.zone === undefined) break;
      t = q;
    }
    r.nbp = { function: c >> 4, count: c & 0x0f, id: b[p + 1] ?? 0, tuples };
  } else if (r.type === DdpType.ATP && p + O.atpHeaderLen <= end) {
    const c = b[p] ?? 0;
    r.atp = { function: c >> 6, xo: (c & 0x20) !== 0, eom: (c & 0x10) !== 0, sts: (c & 0x08) !== 0, bitmap: b[p + 1] ?? 0, tid: u16(b, p + O.atpTid), userData: u32(b, p + O.atpUser) };
  }
  return r;
}

/** AppleTalk's names are in the Mac OS Roman character set. */
const MAC_ROMAN = new TextDecoder('macintosh');

function cstring(b: Uint8Array, o: number, n: number): string {
  return MAC_ROMAN.decode(b.subarray(o, o + n));
}

const TYPE_NAMES: Readonly<Record<number, string>> = { 1: 'rtmp', 5: 'rtmpReq', 4: 'echo', 22: 'IP', 23: 'ARP', 0x4b: 'KLAP' };
const SOCKET_NAMES: Readonly<Record<number, string>> = { 1: 'rtmp', 2: 'nis', 4: 'echo', 6: 'zip' };

/**
 * tcpdump's AppleTalk text: `AT ` (without -e), `net.node.socket > net.node.socket: `, then NBP or
 * ATP, or the type's name and length; -v adds tcpdump's `et1 `.
 */
export function printDdp(c: Printer, v: DdpView, i: number, n: number): void {
  const p = c.parser;
  // in SNAP the 802.3 length bounds the datagram; on Ethernet and ARCNET the frame does
  const len = i > 0 && p.kinds[i - 1] === Layer.Llc ? n : wireFrom(c, v.offset);
  if (c.opts.verbose) c.s += 'et1 ';
  if (!c.opts.linkHeader) c.s += 'AT ';
  if (len < DdpOffsets.headerLen) {
    c.s += ` [|ddp ${len}]`;
    return;
  }
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|ddp]';
    return;
  }
  // without -n (when names are looked up) the well-known sockets are named
  const skt = (s: number): string => (c.opts.names ? SOCKET_NAMES[s] ?? `${s}` : `${s}`);
  c.s += `${atAddr(v.srcNet, v.srcNode)}.${skt(v.srcSocket)} > ${atAddr(v.dstNet, v.dstNode)}.${skt(v.dstSocket)}: `;
  const from = { net: v.srcNet, node: v.srcNode, socket: v.srcSocket };
  ddpPayload(c, v.bytes, v.type, v.offset + DdpOffsets.headerLen, len - DdpOffsets.headerLen, v.offset + v.length, from, ' [|atalk]');
}

/** The sender of a datagram, which NBP compares its tuples with. */
interface DdpFrom {
  net: number;
  node: number;
  socket: number;
}

/**
 * tcpdump's ddp_print: what a datagram of `type` carries at `o` (`len` bytes on the wire, captured up
 * to `cap`): NBP, ATP, or the type's name and length. `trunc` is the marker of the printer that began
 * the packet (` [|atalk]` on EtherTalk, ` [|llap]` on LocalTalk).
 */
function ddpPayload(c: Printer, b: Uint8Array, type: number, o: number, len: number, cap: number, from: DdpFrom, trunc: string): void {
  switch (type) {
    case DdpType.NBP:
      return printNbp(c, b, o, len, cap, from, trunc);
    case DdpType.ATP:
      return printAtp(c, b, o, len, cap, trunc);
    case DdpType.EIGRP:
      return printEigrpAt(c, o, len);
    default:
      c.s += ` at-${TYPE_NAMES[type] ?? `#${type}`} ${len}`;
  }
}

function printAtp(c: Printer, b: Uint8Array, o: number, len: number, cap: number, trunc: string): void {
  if (o + DdpOffsets.atpHeaderLen > cap) return void (c.s += trunc);
  if (len < DdpOffsets.atpHeaderLen) return void (c.s += ` [|atp ${len}]`);
  const n = len - DdpOffsets.atpHeaderLen;
  const ctl = b[o] ?? 0;
  const bm = b[o + 1] ?? 0;
  const tid = u16(b, o + DdpOffsets.atpTid);
  // a request's and a response's flags follow a space, a release's (which should have none) do not
  const flags = (names: Array<[number, string]>, sep = ' '): string => {
    const set = names.filter(([bit]) => ctl & bit).map(([, s]) => s);
    return set.length ? `${sep}[${set.join(',')}]` : '';
  };
  switch (ctl & 0xc0) {
    case 0x40:
      c.s += ` atp-req${ctl & 0x20 ? ' ' : '*'} ${tid}${bitmapText(bm)}${n ? ` [len=${n}]` : ''}${flags([[0x10, 'EOM'], [0x08, 'STS']])}`;
      break;
    case 0x80:
      c.s += ` atp-resp${ctl & 0x10 ? '*' : ' '}${tid}:${bm} (${n})${flags([[0x20, 'XO'], [0x08, 'STS']])}`;
      break;
    case 0xc0:
      c.s += ` atp-rel  ${tid}${bitmapText(bm)}${n ? ` [len=${n}]` : ''}${flags([[0x20, 'XO'], [0x10, 'EOM'], [0x08, 'STS']], '')}`;
      break;
    default:
      c.s += ` atp-0x${ctl.toString(16)}  ${tid} (${n})`;
  }
  const user = u32(b, o + DdpOffsets.atpUser);
  if (user !== 0) c.s += ` 0x${user.toString(16)}`;
}

/** A run of low bits as `<0-N>`, else the bit numbers as `<0,2,5>`. */
function bitmapText(bm: number): string {
  if ((bm + 1) & bm) {
    const set: number[] = [];
    for (let k = 0; k < 8; k++) if (bm & (1 << k)) set.push(k);
    return `<${set.join(',')}>`;
  }
  let k = 0;
  for (let m = bm; m; m >>= 1) k++;
  return k > 1 ? `<0-${k - 1}>` : '<0>';
}

function printNbp(c: Printer, b: Uint8Array, o: number, len: number, cap: number, from: DdpFrom, trunc: string): void {
  const O = DdpOffsets;
  if (len < O.nbpHeaderLen) return void (c.s += ` truncated-nbp ${len}`);
  if (len - O.nbpHeaderLen < 8) return void (c.s += ` truncated-nbp ${len}`);
  let tp = o + O.nbpHeaderLen;
  if (tp > cap) return void (c.s += trunc);
  const ctl = b[o] ?? 0;
  const id = b[o + 1] ?? 0;
  const fn = ctl & 0xf0;
  if (fn === 0x10 || fn === 0x20) {
    c.s += ` ${fn === 0x20 ? 'nbp-lkup' : 'nbp-brRq'} ${id}:`;
    if (tp + O.tupleLen > cap) return void (c.s += trunc);
    nbpName(c, b, tp, cap, trunc);
    // the spec allows one tuple, with the sender's address and enumerator 0
    if ((ctl & 0x0f) !== 1) c.s += ` [ntup=${ctl & 0x0f}]`;
    const en = b[tp + O.tupleEnum] ?? 0;
    if (en) c.s += ` [enum=${en}]`;
    const net = u16(b, tp);
    const node = b[tp + O.tupleNode] ?? 0;
    const s = b[tp + O.tupleSocket] ?? 0;
    if (net !== from.net || node !== from.node || s !== from.socket) c.s += ` [addr=${atAddr(net, node)}.${s}]`;
  } else if (fn === 0x30) {
    c.s += ` nbp-reply ${id}:`;
    for (let k = ctl & 0x0f; k !== 0 && tp >= 0; k--) {
      if (tp + O.tupleLen > cap) return void (c.s += trunc);
      const next = nbpName(c, b, tp, cap, trunc);
      const en = b[tp + O.tupleEnum] ?? 0;
      if (en !== 1) c.s += `(${en})`;
      const s = b[tp + O.tupleSocket] ?? 0;
      if (s !== from.socket) c.s += ` ${s}`;
      const net = u16(b, tp);
      const node = b[tp + O.tupleNode] ?? 0;
      if (net !== from.net || node !== from.node) c.s += ` [addr=${atAddr(net, node)}]`;
      tp = next;
    }
  } else c.s += ` nbp-0x${ctl.toString(16)}  ${id} (${len - O.nbpHeaderLen})`;
}

/** ` "object:type@zone"`, stopping where a string is cut or too long; returns the offset after the name (-1: stopped). */
function nbpName(c: Printer, b: Uint8Array, tp: number, cap: number, trunc: string): number {
  let q = tp + DdpOffsets.tupleLen;
  c.s += ' "';
  for (const sep of [':', '@', '"']) {
    if (q >= cap) {
      c.s += trunc;
      return -1;
    }
    const n = b[q++] ?? 0;
    if (n > 32) {
      c.s += `[len=${n}]`;
      return -1;
    }
    for (let k = 0; k < n; k++, q++) {
      if (q >= cap) {
        c.s += trunc;
        return -1;
      }
      c.s += safeChar(b[q] ?? 0);
    }
    c.s += sep;
  }
  return q;
}

/*
 * LocalTalk (Inside AppleTalk, 2nd edition, chapter 1), LINKTYPE_LTALK (114): the LocalTalk Link Access
 * Protocol header (destination node, source node, type), then a short DDP header (type 1: length,
 * sockets, DDP type; the nodes are LLAP's, the network 0) or an extended one (type 2); types from 0x80
 * are LLAP control frames (enquiry, acknowledgement, RTS, CTS).
 */

/** Field offsets of the LLAP header, then of the short DDP header after it. */
export const LlapOffsets = { dst: 0, src: 1, type: 2, headerLen: 3, sddpLen: 0, sddpDstSocket: 2, sddpSrcSocket: 3, sddpType: 4, sddpHeaderLen: 5 } as const;

/** LLAP types that carry a datagram. */
export const LlapType = { SHORT_DDP: 1, DDP: 2 } as const;

/** Zero-copy view of a LocalTalk frame. */
export class LlapView extends ByteView {
  /**
   * Points at the LLAP header; Truncated below its 3 bytes.
   * @example llap.reset(bytes, 0, bytes.length);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, LlapOffsets.headerLen);
  }
  /** Destination node (255: broadcast). */
  get dst(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Source node. */
  get src(): number {
    return this.bytes[this.offset + LlapOffsets.src] ?? 0;
  }
  /** LLAP type (1 short DDP, 2 extended DDP, 0x81-0x85 control). */
  get type(): number {
    return this.bytes[this.offset + LlapOffsets.type] ?? 0;
  }
  /** The DDP type of a short DDP header (LLAP type 1) when it is captured whole, else -1. */
  get shortDdpType(): number {
    const O = LlapOffsets;
    if (this.type !== LlapType.SHORT_DDP || this.length < O.headerLen + O.sddpHeaderLen) return -1;
    return this.bytes[this.offset + O.headerLen + O.sddpType] ?? -1;
  }
}

/** Parsed LocalTalk header, with the short DDP header of type 1 when captured. */
export interface LlapRepr {
  dst: number;
  src: number;
  type: number;
  /** Type 1: the short DDP header's datagram length, sockets and DDP type. */
  shortDdp?: { length: number; dstSocket: number; srcSocket: number; type: number };
}

/** Builds the sink representation. */
export function llapRepr(v: LlapView): LlapRepr {
  const r: LlapRepr = { dst: v.dst, src: v.src, type: v.type };
  const q = v.offset + LlapOffsets.headerLen;
  if (v.shortDdpType >= 0) {
    const b = v.bytes;
    r.shortDdp = { length: u16(b, q) & 0x3ff, dstSocket: b[q + 2]!, srcSocket: b[q + 3]!, type: v.shortDdpType };
  }
  return r;
}

/**
 * The bytes tcpdump's -x dump skips as LocalTalk's link header (llap_print's return): the LLAP header
 * and the DDP header after it; what it returns for a frame too short for either; the whole capture
 * when one was cut by it.
 */
export function llapHeaderBytes(v: LlapView, wireLen: number, capLen: number): number {
  const O = LlapOffsets;
  if (wireLen < O.headerLen) return Math.min(wireLen, capLen);
  if (v.status !== DecodeStatus.Ok) return capLen;
  const rest = wireLen - O.headerLen;
  const ddp = v.type === LlapType.SHORT_DDP ? O.sddpHeaderLen : v.type === LlapType.DDP ? DdpOffsets.headerLen : 0;
  if (rest < ddp) return Math.min(rest, capLen);
  if (O.headerLen + ddp > capLen) return capLen;
  return O.headerLen + ddp;
}

/**
 * tcpdump's llap_print: a datagram's addresses (a short one's are the LLAP nodes on network 0) and
 * what it carries, as on EtherTalk but without the `AT ` prefix; other types as `src > dst at-lap#T N`.
 * The extended DDP header is layer i + 1.
 */
export function printLlap(c: Printer, v: LlapView, i: number): void {
  const O = LlapOffsets;
  const len = wireFrom(c, v.offset);
  if (len < O.headerLen) return void (c.s += ` [|llap ${len}]`);
  if (v.status !== DecodeStatus.Ok) return void (c.s += ' [|llap]');
  const skt = (s: number): string => (c.opts.names ? SOCKET_NAMES[s] ?? `${s}` : `${s}`);
  const rest = len - O.headerLen;
  const q = v.offset + O.headerLen;
  const cap = v.offset + v.length;
  const b = v.bytes;
  switch (v.type) {
    case LlapType.SHORT_DDP: {
      if (rest < O.sddpHeaderLen) return void (c.s += ` [|sddp ${rest}]`);
      if (q + O.sddpHeaderLen > cap) return void (c.s += ' [|sddp]');
      const ss = b[q + O.sddpSrcSocket]!;
      c.s += `${atAddr(0, v.src)}.${skt(ss)} > ${atAddr(0, v.dst)}.${skt(b[q + O.sddpDstSocket]!)}:`;
      const from = { net: 0, node: v.src, socket: ss };
      ddpPayload(c, b, b[q + O.sddpType]!, q + O.sddpHeaderLen, rest - O.sddpHeaderLen, cap, from, ' [|llap]');
      return;
    }
    case LlapType.DDP: {
      if (rest < DdpOffsets.headerLen) return void (c.s += ` [|ddp ${rest}]`);
      const d = c.parser.at(i + 1, Layer.Ddp);
      if (d === undefined || d.status !== DecodeStatus.Ok) return void (c.s += ' [|ddp]');
      c.s += `${atAddr(d.srcNet, d.srcNode)}.${skt(d.srcSocket)} > ${atAddr(d.dstNet, d.dstNode)}.${skt(d.dstSocket)}:`;
      const from = { net: d.srcNet, node: d.srcNode, socket: d.srcSocket };
      ddpPayload(c, b, d.type, q + DdpOffsets.headerLen, rest - DdpOffsets.headerLen, cap, from, ' [|llap]');
      return;
    }
    default:
      c.s += `${v.src} > ${v.dst} at-lap#${v.type} ${rest}`;
  }
}
