/** IPsec headers: AH (RFC 4302) and ESP (RFC 4303); ESP payloads are encrypted, so decoding stops there. */
import { ByteView, DecodeStatus, u32 } from './status.js';
import { type Printer, hex8 } from './print.js';
import { Layer } from './layers.js';
import { hex2 } from './addr.js';

/** Field offsets of the AH header (ICV follows at 12). */
export const AhOffsets = { nextHeader: 0, payloadLen: 1, spi: 4, seq: 8, icv: 12, headerLen: 12 } as const;
/** Field offsets of the ESP header. */
export const EspOffsets = { spi: 0, seq: 4, headerLen: 8 } as const;

/** Zero-copy view of an AH header. */
export class AhView extends ByteView {
  /**
   * Points at an AH header; Truncated unless the whole header (with ICV) was captured.
   * @example ah.reset(bytes, 54, bytes.length - 54);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    if (this.length < AhOffsets.headerLen) return (this.status = DecodeStatus.Truncated);
    if (this.headerLen < AhOffsets.headerLen) return (this.status = DecodeStatus.Malformed);
    this.status = this.length < this.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Protocol after the AH header. */
  get nextHeader(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Header length in bytes ((payload length + 2) * 4). */
  get headerLen(): number {
    return ((this.bytes[this.offset + 1] ?? 0) + 2) * 4;
  }
  /** Security parameters index. */
  get spi(): number {
    return u32(this.bytes, this.offset + AhOffsets.spi);
  }
  /** Sequence number. */
  get seq(): number {
    return u32(this.bytes, this.offset + AhOffsets.seq);
  }
}

/** Zero-copy view of an ESP header. */
export class EspView extends ByteView {
  /**
   * Points at an ESP header; Truncated below 8 bytes.
   * @example esp.reset(bytes, 54, bytes.length - 54);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < EspOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Security parameters index. */
  get spi(): number {
    return u32(this.bytes, this.offset);
  }
  /** Sequence number. */
  get seq(): number {
    return u32(this.bytes, this.offset + 4);
  }
}

/** Parsed IPsec header. */
export interface IpsecRepr {
  spi: number;
  seq: number;
}

/** Builds the sink representation of either header. */
export function ipsecRepr(v: AhView | EspView): IpsecRepr {
  return { spi: v.spi, seq: v.seq };
}

/** tcpdump's AH text, then what it protects. */
export function printAh(c: Printer, v: AhView, i: number, n: number): void {
  const p = c.parser;
  const { src, dst, ipIdx } = c;
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += 'AH [|ah]';
    return;
  }
  const b = v.bytes;
  let icv = '';
  for (let k = v.offset + 12; k < v.offset + v.headerLen; k++) icv += hex2(b[k] ?? 0);
  c.s += `AH(${c.opts.verbose > 0 ? `length=${(b[v.offset + 1] ?? 0)}(${v.headerLen}-bytes),` : ''}spi=0x${hex8(v.spi)},seq=0x${v.seq.toString(16)},icv=0x${icv}): `;
  c.transport(i + 1, v.nextHeader, src, dst, n - v.headerLen, ipIdx, true);
}

/** tcpdump's ESP text: the SPI and sequence number (the rest is encrypted). */
export function printEsp(c: Printer, v: EspView, i: number, n: number): void {
  // RFC 3948 ESP in UDP: tcpdump names the encapsulation first
  if (i > 0 && c.parser.kinds[i - 1] === Layer.Udp) c.s += 'UDP-encap: ';
  if (c.parser.status[i] !== DecodeStatus.Ok) c.s += 'ESP [|esp]';
  else {
    c.s += `ESP(spi=0x${hex8(v.spi)},seq=0x${v.seq.toString(16)}), length ${n}`;
    if (c.opts.esp !== undefined) c.espPayload(v.offset, n, c.ipIdx);
  }
}
