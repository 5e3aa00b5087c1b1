/** IEEE 802.2 LLC header and the SNAP extension (enough to name the payload). */
import { ByteView, DecodeStatus, u16 } from './status.js';

/** Field offsets of LLC (3 bytes) and SNAP (5 more). */
export const LlcOffsets = { dsap: 0, ssap: 1, control: 2, headerLen: 3, oui: 3, snapType: 6, snapLen: 8 } as const;

/** Zero-copy view of an LLC header. */
export class LlcView extends ByteView {
  /**
   * Points at an LLC header.
   * @example llc.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < LlcOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Destination SAP. */
  get dsap(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Source SAP. */
  get ssap(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Control field (first byte). */
  get control(): number {
    return this.bytes[this.offset + 2] ?? 0;
  }
  /** True for SNAP (AA/AA/03 with the 5 SNAP bytes captured). */
  get isSnap(): boolean {
    return this.dsap === 0xaa && this.ssap === 0xaa && this.length >= LlcOffsets.snapLen;
  }
  /** SNAP organisation code. */
  get oui(): number {
    const b = this.bytes;
    const o = this.offset + LlcOffsets.oui;
    return ((b[o] ?? 0) << 16) | ((b[o + 1] ?? 0) << 8) | (b[o + 2] ?? 0);
  }
  /** SNAP protocol id (an EtherType when the OUI is 0). */
  get snapType(): number {
    return u16(this.bytes, this.offset + LlcOffsets.snapType);
  }
  /** Short name: `stp`, `snap`, `ipx`, `netbios`, `isis` or `llc`. */
  get name(): string {
    if (this.isSnap) return 'snap';
    switch (this.dsap) {
      case 0x42: return 'stp';
      case 0xe0: return 'ipx';
      case 0xf0: return 'netbios';
      case 0xfe: return 'osi';
      default: return 'llc';
    }
  }
}

/** Parsed LLC header. */
export interface LlcRepr {
  dsap: number;
  ssap: number;
  control: number;
  name: string;
  oui?: number;
  pid?: number;
}

/** Builds the sink representation. */
export function llcRepr(v: LlcView): LlcRepr {
  const r: LlcRepr = { dsap: v.dsap, ssap: v.ssap, control: v.control, name: v.name };
  if (v.isSnap) {
    r.oui = v.oui;
    r.pid = v.snapType;
  }
  return r;
}
