/**
 * Frame Relay (LINKTYPE_FRELAY 107): the Q.922 address (2 to 4 bytes, ITU-T Q.922 3.3: DLCI, C/R,
 * FECN, BECN, DE), the UI control byte, an optional pad and the NLPID of RFC 2427 multiprotocol
 * encapsulation, or Cisco's EtherType after the address; and the Q.933 Annex A / ANSI T1.617 Annex D
 * link management messages (NLPID 0x08) tcpdump prints.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { type Printer, flagNames, hex4, hex8, hexAsciiDump, hexDump, longjmpCut, safeChar, wireFrom } from './print.js';
import { hex2 } from './addr.js';
import { ETHERTYPE_NAMES } from './ethertype.js';
import { snapHeaderText } from './llc.js';
import { NETWORK_LAYER } from './layers.js';
import { NLPID_NAMES, Nlpid } from './nlpid.js';


/** The Q.922 address's flag bits as tcpdump packs them. */
export const FrFlag = { CR: 0x02000000, DE: 0x00020000, BECN: 0x00040000, FECN: 0x00080000, SDLC: 0x00000002 } as const;

/** FRF.15 / FRF.16 fragment header bits: begin, end, control (and, in FRF.15, the interface fragmentation bit). */
export const FrfFlag = { B: 0x80, E: 0x40, C: 0x20, INTERFACE: 0x01 } as const;

/** What the header holds after the address: RFC 2427 NLPID, or a Cisco EtherType. */
export const FrEncap = { NLPID: 0, ETHERTYPE: 1, INVALID: 2 } as const;

/**
 * EtherTypes read as Cisco's encapsulation after the address (tcpdump takes any its ethertype_print
 * decodes; these are the ones tscap decodes): IPv4, IPv6, ARP, MPLS, RARP, DECnet, AppleTalk, AARP, IPX.
 */
const CISCO_ETHERTYPES: readonly number[] = [0x0800, 0x86dd, 0x0806, 0x8847, 0x8848, 0x8035, 0x6003, 0x809b, 0x80f3, 0x8137];

