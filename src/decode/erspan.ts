/**
 * Cisco ERSPAN (draft-foschiano-erspan): a mirrored Ethernet frame in GRE. Protocol 0x88be carries
 * type I (no header, GRE without a sequence number) or type II (8 bytes: version 1, VLAN, CoS,
 * encapsulation, truncation bit, session id, index); 0x22eb carries type III (12 bytes: version 2,
 * VLAN, CoS, BSO, truncation bit, session id, timestamp, SGT, frame type, hardware id, direction,
 * granularity, and 8 platform-specific bytes when the O bit is set).
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { Layer } from './layers.js';
import type { Printer } from './print.js';

/** GRE protocol types of ERSPAN. */
export const ErspanProto = { TYPE_II: 0x88be, TYPE_III: 0x22eb } as const;

/** Field offsets (type II and III share the first word). */
export const ErspanOffsets = { verVlan: 0, cosSession: 2, index: 4, timestamp: 4, sgt: 8, flags3: 10, platform: 12, typeIILen: 8, typeIIILen: 12, platformLen: 8 } as const;

/** Zero-copy view of an ERSPAN header. */
export class ErspanView extends ByteView {
  /** True for type I: no header at all. */
  typeI = false;
  /**
   * Points at an ERSPAN header (`typeI`: GRE announced 0x88be without a sequence number, so there is
   * none); Truncated when the header its version announces was not captured, Malformed for a version
   * other than 1 or 2.
   * @example erspan.reset(bytes, 42, bytes.length - 42, false);
   */
  reset(bytes: Uint8Array, offset: number, length: number, typeI = false): DecodeStatus {
    this.point(bytes, offset, length);
    this.typeI = typeI;
    if (typeI) return (this.status = DecodeStatus.Ok);
    if (this.length < 2) return (this.status = DecodeStatus.Truncated);
    const ver = this.version;
    if (ver !== 1 && ver !== 2) return (this.status = DecodeStatus.Malformed);
    this.status = this.length < this.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Version field: 1 type II, 2 type III (0 for type I, which has none). */
  get version(): number {
    return this.typeI ? 0 : (this.bytes[this.offset] ?? 0) >> 4;
  }
  /** ERSPAN type: 1, 2 or 3. */
  get type(): number {
    return this.typeI ? 1 : this.version + 1;
  }
  /** Header length: 0, 8, 12 or 20 (type III with the platform-specific subheader). */
  get headerLen(): number {
    if (this.typeI) return 0;
    if (this.version === 1) return ErspanOffsets.typeIILen;
    if (this.length < ErspanOffsets.typeIIILen) return ErspanOffsets.typeIIILen;
    return ErspanOffsets.typeIIILen + (this.o ? ErspanOffsets.platformLen : 0);
  }
  /** Original VLAN. */
  get vlan(): number {
    return u16(this.bytes, this.offset) & 0x0fff;
  }
  /** Class of service. */
  get cos(): number {
    return u16(this.bytes, this.offset + ErspanOffsets.cosSession) >> 13;
  }
  /** Type II: encapsulation type (En); type III: bad/short/oversized (BSO). */
  get en(): number {
    return (u16(this.bytes, this.offset + ErspanOffsets.cosSession) >> 11) & 3;
  }
  /** Truncation bit. */
  get t(): number {
    return (u16(this.bytes, this.offset + ErspanOffsets.cosSession) >> 10) & 1;
  }
  /** Session id. */
  get sessionId(): number {
    return u16(this.bytes, this.offset + ErspanOffsets.cosSession) & 0x03ff;
  }
  /** Type II index (port or module of the mirrored frame). */
  get index(): number {
    return u32(this.bytes, this.offset + ErspanOffsets.index) & 0xfffff;
  }
  /** Type III timestamp. */
  get timestamp(): number {
    return u32(this.bytes, this.offset + ErspanOffsets.timestamp);
  }
  /** Type III security group tag. */
  get sgt(): number {
    return u16(this.bytes, this.offset + ErspanOffsets.sgt);
  }
  /** Type III last 16-bit word: P, frame type, hardware id, direction, granularity, O. */
  get flags3(): number {
    return u16(this.bytes, this.offset + ErspanOffsets.flags3);
  }
  /** Type III O bit: the platform-specific subheader follows. */
  get o(): number {
    return this.flags3 & 1;
  }
  /** Type III frame type (0: Ethernet). */
  get frameType(): number {
    return (this.flags3 >> 10) & 0x1f;
  }
}

/** Parsed ERSPAN header; type II and III fields appear for their type only (and only when captured). */
export interface ErspanRepr {
  type: number;
  version?: number;
  vlan?: number;
  cos?: number;
  encap?: number;
  bso?: number;
  truncated?: number;
  sessionId?: number;
  index?: number;
  timestamp?: number;
  sgt?: number;
  p?: number;
  frameType?: number;
  hwId?: number;
  direction?: number;
  granularity?: number;
  o?: number;
  platformId?: number;
}

/** Builds the sink representation. */
export function erspanRepr(v: ErspanView): ErspanRepr {
  const r: ErspanRepr = { type: v.type };
  if (v.typeI || v.length < 4) return r;
  r.version = v.version;
  r.vlan = v.vlan;
  r.cos = v.cos;
  if (v.version === 1) r.encap = v.en;
  else r.bso = v.en;
  r.truncated = v.t;
  r.sessionId = v.sessionId;
  if (v.version === 1) {
    if (v.length >= ErspanOffsets.typeIILen) r.index = v.index;
    return r;
  }
  if (v.length < ErspanOffsets.typeIIILen) return r;
  const f = v.flags3;
  Object.assign(r, {
    timestamp: v.timestamp, sgt: v.sgt, p: f >> 15, frameType: v.frameType, hwId: (f >> 4) & 0x3f, direction: (f >> 3) & 1,
    granularity: (f >> 1) & 3, o: f & 1,
  });
  if (r.o && v.length >= ErspanOffsets.typeIIILen + 4) r.platformId = (v.bytes[v.offset + ErspanOffsets.platform] ?? 0) >> 2;
  return r;
}

/**
 * tcpdump 4.99 has no ERSPAN printer: GRE names the protocol (`gre-proto-0x88be`) and stops there, so
 * the mirrored frame, though decoded, is not printed.
 */
export function printErspan(c: Printer, _v: ErspanView, i: number): void {
  const gre = c.parser.at(i - 1, Layer.Gre);
  c.s += `gre-proto-0x${(gre?.protocol ?? ErspanProto.TYPE_II).toString(16)}`;
}
