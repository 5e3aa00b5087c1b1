/**
 * ISAKMP/IKEv1 (RFC 2408, 2409, with the IPsec DOI of RFC 2407) and IKEv2 (RFC 7296) messages. The
 * text is tcpdump's: the header summary, including its initiator/responder guess from the cookies
 * seen earlier in the capture, and at -v the payload tree below it (SA proposals and transforms with
 * their attributes, key exchange, ids, certificates, hashes, signatures, nonces, notifications,
 * deletes, vendor ids, traffic selectors, the encrypted payload), in tcpdump's reading order, so a
 * payload cut by the capture ends with ` [|name]` and a read past it with ` [|isakmp]`. The Repr
 * lists the payloads by type and length, with the notify and id types.
 */
import { ByteView, DecodeStatus, u32 } from './status.js';
import { hexBytes, hostName, safeChar, type Printer } from './print.js';
import { ipv4Text, ipv6Text } from './addr.js';
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
  /** Each payload's length field (generic header included), in the order of `payloads`. */
  payloadLengths: number[];
  /** Notify message types of the notification payloads (IKEv1 11, IKEv2 41), in order, as far as captured. */
  notifyTypes: number[];
  /** ID types of the identification payloads (IKEv1 5, IKEv2 35 and 36), in order, as far as captured. */
  idTypes: number[];
}