/** Zero-copy view of a Frame Relay header, parsed once at reset. */
export class FrelayView extends ByteView {
  /** Q.922 address length (2..4). */
  addrLen = 0;
  /** DLCI. */
  dlci = 0;
  /** Flag bits (FrFlag). */
  flags = 0;
  /** One of FrEncap. */
  encap: number = FrEncap.NLPID;
  /** True when a pad byte sits between control and NLPID. */
  pad = false;
  /** NLPID (or EtherType for the Cisco encapsulation). */
  nlpid = 0;
  /** Bytes before the payload. */
  headerLen = 0;
  /** A control byte other than UI on a DLCI other than 0, not followed by a known EtherType. */
  notUi = false;
  /**
   * Parses the address, control, pad and NLPID; Truncated when they are cut, Malformed for an address
   * with its extension bit set in the first byte or longer than 4 bytes.
   * @example fr.reset(bytes, 0, bytes.length);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.addrLen = 0;
    this.dlci = 0;
    this.flags = 0;
    this.pad = false;
    this.nlpid = 0;
    this.headerLen = 0;
    this.notUi = false;
    this.encap = FrEncap.NLPID;
    this.status = this.parse();
    return this.status;
  }

  private parse(): DecodeStatus {
    const b = this.bytes;
    const o = this.offset;
    const n = this.length;
    if (n < 1) return DecodeStatus.Truncated;
    const a0 = b[o] ?? 0;
    if (a0 & 1) {
      this.encap = FrEncap.INVALID;
      return DecodeStatus.Malformed;
    }
    if (n < 2) return DecodeStatus.Truncated;
    const a1 = b[o + 1] ?? 0;
    this.addrLen = 2;
    this.dlci = ((a0 & 0xfc) << 2) | ((a1 & 0xf0) >> 4);
    this.flags = ((a0 & 0x02) << 24) | ((a1 & 0x0e) << 16);
    if ((a1 & 1) === 0) {
      if (n < 3) return DecodeStatus.Truncated;
      this.addrLen = 3;
      let q = o + 2;
      if (((b[q] ?? 0) & 1) === 0) {
        this.dlci = (this.dlci << 7) | ((b[q] ?? 0) >> 1);
        this.addrLen = 4;
        q++;
        if (n < 4) return DecodeStatus.Truncated;
      }
      const last = b[q] ?? 0;
      if ((last & 1) === 0) {
        this.encap = FrEncap.INVALID;
        return DecodeStatus.Malformed;
      }
      this.flags |= last & 0x02;
      this.dlci = (this.dlci << 6) | (last >> 2);
    }
    const al = this.addrLen;
    if (n < al + 1) return DecodeStatus.Truncated;
    if (b[o + al] !== 0x03 && this.dlci !== 0 && n >= al + 2) {
      // Cisco encapsulation: an EtherType right after the address
      const t = u16(b, o + al);
      if (CISCO_ETHERTYPES.includes(t)) {
        this.encap = FrEncap.ETHERTYPE;
        this.nlpid = t;
        this.headerLen = al + 2;
        return DecodeStatus.Ok;
      }
      this.notUi = true;
    }
    if (n < al + 2) return DecodeStatus.Truncated;
    this.pad = b[o + al + 1] === 0;
    this.headerLen = al + (this.pad ? 3 : 2);
    if (n < this.headerLen) return DecodeStatus.Truncated;
    this.nlpid = b[o + this.headerLen - 1] ?? 0;
    return DecodeStatus.Ok;
  }
}

/** Parsed Frame Relay header. */
export interface FrelayRepr {
  dlci: number;
  addrLen: number;
  cr: boolean;
  fecn: boolean;
  becn: boolean;
  de: boolean;
  /** NLPID (RFC 2427 encapsulation). */
  nlpid?: number;
  /** EtherType (Cisco encapsulation). */
  etherType?: number;
  /** FRF.15 fragmentation header (NLPID 0xb1). */
  frf15?: { seq: number; begin: boolean; end: boolean; control: boolean; interface: boolean };
}

/** Builds the sink representation. */
export function frelayRepr(v: FrelayView): FrelayRepr {
  const f = v.flags;
  const r: FrelayRepr = { dlci: v.dlci, addrLen: v.addrLen, cr: (f & FrFlag.CR) !== 0, fecn: (f & FrFlag.FECN) !== 0, becn: (f & FrFlag.BECN) !== 0, de: (f & FrFlag.DE) !== 0 };
  if (v.status === DecodeStatus.Ok) {
    if (v.encap === FrEncap.ETHERTYPE) r.etherType = v.nlpid;
    else r.nlpid = v.nlpid;
    const q = v.offset + v.headerLen;
    if (v.encap === FrEncap.NLPID && v.nlpid === Nlpid.MFR && q + 2 <= v.offset + v.length) {
      const b0 = v.bytes[q] ?? 0;
      r.frf15 = { seq: frf15Seq(v.bytes, q), begin: (b0 & FrfFlag.B) !== 0, end: (b0 & FrfFlag.E) !== 0, control: (b0 & FrfFlag.C) !== 0, interface: (b0 & FrfFlag.INTERFACE) !== 0 };
    }
  }
  return r;
}

function flagText(f: number): string {
  const parts: string[] = [];
  if (f & FrFlag.CR) parts.push('C!');
  if (f & FrFlag.DE) parts.push('DE');
  if (f & FrFlag.BECN) parts.push('BECN');
  if (f & FrFlag.FECN) parts.push('FECN');
  if (f & FrFlag.SDLC) parts.push('sdlcore');
  return parts.length ? parts.join(', ') : 'none';
}

/** fr_hdr_print: the Q.922 header as tcpdump shows it with -e (or before an undecoded payload). */
function header(c: Printer, v: FrelayView, length: number, addrLen: number): string {
  if (c.opts.quiet) return `Q.922, DLCI ${v.dlci}, length ${length}: `;
  const id = v.encap === FrEncap.ETHERTYPE
    ? `cisco-ethertype ${ETHERTYPE_NAMES[v.nlpid] || 'unknown'} (0x${hex4(v.nlpid)})`
    : `NLPID ${NLPID_NAMES[v.nlpid] ?? 'unknown'} (0x${hex2(v.nlpid)})`;
  return `Q.922, hdr-len ${addrLen}, DLCI ${v.dlci}, Flags [${flagText(v.flags)}], ${id}, length ${length}: `;
}


/** tcpdump's Frame Relay text (fr_if_print / fr_print). */
export function printFrelay(c: Printer, v: FrelayView, i: number): void {
  const p = c.parser;
  const length = wireFrom(c, v.offset);
  // fr_if_print's check; inside an FRF.16 fragment fr_print runs without it
  if (i === 0 && c.pkt.capLen < 4) {
    c.s += ' [|fr]';
    return;
  }
  // fr_print returns a link header length of 0 for these: as the link layer, -x and -X then dump the
  // whole frame (after an FRF.16 header, mfr_print's length counts instead)
  if (v.encap === FrEncap.INVALID) {
    c.s += 'Q.922, invalid address';
    if (i === 0) c.earlyEnd = true;
    return;
  }
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|fr]';
    if (i === 0) c.earlyEnd = true;
    return;
  }
  const e = c.opts.linkHeader;
  if (v.encap === FrEncap.ETHERTYPE) {
    if (e) c.s += header(c, v, length, v.addrLen);
    if (i + 1 < p.count) c.network(i + 1, v.nlpid);
    else c.unknownEtherType(v.nlpid, v.offset + v.headerLen);
    return;
  }
  if (v.notUi) c.s += `UI ${hex2(v.bytes[v.offset + v.addrLen] ?? 0)}! `;
  if (v.pad && v.addrLen !== 3) c.s += 'Pad! ';
  if (!v.pad && v.addrLen === 3) c.s += 'No pad! ';
  if (e) c.s += header(c, v, length, v.addrLen);
  const q = v.offset + v.headerLen;
  const rest = length - v.headerLen;
  const capEnd = c.pkt.offset + c.pkt.capLen;
  switch (v.nlpid) {
    case Nlpid.IP: case Nlpid.IP6: case Nlpid.PPP: case Nlpid.Q933:
      if (i + 1 < p.count) c.network(i + 1, 0);
      else c.s += v.nlpid === Nlpid.IP ? ' [|ip]' : v.nlpid === Nlpid.IP6 ? ' [|ip6]' : ' [|fr]';
      return;
    case Nlpid.CLNP: case Nlpid.ESIS: case Nlpid.ISIS:
      if (i + 1 < p.count) c.network(i + 1, 0);
      else c.s += ' [|isoclns]';
      return;
    case Nlpid.MFR:
      printFrf15(c, v, rest);
      return;
    case Nlpid.SNAP: {
      if (q + 5 > capEnd || rest < 5) {
        c.s += ' [|snap]';
        return;
      }
      const b = v.bytes;
      const oui = ((b[q] ?? 0) << 16) | ((b[q + 1] ?? 0) << 8) | (b[q + 2] ?? 0);
      const t = u16(b, q + 3);
      if (e) c.s += `${snapHeaderText(oui, t)}, length ${rest - 5}: `;
      if (i + 1 < p.count) {
        if (oui === 0 || NETWORK_LAYER[p.kinds[i + 1]!]) c.network(i + 1, t);
        else c.layer(i + 1, rest - 5);
        return;
      }
      // snap_print names the SNAP header it could not decode, then the Q.922 header and the frame follow
      if (!e) c.s += `SNAP, ${oui === 0 ? `ethertype ${ETHERTYPE_NAMES[t] || 'Unknown'} (0x${hex4(t)})` : snapHeaderText(oui, t)}, length ${rest - 5}: ${header(c, v, length, v.headerLen)}`;
      // tcpdump's default print, which -x and -X (not -A) suppress
      if (!c.opts.hex && !c.opts.hexAscii) defaultDump(c, v.offset, length);
      return;
    }
    default:
      if (!e) c.s += header(c, v, length, v.addrLen);
      if (!c.opts.hex) defaultDump(c, q, rest);
  }
}

