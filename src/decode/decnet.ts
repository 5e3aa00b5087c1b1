/**
 * DECnet Phase IV, EtherType 0x6003 (DNA Routing Functional Specification V2.0.0 and NSP Functional
 * Specification V4.0.1): a little-endian packet length, optional padding (a first byte with the high
 * bit set counts the pad bytes, itself included), then a routing header. Data packets have a short
 * (6-byte) or long (21-byte, Ethernet-style node ids) header followed by an NSP message; control
 * packets (flag bit 0) are initialization, verification, test, level 1/2 routing and router/endnode
 * hello messages. All multi-byte fields are little-endian. A node address is 6 bits of area and 10 of
 * node number, written `area.node`.
 */
import { ByteView, DecodeStatus, u16le } from './status.js';
import { type Printer, hexAsciiDump, longjmpCut, wireFrom } from './print.js';

/** Offsets from the routing flags byte (after the length and any padding). */
export const DecnetOffsets = {
  pktLen: 0, flags: 2,
  // short data header: flags, dst, src, visits
  shortDst: 1, shortSrc: 3, shortVisits: 5, shortLen: 6,
  // long data header: flags, d-area, d-subarea, dst id (6), s-area, s-subarea, src id (6), next level 2, visits, service, protocol
  longDst: 3, longSrc: 11, longVisits: 18, longLen: 21, idNode: 4,
  // control messages: the source node of init, verification, test and routing messages
  ctlSrc: 1, ctlSmallLen: 4,
  initInfo: 3, initBlksize: 4, initVers: 6, initEco: 7, initUeco: 8, initHello: 9, initLen: 12,
  helloVers: 1, helloEco: 2, helloUeco: 3, helloId: 4, helloInfo: 10, helloBlksize: 11,
  rhelloPriority: 13, rhelloHello: 15, rhelloLen: 18,
  ehelloRouter: 22, ehelloHello: 28, ehelloData: 31, ehelloLen: 32,
} as const;

/** NSP message offsets from its flags byte. */
export const NspOffsets = { flags: 0, dst: 1, src: 3, headerLen: 5, seq: 5, services: 5, info: 6, segsize: 7, ccOptLen: 9, reason: 5, diOptLen: 7, lsFlags: 11, fcVal: 12 } as const;

/** Routing flag bits and message-type values. */
export const DecnetFlags = { CONTROL: 0x01, TYPE_MASK: 0x07, SHORT: 0x02, LONG: 0x06, RQR: 0x08, RTS: 0x10, IE: 0x20, FUTURE: 0x40, PAD: 0x80, PAD_MASK: 0x7f, CTL_MASK: 0x0f } as const;

/** Control message types (routing flags & 0x0f). */
export const DecnetControl = { INIT: 1, VERIFY: 3, TEST: 5, L1_ROUTING: 7, L2_ROUTING: 9, ROUTER_HELLO: 11, ENDNODE_HELLO: 13 } as const;

/** `area.node` of a 16-bit DECnet address. */
export const dnAddr = (a: number): string => `${(a >> 10) & 0x3f}.${a & 0x3ff}`;

/** Zero-copy view of a DECnet routing packet. */
export class DecnetView extends ByteView {
  /**
   * Points at the packet length field; Truncated below the length and the first flags byte.
   * @example dn.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, 3);
  }
  /** Packet length (bytes after this field). */
  get pktLen(): number {
    return u16le(this.bytes, this.offset);
  }
  /** Pad bytes before the routing flags (0: none). */
  get padLen(): number {
    const f = this.bytes[this.offset + 2] ?? 0;
    return f & DecnetFlags.PAD ? f & DecnetFlags.PAD_MASK : 0;
  }
  /** Offset in the packet of the routing flags byte, after any padding. */
  get flagsOffset(): number {
    return this.offset + 2 + this.padLen;
  }
  /** Routing flags (-1 when not captured). */
  get flags(): number {
    return this.bytes[this.flagsOffset] ?? -1;
  }
}