/** Builds the sink representation. */
export function ikeRepr(v: IkeView): IkeRepr {
  const b = v.bytes;
  const ok = v.status === DecodeStatus.Ok;
  const r: IkeRepr = {
    initiatorSpi: hexBytes(b, v.offset, Math.min(8, v.length)), responderSpi: ok ? hexBytes(b, v.offset + 8, 8) : '',
    version: ok ? `${v.majorVersion}.${v.minorVersion}` : '', exchangeType: ok ? v.exchangeType : 0, flags: ok ? v.flags : 0,
    messageId: ok ? v.messageId : 0, length: ok ? v.len : 0, payloads: [], payloadLengths: [], notifyTypes: [], idTypes: [],
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
    r.payloadLengths.push(n);
    // the notify type sits after the DOI in IKEv1 (RFC 2408 section 3.14), right after the SPI size in IKEv2
    if (np === 11 && p + 12 <= end) r.notifyTypes.push(((b[p + 10] ?? 0) << 8) | (b[p + 11] ?? 0));
    if (np === 41 && p + 8 <= end) r.notifyTypes.push(((b[p + 6] ?? 0) << 8) | (b[p + 7] ?? 0));
    if ((np === 5 || np === 35 || np === 36) && p + 5 <= end) r.idTypes.push(b[p + 4] ?? 0);
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
      else if (!printTree(c, v)) return;
    }
  } else {
    c.s += phase1 ? ' parent_sa' : ' child_sa ';
    c.s += ` ${etName}`;
    if (fl) c.s += `[${fl & 0x08 ? 'I' : ''}${fl & 0x10 ? 'V' : ''}${fl & 0x20 ? 'R' : ''}]`;
    if (o.verbose > 0) {
      c.s += ':';
      // tcpdump applies IKEv1's E bit to IKEv2 headers too
      if (fl & 1) c.s += ` [encrypted ${payloadName(v.nextPayload)}]`;
      else if (!printTree(c, v)) return;
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

// ---- payload trees (-v): tcpdump's reading order, checks and wording, payload by payload ----

/** Protocol ids (RFC 2407 section 4.4.1). */
const PROTO_IDS = [undefined, 'isakmp', 'ipsec-ah', 'ipsec-esp', 'ipcomp'] as const;
/** Diffie-Hellman groups, shared by IKEv1 attributes and IKEv2 transforms. */
const DH_GROUPS = [
  undefined, 'modp768', 'modp1024', 'EC2N 2^155', 'EC2N 2^185', 'modp1536', 'iana-grp06', 'iana-grp07', 'iana-grp08', 'iana-grp09',
  'iana-grp10', 'iana-grp11', 'iana-grp12', 'iana-grp13', 'modp2048', 'modp3072', 'modp4096', 'modp6144', 'modp8192',
] as const;
/** ESP transform ids (RFC 2407 section 4.4.4), also IKEv2's encryption transform ids. */
const ESP_IDS = [undefined, '1des-iv64', '1des', '3des', 'rc5', 'idea', 'cast', 'blowfish', '3idea', '1des-iv32', 'rc4', 'null', 'aes'] as const;
const AH_IDS = [undefined, '(reserved)', 'md5', 'sha', '1des', 'sha2-256', 'sha2-384', 'sha2-512'] as const;
const IPCOMP_IDS = [undefined, 'oui', 'deflate', 'lzs'] as const;
const V2_TRANSFORM_TYPES = [undefined, 'encr', 'prf', 'integ', 'dh', 'esn'] as const;
/** IKEv2 transform ids by transform type (1 encr .. 5 esn). */
const V2_TRANSFORM_IDS: ReadonlyArray<readonly (string | undefined)[]> = [
  [], ESP_IDS, [undefined, 'hmac-md5', 'hmac-sha', 'hmac-tiger', 'aes128_xcbc'], [undefined, 'hmac-md5', 'hmac-sha', 'dec-mac', 'kpdk-md5', 'aes-xcbc'],
  DH_GROUPS, ['no-esn', 'esn'],
];
const CERT_TYPES = ['none', 'pkcs7', 'pgp', 'dns', 'x509sign', 'x509ke', 'kerberos', 'crl', 'arl', 'spki', 'x509attr'] as const;
const ID_TYPES = [undefined, 'IPv4', 'FQDN', 'user FQDN', 'IPv4net', 'IPv6', 'IPv6net', 'IPv4range', 'IPv6range', 'ASN1 DN', 'ASN1 GN', 'keyid'] as const;
const V2_AUTH = ['invalid', 'rsasig', 'shared-secret', 'dsssig'] as const;
/** IKEv1 notify error types 0-30 (RFC 2408 section 3.14.1). */
const V1_NOTIFY_ERRORS = [
  undefined, 'INVALID-PAYLOAD-TYPE', 'DOI-NOT-SUPPORTED', 'SITUATION-NOT-SUPPORTED', 'INVALID-COOKIE', 'INVALID-MAJOR-VERSION',
  'INVALID-MINOR-VERSION', 'INVALID-EXCHANGE-TYPE', 'INVALID-FLAGS', 'INVALID-MESSAGE-ID', 'INVALID-PROTOCOL-ID', 'INVALID-SPI',
  'INVALID-TRANSFORM-ID', 'ATTRIBUTES-NOT-SUPPORTED', 'NO-PROPOSAL-CHOSEN', 'BAD-PROPOSAL-SYNTAX', 'PAYLOAD-MALFORMED',
  'INVALID-KEY-INFORMATION', 'INVALID-ID-INFORMATION', 'INVALID-CERT-ENCODING', 'INVALID-CERTIFICATE', 'CERT-TYPE-UNSUPPORTED',
  'INVALID-CERT-AUTHORITY', 'INVALID-HASH-INFORMATION', 'AUTHENTICATION-FAILED', 'INVALID-SIGNATURE', 'ADDRESS-NOTIFICATION',
  'NOTIFY-SA-LIFETIME', 'CERTIFICATE-UNAVAILABLE', 'UNSUPPORTED-EXCHANGE-TYPE', 'UNEQUAL-PAYLOAD-LENGTHS',
] as const;
/** IKEv2 notify types tcpdump names (RFC 7296 section 3.10.1), and whether it shows their SPI (bit 1) and data (bit 2). */
const V2_NOTIFY: Readonly<Record<number, readonly [string, number]>> = {
  1: ['unsupported_critical_payload', 0], 4: ['invalid_ike_spi', 1], 5: ['invalid_major_version', 0], 7: ['invalid_syntax', 1],
  9: ['invalid_message_id', 1], 11: ['invalid_spi', 1], 14: ['no_protocol_chosen', 1], 17: ['invalid_ke_payload', 1],
  24: ['authentication_failed', 1], 34: ['single_pair_required', 1], 35: ['no_additional_sas', 0], 36: ['internal_address_failure', 0],
  37: ['failed:cp_required', 0], 39: ['invalid_selectors', 0], 16384: ['initial_contact', 0], 16385: ['set_window_size', 0],
  16386: ['additional_ts_possible', 0], 16387: ['ipcomp_supported', 0], 16388: ['nat_detection_source_ip', 1],
  16389: ['nat_detection_destination_ip', 1], 16390: ['cookie', 3], 16391: ['use_transport_mode', 0], 16392: ['http_cert_lookup_supported', 0],
  16393: ['rekey_sa', 1], 16394: ['tfc_padding_not_supported', 0], 16395: ['non_first_fragment_also', 0],
};

/** An attribute table: per attribute type, its name and the names of its values (RFC 2409 appendix A, RFC 2407 section 4.5). */
type AttrMap = ReadonlyArray<readonly [string, readonly (string | undefined)[]] | undefined>;
const OAKLEY_ATTRS: AttrMap = [
  undefined, ['enc', [undefined, '1des', 'idea', 'blowfish', 'rc5', '3des', 'cast', 'aes']],
  ['hash', [undefined, 'md5', 'sha1', 'tiger', 'sha2-256', 'sha2-384', 'sha2-512']],
  ['auth', [undefined, 'preshared', 'dss', 'rsa sig', 'rsa enc', 'rsa enc revised']], ['group desc', DH_GROUPS],
  ['group type', [undefined, 'MODP', 'ECP', 'EC2N']], ['group prime', []], ['group gen1', []], ['group gen2', []], ['group curve A', []],
  ['group curve B', []], ['lifetype', [undefined, 'sec', 'kb']], ['lifeduration', []], ['prf', []], ['keylen', []], ['field', []], ['order', []],
];
const IPSEC_ATTRS: AttrMap = [
  undefined, ['lifetype', [undefined, 'sec', 'kb']], ['life', []], ['group desc', DH_GROUPS], ['enc mode', [undefined, 'tunnel', 'transport']],
  ['auth', [undefined, 'hmac-md5', 'hmac-sha1', '1des-mac', 'keyed']], ['keylen', []], ['rounds', []], ['dictsize', []], ['privalg', []],
];
const ENCR_ATTRS: AttrMap = [...Array<undefined>(14), ['keylen', []]];

const PAY = { SA: 1, P: 2, T: 3, N: 11, V2E: 46 } as const;
const orId = (tab: readonly (string | undefined)[], x: number): string => tab[x] ?? `#${x}`;

/**
 * One message's payload walk. Reads past the capture behave as tcpdump's GET macros: the first one
 * marks where the text stops (tcpdump longjmps out and prints ` [|isakmp]`), and the walk goes on
 * reading zeros, bounded, so that nothing loops.
 */
class Tree {
  s = '';
  cut = -1;
  private steps = 0;
  constructor(readonly b: Uint8Array, readonly ep: number, readonly verbose: number, readonly c: Printer) {}

  private miss(): number {
    if (this.cut < 0) this.cut = this.s.length;
    return 0;
  }
  /** One byte; 0 and the cut marked when it was not captured (as each of u2, u4). */
  u1(p: number): number {
    return p >= 0 && p < this.ep ? this.b[p] ?? 0 : this.miss();
  }
  u2(p: number): number {
    return p >= 0 && p + 2 <= this.ep ? ((this.b[p] ?? 0) << 8) | (this.b[p + 1] ?? 0) : this.miss();
  }
  u4(p: number): number {
    return p >= 0 && p + 4 <= this.ep ? u32(this.b, p) : this.miss();
  }
  /** tcpdump's ND_TTEST: n bytes from p were captured. */
  has(p: number, n: number): boolean {
    return n >= 0 && p >= 0 && p + n <= this.ep;
  }
  /** Appends n bytes as hex; false when they were not captured. */
  raw(p: number, n: number): boolean {
    if (!this.has(p, n)) return false;
    this.s += hexBytes(this.b, p, n);
    return true;
  }
  /** At -vvv (when `when` holds): a space and n bytes in hex; false when they were not captured. */
  private dump(p: number, n: number, when: boolean): boolean {
    if (!when || this.verbose < 3) return true;
    this.s += ' ';
    return this.raw(p, n);
  }
  /** ` spi=` and n bytes in hex; false when they were not captured. */
  private spi(p: number, n: number): boolean {
    this.s += ' spi=';
    return this.raw(p, n);
  }
  /** The first 10 and last 20 bytes from p to the capture's end. */
  some(p: number): boolean {
    let end = this.ep - 20;
    let elen = 20;
    const len = Math.min(this.ep - p, 10);
    if (end < p + len) {
      end = p + len;
      elen = this.ep - end;
    }
    this.s += ' data=(';
    if (!this.raw(p, len)) return false;
    this.s += '...';
    if (elen && !this.raw(end, elen)) return false;
    this.s += ')';
    return true;
  }
  /** A payload printer's own truncation mark, ` [|name]`; the walk stops. */
  trunc(np: number): null {
    this.s += ` [|${payloadName(np)}]`;
    return null;
  }
  /** A chain of payloads from `ext`, first of type np; returns where the last one ended, null when the walk stops. */
  sub(v2: boolean, np: number, ext: number, proto: number, depth: number): number | null {
    let cp: number | null = ext;
    while (np !== 0) {
      // a bound tcpdump lacks: only hostile chains of thousands of payloads reach it
      if (++this.steps > 4096) return null;
      if (!this.has(ext, 4)) return this.trunc(np);
      if (!this.has(ext, this.u2(ext + 2))) return this.trunc(np);
      this.s += '\n' + '    '.repeat(depth + 1) + '(';
      cp = this.sub0(v2, np, ext, proto, depth + 1);
      this.s += ')';
      if (cp === null) return null;
      np = this.u1(ext);
      ext = cp;
    }
    return cp;
  }
  /**
   * One payload by type, as tcpdump's single table does: IKEv1 printers in IKEv2 messages and the
   * reverse, the encrypted payload only in IKEv2; a length of 4 or less prints nothing (the `()` line).
   */
  private sub0(v2: boolean, np: number, ext: number, proto: number, depth: number): number | null {
    const n = this.u2(ext + 2);
    if (n <= 4) return null;
    if (np === PAY.V2E && v2) return this.v2e(np, ext, n);
    switch (np) {
      case 1: return this.v1sa(ext, proto, depth);
      case 2: return this.v1p(ext, depth);
      case 3: return this.v1t(ext, n, proto);
      case 4: return this.v1data(np, ext, n, ' key len=');
      case 5: return this.v1id(ext, n);
      case 6: case 7: return this.v1cert(np, ext, n);
      case 8: case 9: case 13: return this.v1data(np, ext, n, ' len=');
      case 10: return this.v1nonce(ext, n);
      case 11: return this.v1n(ext, n);
      case 12: return this.v1d(ext);
      case 33: return this.v2sa(np, ext, depth);
      case 34: return this.v2ke(np, ext, n);
      case 35: case 36: return this.v2id(np, ext, n);
      case 39: return this.v2auth(np, ext, n);
      case 40: return this.v2nonce(np, ext, n);
      case 41: return this.v2n(ext, n);
      case 43: return this.v2vid(np, ext, n);
      case 37: case 38: case 42: case 44: case 45: case 47: case 48: return this.v2gen(np, ext, n);
      default:
        this.s += payloadName(np);
        return ext + n;
    }
  }

  /** An attribute (RFC 2408 section 3.3), named from `map` when given; null when its value was not captured. */
  private attr(p: number, ep2: number, map: AttrMap | undefined): number | null {
    const tv = (this.u1(p) & 0x80) !== 0;
    const total = tv ? 4 : 4 + this.u2(p + 2);
    if (ep2 < p + total) {
      this.s += '[|attr]';
      return ep2 + 1;
    }
    this.s += '(';
    const t = this.u2(p) & 0x7fff;
    const m = map?.[t];
    this.s += m ? `type=${m[0]} ` : `type=#${t} `;
    if (tv) {
      this.s += 'value=';
      const v = this.u2(p + 2);
      const name = m?.[1][v];
      if (name !== undefined) this.s += name;
      else if (!this.raw(p + 2, 2)) return this.close();
    } else {
      this.s += `len=${total - 4} value=`;
      if (!this.raw(p + 4, total - 4)) return this.close();
    }
    this.s += ')';
    return p + total;
  }
  private close(): null {
    this.s += ')';
    return null;
  }
  /** Attributes from cp to ep2 (or the capture's end); '...' when the capture ends first. */
  private attrs(cp: number, ep2: number, map: AttrMap | undefined): number | null {
    let p: number | null = cp;
    while (p < this.ep && p < ep2) {
      p = this.attr(p, ep2, map);
      if (p === null) return null;
    }
    if (this.ep < ep2) this.s += '...';
    return p;
  }

  private v1sa(ext: number, proto: number, depth: number): number | null {
    this.s += 'sa:';
    if (!this.has(ext, 12)) return this.trunc(PAY.SA);
    const doi = this.u4(ext + 4);
    const sit = this.u4(ext + 8);
    if (doi !== 1) {
      this.s += ` doi=${doi} situation=${sit}`;
      return ext + 12;
    }
    const parts: string[] = [];
    if (sit & 1) parts.push('identity');
    if (sit & 2) parts.push('secrecy');
    if (sit & 4) parts.push('integrity');
    this.s += ` doi=ipsec situation=${parts.join('+')}`;
    let np = ext + 12;
    if (sit !== 1) {
      // tcpdump reads the "ident" a struct's length past the payload header: the DOI again
      this.s += ` ident=${this.u4(ext + 4)}`;
      np += 4;
    }
    if (!this.has(np, 4)) return this.trunc(PAY.SA);
    return this.sub(false, PAY.P, np, proto, depth);
  }
  private v1p(ext: number, depth: number): number | null {
    this.s += 'p:';
    if (!this.has(ext, 8)) return this.trunc(PAY.P);
    const proto = this.u1(ext + 5);
    const text = ` #${this.u1(ext + 4)} protoid=${orId(PROTO_IDS, proto)} transform=${this.u1(ext + 7)}`;
    this.s += text;
    const spi = this.u1(ext + 6);
    if (spi && !this.spi(ext + 8, spi)) return this.trunc(PAY.P);
    const next = ext + 8 + spi;
    if (!this.has(next, 4)) return this.trunc(PAY.P);
    return this.sub(false, PAY.T, next, proto, depth);
  }
  private v1t(ext: number, n: number, proto: number): number | null {
    this.s += 't:';
    if (!this.has(ext, 8)) return this.trunc(PAY.T);
    const tid = this.u1(ext + 5);
    const ids = proto === 1 ? [undefined, 'ike'] : proto === 2 ? AH_IDS : proto === 3 ? ESP_IDS : proto === 4 ? IPCOMP_IDS : undefined;
    const map = proto === 1 ? OAKLEY_ATTRS : ids ? IPSEC_ATTRS : undefined;
    const text = ` #${this.u1(ext + 4)} id=${ids ? orId(ids, tid) : tid} `;
    this.s += text;
    const cp = this.attrs(ext + 8, ext + n, map);
    return cp === null ? this.trunc(PAY.T) : cp;
  }
  /** ke, hash, sig and vid: the length, and the data in hex at -vvv. */
  private v1data(np: number, ext: number, n: number, label: string): number | null {
    this.s += `${payloadName(np)}:`;
    if (!this.has(ext, 4)) return this.trunc(np);
    this.s += `${label}${n - 4}`;
    if (!this.dump(ext + 4, n - 4, n > 4)) return this.trunc(np);
    return ext + n;
  }
  private v1cert(np: number, ext: number, n: number): number | null {
    this.s += `${payloadName(np)}:`;
    if (!this.has(ext, 6)) return this.trunc(np);
    this.s += ` len=${n - 4}`;
    const text = ` type=${orId(CERT_TYPES, this.u1(ext + 4))}`;
    this.s += text;
    if (!this.dump(ext + 4, n - 4, n > 4)) return this.trunc(np);
    return ext + n;
  }
  private v1nonce(ext: number, n: number): number | null {
    this.s += 'nonce:';
    if (!this.has(ext, 4)) return this.trunc(10);
    this.s += ` n len=${n - 4}`;
    if (n > 4 && this.verbose > 2) {
      this.s += ' ';
      if (!this.raw(ext + 4, n - 4)) return this.trunc(10);
    } else if (n > 4 && this.verbose > 1) {
      this.s += ' ';
      if (!this.some(ext + 4)) return this.trunc(10);
    }
    return ext + n;
  }
  private v1id(ext: number, n: number): number | null {
    this.s += 'id:';
    if (!this.has(ext, 8)) return this.trunc(5);
    const data = n > 8 ? ext + 8 : -1;
    let len = n > 8 ? n - 8 : 0;
    // msgid 0 and the others alike: tcpdump reads both phases with the IPsec DOI's layout (RFC 2407 section 4.6.2)
    const type = this.u1(ext + 4);
    this.s += ` idtype=${orId(ID_TYPES, type)}`;
    const proto = this.u1(ext + 5);
    const o = this.c.opts;
    const pname = !o.numeric && proto ? o.names?.protocol(proto) : undefined;
    this.s += ` protoid=${pname ?? proto}`;
    const text = ` port=${this.u2(ext + 6)}`;
    this.s += text;
    if (len) {
      if (!this.has(data, len)) return this.trunc(5);
      const b = this.b;
      const host = (a: string): string => hostName(o, a);
      const need = [0, 4, 0, 0, 8, 16, 32, 8, 32][type] ?? 0;
      if (type >= 1 && type <= 8) {
        if (need && len < need) this.s += ` len=${len} [bad: < ${need}]`;
        else if (type === 1) this.s += ` len=${len} ${host(ipv4Text(b, data))}`;
        else if (type === 2 || type === 3) {
          this.s += ` len=${len} `;
          for (let k = 0; k < len; k++) this.s += safeChar(b[data + k] ?? 0);
        } else if (type === 4) this.s += ` len=${len} ${host(ipv4Text(b, data))}/${b[data + 4]}.${b[data + 5]}.${b[data + 6]}.${b[data + 7]}`;
        else if (type === 5) this.s += ` len=${len} ${host(ipv6Text(b, data))}`;
        else if (type === 6) this.s += ` len=${len} ${host(ipv6Text(b, data))}/0x${hexBytes(b, data + 16, 16)}`;
        else if (type === 7) this.s += ` len=${len} ${host(ipv4Text(b, data))}-${host(ipv4Text(b, data + 4))}`;
        else this.s += ` len=${len} ${host(ipv6Text(b, data))}-${host(ipv6Text(b, data + 16))}`;
        len = 0;
      }
    }
    if (data >= 0 && len) {
      this.s += ` len=${len}`;
      if (!this.dump(data, len, true)) return this.trunc(5);
    }
    return ext + n;
  }
  private v1n(ext: number, n: number): number | null {
    this.s += 'n:';
    if (!this.has(ext, 12)) return this.trunc(PAY.N);
    const doi = this.u4(ext + 4);
    const proto = this.u1(ext + 8);
    const type = this.u2(ext + 10);
    const spi = this.u1(ext + 9);
    if (doi !== 1) {
      // outside the IPsec DOI only the generic error names apply (status types count from 16384)
      const name = type < 8192 ? orId(V1_NOTIFY_ERRORS, type) : type < 16384 ? `#${type}` : type < 24576 ? (type === 16384 ? 'CONNECTED' : `#${type - 16384}`) : `#${type}`;
      this.s += ` doi=${doi} proto=${proto} type=${name}`;
      if (spi && !this.spi(ext + 12, spi)) return this.trunc(PAY.N);
      return ext + 12 + spi;
    }
    const name = type < 8192 ? orId(V1_NOTIFY_ERRORS, type) : type < 16384 ? (type === 8192 ? 'RESERVED' : `#${type - 8192}`)
      : type < 24576 ? (type === 16384 ? 'CONNECTED' : `#${type - 16384}`)
        : type < 32768 ? orId(['RESPONDER-LIFETIME', 'REPLAY-STATUS', 'INITIAL-CONTACT'], type - 24576) : `#${type}`;
    this.s += ` doi=ipsec proto=${orId(PROTO_IDS, proto)} type=${name}`;
    if (spi && !this.spi(ext + 12, spi)) return this.trunc(PAY.N);
    const cp = ext + 12 + spi;
    if (cp < this.ep) {
      if (type === 24576) {
        this.s += ' attrs=(';
        let p: number | null = cp;
        while (p < this.ep && p < ext + n) {
          p = this.attr(p, ext + n, OAKLEY_ATTRS);
          if (p === null) {
            this.s += ')';
            return this.trunc(PAY.N);
          }
        }
        this.s += ')';
      } else if (type === 24577) {
        this.s += ' status=(';
        const text = `replay detection ${this.u4(cp) ? 'en' : 'dis'}abled)`;
        this.s += text;
      } else if (this.verbose > 3) {
        this.s += ' data=(';
        if (!this.raw(cp, this.ep - cp)) return this.trunc(PAY.N);
        this.s += ')';
      } else if (!this.some(cp)) return this.trunc(PAY.N);
    }
    return ext + n;
  }
  private v1d(ext: number): number | null {
    this.s += 'd:';
    if (!this.has(ext, 12)) return this.trunc(12);
    const doi = this.u4(ext + 4);
    const proto = this.u1(ext + 8);
    this.s += doi !== 1 ? ` doi=${doi} proto=${proto}` : ` doi=ipsec proto=${orId(PROTO_IDS, proto)}`;
    const size = this.u1(ext + 9);
    this.s += ` spilen=${size}`;
    const num = this.u2(ext + 10);
    this.s += ` nspi=${num} spi=`;
    let q = ext + 12;
    for (let k = 0; k < num; k++) {
      if (k !== 0) this.s += ',';
      if (!this.raw(q, size)) return this.trunc(12);
      q += size;
    }
    return q;
  }

  /** An IKEv2 payload's name, with [C] for the critical bit. */
  private v2name(name: string, ext: number): void {
    const crit = this.u1(ext + 1);
    this.s += `${name}${crit & 0x80 ? '[C]' : ''}:`;
  }
  /** cert, cr, d, TSi, TSr, cp, eap: the length, and the data in hex at -vvv. */
  private v2gen(np: number, ext: number, n: number): number | null {
    if (!this.has(ext, 4)) return this.trunc(np);
    this.v2name(payloadName(np), ext);
    this.s += ` len=${n - 4}`;
    if (!this.dump(ext + 4, n - 4, n > 4)) return this.trunc(np);
    return ext + n;
  }
  private v2t(count: number, ext: number, n: number): number | null {
    if (!this.has(ext, 8)) return this.trunc(PAY.T);
    this.v2name('t', ext);
    const tid = this.u2(ext + 6);
    const type = this.u1(ext + 4);
    const ids = V2_TRANSFORM_IDS[type];
    this.s += ` #${count} type=${orId(V2_TRANSFORM_TYPES, type)} id=${ids ? orId(ids, tid) : tid} `;
    const cp = this.attrs(ext + 8, ext + n, type === 1 ? ENCR_ATTRS : undefined);
    return cp === null ? this.trunc(PAY.T) : cp;
  }
  /**
   * The items of an SA (proposals) or of a proposal (transforms): each on its own line one level
   * deeper; an item longer than what is left of its container skips the rest with ` [|name]`.
   */
  private v2items(first: number, cp: number, left: number, depth: number, mark: number, item: (count: number, ext: number, n: number, depth: number) => number | null): number | null {
    let np = first;
    let count = 0;
    let ext = cp;
    while (np !== 0) {
      if (++this.steps > 4096) return null;
      count++;
      ext = cp;
      if (left < 4) break;
      if (!this.has(ext, 4)) return this.trunc(mark);
      const n = this.u2(ext + 2);
      if (n <= 4) return this.trunc(mark);
      if (left < n) break;
      if (!this.has(cp, n)) return this.trunc(mark);
      this.s += '\n' + '    '.repeat(depth + 1) + '(';
      if (np === first) {
        const next = item(count, ext, n, depth + 1);
        if (next === null) return null;
        cp = next;
      } else {
        this.s += payloadName(np);
        cp += n;
      }
      this.s += ')';
      left -= n;
      np = this.u1(ext);
    }
    if (np === 0) return cp;
    this.trunc(mark);
    return cp + left;
  }
  private v2p(ext: number, length: number, depth: number): number | null {
    if (!this.has(ext, 8)) return this.trunc(PAY.P);
    this.v2name('p', ext);
    let left = length - 4;
    const text = ` #${this.u1(ext + 4)} protoid=${orId(PROTO_IDS, this.u1(ext + 5))} transform=${this.u1(ext + 7)} len=${length}`;
    this.s += text;
    let cp = ext + 8;
    const spi = this.u1(ext + 6);
    if (spi) {
      if (left < spi) {
        this.trunc(PAY.P);
        return cp + left;
      }
      if (!this.spi(cp, spi)) return this.trunc(PAY.P);
      cp += spi;
      left -= spi;
    }
    return this.v2items(PAY.T, cp, left, depth, PAY.P, (k, e, n) => this.v2t(k, e, n));
  }
  private v2sa(np: number, ext: number, depth: number): number | null {
    if (!this.has(ext, 4)) return this.trunc(np);
    this.v2name('sa', ext);
    const left = this.u2(ext + 2) - 4;
    this.s += ` len=${left}`;
    return this.v2items(PAY.P, ext + 4, left, depth, np, (_k, e, n, d) => this.v2p(e, n, d));
  }
  private v2ke(np: number, ext: number, n: number): number | null {
    if (!this.has(ext, 8)) return this.trunc(np);
    this.v2name(payloadName(np), ext);
    if (n < 8) {
      this.s += ` len=${n} < 8`;
      return ext + n;
    }
    const text = ` len=${n - 8} group=${orId(DH_GROUPS, this.u2(ext + 4))}`;
    this.s += text;
    if (!this.dump(ext + 8, n - 8, n > 8)) return this.trunc(np);
    return ext + n;
  }
  private v2id(np: number, ext: number, n: number): number | null {
    if (!this.has(ext, 8)) return this.trunc(np);
    this.v2name(payloadName(np), ext);
    this.s += ` len=${n - 4}`;
    if (!this.dump(ext + 4, n - 4, n > 4)) return this.trunc(np);
    const len = n - 8;
    const data = ext + 8;
    const type = this.u1(ext + 4);
    const label = ({ 1: 'ipv4', 2: 'fqdn', 3: 'rfc822', 5: 'ipv6', 9: 'dn', 10: 'gn', 11: 'keyid' } as Record<number, string>)[type];
    if (label === undefined) return ext + n;
    this.s += ` ${label}:`;
    if (type === 2 || type === 3) {
      if (!this.has(data, len)) return this.trunc(np);
      this.printable(data, len);
    } else if (!this.raw(data, len)) return this.trunc(np);
    return ext + n;
  }
  /** Bytes as ASCII, '.' for the unprintable. */
  private printable(p: number, n: number): void {
    for (let k = 0; k < n; k++) {
      const ch = this.b[p + k] ?? 0;
      this.s += ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : '.';
    }
  }
  private v2auth(np: number, ext: number, n: number): number | null {
    if (!this.has(ext, 8)) return this.trunc(np);
    this.v2name(payloadName(np), ext);
    const text = ` len=${n - 4} method=${orId(V2_AUTH, this.u1(ext + 4))}`;
    this.s += text;
    if (n > 4 && this.verbose > 1) {
      this.s += ' authdata=(';
      if (!this.raw(ext + 8, n - 8)) return this.trunc(np);
      this.s += ') ';
    } else if (n > 4 && this.verbose > 0 && !this.some(ext + 8)) return this.trunc(np);
    return ext + n;
  }
  private v2nonce(np: number, ext: number, n: number): number | null {
    if (!this.has(ext, 4)) return this.trunc(np);
    this.v2name('nonce', ext);
    this.s += ` len=${n - 4}`;
    if (this.verbose > 1 && n > 4) {
      this.s += ' nonce=(';
      if (!this.raw(ext + 4, n - 4)) return this.trunc(np);
      this.s += ') ';
    } else if (this.verbose > 0 && n > 4 && !this.some(ext + 4)) return this.trunc(np);
    return ext + n;
  }
  private v2n(ext: number, n: number): number | null {
    if (!this.has(ext, 8)) return this.trunc(PAY.N);
    this.v2name('n', ext);
    const text = ` prot_id=${orId(PROTO_IDS, this.u1(ext + 4))}`;
    this.s += text;
    const type = this.u2(ext + 6);
    const known = V2_NOTIFY[type];
    const name = known?.[0] ?? (type < 8192 ? 'error' : type < 16384 ? 'private-error' : type < 40960 ? 'status' : 'private-status');
    const show = known?.[1] ?? 1;
    this.s += ` type=${type}(${name})`;
    const spi = this.u1(ext + 5);
    if (show & 1 && spi && !this.spi(ext + 8, spi)) return this.trunc(PAY.N);
    const cp = ext + 8 + spi;
    if (cp < this.ep) {
      if (this.verbose > 3 || (show & 2 && this.ep - cp < 30)) {
        this.s += ' data=(';
        if (!this.raw(cp, this.ep - cp)) return this.trunc(PAY.N);
        this.s += ')';
      } else if (show & 2 && !this.some(cp)) return this.trunc(PAY.N);
    }
    return ext + n;
  }
  private v2vid(np: number, ext: number, n: number): number | null {
    if (!this.has(ext, 4)) return this.trunc(np);
    this.v2name(payloadName(np), ext);
    const len = n - 4;
    this.s += ` len=${len} vid=`;
    if (!this.has(ext + 4, len)) return this.trunc(np);
    this.printable(ext + 4, len);
    if (!this.dump(ext + 4, len, len > 4)) return this.trunc(np);
    return ext + n;
  }
  /** The encrypted payload: its length (the data in hex at -vvv); the walk ends here. */
  private v2e(np: number, ext: number, n: number): null {
    if (!this.has(ext, 4)) return this.trunc(np);
    this.v2name(payloadName(np), ext);
    const len = n - 4;
    this.s += ` len=${len}`;
    if (!this.dump(ext + 4, len, len > 4)) return this.trunc(np);
    if (!this.has(ext + 4, len)) return this.trunc(np);
    return null;
  }
}

/**
 * tcpdump's payload tree (-v) below the header; false when a read past the capture ended the text
 * with ` [|isakmp]` (and the length check that follows the tree is not printed).
 */
function printTree(c: Printer, v: IkeView): boolean {
  const t = new Tree(v.bytes, v.offset + v.length, c.opts.verbose, c);
  t.sub(v.majorVersion === 2, v.nextPayload, v.offset + IkeOffsets.headerLen, 0, 0);
  if (t.cut < 0) {
    c.s += t.s;
    return true;
  }
  c.s += t.s.slice(0, t.cut) + ' [|isakmp]';
  c.earlyEnd = true;
  return false;
}