const FRAG_FLAGS: ReadonlyArray<readonly [number, string]> = [[FrfFlag.B, 'Begin'], [FrfFlag.E, 'End'], [FrfFlag.C, 'Control']];

/** frf15_print: the 2-byte FRF.15 fragmentation header after NLPID 0xb1 (the fragment itself is not decoded). */
function printFrf15(c: Printer, v: FrelayView, rest: number): void {
  const q = v.offset + v.headerLen;
  if (rest < 2) {
    c.s += ' [|fr]';
    return;
  }
  if (q + 2 > c.pkt.offset + c.pkt.capLen) return longjmpCut(c, 'fr');
  const b0 = v.bytes[q] ?? 0;
  const flags = flagNames(FRAG_FLAGS, b0);
  c.s += `FRF.15, seq 0x${frf15Seq(v.bytes, q).toString(16).padStart(3, '0')}, Flags [${flags}],${b0 & 1 ? 'Interface' : 'End-to-End'} Fragmentation, length ${rest}`;
}

/** The 12-bit sequence number of an FRF.15 / FRF.16 fragment header: 4 bits of the first byte, 8 of the second. */
function frf15Seq(b: Uint8Array, q: number): number {
  return (((b[q] ?? 0) & 0x1e) << 7) | (b[q + 1] ?? 0);
}

