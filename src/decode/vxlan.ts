/** VXLAN (RFC 7348, UDP 4789) and Geneve (RFC 8926, UDP 6081): tunnel headers before an inner frame. */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';

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
