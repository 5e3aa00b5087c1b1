/** SCTP common header and chunk walk (RFC 9260). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { hexAsciiDump, type Printer } from './print.js';
import { hex2 } from './addr.js';

/** Field offsets of the 12-byte common header and of a chunk header. */
export const SctpOffsets = { srcPort: 0, dstPort: 2, vtag: 4, checksum: 8, headerLen: 12, chunkType: 0, chunkFlags: 1, chunkLen: 2, chunkHeaderLen: 4 } as const;

/** Chunk type names as tcpdump prints them in brackets. */
export const SCTP_CHUNK_NAMES: Readonly<Record<number, string>> = {
  0: 'DATA', 1: 'INIT', 2: 'INIT ACK', 3: 'SACK', 4: 'HB REQ', 5: 'HB ACK', 6: 'ABORT', 7: 'SHUTDOWN',
  8: 'SHUTDOWN ACK', 9: 'OP ERR', 10: 'COOKIE ECHO', 11: 'COOKIE ACK', 12: 'ECN ECHO', 13: 'CWR',
  14: 'SHUTDOWN COMPLETE', 64: 'I-DATA', 128: 'ASCONF-ACK', 130: 'RE-CONFIG', 132: 'PAD', 192: 'FOR CUM TSN', 193: 'ASCONF',
};

/** Zero-copy view of an SCTP packet. */
export class SctpView extends ByteView {
  /**
   * Points at the common header; Truncated below 12 bytes.
   * @example sctp.reset(bytes, 34, bytes.length - 34);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < SctpOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
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
  /** Verification tag. */
  get vtag(): number {
    return u32(this.bytes, this.offset + SctpOffsets.vtag);
  }
  /** CRC32c as carried. */
  get checksum(): number {
    return u32(this.bytes, this.offset + SctpOffsets.checksum);
  }
  /** Offset of the first chunk. */
  get chunksOffset(): number {
    return this.offset + SctpOffsets.headerLen;
  }
}

/** Parsed SCTP common header with the chunk types seen. */
export interface SctpRepr {
  srcPort: number;
  dstPort: number;
  vtag: number;
  checksum: number;
  chunks: number[];
}

/** Builds the sink representation; the chunk walk stops at the first bad length (at most 64 chunks). */
export function sctpRepr(v: SctpView, end: number): SctpRepr {
  const chunks: number[] = [];
  let p = v.chunksOffset;
  while (p + 4 <= end && chunks.length < 64) {
    const len = u16(v.bytes, p + 2);
    chunks.push(v.bytes[p] ?? 0);
    if (len < 4) break;
    p += (len + 3) & ~3;
  }
  return { srcPort: v.srcPort, dstPort: v.dstPort, vtag: v.vtag, checksum: v.checksum, chunks };
}

/** tcpdump's SCTP text: ports and one bracketed summary per chunk. */
export function printSctp(c: Printer, v: SctpView, i: number): void {
  const { src, dst, addrDone } = c;
  const p = c.parser;
  if (p.status[i] !== DecodeStatus.Ok) {
    if (!addrDone) c.s += `${src} > ${dst}:`;
    c.s += ' [|sctp]';
    return;
  }
  c.s += `${src}.${v.srcPort} > ${dst}.${v.dstPort}: sctp`;
  const b = v.bytes;
  const end = Math.min(v.offset + v.length, v.offset + p.lens[i]!);
  let q = v.chunksOffset;
  for (let n = 1; q + 4 <= end && n < 1000; n++) {
    const t = b[q] ?? 0;
    const fl = b[q + 1] ?? 0;
    const cl = u16(b, q + 2);
    // -vv puts each chunk on its own line
    c.s += c.opts.verbose > 1 ? `\n\t${n}) ` : `${n > 1 ? ',' : ''} (${n}) `;
    const name = SCTP_CHUNK_NAMES[t];
    if (name === undefined) c.s += `[Unknown chunk type: 0x${hex2(t)}] `;
    else c.s += `[${name}] `;
    if (cl < 4) {
      c.s += '[chunk length < 4]';
      return;
    }
    const body = q + 4;
    if (t === 0 && cl >= 16 && body + 12 <= end) {
      c.s += `${fl & 4 ? '(U)' : ''}${fl & 2 ? '(B)' : ''}${fl & 1 ? '(E)' : ''}${fl & 7 ? ' ' : ''}`;
      c.s += `[TSN: ${u32(b, body)}] [SID: ${u16(b, body + 4)}] [SSEQ ${u16(b, body + 6)}] [PPID 0x${u32(b, body + 8).toString(16)}] `;
      // and dumps the user data
      if (c.opts.verbose > 1) c.s += `[Payload:${hexAsciiDump(b, body + 12, Math.max(0, Math.min(cl - 16, end - body - 12)))}]`;
    } else if ((t === 1 || t === 2) && cl >= 20 && body + 16 <= end) {
      c.s += `[init tag: ${u32(b, body)}] [rwnd: ${u32(b, body + 4)}] [OS: ${u16(b, body + 8)}] [MIS: ${u16(b, body + 10)}] [init TSN: ${u32(b, body + 12)}] `;
    } else if (t === 3 && cl >= 16 && body + 12 <= end) {
      c.s += `[cum ack ${u32(b, body)}] [a_rwnd ${u32(b, body + 4)}] [#gap acks ${u16(b, body + 8)}] [#dup tsns ${u16(b, body + 10)}] `;
    }
    q += (cl + 3) & ~3;
  }
}
