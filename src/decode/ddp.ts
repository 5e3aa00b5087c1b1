/**
 * AppleTalk Datagram Delivery Protocol (Inside AppleTalk, 2nd edition, chapter 4): the 13-byte
 * extended header (hop count and length, checksum, destination and source network, node and socket,
 * type) on EtherTalk (EtherType 0x809b, SNAP 08-00-07/809b) and ARCNET (type 221), with the Name
 * Binding Protocol (type 2, chapter 7) and the AppleTalk Transaction Protocol (type 3, chapter 9)
 * decoded; RTMP, AEP, ZIP and the rest are named by type with their length, as tcpdump prints them.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { Layer } from './layers.js';
import { type Printer, safeChar } from './print.js';

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
  const len = i > 0 && p.kinds[i - 1] === Layer.Llc ? n : c.pkt.wireLen - (v.offset - c.pkt.offset);
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
  const rest = len - DdpOffsets.headerLen;
  const q = v.offset + DdpOffsets.headerLen;
  const cap = v.offset + v.length;
  switch (v.type) {
    case DdpType.NBP:
      return printNbp(c, v, q, rest, cap);
    case DdpType.ATP:
      return printAtp(c, v.bytes, q, rest, cap);
    default:
      c.s += ` at-${TYPE_NAMES[v.type] ?? `#${v.type}`} ${rest}`;
  }
}

const TRUNC = ' [|atalk]';

function printAtp(c: Printer, b: Uint8Array, o: number, len: number, cap: number): void {
  if (o + DdpOffsets.atpHeaderLen > cap) return void (c.s += TRUNC);
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

function printNbp(c: Printer, v: DdpView, o: number, len: number, cap: number): void {
  const O = DdpOffsets;
  const b = v.bytes;
  if (len < O.nbpHeaderLen) return void (c.s += ` truncated-nbp ${len}`);
  if (len - O.nbpHeaderLen < 8) return void (c.s += ` truncated-nbp ${len}`);
  let tp = o + O.nbpHeaderLen;
  if (tp > cap) return void (c.s += TRUNC);
  const ctl = b[o] ?? 0;
  const id = b[o + 1] ?? 0;
  const fn = ctl & 0xf0;
  if (fn === 0x10 || fn === 0x20) {
    c.s += ` ${fn === 0x20 ? 'nbp-lkup' : 'nbp-brRq'} ${id}:`;
    if (tp + O.tupleLen > cap) return void (c.s += TRUNC);
    nbpName(c, b, tp, cap);
    // the spec allows one tuple, with the sender's address and enumerator 0
    if ((ctl & 0x0f) !== 1) c.s += ` [ntup=${ctl & 0x0f}]`;
    const en = b[tp + O.tupleEnum] ?? 0;
    if (en) c.s += ` [enum=${en}]`;
    const net = u16(b, tp);
    const node = b[tp + O.tupleNode] ?? 0;
    const s = b[tp + O.tupleSocket] ?? 0;
    if (net !== v.srcNet || node !== v.srcNode || s !== v.srcSocket) c.s += ` [addr=${atAddr(net, node)}.${s}]`;
  } else if (fn === 0x30) {
    c.s += ` nbp-reply ${id}:`;
    for (let k = ctl & 0x0f; k !== 0 && tp >= 0; k--) {
      if (tp + O.tupleLen > cap) return void (c.s += TRUNC);
      const next = nbpName(c, b, tp, cap);
      const en = b[tp + O.tupleEnum] ?? 0;
      if (en !== 1) c.s += `(${en})`;
      const s = b[tp + O.tupleSocket] ?? 0;
      if (s !== v.srcSocket) c.s += ` ${s}`;
      const net = u16(b, tp);
      const node = b[tp + O.tupleNode] ?? 0;
      if (net !== v.srcNet || node !== v.srcNode) c.s += ` [addr=${atAddr(net, node)}]`;
      tp = next;
    }
  } else c.s += ` nbp-0x${ctl.toString(16)}  ${id} (${len - O.nbpHeaderLen})`;
}

/** ` "object:type@zone"`, stopping where a string is cut or too long; returns the offset after the name (-1: stopped). */
function nbpName(c: Printer, b: Uint8Array, tp: number, cap: number): number {
  let q = tp + DdpOffsets.tupleLen;
  c.s += ' "';
  for (const sep of [':', '@', '"']) {
    if (q >= cap) {
      c.s += TRUNC;
      return -1;
    }
    const n = b[q++] ?? 0;
    if (n > 32) {
      c.s += `[len=${n}]`;
      return -1;
    }
    for (let k = 0; k < n; k++, q++) {
      if (q >= cap) {
        c.s += TRUNC;
        return -1;
      }
      c.s += safeChar(b[q] ?? 0);
    }
    c.s += sep;
  }
  return q;
}
