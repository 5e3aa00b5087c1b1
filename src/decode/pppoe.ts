/** PPP over Ethernet (RFC 2516): discovery and session stages; the PPP protocol field of sessions. */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { type Printer, hex4, linkAvail } from './print.js';
import { hex2 } from './addr.js';
import { Layer } from './layers.js';

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

const PPPOE_CODES: Readonly<Record<number, string>> = { 0x09: 'PADI', 0x07: 'PADO', 0x19: 'PADR', 0x65: 'PADS', 0xa7: 'PADT', 0x00: '' };
const PPPOE_TAGS: Readonly<Record<number, string>> = {
  0x0000: 'End-Of-List', 0x0101: 'Service-Name', 0x0102: 'AC-Name', 0x0103: 'Host-Uniq', 0x0104: 'AC-Cookie',
  0x0105: 'Vendor-Specific', 0x0110: 'Relay-Session-ID', 0x0120: 'PPP-Max-Payload', 0x0201: 'Service-Name-Error',
  0x0202: 'AC-System-Error', 0x0203: 'Generic-Error',
};
const PPP_PROTOS: Readonly<Record<number, string>> = { 0x0021: 'IP', 0x0057: 'IP6', 0xc021: 'LCP', 0x8021: 'IPCP', 0x8057: 'IP6CP', 0xc023: 'PAP', 0xc223: 'CHAP' };

/** tcpdump's PPPoE text: discovery tags, or the session and its PPP payload. */
export function printPppoe(c: Printer, v: PppoeView, i: number): void {
  const p = c.parser;
  if (v.length < 6) {
    c.s += ` (length ${v.length} < 6) (invalid)`;
    return;
  }
  if (p.status[i] !== DecodeStatus.Ok) {
    c.s += 'PPPoE  [|pppoe]';
    return;
  }
  const code = v.code;
  c.s += `PPPoE ${PPPOE_CODES[code] ?? `unknown (0x${hex2(code)})`}`;
  // a length past what the frame holds is flagged and cut to it
  const avail = linkAvail(c, i, v.offset) - 6;
  const plen = Math.min(v.payloadLength, avail);
  if (v.payloadLength > avail) c.s += ` [len ${v.payloadLength} > ${avail}!]`;
  if (code === 0) {
    c.s += ` [ses 0x${v.sessionId.toString(16)}] `;
    const proto = v.pppProtocol;
    const name = PPP_PROTOS[proto] ?? `unknown`;
    if (c.opts.linkHeader) c.s += `${name} (0x${hex4(proto)}), length ${plen}: `;
    if (i + 1 < p.count && p.kinds[i + 1] === Layer.PppCtl) c.layer(i + 1, plen - 2);
    else if (i + 1 < p.count) c.network(i + 1, 0);
    else if (!c.opts.linkHeader) c.s += `${name}`;
    return;
  }
  if (v.sessionId) c.s += ` [ses 0x${v.sessionId.toString(16)}]`;
  const b = v.bytes;
  const end = Math.min(v.offset + v.length, v.offset + 6 + v.payloadLength);
  let q = v.offset + 6;
  for (let guard = 0; q + 4 <= end && guard < 64; guard++) {
    const tag = u16(b, q);
    const len = u16(b, q + 2);
    q += 4;
    if (tag === 0) break;
    c.s += ` [${PPPOE_TAGS[tag] ?? `unknown-0x${hex4(tag)}`}`;
    if (len > 0) {
      let text = true;
      for (let k = 0; k < len && q + k < end; k++) {
        const ch = b[q + k] ?? 0;
        if (ch < 0x20 || ch > 0x7e) text = false;
      }
      if (text) {
        c.s += ' "';
        for (let k = 0; k < len && q + k < end; k++) c.s += String.fromCharCode(b[q + k] ?? 0);
        c.s += '"';
      } else {
        c.s += ' 0x';
        for (let k = 0; k < len && q + k < end; k++) c.s += hex2(b[q + k] ?? 0).toUpperCase();
      }
    }
    c.s += ']';
    q += len;
  }
}
