/** BSD loopback encapsulation: LINKTYPE_NULL (host byte order family) and LINKTYPE_LOOP (network order). */
import { ByteView, DecodeStatus, u32, u32le } from './status.js';
import { type Printer, hexDump } from './print.js';
import { hex2 } from './addr.js';
import type { JsonWriter } from './json-writer.js';

/** The header is one 4-byte address family. */
export const LoopbackOffsets = { family: 0, headerLen: 4 } as const;

/** Address family values seen in loopback headers (BSD AF_INET6 differs per OS). */
export const LoopbackFamily = { INET: 2, INET6_BSD: 24, INET6_FREEBSD: 28, INET6_DARWIN: 30, OSI: 7 } as const;

/** Zero-copy view of the 4-byte family word. */
export class LoopbackView extends ByteView {
  /** True for LINKTYPE_LOOP (family in network order). */
  networkOrder = false;
  /**
   * Points at the family word.
   * @example lo.reset(bytes, 0, bytes.length, false);
   */
  reset(bytes: Uint8Array, offset: number, length: number, networkOrder = false): DecodeStatus {
    this.point(bytes, offset, length);
    this.networkOrder = networkOrder;
    this.status = this.length < LoopbackOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Address family; for NULL read little-endian and byte-swapped when that has bits above 0xFFFF. */
  get family(): number {
    if (this.networkOrder) return u32(this.bytes, this.offset);
    const le = u32le(this.bytes, this.offset);
    return le > 0xffff ? u32(this.bytes, this.offset) : le;
  }
}

/** Parsed loopback header. */
export interface LoopbackRepr {
  family: number;
}

/** Builds the sink representation. */
export function loopbackRepr(v: LoopbackView): LoopbackRepr {
  return { family: v.family };
}

const AF_NAMES: Readonly<Record<number, string>> = { 2: 'IPv4', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6', 7: 'ISO', 23: 'IPX', 16: 'Appletalk', 10: 'IPv6' };

/** tcpdump's BSD loopback text: -e the address family, then the packet. */
export function printLoopback(c: Printer, v: LoopbackView, i: number): void {
  const p = c.parser;
  const pkt = c.pkt;
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += v.networkOrder ? '[|loop]' : '[|null]';
    return;
  }
  const fam = v.family;
  if (c.opts.linkHeader) c.s += `AF ${AF_NAMES[fam] ?? 'Unknown'} (${fam}), length ${pkt.wireLen}: `;
  if (i + 1 < p.count) c.network(i + 1, 0);
  else if (fam !== 7) c.s += `, length: ${pkt.capLen - 4}`;
  else {
    // an OSI NLPID no home decodes: the null network layer shows only its length, others a hex dump too
    const id = v.bytes[v.offset + 4] ?? 0;
    const nlpid = hex2(id);
    const len = pkt.capLen - 4;
    if (id === 0) c.s += `${c.opts.linkHeader ? 'OSI NLPID NULL (0x00): ' : ', '}length: ${len}`;
    else {
      c.s += `OSI NLPID ${c.opts.linkHeader ? 'Unknown (0x' + nlpid + '):' : '0x' + nlpid + ' unknown,'} length: ${len}`;
      if (len > 1) c.s += hexDump(v.bytes, v.offset + 4, len, '\n\t');
    }
  }
}

/** The schema's `loopback` object (= `JSON.stringify(loopbackRepr(v))`), written straight into `w`. */
export function writeLoopbackJson(w: JsonWriter, v: LoopbackView): void {
  w.field('{"family":', v.family);
  w.raw('}');
}
