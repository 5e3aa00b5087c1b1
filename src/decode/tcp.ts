/** TCP header and options (RFC 9293; options: RFC 7323, 2018, 2385, 8684, 7413). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';

/** Field offsets of the fixed 20-byte header. */
export const TcpOffsets = { srcPort: 0, dstPort: 2, seq: 4, ack: 8, dataOff: 12, flags: 13, window: 14, checksum: 16, urgent: 18, headerLen: 20 } as const;

/** Flag bits (low byte of the flags word, AE is bit 8). */
export const TcpFlag = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128, AE: 256 } as const;

/** Option kinds. */
export const TcpOption = { EOL: 0, NOP: 1, MSS: 2, WSCALE: 3, SACK_PERMITTED: 4, SACK: 5, TIMESTAMP: 8, MD5: 19, UTO: 28, AO: 29, MPTCP: 30, FASTOPEN: 34 } as const;

/** Zero-copy view of a TCP header. */
export class TcpView extends ByteView {
  /**
   * Points at a TCP header: Truncated when the fixed header or the options were not all captured,
   * Malformed when the data offset is below 5.
   * @example tcp.reset(bytes, 34, bytes.length - 34);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    if (this.length < TcpOffsets.headerLen) return (this.status = DecodeStatus.Truncated);
    if (this.dataOffset < 5) return (this.status = DecodeStatus.Malformed);
    this.status = this.length < this.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Source port. */
  get srcPort(): number {
    return u16(this.bytes, this.offset);
  }
  /** Destination port. */
  get dstPort(): number {
    return u16(this.bytes, this.offset + 2);
  }
  /** Sequence number. */
  get seq(): number {
    return u32(this.bytes, this.offset + TcpOffsets.seq);
  }
  /** Acknowledgment number field. */
  get ack(): number {
    return u32(this.bytes, this.offset + TcpOffsets.ack);
  }
  /** Data offset in 32-bit words. */
  get dataOffset(): number {
    return (this.bytes[this.offset + TcpOffsets.dataOff] ?? 0) >> 4;
  }
  /** Header length in bytes. */
  get headerLen(): number {
    return this.dataOffset * 4;
  }
  /** Flags: low 8 bits plus AE (bit 8). */
  get flags(): number {
    return (this.bytes[this.offset + TcpOffsets.flags] ?? 0) | (((this.bytes[this.offset + TcpOffsets.dataOff] ?? 0) & 1) << 8);
  }
  /** Raw window field. */
  get window(): number {
    return u16(this.bytes, this.offset + TcpOffsets.window);
  }
  /** Checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + TcpOffsets.checksum);
  }
  /** Urgent pointer. */
  get urgentPtr(): number {
    return u16(this.bytes, this.offset + TcpOffsets.urgent);
  }
  /** Offset of the first option byte. */
  get optionsOffset(): number {
    return this.offset + TcpOffsets.headerLen;
  }
  /** Offset of the payload. */
  get payloadOffset(): number {
    return this.offset + this.headerLen;
  }
}

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'] as const;

/** Flag names low bit first. */
export function tcpFlagNames(flags: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < 9; i++) if (flags & (1 << i)) out.push(FLAG_NAMES[i]!);
  return out;
}

/** Parsed TCP header for sinks. */
export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  hdrLen: number;
  flags: string[];
  window: number;
  checksum: number;
  urgentPtr: number;
  payloadLen: number;
}

/** Builds the sink representation; `segmentLen` is the IP-declared length of the TCP segment. */
export function tcpRepr(v: TcpView, segmentLen: number): TcpRepr {
  const pl = segmentLen - v.headerLen;
  return {
    srcPort: v.srcPort, dstPort: v.dstPort, seq: v.seq, ack: v.ack, hdrLen: v.headerLen, flags: tcpFlagNames(v.flags),
    window: v.window, checksum: v.checksum, urgentPtr: v.urgentPtr, payloadLen: pl < 0 ? 0 : pl,
  };
}