/** tcpdump's default print of `n` bytes at `q`: a hex and ASCII dump that longjmps out where the capture ends. */
function defaultDump(c: Printer, q: number, n: number): void {
  const have = Math.max(0, Math.min(n, c.pkt.offset + c.pkt.capLen - q));
  c.s += hexAsciiDump(c.parser.bytes, q, have);
  if (have < n) longjmpCut(c, 'fr');
}

// ------------------------------------------------------------------ Q.933 link management

const Q933_MSGS: Readonly<Record<number, string>> = {
  0x00: 'ESC to National', 0x01: 'Alert', 0x02: 'Call proceeding', 0x07: 'Connect', 0x0f: 'Connect ACK', 0x03: 'Progress', 0x05: 'Setup',
  0x45: 'Disconnect', 0x4d: 'Release', 0x5a: 'Release Complete', 0x46: 'Restart', 0x4e: 'Restart ACK', 0x7d: 'Status Reply', 0x75: 'Status Enquiry',
};
const Q933_IES: Readonly<Record<number, string>> = {
  0x01: 'ANSI Report Type', 0x19: 'ANSI Link Verify', 0x03: 'ANSI Link Verify', 0x07: 'ANSI PVC Status',
  0x51: 'CCITT Report Type', 0x53: 'CCITT Link Verify', 0x57: 'CCITT PVC Status',
};
const REPORT_TYPES = ['Full Status', 'Link verify', 'Async PVC Status'];

/** Zero-copy view of a Q.933 message (from the call reference length byte on). */
export class Q933View extends ByteView {
  /**
   * Points at the message; Truncated when it is empty.
   * @example q933.reset(bytes, 4, bytes.length - 4);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, 1);
  }
  /** Call reference length. */
  get callRefLength(): number {
    return (this.bytes[this.offset] ?? 0) & 0x0f;
  }
  /** Message type, or -1 when not captured. */
  get messageType(): number {
    const q = this.offset + 1 + this.callRefLength;
    return q < this.offset + this.length ? (this.bytes[q] ?? 0) : -1;
  }
}

/** One information element of a Q.933 message. */
export interface Q933IeRepr {
  codeset: number;
  id: number;
  length: number;
}

/** Parsed Q.933 message. */
export interface Q933Repr {
  callRefLength: number;
  messageType?: number;
  /** Locking shift to codeset 5 first: ANSI T1.617 Annex D. */
  ansi: boolean;
  ies: Q933IeRepr[];
  /** Link integrity verification: send and receive sequence numbers. */
  txSeq?: number;
  rxSeq?: number;
  /** Report type IE. */
  reportType?: number;
}

/** Builds the sink representation (IEs walked as far as captured). */
export function q933Repr(v: Q933View): Q933Repr {
  const b = v.bytes;
  const end = v.offset + v.length;
  const r: Q933Repr = { callRefLength: v.callRefLength, ansi: false, ies: [] };
  const mt = v.messageType;
  if (mt < 0) return r;
  r.messageType = mt;
  let q = v.offset + 2 + v.callRefLength;
  let codeset = 0;
  let unshift = 0;
  let nonLocking = 0;
  if (q < end && ((b[q] ?? 0) & 0xf0) === 0x90) {
    const ie = b[q] ?? 0;
    codeset = ie & 7;
    if ((ie & 8) === 0) r.ansi = codeset === 5;
    else nonLocking = 1;
    q++;
  }
  while (q < end && r.ies.length < 64) {
    if (nonLocking === 1) nonLocking = 2;
    else if (nonLocking === 2) {
      codeset = unshift;
      nonLocking = 0;
    }
    const ie = b[q++] ?? 0;
    if (ie & 0x80) {
      if ((ie & 0xf0) === 0x90) {
        if (ie & 8) {
          nonLocking = 1;
          unshift = codeset;
        } else nonLocking = 0;
        codeset = ie & 7;
      }
      continue;
    }
    if (q >= end) break;
    const len = b[q++] ?? 0;
    if (ie === 0 || len === 0 || q + len > end) break;
    r.ies.push({ codeset, id: ie, length: len });
    // the IEs of other codesets are not link management's, whatever their numbers
    if (codeset !== 0 && codeset !== 5) {
      q += len;
      continue;
    }
    if ((ie === 0x03 || ie === 0x53 || ie === 0x19) && len >= 2) {
      r.txSeq = b[q] ?? 0;
      r.rxSeq = b[q + 1] ?? 0;
    } else if ((ie === 0x01 || ie === 0x51) && len >= 1) r.reportType = b[q] ?? 0;
    q += len;
  }
  return r;
}

