/**
 * IEEE 802.1X EAP over LAN (EtherType 0x888e, IEEE 802.1X-2020 clause 11) and the EAP packet it
 * carries (RFC 3748), with the flags of the TLS-based methods (RFC 5216, RFC 5281, RFC 4851).
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { hex2 } from './addr.js';
import { type Printer, flagNames, hexBytes, safeText } from './print.js';

/** Field offsets of the EAPOL header and the EAP packet after it (from the EAPOL start). */
export const EapolOffsets = { version: 0, type: 1, bodyLength: 2, headerLen: 4, eapCode: 4, eapId: 5, eapLength: 6, eapType: 8, eapData: 9 } as const;

/** EAPOL packet types. */
export const EapolType = { Eap: 0, Start: 1, Logoff: 2, Key: 3, AsfAlert: 4 } as const;

/** Zero-copy view of an EAPOL frame. */
export class EapolView extends ByteView {
  /**
   * Points at an EAPOL header; Truncated below its 4 bytes.
   * @example eapol.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, EapolOffsets.headerLen);
  }
  /** Protocol version. */
  get version(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Packet type. */
  get type(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Body length. */
  get bodyLength(): number {
    return u16(this.bytes, this.offset + EapolOffsets.bodyLength);
  }
  /** True when the EAP header (code, id, length) was captured. */
  get hasEap(): boolean {
    return this.type === EapolType.Eap && this.length >= EapolOffsets.eapType;
  }
  /** EAP code (1 Request, 2 Response, 3 Success, 4 Failure). */
  get eapCode(): number {
    return this.bytes[this.offset + EapolOffsets.eapCode] ?? 0;
  }
  /** EAP identifier. */
  get eapId(): number {
    return this.bytes[this.offset + EapolOffsets.eapId] ?? 0;
  }
  /** EAP length. */
  get eapLength(): number {
    return u16(this.bytes, this.offset + EapolOffsets.eapLength);
  }
  /** EAP method type (requests and responses). */
  get eapType(): number {
    return this.bytes[this.offset + EapolOffsets.eapType] ?? 0;
  }
}

/** Parsed EAPOL frame and its EAP header. */
export interface EapolRepr {
  version: number;
  type: number;
  bodyLength: number;
  eapCode?: number;
  eapId?: number;
  eapLength?: number;
  eapType?: number;
  /** EAPOL-Key (type 3): the key descriptor's fields when all its fixed fields were captured, else its type alone. */
  key?: EapolKeyRepr;
}

/**
 * An EAPOL-Key descriptor (802.1X-2020 11.9; IEEE 802.11-2020 12.7.2): type 1 RC4, 2 IEEE 802.11 (RSN),
 * 254 WPA. Byte strings in hex; the replay counter in decimal text (64 bits).
 */
export interface EapolKeyRepr {
  descriptor: number;
  keyInfo?: number;
  keyLength?: number;
  replayCounter?: string;
  nonce?: string;
  iv?: string;
  rsc?: string;
  mic?: string;
  dataLength?: number;
  /** RC4 only: the key index byte (bit 7 unicast, low 7 bits the index) and the signature. */
  keyIndex?: number;
  signature?: string;
}

/** Key descriptor layouts: RC4 (type 1) and IEEE 802.11 (types 2 and 254), offsets from the descriptor type byte. */
export const EapolKeyOffsets = {
  rc4: { keyLength: 1, replay: 3, iv: 11, index: 27, signature: 28, end: 44 },
  rsn: { keyInfo: 1, keyLength: 3, replay: 5, nonce: 13, iv: 45, rsc: 61, mic: 77, dataLength: 93, end: 95 },
} as const;

function keyRepr(b: Uint8Array, p: number, n: number): EapolKeyRepr {
  const dt = b[p] ?? 0;
  const k: EapolKeyRepr = { descriptor: dt };
  const replay = (o: number): string => ((BigInt(u32(b, o)) << 32n) | BigInt(u32(b, o + 4))).toString();
  if (dt === 1 && n >= EapolKeyOffsets.rc4.end) {
    const o = EapolKeyOffsets.rc4;
    k.keyLength = u16(b, p + o.keyLength);
    k.replayCounter = replay(p + o.replay);
    k.iv = hexBytes(b, p + o.iv, 16);
    k.keyIndex = b[p + o.index] ?? 0;
    k.signature = hexBytes(b, p + o.signature, 16);
  } else if ((dt === 2 || dt === 254) && n >= EapolKeyOffsets.rsn.end) {
    const o = EapolKeyOffsets.rsn;
    k.keyInfo = u16(b, p + o.keyInfo);
    k.keyLength = u16(b, p + o.keyLength);
    k.replayCounter = replay(p + o.replay);
    k.nonce = hexBytes(b, p + o.nonce, 32);
    k.iv = hexBytes(b, p + o.iv, 16);
    k.rsc = hexBytes(b, p + o.rsc, 8);
    k.mic = hexBytes(b, p + o.mic, 16);
    k.dataLength = u16(b, p + o.dataLength);
  }
  return k;
}

/** Builds the sink representation. */
export function eapolRepr(v: EapolView): EapolRepr {
  const r: EapolRepr = { version: v.version, type: v.type, bodyLength: v.bodyLength };
  if (v.hasEap) {
    r.eapCode = v.eapCode;
    r.eapId = v.eapId;
    r.eapLength = v.eapLength;
    if ((r.eapCode === 1 || r.eapCode === 2) && v.length > EapolOffsets.eapType) r.eapType = v.eapType;
  } else if (r.type === EapolType.Key && v.length > EapolOffsets.headerLen) {
    r.key = keyRepr(v.bytes, v.offset + EapolOffsets.headerLen, v.length - EapolOffsets.headerLen);
  }
  return r;
}

const EAPOL_TYPES = ['EAP packet', 'EAPOL start', 'EAPOL logoff', 'EAPOL key', 'Encapsulated ASF alert'];
const EAP_CODES = ['', 'Request', 'Response', 'Success', 'Failure'];
const EAP_TYPES: Readonly<Record<number, string>> = {
  0: 'No proposed', 1: 'Identity', 2: 'Notification', 3: 'Nak', 4: 'MD5-challenge', 5: 'OTP', 6: 'GTC', 13: 'TLS', 18: 'SIM', 21: 'TTLS', 23: 'AKA', 43: 'FAST',
  254: 'Expanded types', 255: 'Experimental',
};
const SIM_AKA_SUBTYPES: Readonly<Record<number, string>> = {
  1: 'Challenge', 2: 'Auth reject', 4: 'Sync failure', 5: 'Identity', 10: 'Start', 11: 'Challenge', 12: 'Notification', 13: 'Reauth', 14: 'Client error',
};
const TLS_FLAGS: ReadonlyArray<readonly [number, string]> = [[0x80, 'L bit'], [0x40, 'More fragments bit'], [0x20, 'Start bit']];

const typeName = (t: number): string => `${EAP_TYPES[t] ?? 'unknown'} (${t})`;

/** tcpdump's EAPOL text; the EAP packet at -v. */
export function printEapol(c: Printer, v: EapolView, _i: number, _n: number): void {
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|eap]';
    return;
  }
  const t = v.type;
  const len = v.bodyLength;
  c.s += `${EAPOL_TYPES[t] ?? 'unknown'} (${t}) v${v.version}, len ${len}`;
  if (c.opts.verbose === 0 || t !== EapolType.Eap) return;
  if (len === 0) {
    c.s += ' [|eap]';
    return;
  }
  c.s += ', ';
  if (!printEap(c, v.bytes, v.offset + EapolOffsets.headerLen, len, v.offset + v.length)) c.s += ' [|eap]';
}

