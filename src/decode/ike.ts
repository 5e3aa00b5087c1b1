/**
 * ISAKMP/IKEv1 (RFC 2408, 2409) and IKEv2 (RFC 7296) message headers. The text is tcpdump's header
 * summary, including its initiator/responder guess from the cookies seen earlier in the capture;
 * the payloads are listed by type in the Repr (tcpdump's -v payload trees are not printed here).
 */
import { ByteView, DecodeStatus, u32 } from './status.js';
import { hexBytes, type Printer } from './print.js';
import { Layer, Port } from './layers.js';

/** Field offsets of the 28-byte header. */
export const IkeOffsets = { initiatorSpi: 0, responderSpi: 8, nextPayload: 16, version: 17, exchangeType: 18, flags: 19, messageId: 20, length: 24, headerLen: 28 } as const;

/** Exchange type names as tcpdump prints them (RFC 2408 section 3.1, RFC 2409, RFC 7296 section 3.1). */
const EXCHANGES: Readonly<Record<number, string>> = {
  0: 'none', 1: 'base', 2: 'ident', 3: 'auth', 4: 'agg', 5: 'inf', 32: 'oakley-quick', 33: 'oakley-newgroup', 34: 'ikev2_init',
  35: 'ikev2_auth', 36: 'child_sa', 37: 'inf2',
};

/** Zero-copy view of an ISAKMP/IKE header. */
export class IkeView extends ByteView {
  /**
   * Points at an ISAKMP header; Truncated below 28 bytes.
   * @example k.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < IkeOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Major version (1 ISAKMP/IKEv1, 2 IKEv2). */
  get majorVersion(): number {
    return (this.bytes[this.offset + IkeOffsets.version] ?? 0) >> 4;
  }
  /** Minor version. */
  get minorVersion(): number {
    return (this.bytes[this.offset + IkeOffsets.version] ?? 0) & 0xf;
  }
  /** Exchange type. */
  get exchangeType(): number {
    return this.bytes[this.offset + IkeOffsets.exchangeType] ?? 0;
  }
  /** Flags. */
  get flags(): number {
    return this.bytes[this.offset + IkeOffsets.flags] ?? 0;
  }
  /** First payload type. */
  get nextPayload(): number {
    return this.bytes[this.offset + IkeOffsets.nextPayload] ?? 0;
  }
  /** Message id. */
  get messageId(): number {
    return u32(this.bytes, this.offset + IkeOffsets.messageId);
  }
  /** Length field (header and payloads). */
  get len(): number {
    return u32(this.bytes, this.offset + IkeOffsets.length);
  }
  /** True when the responder cookie/SPI is zero (the exchange's first message). */
  get responderZero(): boolean {
    for (let k = 0; k < 8; k++) if (this.bytes[this.offset + IkeOffsets.responderSpi + k] !== 0) return false;
    return true;
  }
}

/** Parsed ISAKMP/IKE header. */
export interface IkeRepr {
  initiatorSpi: string;
  responderSpi: string;
  version: string;
  exchangeType: number;
  flags: number;
  messageId: number;
  length: number;
  /** Payload types in order, as far as they were captured (unencrypted payloads only). */
  payloads: number[];
}

/** Builds the sink representation. */
export function ikeRepr(v: IkeView): IkeRepr {
  const b = v.bytes;
  const ok = v.status === DecodeStatus.Ok;
  const r: IkeRepr = {
    initiatorSpi: hexBytes(b, v.offset, Math.min(8, v.length)), responderSpi: ok ? hexBytes(b, v.offset + 8, 8) : '',
    version: ok ? `${v.majorVersion}.${v.minorVersion}` : '', exchangeType: ok ? v.exchangeType : 0, flags: ok ? v.flags : 0,
    messageId: ok ? v.messageId : 0, length: ok ? v.len : 0, payloads: [],
  };
  if (!ok) return r;
  // IKEv1's E flag and IKEv2's Encrypted payload (46) hide what follows
  const end = Math.min(v.offset + v.length, v.offset + v.len);
  let np = v.nextPayload;
  let p = v.offset + IkeOffsets.headerLen;
  const encrypted = v.majorVersion === 1 && (v.flags & 1) !== 0;
  for (let guard = 0; np !== 0 && !encrypted && p + 4 <= end && guard < 64; guard++) {
    r.payloads.push(np);
    const n = ((b[p + 2] ?? 0) << 8) | (b[p + 3] ?? 0);
    if (n < 4 || np === 46) break;
    np = b[p] ?? 0;
    p += n;
  }
  return r;
}

/**
 * tcpdump's guess of who sent an IKEv1 message: the initiator cookies of first messages, with the
 * addresses they went between (tcpdump keeps 16), per printer so that each capture starts afresh.
 */