/** The NSP message of a data packet. */
export interface NspRepr {
  msgFlags: number;
  dstLink: number;
  /** Absent in a connect acknowledgement (3 bytes). */
  srcLink?: number;
  /** Data, interrupt and link service: the sequence fields present (acknowledgements, then the segment number). */
  acks?: number[];
  segnum?: number;
  services?: number;
  info?: number;
  segsize?: number;
  reason?: number;
}

/** Parsed DECnet packet: the routing header, control message fields, or the NSP message. */
export interface DecnetRepr {
  pktLen: number;
  padLen: number;
  flags: number;
  /** Data: destination and source node addresses (`area.node`), visit count. Control: the source. */
  dst?: string;
  src?: string;
  visits?: number;
  /** Control messages: type (flags & 0x0f), node type/info byte, block size, hello timer, router priority. */
  control?: number;
  info?: number;
  blksize?: number;
  hello?: number;
  priority?: number;
  router?: string;
  nsp?: NspRepr;
}

/** Builds the sink representation, as far as captured. */
export function decnetRepr(v: DecnetView): DecnetRepr {
  const b = v.bytes;
  const end = v.offset + v.length;
  const r: DecnetRepr = { pktLen: v.pktLen, padLen: v.padLen, flags: v.flags };
  const f = v.flagsOffset;
  const has = (n: number): boolean => f + n <= end;
  const fl = r.flags;
  if (fl < 0 || fl & (DecnetFlags.FUTURE | DecnetFlags.PAD)) return r;
  const O = DecnetOffsets;
  if (fl & DecnetFlags.CONTROL) {
    const t = fl & DecnetFlags.CTL_MASK;
    r.control = t;
    if (t === DecnetControl.ROUTER_HELLO || t === DecnetControl.ENDNODE_HELLO) {
      if (!has(O.helloBlksize + 2)) return r;
      r.src = dnAddr(u16le(b, f + O.helloId + O.idNode));
      r.info = b[f + O.helloInfo] ?? 0;
      r.blksize = u16le(b, f + O.helloBlksize);
      const router = t === DecnetControl.ROUTER_HELLO;
      if (router && has(O.rhelloPriority + 1)) r.priority = b[f + O.rhelloPriority] ?? 0;
      if (!router && has(O.ehelloRouter + 6)) r.router = dnAddr(u16le(b, f + O.ehelloRouter + O.idNode));
      const h = router ? O.rhelloHello : O.ehelloHello;
      if (has(h + 2)) r.hello = u16le(b, f + h);
    } else if (t <= DecnetControl.L2_ROUTING && has(O.ctlSrc + 2)) {
      r.src = dnAddr(u16le(b, f + O.ctlSrc));
      if (t === DecnetControl.INIT && has(O.initInfo + 1)) r.info = b[f + O.initInfo] ?? 0;
      if (t === DecnetControl.INIT && has(O.initLen)) {
        r.blksize = u16le(b, f + O.initBlksize);
        r.hello = u16le(b, f + O.initHello);
      }
    }
    return r;
  }
  let nsp: number;
  if ((fl & DecnetFlags.TYPE_MASK) === DecnetFlags.SHORT && has(O.shortLen)) {
    r.dst = dnAddr(u16le(b, f + O.shortDst));
    r.src = dnAddr(u16le(b, f + O.shortSrc));
    r.visits = (b[f + O.shortVisits] ?? 0) & 0x3f;
    nsp = f + O.shortLen;
  } else if ((fl & DecnetFlags.TYPE_MASK) === DecnetFlags.LONG && has(O.longLen)) {
    r.dst = dnAddr(u16le(b, f + O.longDst + O.idNode));
    r.src = dnAddr(u16le(b, f + O.longSrc + O.idNode));
    r.visits = b[f + O.longVisits] ?? 0;
    nsp = f + O.longLen;
  } else return r;
  // read up to the capture's end, as tcpdump and tshark do (past the packet length, into any Ethernet
  // padding); a connect acknowledgement is only the flags and the destination link address
  if (nsp + NspOffsets.src <= end) r.nsp = nspRepr(b, nsp, end);
  return r;
}