/**
 * tcpdump's eap_print: the EAP packet (RFC 3748) of `length` bytes at `p` (the enclosing field's
 * length; another EAP length is a fragment), bytes captured up to `cap`. False where the packet is
 * cut, for the caller to mark with its own ` [|proto]`.
 */
export function printEap(c: Printer, b: Uint8Array, p: number, length: number, cap: number): boolean {
  if (p + 4 > cap) return false;
  const code = b[p] ?? 0;
  const len = u16(b, p + 2);
  if (len !== length) {
    c.s += 'EAP fragment?';
    return true;
  }
  c.s += `${EAP_CODES[code] || 'unknown'} (${code}), id ${b[p + 1] ?? 0}, len ${len}`;
  if (len < 4) {
    c.s += ' (too short for EAP header)';
    return true;
  }
  if (p + len > cap) return false;
  if (code !== 1 && code !== 2) return true;
  if (len < 5) {
    c.s += ' (too short for EAP request/response)';
    return true;
  }
  const m = b[p + 4] ?? 0;
  const d = p + 5;
  const end = p + len;
  const short = (what: string): boolean => {
    if (len >= 6) return false;
    c.s += ` (too short for EAP ${what} request/response)`;
    return true;
  };
  c.s += `\n\t\t Type ${typeName(m)}`;
  switch (m) {
    case 1:
    case 2: {
      if (m === 2 && short('Notification')) break;
      if (len <= 5) break;
      let e = d;
      while (e < end && b[e] !== 0) e++;
      c.s += `, ${m === 1 ? 'Identity' : 'Notification'}: ${safeText(b, d, e)}`;
      break;
    }
    case 3:
      if (short('Legacy NAK')) break;
      for (let k = d; k < end; k++) c.s += `${k === d ? ' ' : ', '}${typeName(b[k] ?? 0)}`;
      break;
    case 13:
    case 21:
    case 43: {
      const what = m === 43 ? 'FAST' : 'TLS/TTLS';
      if (short(what)) break;
      const f = b[d] ?? 0;
      if (m !== 13) c.s += ` ${m === 21 ? 'TTLS' : 'FAST'}v${f & 0x07}`;
      c.s += ` flags [${flagNames(TLS_FLAGS, f)}] 0x${hex2(f)}`;
      if (f & 0x80) c.s += len < 10 ? ` (too short for EAP ${what} request/response with length)` : `, len ${u32(b, d + 1)}`;
      break;
    }
    case 18:
    case 23:
      if (short('SIM/AKA')) break;
      c.s += ` subtype [${SIM_AKA_SUBTYPES[b[d] ?? 0] ?? 'unknown'}] 0x${hex2(b[d] ?? 0)}`;
      break;
    default:
      break;
  }
  return true;
}