const pad3 = (n: number): string => String(n).padStart(3, ' ');

/** One known IE's text (codesets 0 and 5); false for IEs tcpdump does not decode. */
function q933Ie(c: Printer, ie: number, len: number, b: Uint8Array, q: number): boolean {
  const v = c.opts.verbose;
  switch (ie) {
    case 0x01: case 0x51:
      if (len < 1) {
        if (!v) c.s += ', ';
        c.s += 'Invalid REPORT TYPE IE';
        return true;
      }
      if (v) c.s += `${REPORT_TYPES[b[q] ?? 0] ?? 'unknown'} (${b[q] ?? 0})`;
      return true;
    case 0x03: case 0x53: case 0x19:
      if (!v) c.s += ', ';
      if (len < 2) {
        c.s += 'Invalid LINK VERIFY IE';
        return true;
      }
      c.s += `TX Seq: ${pad3(b[q] ?? 0)}, RX Seq: ${pad3(b[q + 1] ?? 0)}`;
      return true;
    case 0x07: case 0x57: {
      if (!v) c.s += ', ';
      const at = (k: number): number => b[q + k] ?? 0;
      if (len < 3 || at(0) & 0x80 || (len === 3 && !(at(1) & 0x80)) || (len === 4 && (at(1) & 0x80 || !(at(2) & 0x80))) ||
        (len === 5 && (at(1) & 0x80 || at(2) & 0x80 || !(at(3) & 0x80))) || len > 5 || !(at(len - 1) & 0x80)) {
        c.s += 'Invalid DLCI in PVC STATUS IE';
        return true;
      }
      let dlci = ((at(0) & 0x3f) << 4) | ((at(1) & 0x78) >> 3);
      if (len === 4) dlci = (dlci << 6) | ((at(2) & 0x7e) >> 1);
      else if (len === 5) dlci = (dlci << 13) | (at(2) & 0x7f) | ((at(3) & 0x7e) >> 1);
      const last = at(len - 1);
      c.s += `DLCI ${dlci}: status ${last & 0x8 ? 'New, ' : ''}${last & 0x2 ? 'Active' : 'Inactive'}`;
      return true;
    }
    default:
      return false;
  }
}

/** tcpdump's q933_print: dialect, codeset, call reference, message type, then the IEs. */
export function printQ933(c: Printer, v: Q933View): void {
  const e = c.opts.linkHeader;
  const verbose = c.opts.verbose;
  const b = v.bytes;
  const o = v.offset;
  const olen = wireFrom(c, o);
  const capEnd = c.pkt.offset + c.pkt.capLen;
  const has = (q: number): boolean => q < capEnd;
  if (!e) c.s += 'Q.933';
  const cut = (): void => {
    if (!e) c.s += ', ';
    c.s += `length ${olen} [|q.933]`;
  };
  if (olen === 0 || !has(o)) return cut();
  const crl = (b[o] ?? 0) & 0x0f;
  let q = o + 1;
  let length = olen - 1;
  for (let k = 0; k < crl; k++) {
    if (length === 0 || !has(q)) return cut();
    q++;
    length--;
  }
  const callRef = o + 1;
  if (length === 0 || !has(q)) return cut();
  const msg = b[q] ?? 0;
  q++;
  length--;
  let codeset = 0;
  let ansi = false;
  let nonLocking = 0;
  let unshift = 0;
  if (length !== 0) {
    if (!has(q)) return cut();
    const ie = b[q] ?? 0;
    if ((ie & 0xf0) === 0x90) {
      q++;
      length--;
      codeset = ie & 7;
      if ((ie & 8) === 0) ansi = codeset === 5;
      else {
        nonLocking = 1;
        unshift = 0;
      }
    }
  }
  if (!e) c.s += ', ';
  c.s += `${ansi ? 'ANSI' : 'CCITT'}, codeset ${codeset}`;
  if (crl !== 0 && (crl > 1 || b[q] !== 0)) {
    c.s += ', Call Ref: 0x';
    for (let k = 0; k < crl; k++) c.s += hex2(b[callRef + k] ?? 0);
  }
  if (verbose) c.s += `, ${Q933_MSGS[msg] ?? 'unknown message'} (0x${hex2(msg)}), length ${olen}`;
  else c.s += `, ${Q933_MSGS[msg] ?? `unknown message 0x${hex2(msg)}`}`;
  const trunc = (): void => {
    if (!verbose) c.s += `, length ${olen}`;
    c.s += ' [|q.933]';
  };
  while (length !== 0) {
    if (nonLocking === 1) nonLocking = 2;
    else if (nonLocking === 2) {
      codeset = unshift;
      nonLocking = 0;
    }
    if (!has(q)) return trunc();
    const ie = b[q] ?? 0;
    q++;
    length--;
    if (ie & 0x80) {
      if ((ie & 0xf0) === 0x90) {
        if ((ie & 8) === 0) nonLocking = 0;
        else {
          nonLocking = 1;
          unshift = codeset;
        }
        codeset = ie & 7;
      }
      continue;
    }
    if (length === 0 || !has(q)) return trunc();
    const iel = b[q] ?? 0;
    q++;
    length--;
    const known = codeset === 0 || codeset === 5;
    if (verbose) c.s += `\n\t${known ? Q933_IES[ie] ?? 'unknown' : 'unknown'} IE (0x${hex2(ie)}), length ${iel}: `;
    if (ie === 0 || iel === 0) return;
    if (length < iel || q + iel > capEnd) return trunc();
    const printed = known && q933Ie(c, ie, iel, b, q);
    if (printed) {
      if (verbose > 1) c.s += hexDump(b, q, iel, '\n\t  ');
    } else if (verbose >= 1) c.s += hexDump(b, q, iel, '\n\t');
    length -= iel;
    q += iel;
  }
  if (!verbose) c.s += `, length ${olen}`;
}

