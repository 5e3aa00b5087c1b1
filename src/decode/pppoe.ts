/** PPP over Ethernet (RFC 2516): discovery and session stages; the PPP protocol field of sessions. */
import { ByteView, DecodeStatus, u16 } from './status.js';

/** Field offsets of the 6-byte PPPoE header (+2 bytes PPP protocol in sessions). */
export const PppoeOffsets = { verType: 0, code: 1, sessionId: 2, length: 4, headerLen: 6, pppProtocol: 6 } as const;

/** PPP protocol numbers the decoder follows. */
export const PppProtocol = { IPv4: 0x0021, IPv6: 0x0057, LCP: 0xc021 } as const;

/** Zero-copy view of a PPPoE header. */
export class PppoeView extends ByteView {
  /** True for the session stage (EtherType 0x8864). */
  session = false;
  /**
   * Points at a PPPoE header.
   * @example pppoe.reset(bytes, 14, bytes.length - 14, true);
   */
  reset(bytes: Uint8Array, offset: number, length: number, session = false): DecodeStatus {
    this.point(bytes, offset, length);
    this.session = session;
    const need = session ? 8 : PppoeOffsets.headerLen;
    this.status = this.length < need ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Version (high nibble of the first byte). */
  get version(): number {
    return (this.bytes[this.offset] ?? 0) >> 4;
  }
  /** Type (low nibble). */
  get type(): number {
    return (this.bytes[this.offset] ?? 0) & 15;
  }
  /** Code (0 for sessions; 0x09 PADI, 0x07 PADO, 0x19 PADR, 0x65 PADS, 0xa7 PADT). */
  get code(): number {
    return this.bytes[this.offset + PppoeOffsets.code] ?? 0;
  }
  /** Session id. */
  get sessionId(): number {
    return u16(this.bytes, this.offset + PppoeOffsets.sessionId);
  }
  /** Payload length field. */
  get payloadLength(): number {
    return u16(this.bytes, this.offset + PppoeOffsets.length);
  }
  /** PPP protocol of a session frame. */
  get pppProtocol(): number {
    return u16(this.bytes, this.offset + PppoeOffsets.pppProtocol);
  }
}

/** Parsed PPPoE header. */
export interface PppoeRepr {
  code: number;
  sessionId: number;
  length: number;
  pppProtocol?: number;
}

/** Builds the sink representation. */
export function pppoeRepr(v: PppoeView): PppoeRepr {
  const r: PppoeRepr = { code: v.code, sessionId: v.sessionId, length: v.payloadLength };
  if (v.session) r.pppProtocol = v.pppProtocol;
  return r;
}
