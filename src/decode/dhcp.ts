/** BOOTP / DHCPv4 (RFC 951, RFC 2131, options RFC 2132). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { type Printer, hex4 } from './print.js';
import { hex2, macText } from './addr.js';

/** Field offsets of the fixed BOOTP part; options start after the magic cookie. */
export const DhcpOffsets = {
  op: 0, htype: 1, hlen: 2, hops: 3, xid: 4, secs: 8, flags: 10, ciaddr: 12, yiaddr: 16, siaddr: 20, giaddr: 24,
  chaddr: 28, sname: 44, file: 108, magic: 236, options: 240,
} as const;

/** The DHCP magic cookie 99.130.83.99. */
export const DHCP_MAGIC = 0x63825363;

/** Zero-copy view of a BOOTP/DHCP message. */
export class DhcpView extends ByteView {
  /**
   * Points at a BOOTP message; Truncated unless the fixed part (236 bytes) was captured.
   * @example dhcp.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < DhcpOffsets.magic ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** 1 request, 2 reply. */
  get op(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Hardware address length. */
  get hlen(): number {
    return this.bytes[this.offset + 2] ?? 0;
  }
  /** Hardware type. */
  get htype(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Hops. */
  get hops(): number {
    return this.bytes[this.offset + 3] ?? 0;
  }
  /** Transaction id. */
  get xid(): number {
    return u32(this.bytes, this.offset + DhcpOffsets.xid);
  }
  /** Seconds elapsed. */
  get secs(): number {
    return u16(this.bytes, this.offset + DhcpOffsets.secs);
  }
  /** Flags (0x8000 broadcast). */
  get flags(): number {
    return u16(this.bytes, this.offset + DhcpOffsets.flags);
  }
  /** True when the magic cookie is present, so options follow. */
  get hasMagic(): boolean {
    return this.length >= DhcpOffsets.options && u32(this.bytes, this.offset + DhcpOffsets.magic) === DHCP_MAGIC;
  }
  /** Offset of the value of option `code` (its length byte is just before), or -1; bounded walk. */
  findOption(code: number): number {
    if (!this.hasMagic) return -1;
    const b = this.bytes;
    const end = this.offset + this.length;
    let p = this.offset + DhcpOffsets.options;
    for (let guard = 0; p < end && guard < 512; guard++) {
      const c = b[p] ?? 0;
      if (c === 255) return -1;
      if (c === 0) {
        p++;
        continue;
      }
      if (p + 2 > end) return -1;
      const l = b[p + 1] ?? 0;
      if (c === code) return p + 2 + l <= end ? p + 2 : -1;
      p += 2 + l;
    }
    return -1;
  }
  /** DHCP message type (option 53), 0 when absent. */
  get messageType(): number {
    const o = this.findOption(53);
    return o < 0 ? 0 : (this.bytes[o] ?? 0);
  }
}

/** Parsed DHCP message. */
export interface DhcpRepr {
  op: number;
  xid: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  chaddr: string;
  messageType?: number;
}

/** Builds the sink representation. */
export function dhcpRepr(v: DhcpView): DhcpRepr {
  const b = v.bytes;
  const o = v.offset;
  const ip = (k: number): string => `${b[o + k] ?? 0}.${b[o + k + 1] ?? 0}.${b[o + k + 2] ?? 0}.${b[o + k + 3] ?? 0}`;
  let chaddr = '';
  for (let k = 0; k < Math.min(v.hlen, 16); k++) chaddr += (k ? ':' : '') + (b[o + DhcpOffsets.chaddr + k] ?? 0).toString(16).padStart(2, '0');
  const r: DhcpRepr = { op: v.op, xid: v.xid, ciaddr: ip(DhcpOffsets.ciaddr), yiaddr: ip(DhcpOffsets.yiaddr), siaddr: ip(DhcpOffsets.siaddr), giaddr: ip(DhcpOffsets.giaddr), chaddr };
  const mt = v.messageType;
  if (mt) r.messageType = mt;
  return r;
}

/** tcpdump's BOOTP/DHCP summary (-v: hops, xid, secs, flags). */
export function printDhcp(c: Printer, v: DhcpView, _i: number, len: number): void {
  const b = v.bytes;
  if (v.length < 1) {
    c.s += ' [|bootp]';
    return;
  }
  c.s += 'BOOTP/DHCP, ';
  const op = v.op;
  if (op === 1) {
    c.s += 'Request';
    if (v.length < DhcpOffsets.chaddr + 6) {
      c.s += ' [|bootp]';
      return;
    }
    if (v.htype === 1 && v.hlen === 6) c.s += ` from ${macText(b, v.offset + DhcpOffsets.chaddr)}`;
  } else if (op === 2) c.s += 'Reply';
  else c.s += `unknown (0x${hex2(op)})`;
  c.s += `, length ${len}`;
  if (c.opts.verbose > 0 && v.length >= 12) {
    if (v.hops) c.s += `, hops ${v.hops}`;
    c.s += `, xid 0x${v.xid.toString(16)}`;
    if (v.secs) c.s += `, secs ${v.secs}`;
    c.s += `, Flags [${v.flags & 0x8000 ? 'Broadcast' : 'none'}]`;
    if (v.flags & 0x7fff) c.s += ` (0x${hex4(v.flags)})`;
  }
}