function nspRepr(b: Uint8Array, o: number, end: number): NspRepr {
  const N = NspOffsets;
  const fl = b[o] ?? 0;
  const n: NspRepr = { msgFlags: fl, dstLink: u16le(b, o + N.dst) };
  if (o + N.headerLen > end) return n;
  n.srcLink = u16le(b, o + N.src);
  const type = fl & 0x0c;
  const sub = fl & 0x70;
  if (type === 0 && (sub !== 0x50 && sub !== 0x70)) {
    // data, interrupt, link service: optional acknowledgement fields (bit 15 set), then the segment number
    const acks: number[] = [];
    let p = o + N.seq;
    while (p + 2 <= end && acks.length < 2 && u16le(b, p) & 0x8000) {
      acks.push(u16le(b, p));
      p += 2;
    }
    n.acks = acks;
    if (p + 2 <= end) n.segnum = u16le(b, p) & 0x0fff;
  } else if (type === 8 && (sub === 0x10 || sub === 0x60 || sub === 0x20) && o + N.info < end) {
    n.services = b[o + N.services] ?? 0;
    n.info = b[o + N.info] ?? 0;
    if (o + N.segsize + 2 <= end) n.segsize = u16le(b, o + N.segsize);
  } else if (type === 8 && (sub === 0x30 || sub === 0x40) && o + N.reason + 2 <= end) {
    n.reason = u16le(b, o + N.reason);
  }
  return n;
}

const REASONS: Readonly<Record<number, string>> = {
  0: 'object rejected connect', 1: 'insufficient resources', 2: 'unrecognized node name', 3: 'node is shutting down',
  4: 'unrecognized object', 5: 'invalid object name format', 6: 'object too busy', 7: 'protocol error discovered',
  8: 'third party abort', 9: 'user abort', 10: 'invalid node name format', 11: 'local node shutting down',
  32: 'insufficient local resources', 33: 'insufficient remote user resources', 34: 'invalid access control information',
  36: 'bad ACCOUNT information', 38: 'no response from object', 39: 'node unreachable', 41: 'no link terminate',
  42: 'disconnect complete', 43: 'bad image data in connect', 54: 'cryptographic service mismatch',
};

const NODE_TYPES = ['reserved-ntype? ', 'l2rout ', 'l1rout ', 'endnode '];
const NSP_VERSIONS = ['ver 3.2 ', 'ver 3.1 ', 'ver 4.0 ', 'ver 4.1 '];
const INVALID = ' (invalid)';

/**
 * tcpdump's DECnet text: `src > dst pktlen`, the flags and hop count at -v, then the NSP message; a
 * control message by its type and fields. Lengths are checked against the packet length, reads
 * against the capture (a read past it ends the line with ` [|decnet]`).
 */