// ------------------------------------------------------------------ Cisco LMI (NLPID 0x09, DLCI 1023)

/** Zero-copy view of a Cisco ("gang of four") LMI message: call reference byte, message type, IEs. */
export class LmiView extends ByteView {
  /**
   * Points at the message (after the NLPID); Truncated when it is empty.
   * @example lmi.reset(bytes, 4, bytes.length - 4);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, 1);
  }
}

/** One PVC status IE of an LMI full status message. */
export interface LmiPvcRepr {
  dlci: number;
  new: boolean;
  active: boolean;
}

/** Parsed Cisco LMI message. */
export interface LmiRepr {
  /** The call reference byte (always 0). */
  callRef: number;
  messageType?: number;
  /** Information elements, in order (type and length of each). */
  ies: Array<{ id: number; length: number }>;
  /** Report type IE (0x01): 0 full status, 1 keepalive only. */
  reportType?: number;
  /** Keepalive IE (0x03): send and receive sequence numbers. */
  txSeq?: number;
  rxSeq?: number;
  /** PVC status IEs (0x07). */
  pvcs?: LmiPvcRepr[];
}

/** Builds the sink representation (IEs walked as far as captured and declared). */
export function lmiRepr(v: LmiView): LmiRepr {
  const b = v.bytes;
  const end = v.offset + v.length;
  const r: LmiRepr = { callRef: b[v.offset] ?? 0, ies: [] };
  if (v.length < 2) return r;
  r.messageType = b[v.offset + 1] ?? 0;
  let q = v.offset + 2;
  while (q + 2 <= end && r.ies.length < 64) {
    const id = b[q] ?? 0;
    const len = b[q + 1] ?? 0;
    q += 2;
    if (q + len > end) break;
    r.ies.push({ id, length: len });
    if (id === 0x01 && len >= 1) r.reportType = b[q] ?? 0;
    else if (id === 0x03 && len >= 2) {
      r.txSeq = b[q] ?? 0;
      r.rxSeq = b[q + 1] ?? 0;
    } else if (id === 0x07 && len >= 3) {
      const st = b[q + 2] ?? 0;
      (r.pvcs ??= []).push({ dlci: (((b[q] ?? 0) & 0x3f) << 4) | (((b[q + 1] ?? 0) & 0x78) >> 3), new: (st & 0x08) !== 0, active: (st & 0x02) !== 0 });
    }
    q += len;
  }
  return r;
}

/**
 * tcpdump has no LMI printer: the Frame Relay printer writes the Q.922 header and dumps the message
 * (`printFrelay`'s default case), so this layer adds nothing to the text.
 */
export function printLmi(_c: Printer, _v: LmiView): void {}

// ------------------------------------------------------------------ FRF.16 multilink Frame Relay (LINKTYPE_MFR 182)

const MFR_MSGS: Readonly<Record<number, string>> = {
  1: 'Add Link', 2: 'Add Link ACK', 3: 'Add Link Reject', 4: 'Hello', 5: 'Hello ACK', 6: 'Remove Link', 7: 'Remove Link ACK',
};
const MFR_IES: Readonly<Record<number, string>> = { 1: 'Bundle ID', 2: 'Link ID', 3: 'Magic Number', 5: 'Timestamp', 6: 'Vendor Extension', 7: 'Cause' };

/** Zero-copy view of an FRF.16 frame: a control message (flags B, E and C, then 0 and a message type) or a fragment. */
export class MfrView extends ByteView {
  /** Begin, end and control bits (FrfFlag). */
  flags = 0;
  /** A link integrity control message rather than a fragment. */
  control = false;
  /**
   * Reads the first two bytes; Truncated when they are cut.
   * @example mfr.reset(bytes, 0, bytes.length);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.flags = 0;
    this.control = false;
    const st = this.pointAtLeast(bytes, offset, length, 2);
    if (st !== DecodeStatus.Ok) return st;
    const b0 = bytes[offset] ?? 0;
    this.flags = b0 & 0xe0;
    this.control = this.flags === 0xe0 && bytes[offset + 1] === 0;
    return st;
  }
  /** A fragment that holds the start of a frame (B set, C clear): a Q.922 header follows its 2 bytes. */
  get firstFragment(): boolean {
    return !this.control && (this.flags === 0xc0 || this.flags === 0x80);
  }
}

/** One information element of an FRF.16 control message. */
export interface MfrIeRepr {
  type: number;
  /** The IE's length field (it counts its own 2 bytes). */
  length: number;
}

/** Parsed FRF.16 frame. */
export interface MfrRepr {
  control: boolean;
  begin: boolean;
  end: boolean;
  /** Control message type (1 Add Link ... 7 Remove Link ACK). */
  messageType?: number;
  ies?: MfrIeRepr[];
  /** Magic Number IE. */
  magic?: number;
  /** Fragment sequence number (12 bits). */
  seq?: number;
}

/** Builds the sink representation. */
export function mfrRepr(v: MfrView): MfrRepr {
  const b = v.bytes;
  const o = v.offset;
  const r: MfrRepr = { control: v.control, begin: (v.flags & FrfFlag.B) !== 0, end: (v.flags & FrfFlag.E) !== 0 };
  if (v.status !== DecodeStatus.Ok) return r;
  if (!v.control) {
    r.seq = frf15Seq(b, o);
    return r;
  }
  if (v.length < 3) return r;
  r.messageType = b[o + 2] ?? 0;
  r.ies = [];
  const end = o + v.length;
  for (let q = o + 3; q + 2 <= end && r.ies.length < 64;) {
    const type = b[q] ?? 0;
    const len = b[q + 1] ?? 0;
    if (type === 0 || len <= 2 || q + len > end) break;
    r.ies.push({ type, length: len });
    if (type === 3 && len === 6) r.magic = u32(b, q + 2);
    q += len;
  }
  return r;
}

/**
 * Walks a control message's IEs as tcpdump's mfr_print does (its remaining length is unsigned and may
 * wrap), calling `each` for every IE; returns false where a read would pass the capture (` [|mfr]`).
 */
function walkMfrIes(b: Uint8Array, q: number, tlen: number, capEnd: number, each?: (type: number, len: number, q: number) => boolean): boolean {
  while (tlen > 2) {
    if (q + 2 > capEnd) return false;
    const type = b[q] ?? 0;
    const len = b[q + 1] ?? 0;
    if (each && !each(type, len, q)) return true;
    if (type === 0 || len <= 2) return true;
    if (q + len > capEnd) return false;
    tlen = (tlen - len) >>> 0;
    q += len;
  }
  return true;
}

/** tcpdump's mfr_print: a control message with its IEs at -v, or a fragment (the first one's Frame Relay frame follows). */
export function printMfr(c: Printer, v: MfrView, i: number): void {
  const b = v.bytes;
  const o = v.offset;
  const length = wireFrom(c, o);
  const capEnd = c.pkt.offset + c.pkt.capLen;
  if (c.pkt.capLen < 2) {
    c.s += ' [|mfr]';
    return;
  }
  if (length < 4) {
    c.s += `[length ${length} < 4] (invalid)`;
    return;
  }
  if (o + 4 > capEnd) {
    c.s += ' [|mfr]';
    return;
  }
  const flags = flagNames(FRAG_FLAGS, v.flags);
  if (v.control) {
    const mt = b[o + 2] ?? 0;
    c.s += `FRF.16 Control, Flags [${flags}], ${MFR_MSGS[mt] ?? `Unknown Message (0x${hex2(mt)})`}, length ${length}`;
    if (!c.opts.verbose) return;
    const verbose = c.opts.verbose;
    const dump = (q: number, n: number): void => {
      c.s += hexDump(b, q, Math.max(0, Math.min(n, capEnd - q)), '\n\t  ');
    };
    const whole = walkMfrIes(b, o + 3, length - 3, capEnd, (type, len, q) => {
      c.s += `\n\tIE ${MFR_IES[type] ?? 'Unknown'} (${type}), length ${len}: `;
      if (type === 0 || len <= 2 || q + len > capEnd) return true;
      const d = q + 2;
      const n = len - 2;
      if (type === 3) {
        if (n !== 4) c.s += `[IE data length ${n} != 4] (invalid)`;
        else c.s += `0x${hex8(u32(b, d))}`;
      } else if (type === 1 || type === 2) {
        for (let k = 0; k < n && k < 50 && b[d + k] !== 0; k++) c.s += safeChar(b[d + k] ?? 0);
      } else if (type === 5 && n === 16) c.s += timevalText(c, b, d);
      else if (verbose <= 1) dump(d, n);
      if (verbose > 1) dump(d, n);
      return true;
    });
    if (!whole) c.s += ' [|mfr]';
    return;
  }
  c.s += `FRF.16 Frag, seq ${frf15Seq(b, o)}, Flags [${flags}]`;
  if (v.firstFragment) {
    c.s += ', ';
    if (i + 1 < c.parser.count) c.layer(i + 1, length - 2);
    return;
  }
  c.s += hexDump(b, o, Math.max(0, Math.min(length, capEnd - o)), '\n\t');
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A Timestamp IE of 16 bytes: tcpdump reads it as its host's `struct timeval` (two 64-bit little-endian
 * words on x86-64) and prints it with ts_print, as it prints a packet's time at the -t level in force
 * (-ttt: the time since the packet's own; -ttttt measures from the first packet's, which the printer
 * does not know, and tcpdump's next -ttt line from this time: neither is followed).
 */
function timevalText(c: Printer, b: Uint8Array, d: number): string {
  const le32 = (q: number): number => ((b[q] ?? 0) | ((b[q + 1] ?? 0) << 8) | ((b[q + 2] ?? 0) << 16) | ((b[q + 3] ?? 0) << 24)) >>> 0;
  const lo = le32(d);
  const sec = le32(d + 4) * 0x100000000 + lo;
  const usec = le32(d + 8);
  const digits = c.opts.nano ? 9 : 6;
  const frac = `.${String(usec).padStart(digits, '0')}`;
  const t = c.opts.timeFormat;
  if (t === 1) return '';
  if (t === 3 || t === 5) {
    // netdissect_timevalsub against the packet's time, in the capture's precision
    const unit = c.opts.nano ? 1e9 : 1e6;
    const ps = c.pkt.tsSec;
    const pf = c.opts.nano ? c.pkt.tsNsec : Math.floor(c.pkt.tsNsec / 1000);
    const neg = sec < ps || (sec === ps && usec < pf);
    let ds = neg ? ps - sec : sec - ps;
    let df = neg ? pf - usec : usec - pf;
    if (df < 0) {
      ds--;
      df += unit;
    }
    const s = ds % 86400;
    if (ds >= 0x80000000) return `${neg ? '-' : ' '}[Error converting time] `;
    return `${neg ? '-' : ' '}${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}.${String(df).padStart(digits, '0')} `;
  }
  if (lo & 0x80000000) return '[Error converting time] ';
  if (t === 2) return `${lo}${frac} `;
  const date = new Date(sec * 1000);
  if (Number.isNaN(date.getTime())) return '[Error converting time] ';
  const day = t === 4 ? `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ` : '';
  return `${day}${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}${frac} `;
}

/**
 * The link header length tcpdump's mfr_if_print counts (what -x and -X leave out): the frame's length
 * when it is short or cut in its IEs, 3 for a control message, 2 before a first fragment's Q.922
 * header, none for a later fragment (dumped whole).
 */
export function mfrHeaderBytes(v: MfrView, verbose: number, wireLen: number, capLen: number): number {
  if (capLen < 2) return capLen;
  const o = v.offset;
  if (wireLen < 4 || capLen < 4) return wireLen;
  if (v.control) return !verbose || walkMfrIes(v.bytes, o + 3, wireLen - 3, o + capLen) ? 3 : wireLen;
  return v.firstFragment ? 2 : 0;
}