interface CookieEntry {
  cookie: string;
  initiator: string;
  responder: string;
}
const COOKIES = new WeakMap<Printer, { ring: CookieEntry[]; next: number }>();
const MAX_INITIATORS = 16;

function cookieRole(c: Printer, v: IkeView): string {
  let state = COOKIES.get(c);
  if (!state) {
    state = { ring: [], next: 0 };
    COOKIES.set(c, state);
  }
  const cookie = hexBytes(v.bytes, v.offset, 8);
  const e = state.ring.find((x) => x.cookie === cookie);
  if (!e) {
    if (!v.responderZero) return '?';
    const rec = { cookie, initiator: c.src, responder: c.dst };
    state.ring[state.next] = rec;
    state.next = (state.next + 1) % MAX_INITIATORS;
    return 'I';
  }
  if (e.initiator === c.src) return 'I';
  if (e.responder === c.src) return 'R';
  return '?';
}

/** tcpdump's ISAKMP text: version and message id (-v), cookies (-vv), phase, role, exchange and flags. */
export function printIke(c: Printer, v: IkeView, i: number, len: number): void {
  // over UDP 4500 the message follows RFC 3948's non-ESP marker
  const u = c.parser.at(i - 1, Layer.Udp);
  if (u !== undefined && (u.srcPort === Port.IPSEC_NAT_T || u.dstPort === Port.IPSEC_NAT_T)) {
    c.s += 'NONESP-encap: ';
    len -= 4;
  }
  if (c.parser.status[i] !== DecodeStatus.Ok) {
    c.s += ' [|isakmp]';
    return;
  }
  c.s += 'isakmp';
  const o = c.opts;
  const b = v.bytes;
  const major = v.majorVersion;
  if (o.verbose > 0) c.s += ` ${major}.${v.minorVersion} msgid ${hexBytes(b, v.offset + IkeOffsets.messageId, 4)}`;
  if (o.verbose > 1) c.s += ` cookie ${hexBytes(b, v.offset, 8)}->${hexBytes(b, v.offset + 8, 8)}`;
  c.s += ':';
  if (major !== 1 && major !== 2) return;
  const et = v.exchangeType;
  const etName = EXCHANGES[et] ?? `#${et}`;
  const fl = v.flags;
  const phase1 = v.messageId === 0;
  if (major === 1) {
    c.s += phase1 ? ' phase 1' : ' phase 2/others';
    // the addresses are known only over IP; tcpdump records nothing otherwise
    const overIp = c.parser.kinds[c.ipIdx] === Layer.Ipv4 || c.parser.kinds[c.ipIdx] === Layer.Ipv6;
    c.s += ` ${overIp ? cookieRole(c, v) : v.responderZero ? 'I' : '?'} ${etName}`;
    if (fl) c.s += `[${fl & 1 ? 'E' : ''}${fl & 2 ? 'C' : ''}]`;
    if (o.verbose > 0) {
      c.s += ':';
      if (fl & 1) c.s += ` [encrypted ${payloadName(v.nextPayload)}]`;
    }
  } else {
    c.s += phase1 ? ' parent_sa' : ' child_sa ';
    c.s += ` ${etName}`;
    if (fl) c.s += `[${fl & 0x08 ? 'I' : ''}${fl & 0x10 ? 'V' : ''}${fl & 0x20 ? 'R' : ''}]`;
    if (o.verbose > 0) {
      c.s += ':';
      // tcpdump applies IKEv1's E bit to IKEv2 headers too
      if (fl & 1) c.s += ` [encrypted ${payloadName(v.nextPayload)}]`;
    }
  }
  if (o.verbose > 0 && v.len !== len) c.s += ` (len mismatch: isakmp ${v.len}/ip ${len})`;
}

/** Payload names as tcpdump prints them: IKEv1 (RFC 2408 section 3.1) from 0, IKEv2 (RFC 7296 section 3.2) from 33. */
const PAYLOADS_V1 = ['none', 'sa', 'p', 't', 'ke', 'id', 'cert', 'cr', 'hash', 'sig', 'nonce', 'n', 'd', 'vid'] as const;
const PAYLOADS_V2 = ['v2sa', 'v2ke', 'v2IDi', 'v2IDr', 'v2cert', 'v2cr', 'v2auth', 'v2nonce', 'v2n', 'v2d', 'v2vid', 'v2TSi', 'v2TSr', 'v2e', 'v2cp', 'v2eap'] as const;

function payloadName(np: number): string {
  if (np >= 33) return PAYLOADS_V2[np - 33] ?? `#${np}`;
  return PAYLOADS_V1[np] ?? `pay${np}`;
}
