/** VXLAN (RFC 7348, UDP 4789) and Geneve (RFC 8926, UDP 6081): tunnel headers before an inner frame. */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { Layer } from './layers.js';
import type { Printer } from './print.js';
import { hex2 } from './addr.js';
import { etherTypeText } from './ethertype.js';

/** Field offsets of the 8-byte VXLAN header. */
export const VxlanOffsets = { flags: 0, vni: 4, headerLen: 8 } as const;
/** Field offsets of the 8-byte Geneve base header (options follow). */
export const GeneveOffsets = { verOptLen: 0, flags: 1, protocol: 2, vni: 4, options: 8, headerLen: 8 } as const;

/** Zero-copy view of a VXLAN header. */
export class VxlanView extends ByteView {
  /**
   * Points at a VXLAN header; Truncated below 8 bytes.
   * @example vx.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < VxlanOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Flags byte (0x08: VNI valid). */
  get flags(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** 24-bit network identifier. */
  get vni(): number {
    return Math.floor(u32(this.bytes, this.offset + VxlanOffsets.vni) / 256);
  }
  /** Offset of the inner Ethernet frame. */
  get payloadOffset(): number {
    return this.offset + VxlanOffsets.headerLen;
  }
}

/** Zero-copy view of a Geneve header. */
export class GeneveView extends ByteView {
  /**
   * Points at a Geneve header; Truncated unless the base header and its options were captured.
   * @example gn.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    if (this.length < GeneveOffsets.headerLen) return (this.status = DecodeStatus.Truncated);
    this.status = this.length < this.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Version (2 bits). */
  get version(): number {
    return (this.bytes[this.offset] ?? 0) >> 6;
  }
  /** Options length in bytes. */
  get optionsLen(): number {
    return ((this.bytes[this.offset] ?? 0) & 0x3f) * 4;
  }
  /** Flags byte (O: 0x80 control, C: 0x40 critical options). */
  get flags(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Protocol type of the payload (0x6558 Ethernet). */
  get protocol(): number {
    return u16(this.bytes, this.offset + GeneveOffsets.protocol);
  }
  /** 24-bit network identifier. */
  get vni(): number {
    return Math.floor(u32(this.bytes, this.offset + GeneveOffsets.vni) / 256);
  }
  /** Header length with options. */
  get headerLen(): number {
    return GeneveOffsets.headerLen + this.optionsLen;
  }
  /** Offset of the payload. */
  get payloadOffset(): number {
    return this.offset + this.headerLen;
  }
}

/** Parsed tunnel header. */
export interface TunnelRepr {
  vni: number;
  flags: number;
  protocol?: number;
  optionsLen?: number;
}

/** Builds the VXLAN representation. */
export function vxlanRepr(v: VxlanView): TunnelRepr {
  return { vni: v.vni, flags: v.flags };
}

/** Builds the Geneve representation. */
export function geneveRepr(v: GeneveView): TunnelRepr {
  return { vni: v.vni, flags: v.flags, protocol: v.protocol, optionsLen: v.optionsLen };
}

/** tcpdump's VXLAN text, then the inner frame (`n`: UDP payload length). */
export function printVxlan(c: Printer, x: VxlanView, i: number, n: number): void {
  const p = c.parser;
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += 'VXLAN [|vxlan]';
    return;
  }
  c.s += `VXLAN, flags [${x.flags & 0x08 ? 'I' : 'invalid'}] (0x${hex2(x.flags)}), vni ${x.vni}\n`;
  if (i + 1 < p.count) c.ether(i + 1, n - 8);
}

/** tcpdump's Geneve text, then the inner frame or packet (`n`: UDP payload length). */
export function printGeneve(c: Printer, g: GeneveView, i: number, n: number): void {
  const p = c.parser;
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += n < 8 ? `Geneve [length ${n} < 8] (invalid)` : 'Geneve [|geneve]';
    return;
  }
  const fl: string[] = [];
  if (g.flags & 0x80) fl.push('O');
  if (g.flags & 0x40) fl.push('C');
  c.s += `Geneve, Flags [${fl.length ? fl.join(', ') : 'none'}], vni 0x${g.vni.toString(16)}`;
  if (c.opts.linkHeader) c.s += `, proto ${etherTypeText(g.protocol)}`;
  // at -v what the header carries starts on its own line, options or not
  if (c.opts.verbose > 0) {
    if (g.optionsLen) {
      c.s += ', options [';
      printGeneveOptions(c, g);
      c.s += ']';
    }
    c.s += '\n\t';
  } else {
    if (g.optionsLen) c.s += `, options [${g.optionsLen} bytes]`;
    c.s += ': ';
  }
  if (i + 1 < p.count) {
    if (p.kinds[i + 1] === Layer.Ethernet) c.ether(i + 1, n - g.headerLen);
    else c.network(i + 1, g.protocol);
  }
}

const GENEVE_CLASSES: Readonly<Record<number, string>> = {
  0x0000: 'Standard', 0x0100: 'Linux', 0x0101: 'Open vSwitch', 0x0102: 'Open Virtual Networking (OVN)',
  0x0103: 'In-band Network Telemetry (INT)', 0x0104: 'VMware', 0xffff: 'Experimental',
};

/** Geneve options (RFC 8926 3.5) at -v: class, type (C: critical), length; -vv adds the data in 32-bit words. */
function printGeneveOptions(c: Printer, g: GeneveView): void {
  const b = g.bytes;
  let q = g.offset + GeneveOffsets.headerLen;
  const end = Math.min(g.offset + g.length, g.offset + g.headerLen);
  for (let first = true, guard = 0; q + 4 <= end && guard < 64; first = false, guard++) {
    const cls = u16(b, q);
    const type = b[q + 2] ?? 0;
    const words = (b[q + 3] ?? 0) & 0x1f;
    c.s += `${first ? '' : ', '}class ${GENEVE_CLASSES[cls] ?? 'Unknown'} (0x${cls.toString(16)}) type 0x${type.toString(16)}${type & 0x80 ? '(C)' : ''} len ${4 + words * 4}`;
    if (c.opts.verbose > 1 && words > 0) {
      c.s += ' data';
      for (let k = 0; k < words && q + 8 + k * 4 <= end; k++) c.s += ` ${u32(b, q + 4 + k * 4).toString(16).padStart(8, '0')}`;
    }
    q += 4 + words * 4;
  }
}
