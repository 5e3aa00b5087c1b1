/**
 * SLIP (LINKTYPE_SLIP 8): BPF's 16-byte pseudo-header before each IP packet: the direction (0 in,
 * 1 out) and the first 15 bytes of the link's header as received, whose first byte tells plain IP,
 * an uncompressed TCP/IP header (connection id in its protocol field) or an RFC 1144 compressed one.
 */
import { ByteView, DecodeStatus, u16 } from './status.js';
import type { Printer } from './print.js';
import { wireFrom } from './print.js';

/** Field offsets of the pseudo-header. */
export const SlipOffsets = { direction: 0, chdr: 1, headerLen: 16 } as const;

/** RFC 1144 packet types (the high bits of the first header byte). */
export const SlipType = { IP: 0x40, UNCOMPRESSED_TCP: 0x70, COMPRESSED_TCP: 0x80 } as const;

// RFC 1144 change mask bits of a compressed header
const NEW_C = 0x40;
const NEW_I = 0x20;
const NEW_S = 0x08;
const NEW_A = 0x04;
const NEW_W = 0x02;
const NEW_U = 0x01;
const SPECIALS_MASK = NEW_S | NEW_A | NEW_W | NEW_U;
const SPECIAL_I = NEW_S | NEW_W | NEW_U;
const SPECIAL_D = NEW_S | NEW_A | NEW_W | NEW_U;

/** Zero-copy view of the SLIP pseudo-header. */
export class SlipView extends ByteView {
  /**
   * Points at the pseudo-header; Truncated below its 16 bytes.
   * @example slip.reset(bytes, 0, bytes.length);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, SlipOffsets.headerLen);
  }
  /** Header bytes before the IP packet. */
  get headerLen(): number {
    return SlipOffsets.headerLen;
  }
  /** Direction byte: 0 received, 1 sent. */
  get direction(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** First byte of the link header: the RFC 1144 type in its high bits. */
  get chdr(): number {
    return this.bytes[this.offset + SlipOffsets.chdr] ?? 0;
  }
}

/** Parsed SLIP pseudo-header. */
export interface SlipRepr {
  direction: number;
  /** 0x40 IP, 0x70 uncompressed TCP, 0x80 compressed TCP. */
  type: number;
  /** Connection id of an uncompressed TCP header, or of a compressed one that names it. */
  connection?: number;
}

/** Builds the sink representation. */
export function slipRepr(v: SlipView): SlipRepr {
  const t = v.chdr;
  const r: SlipRepr = { direction: v.direction, type: t & 0x80 ? 0x80 : t & 0xf0 };
  if ((t & 0xf0) === SlipType.UNCOMPRESSED_TCP) r.connection = v.bytes[v.offset + SlipOffsets.chdr + 9] ?? 0;
  else if (t & 0x80 && t & NEW_C) r.connection = v.bytes[v.offset + SlipOffsets.chdr + 1] ?? 0;
  return r;
}

/** What tcpdump's SLIP printer remembers between packets: the last connection and its data lengths. */
interface SlipState {
  lastConn: number;
  lastLen: Uint32Array;
}
const STATE = new WeakMap<Printer, SlipState>();

/**
 * The uncompressed TCP/IP header length in bytes of the IP packet at `ip`, or -1 when its IP or TCP
 * fixed header was not captured.
 */
function tcpIpHeaderLen(c: Printer, ip: number): number {
  const capEnd = c.pkt.offset + c.pkt.capLen;
  if (ip + 20 > capEnd) return -1;
  const hl = (c.parser.bytes[ip] ?? 0) & 0x0f;
  const th = ip + hl * 4;
  if (th + 20 > capEnd) return -1;
  return (hl + ((c.parser.bytes[th + 12] ?? 0) >> 4)) * 4;
}

/** tcpdump's sliplink_print (with -e): direction and compression; false when it ended the packet. */
function printLink(c: Printer, v: SlipView, length: number): boolean {
  let st = STATE.get(c);
  if (st === undefined) {
    st = { lastConn: 255, lastLen: new Uint32Array(512) };
    STATE.set(c, st);
  }
  const b = v.bytes;
  const o = v.offset;
  let dir = v.direction;
  if (dir === 0) c.s += 'I ';
  else if (dir === 1) c.s += 'O ';
  else {
    c.s += `Invalid direction ${dir} `;
    dir = -1;
  }
  const t = v.chdr;
  const ip = o + SlipOffsets.headerLen;
  if ((t & 0xf0) === SlipType.IP) {
    c.s += `ip ${length + 16}: `;
    return true;
  }
  if ((t & 0xf0) === SlipType.UNCOMPRESSED_TCP) {
    st.lastConn = b[o + SlipOffsets.chdr + 9] ?? 0;
    c.s += `utcp ${st.lastConn}: `;
    if (dir === -1) return true;
    const hl = tcpIpHeaderLen(c, ip);
    if (hl < 0) {
      c.s += ' [|slip]';
      return false;
    }
    st.lastLen[dir * 256 + st.lastConn] = length - hl;
    return true;
  }
  if (dir === -1) return true;
  if ((t & SlipType.COMPRESSED_TCP) === 0) {
    c.s += `slip-${t}!: `;
    return true;
  }
  // RFC 1144 compressed header: change mask, optional connection, TCP checksum, then the deltas
  let q = o + SlipOffsets.chdr + 1;
  if (t & NEW_C) {
    st.lastConn = b[q++] ?? 0;
    c.s += `ctcp ${st.lastConn}`;
  } else c.s += 'ctcp *';
  q += 2;
  const change = (label: string): void => {
    let n = b[q++] ?? 0;
    if (n === 0) {
      n = u16(b, q);
      q += 2;
    }
    c.s += ` ${label}${n}`;
  };
  const slot = dir * 256 + st.lastConn;
  switch (t & SPECIALS_MASK) {
    case SPECIAL_I:
      c.s += ` *SA+${st.lastLen[slot] ?? 0}`;
      break;
    case SPECIAL_D:
      c.s += ` *S+${st.lastLen[slot] ?? 0}`;
      break;
    default:
      if (t & NEW_U) change('U=');
      if (t & NEW_W) {
        let win = b[q++] ?? 0;
        if (win === 0) {
          win = (u16(b, q) << 16) >> 16;
          q += 2;
        }
        c.s += win >= 0 ? ` W+${win}` : ` W${win}`;
      }
      if (t & NEW_A) change('A+');
      if (t & NEW_S) change('S+');
  }
  if (t & NEW_I) change('I+');
  const hl = tcpIpHeaderLen(c, ip);
  if (hl < 0) {
    c.s += ' [|slip]';
    return false;
  }
  st.lastLen[slot] = length - hl;
  c.s += ` ${st.lastLen[slot] ?? 0} (${q - (o + SlipOffsets.chdr)}): `;
  return true;
}

/** tcpdump's SLIP text: -e the direction and compression, then the IP packet. */
export function printSlip(c: Printer, v: SlipView, i: number): void {
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|slip]';
    return;
  }
  const length = wireFrom(c, v.offset) - SlipOffsets.headerLen;
  if (c.opts.linkHeader && !printLink(c, v, length)) return;
  const p = c.parser;
  const ip = v.offset + SlipOffsets.headerLen;
  const ver = ip < c.pkt.offset + c.pkt.capLen ? (v.bytes[ip] ?? 0) >> 4 : -1;
  if (ver < 0) c.s += ' [|slip]';
  else if (i + 1 < p.count) c.network(i + 1, 0);
  else c.s += ver === 4 ? ' [|ip]' : ver === 6 ? ' [|ip6]' : `ip v${ver}`;
}
