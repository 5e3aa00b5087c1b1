/**
 * TLS record and handshake headers (RFC 8446 section 5.1 and 4; RFC 5246), with the ClientHello's
 * server name (RFC 6066 section 3) and application protocols (RFC 7301). tcpdump has no TLS printer:
 * the text stays TCP's, and the Repr carries the fields for JSON and the library.
 */
import { ByteView, DecodeStatus, u16 } from './status.js';
import type { Printer } from './print.js';

/** Field offsets of the record header and of a handshake message inside it. */
export const TlsOffsets = {
  contentType: 0, version: 1, length: 3, recordHeaderLen: 5, handshakeType: 5, handshakeLength: 6, helloVersion: 9, helloRandom: 11,
  helloSessionIdLen: 43,
} as const;

/** Record content types (RFC 8446 section 5.1). */
export const TlsContentType = { CHANGE_CIPHER_SPEC: 20, ALERT: 21, HANDSHAKE: 22, APPLICATION_DATA: 23, HEARTBEAT: 24 } as const;

/** ClientHello extensions read here. */
export const TlsExtension = { SERVER_NAME: 0, ALPN: 16 } as const;

/** Zero-copy view of a TLS record at the start of a TCP payload; `reset` finds the ClientHello extensions once. */
export class TlsView extends ByteView {
  /** Offset of the server_name extension's data, or -1. */
  sniOffset = -1;
  /** Offset of the ALPN extension's data, or -1. */
  alpnOffset = -1;
  /**
   * Points at a TLS record; Truncated below the 5-byte header, Malformed when the header is not a
   * TLS record's (a segment in the middle of a record).
   * @example t.reset(bytes, 54, bytes.length - 54);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.sniOffset = -1;
    this.alpnOffset = -1;
    if (this.length < TlsOffsets.recordHeaderLen) return (this.status = DecodeStatus.Truncated);
    const t = this.contentType;
    if (t < 20 || t > 24 || bytes[offset + 1] !== 3) return (this.status = DecodeStatus.Malformed);
    this.status = DecodeStatus.Ok;
    if (t === TlsContentType.HANDSHAKE && this.handshakeType === 1) this.findExtensions();
    return this.status;
  }
  /** Walks a ClientHello (RFC 8446 section 4.1.2) to its extensions, within the record and the capture. */
  private findExtensions(): void {
    const b = this.bytes;
    const end = Math.min(this.offset + this.length, this.offset + 5 + this.recordLength);
    let p = this.offset + TlsOffsets.helloSessionIdLen;
    if (p >= end) return;
    p += 1 + (b[p] ?? 0);
    if (p + 2 > end) return;
    p += 2 + u16(b, p);
    if (p + 1 > end) return;
    p += 1 + (b[p] ?? 0);
    if (p + 2 > end) return;
    const extEnd = Math.min(end, p + 2 + u16(b, p));
    for (p += 2; p + 4 <= extEnd; ) {
      const type = u16(b, p);
      const n = u16(b, p + 2);
      if (p + 4 + n > extEnd) return;
      if (type === TlsExtension.SERVER_NAME) this.sniOffset = p + 4;
      else if (type === TlsExtension.ALPN) this.alpnOffset = p + 4;
      p += 4 + n;
    }
  }
  /** Record content type. */
  get contentType(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Record version (0x0301 to 0x0304). */
  get version(): number {
    return u16(this.bytes, this.offset + TlsOffsets.version);
  }
  /** Record length (the fragment after the 5-byte header). */
  get recordLength(): number {
    return u16(this.bytes, this.offset + TlsOffsets.length);
  }
  /** Handshake message type (handshake records), -1 when not captured. */
  get handshakeType(): number {
    return this.length > TlsOffsets.handshakeType ? (this.bytes[this.offset + TlsOffsets.handshakeType] ?? 0) : -1;
  }
  /** The ClientHello's first host name (server_name type 0), or undefined. */
  get serverName(): string | undefined {
    const p = this.sniOffset;
    if (p < 0) return undefined;
    const b = this.bytes;
    // ServerNameList: length, then entries of type (1), length (2), name
    const end = Math.min(this.offset + this.length, p + 2 + u16(b, p));
    for (let q = p + 2; q + 3 <= end; ) {
      const n = u16(b, q + 1);
      if (q + 3 + n > end) return undefined;
      if (b[q] === 0) return text(b, q + 3, n);
      q += 3 + n;
    }
    return undefined;
  }
  /** The ClientHello's ALPN protocol names, or undefined. */
  get alpn(): string[] | undefined {
    const p = this.alpnOffset;
    if (p < 0) return undefined;
    const b = this.bytes;
    const end = Math.min(this.offset + this.length, p + 2 + u16(b, p));
    const out: string[] = [];
    for (let q = p + 2; q < end; ) {
      const n = b[q] ?? 0;
      if (q + 1 + n > end) break;
      out.push(text(b, q + 1, n));
      q += 1 + n;
    }
    return out;
  }
}

function text(b: Uint8Array, p: number, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += String.fromCharCode(b[p + k] ?? 0);
  return s;
}

/** Parsed TLS record header, with the ClientHello's server name and ALPN list. */
export interface TlsRepr {
  contentType: number;
  version: number;
  length: number;
  handshakeType?: number;
  serverName?: string;
  alpn?: string[];
}

/** Builds the sink representation (header fields only for a segment that does not start a record). */
export function tlsRepr(v: TlsView): TlsRepr {
  if (v.status !== DecodeStatus.Ok) return { contentType: v.length > 0 ? v.contentType : 0, version: 0, length: 0 };
  const r: TlsRepr = { contentType: v.contentType, version: v.version, length: v.recordLength };
  if (v.contentType === TlsContentType.HANDSHAKE && v.handshakeType >= 0) r.handshakeType = v.handshakeType;
  const sni = v.serverName;
  if (sni !== undefined) r.serverName = sni;
  const alpn = v.alpn;
  if (alpn !== undefined) r.alpn = alpn;
  return r;
}

/** tcpdump prints nothing of TLS: the TCP line ends at its length. */
export function printTls(_c: Printer, _v: TlsView, _i: number, _len: number): void {}