export function printDecnet(c: Printer, v: DecnetView): void {
  const b = v.bytes;
  const cap = v.offset + v.length;
  let len = wireFrom(c, v.offset);
  // a read past the capture: tcpdump's longjmp
  const cut = (end: number): boolean => {
    if (end <= cap) return false;
    longjmpCut(c, 'decnet');
    return true;
  };
  if (len < DecnetOffsets.shortLen) {
    c.s += ` (length ${len} < 6)${INVALID}`;
    return;
  }
  let a = v.offset;
  if (cut(a + 2)) return;
  const pktLen = u16le(b, a);
  if (pktLen < DecnetOffsets.shortLen) {
    c.s += ` (pktlen ${pktLen} < 6)${INVALID}`;
    return;
  }
  if (pktLen > len) {
    c.s += ` (pktlen ${pktLen} > ${len})${INVALID}`;
    return;
  }
  len = pktLen;
  if (cut(a + 3)) return;
  let fl = b[a + 2] ?? 0;
  if (fl & DecnetFlags.PAD) {
    const pad = fl & DecnetFlags.PAD_MASK;
    if (c.opts.verbose) c.s += `[pad:${pad}] `;
    if (len < pad + 2) {
      c.s += ` (length ${len} < ${pad + 2})${INVALID}`;
      return;
    }
    if (cut(a + 2 + pad)) return;
    a += pad;
    len -= pad;
    if (cut(a + 3)) return;
    fl = b[a + 2] ?? 0;
  }
  const r = a + 2;
  if (fl & DecnetFlags.FUTURE) {
    c.s += 'future-version-decnet';
    dump(c, a, Math.min(a + len, cap), cap);
    return;
  }
  if (fl & DecnetFlags.CONTROL) {
    printControl(c, b, r, fl, len, a + len, cap, cut);
    return;
  }
  const O = DecnetOffsets;
  let dst: number;
  let src: number;
  let hops: number;
  let nsp: number;
  let nspLen: number;
  if ((fl & DecnetFlags.TYPE_MASK) === DecnetFlags.LONG) {
    if (len < O.longLen) {
      c.s += ` (length ${len} < ${O.longLen})${INVALID}`;
      return;
    }
    if (cut(r + O.longLen)) return;
    dst = u16le(b, r + O.longDst + O.idNode);
    src = u16le(b, r + O.longSrc + O.idNode);
    hops = b[r + O.longVisits] ?? 0;
    nsp = r + O.longLen;
    nspLen = len - O.longLen;
  } else if ((fl & DecnetFlags.TYPE_MASK) === DecnetFlags.SHORT) {
    if (cut(r + O.shortLen)) return;
    dst = u16le(b, r + O.shortDst);
    src = u16le(b, r + O.shortSrc);
    hops = ((b[r + O.shortVisits] ?? 0) & 0x3f) + 1;
    nsp = r + O.shortLen;
    nspLen = len - O.shortLen;
  } else {
    c.s += 'unknown message flags under mask';
    dump(c, a, Math.min(a + len, cap), cap);
    return;
  }
  c.s += `${dnAddr(src)} > ${dnAddr(dst)} ${pktLen} `;
  if (c.opts.verbose) {
    if (fl & DecnetFlags.RQR) c.s += 'RQR ';
    if (fl & DecnetFlags.RTS) c.s += 'RTS ';
    if (fl & DecnetFlags.IE) c.s += 'IE ';
    c.s += `${hops} hops `;
  }
  printNsp(c, b, nsp, nspLen, cut);
}

/**
 * tcpdump's default print of [from, to), which its DECnet printer calls even under -x and -q: the
 * captured part, then ` [|decnet]` when the capture ends first.
 */
function dump(c: Printer, from: number, to: number, cap: number): void {
  c.s += hexAsciiDump(c.parser.bytes, from, Math.min(to, cap) - from);
  if (to > cap) longjmpCut(c, 'decnet');
}

function printControl(c: Printer, b: Uint8Array, r: number, fl: number, len: number, end: number, cap: number, cut: (e: number) => boolean): void {
  const O = DecnetOffsets;
  const t = fl & DecnetFlags.CTL_MASK;
  const small = (name: string, field: string): void => {
    c.s += `${name} `;
    if (len < O.ctlSmallLen) return void (c.s += INVALID);
    if (cut(r + O.ctlSmallLen)) return;
    c.s += `src ${dnAddr(u16le(b, r + O.ctlSrc))} ${field} ${(b[r + 3] ?? 0).toString(8)}`;
  };
  const routes = (name: string, what: string): void => {
    c.s += `${name} `;
    if (len < O.ctlSmallLen) return void (c.s += INVALID);
    if (cut(r + O.ctlSmallLen)) return;
    c.s += `src ${dnAddr(u16le(b, r + O.ctlSrc))} `;
    // segments of (count, first id, cost and hops); the last 2 bytes are a checksum
    let p = r + O.ctlSmallLen;
    for (let n = len - O.ctlSmallLen; n > 6; n -= 6, p += 6) {
      if (cut(p + 6)) return;
      const count = u16le(b, p);
      if (count > 1024) return;
      const id = u16le(b, p + 2);
      const info = u16le(b, p + 4);
      c.s += `{${what} ${id}-${id + count} cost ${info & 0x1ff} hops ${(info >> 10) & 0x1f}} `;
    }
  };
  switch (t) {
    case DecnetControl.INIT: {
      c.s += 'init ';
      if (len < O.initLen) return void (c.s += INVALID);
      if (cut(r + O.initLen)) return;
      const info = b[r + O.initInfo] ?? 0;
      c.s += NODE_TYPES[info & 3] ?? '';
      if (info & 4) c.s += 'verif ';
      if (info & 8) c.s += 'blo ';
      // tcpdump writes no space between the address and "blksize"
      c.s += `src ${dnAddr(u16le(b, r + O.ctlSrc))}blksize ${u16le(b, r + O.initBlksize)} vers ${b[r + O.initVers] ?? 0} eco ${b[r + O.initEco] ?? 0} ueco ${b[r + O.initUeco] ?? 0} hello ${u16le(b, r + O.initHello)}`;
      return;
    }
    case DecnetControl.VERIFY:
      return small('verification', 'fcnval');
    case DecnetControl.TEST:
      return small('test', 'data');
    case DecnetControl.L1_ROUTING:
      return routes('lev-1-routing', 'ids');
    case DecnetControl.L2_ROUTING:
      return routes('lev-2-routing', 'areas');
    case DecnetControl.ROUTER_HELLO:
    case DecnetControl.ENDNODE_HELLO: {
      const router = t === DecnetControl.ROUTER_HELLO;
      c.s += router ? 'router-hello ' : 'endnode-hello ';
      if (len < (router ? O.rhelloLen : O.ehelloLen)) return void (c.s += INVALID);
      if (cut(r + (router ? O.rhelloLen : O.ehelloLen))) return;
      const info = b[r + O.helloInfo] ?? 0;
      c.s += NODE_TYPES[info & 3] ?? '';
      if (info & 0x04) c.s += 'verif ';
      if (info & 0x20) c.s += 'nomcast ';
      if (info & 0x40) c.s += 'blo ';
      c.s += `vers ${b[r + O.helloVers] ?? 0} eco ${b[r + O.helloEco] ?? 0} ueco ${b[r + O.helloUeco] ?? 0} src ${dnAddr(u16le(b, r + O.helloId + O.idNode))} blksize ${u16le(b, r + O.helloBlksize)}`;
      // a router hello's list of router states on the Ethernet is not printed by tcpdump
      if (router) c.s += ` pri ${b[r + O.rhelloPriority] ?? 0} hello ${u16le(b, r + O.rhelloHello)}`;
      else c.s += ` rtr ${dnAddr(u16le(b, r + O.ehelloRouter + O.idNode))} hello ${u16le(b, r + O.ehelloHello)} data ${(b[r + O.ehelloData] ?? 0).toString(8)}`;
      return;
    }
    default:
      c.s += 'unknown control message';
      // tcpdump dumps from the flags byte as many bytes as there are from the length field on
      dump(c, r, r + Math.min(len, cap - (r - 2)), cap);
  }
}

/** Acknowledgement fields: `ack`/`nak` (or the other channel's names) while bit 15 is set. */
function printNsp(c: Printer, b: Uint8Array, o: number, len: number, cut: (e: number) => boolean): void {
  const N = NspOffsets;
  if (len < N.headerLen) {
    c.s += ` (nsplen ${len} < 5)${INVALID}`;
    return;
  }
  if (cut(o + N.headerLen)) return;
  const fl = b[o] ?? 0;
  const dst = u16le(b, o + N.dst);
  const src = u16le(b, o + N.src);
  const sub = fl & 0x70;
  const reserved = (what: string): void => void (c.s += `reserved-${what}? ${fl.toString(16)} ${src} > ${dst}`);
  // a sequence field: 'nak'/'ack' for the first, the other-channel names for the second
  const ackText = (v: number, nak: string, ack: string): string => `${(v & 0x9000) === 0x9000 ? nak : ack} ${v & 0x0fff} `;
  const ackText2 = (v: number, nak: string, ack: string): string => `${(v & 0xb000) === 0xb000 ? nak : ack} ${v & 0x0fff} `;
  switch (fl & 0x0c) {
    case 0x00: {
      if (sub === 0x50 || sub === 0x70) return reserved('subtype');
      const ls = sub === 0x10;
      const intr = sub === 0x30;
      if (intr) c.s += 'intr ';
      else c.s += `${ls ? 'link-service' : 'data'} ${src}>${dst} `;
      const other = intr || ls ? ['nakdat', 'ackdat'] as const : ['onak', 'oack'] as const;
      // a link service message is checked whole first; data and interrupt field by field
      if (ls && len < 13) return void (c.s += INVALID);
      let off = 7;
      if (len < off) return void (c.s += INVALID);
      if (cut(o + 7)) return;
      let ack = u16le(b, o + 5);
      if (ack & 0x8000) {
        c.s += ackText(ack, 'nak', 'ack');
        off += 2;
        if (len < off) return void (c.s += INVALID);
        if (cut(o + 9)) return;
        ack = u16le(b, o + 7);
        if (ack & 0xa000) {
          c.s += ackText2(ack, other[0], other[1]);
          off += 2;
          if (len < off) return void (c.s += INVALID);
          if (cut(o + 11)) return;
          ack = u16le(b, o + 9);
        }
      }
      c.s += `seg ${ack & 0x0fff} `;
      if (!ls) return;
      if (cut(o + N.fcVal + 1)) return;
      const lsf = b[o + N.lsFlags] ?? 0;
      const fc = b[o + N.fcVal] ?? 0;
      if ((lsf & 0x0c) === 0) {
        c.s += `dat seg count ${fc} `;
        const m = lsf & 3;
        if (m === 1) c.s += 'donotsend-data ';
        else if (m === 2) c.s += 'send-data ';
        else if (m === 3) c.s += `reserved-fcmod? ${lsf.toString(16)}`;
      } else if ((lsf & 0x0c) === 4) c.s += `intr req count ${fc} `;
      else c.s += `reserved-fcval-int? ${lsf.toString(16)}`;
      return;
    }
    case 0x04: {
      if (sub === 0x20) return void (c.s += `conn-ack ${dst}`);
      if (sub !== 0x00 && sub !== 0x10) return reserved('acktype');
      const data = sub === 0x00;
      c.s += `${data ? 'data-ack' : 'ils-ack'} ${src}>${dst} `;
      if (len < 9) return void (c.s += INVALID);
      if (cut(o + 9)) return;
      const ack = u16le(b, o + 5);
      if (!(ack & 0x8000)) return;
      c.s += ackText(ack, 'nak', 'ack');
      const ack2 = u16le(b, o + 7);
      if (ack2 & 0xa000) c.s += data ? ackText2(ack2, 'onak', 'oack') : ackText2(ack2, 'nakdat', 'ackdat');
      return;
    }
    case 0x08:
      switch (sub) {
        case 0x10:
        case 0x60:
        case 0x20: {
          const cc = sub === 0x20;
          c.s += cc ? `conn-confirm ${src}>${dst} ` : `${sub === 0x10 ? 'conn-initiate' : 'retrans-conn-initiate'} ${src}>${dst} `;
          if (len < (cc ? 10 : 9)) return void (c.s += INVALID);
          if (cut(o + (cc ? 10 : 9))) return;
          const services = (b[o + N.services] ?? 0) & 0x0c;
          if (services === 4) c.s += 'seg ';
          else if (services === 8) c.s += 'msg ';
          c.s += `${NSP_VERSIONS[(b[o + N.info] ?? 0) & 3] ?? ''}segsize ${u16le(b, o + N.segsize)} `;
          const opt = cc ? b[o + N.ccOptLen] ?? 0 : 0;
          if (opt) c.s += `optlen ${opt} `;
          return;
        }
        case 0x30:
        case 0x40: {
          const di = sub === 0x30;
          c.s += `${di ? 'disconn-initiate' : 'disconn-confirm'} ${src}>${dst} `;
          if (di && len < 8) return void (c.s += INVALID);
          if (cut(o + (di ? 8 : 7))) return;
          const reason = u16le(b, o + N.reason);
          c.s += `${REASONS[reason] ?? `reason-${reason}`} `;
          const opt = di ? b[o + N.diOptLen] ?? 0 : 0;
          if (opt) c.s += `optlen ${opt} `;
          return;
        }
        default:
          return reserved('ctltype');
      }
    default:
      return reserved('type');
  }
}
