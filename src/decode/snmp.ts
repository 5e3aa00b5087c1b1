/**
 * SNMP v1 and v2c messages (RFC 1157, RFC 3416) in BER (X.690): the community, the PDU and its
 * variable bindings; SNMPv3 messages (RFC 3412) with the User-based Security Model's parameters
 * (RFC 3414) and the scoped PDU (encrypted ones shown as their octets).
 */
import { ByteView, DecodeStatus } from './status.js';
import { type Printer, hexBytes, latin1 } from './print.js';
import { hex2 } from './addr.js';

/** Offsets inside a message: BER gives no fixed layout, only the first tag (the message SEQUENCE). */
export const SnmpOffsets = { messageTag: 0 } as const;

/** BER identifier octets used by SNMP (X.690 section 8.1.2; RFC 2578 application types). */
export const SnmpTag = {
  INTEGER: 0x02, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30, IP_ADDRESS: 0x40, COUNTER32: 0x41, GAUGE32: 0x42,
  TIMETICKS: 0x43, OPAQUE: 0x44, COUNTER64: 0x46, NO_SUCH_OBJECT: 0x80, NO_SUCH_INSTANCE: 0x81, END_OF_MIB_VIEW: 0x82,
} as const;

/** PDU types (context-specific constructed tags 0xa0 + n). */
export const SnmpPdu = { GET: 0, GETNEXT: 1, RESPONSE: 2, SET: 3, TRAP: 4, GETBULK: 5, INFORM: 6, V2TRAP: 7, REPORT: 8 } as const;

const PDU_NAMES = ['GetRequest', 'GetNextRequest', 'GetResponse', 'SetRequest', 'Trap', 'GetBulk', 'Inform', 'V2Trap', 'Report'] as const;
const VERSIONS = ['SNMPv1', 'SNMPv2c', 'SNMPv2u', 'SNMPv3'] as const;
const ERRORS = [
  'noError', 'tooBig', 'noSuchName', 'badValue', 'readOnly', 'genErr', 'noAccess', 'wrongType', 'wrongLength', 'wrongEncoding', 'wrongValue',
  'noCreation', 'inconsistentValue', 'resourceUnavailable', 'commitFailed', 'undoFailed', 'authorizationError', 'notWritable', 'inconsistentName',
] as const;
const GENERIC_TRAPS = ['coldStart', 'warmStart', 'linkDown', 'linkUp', 'authenticationFailure', 'egpNeighborLoss', 'enterpriseSpecific'] as const;

/** One BER element header, read in place (module-level: the reader allocates nothing). */
const el = { tag: 0, start: 0, data: 0, len: 0, end: 0 };

/** The tag of the element last read (a call, so the compiler does not narrow it across `ber` calls). */
const elTag = (): number => el.tag;

/** Why the last `ber` call failed: 0 ok, 1 truncated, 2 malformed. */
let berError = 0;

/** What tcpdump's asn1_parse says of the last failed `ber` call (inside a message captured whole). */
let berWhy = '';

/** Reads the element header at p (before `end`) into `el`; false when it does not fit. */
function ber(b: Uint8Array, p: number, end: number): boolean {
  berError = 1;
  berWhy = p >= end ? '[nothing to parse]' : '[no asnlen]';
  if (p + 2 > end) return false;
  const tag = b[p] ?? 0;
  let q = p + 1;
  if ((tag & 0x1f) === 0x1f) {
    // multi-octet tag numbers: SNMP uses none, so they are malformed here
    berError = 2;
    return false;
  }
  let len = b[q++] ?? 0;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) {
      berError = 2;
      return false;
    }
    if (q + n > end) {
      berWhy = `[asnlen? ${end - q}<${n}]`;
      return false;
    }
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + (b[q++] ?? 0);
  }
  if (q + len > end) {
    berWhy = `[len${end - q}<asnlen${len}]`;
    return false;
  }
  el.tag = tag;
  el.start = p;
  el.data = q;
  el.len = len;
  el.end = q + len;
  berError = 0;
  return true;
}

/** Two's complement integer content (at most 4 octets kept, as tcpdump does). */
function berInt(b: Uint8Array, p: number, n: number): number {
  let v = n > 0 && (b[p] ?? 0) & 0x80 ? -1 : 0;
  for (let k = 0; k < n; k++) v = (v << 8) | (b[p + k] ?? 0);
  return v;
}

/** Unsigned integer content (Counter32, Gauge32, TimeTicks, Counter64) as decimal text. */
function berUnsigned(b: Uint8Array, p: number, n: number): string {
  if (n <= 6) {
    let x = 0;
    for (let k = 0; k < n; k++) x = x * 256 + (b[p + k] ?? 0);
    return String(x);
  }
  let v = 0n;
  for (let k = 0; k < n; k++) v = (v << 8n) | BigInt(b[p + k] ?? 0);
  return v.toString();
}

/** Object identifier content as `.1.3.6...`. */
function oidText(b: Uint8Array, p: number, n: number): string {
  let s = '';
  let o = 0;
  let first = true;
  for (let k = 0; k < n; k++) {
    const x = b[p + k] ?? 0;
    o = o * 128 + (x & 0x7f);
    if (x & 0x80) continue;
    if (first) {
      first = false;
      const top = Math.min(2, Math.floor(o / 40));
      s += `.${top}`;
      o -= top * 40;
    }
    s += `.${o}`;
    o = 0;
  }
  return s;
}

/** Zero-copy view of an SNMP message; `reset` walks the header elements once. */
export class SnmpView extends ByteView {
  /** Version field (0 v1, 1 v2c, 3 v3), -1 when not read. */
  version = -1;
  /** Community string start and length (v1/v2c). */
  communityOffset = 0;
  communityLen = 0;
  /** PDU type (0-8), -1 when not read. */
  pduType = -1;
  /** Start of the PDU element. */
  pduOffset = 0;
  /**
   * Points at an SNMP message and reads the message SEQUENCE, version, community and PDU tag;
   * Truncated when they are not all captured, Malformed when they are not SNMP's.
   * @example s.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.version = -1;
    this.pduType = -1;
    this.communityLen = 0;
    const b = bytes;
    const cap = offset + this.length;
    const fail = (): DecodeStatus => (this.status = berError === 2 ? DecodeStatus.Malformed : DecodeStatus.Truncated);
    if (!ber(b, offset, cap)) {
      // the message SEQUENCE may be cut by the capture: read on inside what was captured
      if (berError === 2 || offset + 2 > cap || b[offset] !== SnmpTag.SEQUENCE) return fail();
    } else if (elTag() !== SnmpTag.SEQUENCE) return (this.status = DecodeStatus.Malformed);
    const inner = this.contentStart(b, offset, cap);
    if (inner < 0 || !ber(b, inner, cap)) return fail();
    if (elTag() !== SnmpTag.INTEGER) return (this.status = DecodeStatus.Malformed);
    this.version = berInt(b, el.data, el.len);
    if (this.version !== 0 && this.version !== 1) return (this.status = DecodeStatus.Ok);
    if (!ber(b, el.end, cap)) return fail();
    if (elTag() !== SnmpTag.OCTET_STRING) return (this.status = DecodeStatus.Malformed);
    this.communityOffset = el.data;
    this.communityLen = el.len;
    const pdu = el.end;
    if (pdu + 1 > cap) return (this.status = DecodeStatus.Truncated);
    const t = b[pdu] ?? 0;
    if ((t & 0xe0) !== 0xa0) return (this.status = DecodeStatus.Malformed);
    this.pduType = t & 0x1f;
    this.pduOffset = pdu;
    return (this.status = DecodeStatus.Ok);
  }
  /** Start of the content of the element at p (its length octets skipped), or -1. */
  private contentStart(b: Uint8Array, p: number, cap: number): number {
    if (p + 2 > cap) return -1;
    const l = b[p + 1] ?? 0;
    const n = l & 0x80 ? l & 0x7f : 0;
    return p + 2 + n <= cap ? p + 2 + n : -1;
  }
}

/** One variable binding: the OID and the BER tag of its value. */
export interface SnmpVarbindRepr {
  oid: string;
  valueTag: number;
}

/** Parsed SNMP message. */
export interface SnmpRepr {
  version: number;
  community?: string;
  pduType?: number;
  requestId?: number;
  varbinds: SnmpVarbindRepr[];
  /** SNMPv3 msgGlobalData (RFC 3412 section 6). */
  msgId?: number;
  msgMaxSize?: number;
  msgFlags?: number;
  securityModel?: number;
  /** SNMPv3 USM security parameters (RFC 3414 section 2.4): the engine id in hex. */
  engineId?: string;
  engineBoots?: number;
  engineTime?: number;
  userName?: string;
  /** SNMPv3 scoped PDU, when not encrypted: the context engine id in hex, the context name. */
  contextEngineId?: string;
  contextName?: string;
}

/** Builds the sink representation: v1/v2c community, v3 header and USM parameters, and the PDU's type, request id and variable bindings captured whole. */
export function snmpRepr(v: SnmpView): SnmpRepr {
  const r: SnmpRepr = { version: v.version, varbinds: [] };
  const b = v.bytes;
  const cap = v.offset + v.length;
  if (v.version === 3) {
    v3Repr(r, b, v.offset, cap);
    return r;
  }
  if (v.pduType < 0) return r;
  r.community = latin1(b, v.communityOffset, v.communityOffset + v.communityLen);
  r.pduType = v.pduType;
  pduRepr(r, b, v.pduOffset, cap);
  return r;
}

/** The v3 fields of a message at `p` whose version is 3: each read while it is where RFC 3412 puts it. */
function v3Repr(r: SnmpRepr, b: Uint8Array, p: number, cap: number): void {
  if (!ber(b, p, cap)) return;
  const end = el.end;
  if (!ber(b, el.data, end) || !ber(b, el.end, end) || elTag() !== SnmpTag.SEQUENCE) return;
  const g = el.end;
  const int = (): boolean => ber(b, el.end, g) && elTag() === SnmpTag.INTEGER;
  el.end = el.data;
  if (!int()) return;
  r.msgId = berInt(b, el.data, el.len);
  if (!int()) return;
  r.msgMaxSize = berInt(b, el.data, el.len);
  if (!ber(b, el.end, g) || elTag() !== SnmpTag.OCTET_STRING || el.len !== 1) return;
  r.msgFlags = b[el.data] ?? 0;
  if (!int()) return;
  r.securityModel = berInt(b, el.data, el.len);
  if (!ber(b, g, end) || elTag() !== SnmpTag.OCTET_STRING) return;
  const scoped = el.end;
  if (r.securityModel === 3 && ber(b, el.data, el.end) && elTag() === SnmpTag.SEQUENCE) {
    const u = el.end;
    if (ber(b, el.data, u) && elTag() === SnmpTag.OCTET_STRING) {
      r.engineId = hexBytes(b, el.data, el.len);
      if (ber(b, el.end, u) && elTag() === SnmpTag.INTEGER) r.engineBoots = berInt(b, el.data, el.len);
      if (r.engineBoots !== undefined && ber(b, el.end, u) && elTag() === SnmpTag.INTEGER) r.engineTime = berInt(b, el.data, el.len);
      if (r.engineTime !== undefined && ber(b, el.end, u) && elTag() === SnmpTag.OCTET_STRING) r.userName = latin1(b, el.data, el.end);
    }
  }
  if (!ber(b, scoped, end) || elTag() !== SnmpTag.SEQUENCE) return;
  const e = el.end;
  if (!ber(b, el.data, e) || elTag() !== SnmpTag.OCTET_STRING) return;
  r.contextEngineId = hexBytes(b, el.data, el.len);
  if (!ber(b, el.end, e) || elTag() !== SnmpTag.OCTET_STRING) return;
  r.contextName = latin1(b, el.data, el.end);
  if (el.end < e && ((b[el.end] ?? 0) & 0xe0) === 0xa0) {
    r.pduType = (b[el.end] ?? 0) & 0x1f;
    pduRepr(r, b, el.end, e);
  }
}

/** The PDU at `p`: its request id and variable bindings (a v1 trap: its bindings). */
function pduRepr(r: SnmpRepr, b: Uint8Array, p: number, cap: number): void {
  if (!ber(b, p, cap)) return;
  p = el.data;
  const pend = el.end;
  if (r.pduType === SnmpPdu.TRAP) {
    // enterprise, agent-addr, generic-trap, specific-trap, time-stamp
    for (let k = 0; k < 5; k++) {
      if (!ber(b, p, pend)) return;
      p = el.end;
    }
  } else {
    if (!ber(b, p, pend) || elTag() !== SnmpTag.INTEGER) return;
    r.requestId = berInt(b, el.data, el.len);
    p = el.end;
    for (let k = 0; k < 2; k++) {
      if (!ber(b, p, pend)) return;
      p = el.end;
    }
  }
  if (!ber(b, p, pend) || elTag() !== SnmpTag.SEQUENCE) return;
  const lend = el.end;
  for (let q = el.data; q < lend; ) {
    if (!ber(b, q, lend) || elTag() !== SnmpTag.SEQUENCE) break;
    const next = el.end;
    const vend = el.end;
    if (!ber(b, el.data, vend) || elTag() !== SnmpTag.OID) break;
    const oid = oidText(b, el.data, el.len).slice(1);
    if (!ber(b, el.end, vend)) break;
    r.varbinds.push({ oid, valueTag: elTag() });
    q = next;
  }
}

/** tcpdump's SNMP text: community (when not `public`), PDU, request fields and variable bindings; -v adds braces, version and request id. */
export function printSnmp(c: Printer, v: SnmpView, _i: number, len: number): void {
  const b = v.bytes;
  const vb = c.opts.verbose > 0;
  c.s += ' ';
  const cap = v.offset + v.length;
  // the message SEQUENCE spans the datagram: any cut ends the decoding at its first element
  if (len > v.length) {
    c.s += ' [|snmp]';
    return;
  }
  if (v.version < 0) {
    const read = ber(b, v.offset, cap);
    if (read && v.status === DecodeStatus.Malformed) {
      c.s += elTag() !== SnmpTag.SEQUENCE ? '[!init SEQ]' : '[version!=INT]';
      if (elTag() === SnmpTag.SEQUENCE) ber(b, v.offset + (el.data - el.start), cap);
      printValue(c, b);
    } else if (!read && berError === 1) {
      // the message is captured whole (checked above): its first element claims more than it holds
      c.s += berWhy;
    } else c.s += '[|snmp]';
    return;
  }
  if (v.version > 3 || v.version === 2) {
    c.s += `SNMP [version = ${v.version}]`;
    return;
  }
  if (vb) c.s += `{ ${VERSIONS[v.version]} `;
  if (v.version === 3) {
    // the message SEQUENCE, then the version: the v3 header follows it
    ber(b, v.offset, cap);
    const end = el.end;
    ber(b, el.data, end);
    printV3(c, b, el.end, end);
    if (vb) c.s += '} ';
    return;
  }
  if (v.pduType < 0) {
    c.s += v.status === DecodeStatus.Truncated ? '[|snmp]' : '[no PDU]';
    return;
  }
  if (v.communityLen !== 6 || !isPublic(b, v.communityOffset)) {
    c.s += 'C=';
    ber(b, v.communityOffset - 2, cap);
    printValue(c, b);
    c.s += ' ';
  }
  printPduElement(c, b, v.pduOffset, cap, v.version);
  if (vb) c.s += '} ';
}

/** tcpdump's pdu_print: the PDU element at `p` (the last of its message, which ends at `end`). */
function printPduElement(c: Printer, b: Uint8Array, p: number, end: number, version: number): void {
  if (!ber(b, p, end)) {
    c.s += berWhy;
    return;
  }
  if ((elTag() & 0xe0) !== 0xa0) {
    c.s += '[no PDU]';
    return;
  }
  const t = elTag() & 0x1f;
  if (el.end < end) c.s += `[${end - el.end} extra after PDU]`;
  if (c.opts.verbose > 0) c.s += '{ ';
  c.s += `${PDU_NAMES[t] ?? `[BE_PDU ${t}]`}(${el.len}) `;
  if (version === 0 && t >= SnmpPdu.GETBULK) {
    c.s += '[v2 PDU in v1 message]';
    return;
  }
  if (version === 1 && t === SnmpPdu.TRAP) {
    c.s += '[v1 PDU in v2 message]';
    return;
  }
  // tcpdump closes the brace whether or not the PDU's fields were all as expected
  if (t === SnmpPdu.TRAP) printTrap(c, b, el.data, el.end);
  else printPdu(c, b, t, el.data, el.end);
  if (c.opts.verbose > 0) c.s += ' } ';
}

/** tcpdump's v3msg_print: msgGlobalData, the USM parameters and the scoped PDU, from `p` (after the version) to `end`. */
function printV3(c: Printer, b: Uint8Array, p: number, end: number): void {
  const vb = c.opts.verbose > 0;
  if (!expect(c, b, p, end, SnmpTag.SEQUENCE, '!message')) return;
  const g = el.end;
  if (vb) c.s += '{ ';
  if (!expect(c, b, el.data, g, SnmpTag.INTEGER, 'msgID!=INT') || !expect(c, b, el.end, g, SnmpTag.INTEGER, 'msgMaxSize!=INT')) return;
  if (!expect(c, b, el.end, g, SnmpTag.OCTET_STRING, 'msgFlags!=STR')) return;
  if (el.len !== 1) {
    c.s += `[msgFlags size ${el.len}]`;
    return;
  }
  const flags = b[el.data] ?? 0;
  // RFC 3412 7.2 step 5: privacy without authentication is invalid
  if (flags > 7 || (flags & 3) === 2) {
    c.s += `[msgFlags=0x${hex2(flags).toUpperCase()}]`;
    return;
  }
  c.s += `F=${flags & 1 ? 'a' : ''}${flags & 2 ? 'p' : ''}${flags & 4 ? 'r' : ''} `;
  if (!expect(c, b, el.end, g, SnmpTag.INTEGER, 'msgSecurityModel!=INT')) return;
  const model = berInt(b, el.data, el.len);
  extraAfter(c, g, 'message SEQ');
  if (vb) c.s += '} ';
  if (model !== 3) {
    c.s += `[security model ${model}]`;
    return;
  }
  if (vb) c.s += '{ USM ';
  // tcpdump reads on from the security model's end, so anything left in msgGlobalData comes next
  if (!expect(c, b, el.end, end, SnmpTag.OCTET_STRING, 'msgSecurityParameters!=STR')) return;
  const scoped = el.end;
  printUsm(c, b, el.data, el.end);
  if (vb) c.s += '} { ScopedPDU ';
  printScoped(c, b, scoped, end);
  if (vb) c.s += '} ';
}

/**
 * tcpdump's `[N extra after ...]`: its N is what is left after the element just read, less that
 * element's size, and it is printed only when positive.
 */
function extraAfter(c: Printer, end: number, what: string): void {
  const left = end - el.end;
  const size = el.end - el.start;
  if (size < left) c.s += `[${left - size} extra after ${what}]`;
}

/** tcpdump's usm_print: the USM security parameters (RFC 3414 section 2.4) inside [p, end). */
function printUsm(c: Printer, b: Uint8Array, p: number, end: number): void {
  if (!expect(c, b, p, end, SnmpTag.SEQUENCE, '!usm')) return;
  const u = el.end;
  if (!expect(c, b, el.data, u, SnmpTag.OCTET_STRING, 'msgAuthoritativeEngineID!=STR')) return;
  if (!expect(c, b, el.end, u, SnmpTag.INTEGER, 'msgAuthoritativeEngineBoots!=INT')) return;
  if (c.opts.verbose > 0) c.s += `B=${berInt(b, el.data, el.len)} `;
  if (!expect(c, b, el.end, u, SnmpTag.INTEGER, 'msgAuthoritativeEngineTime!=INT')) return;
  if (c.opts.verbose > 0) c.s += `T=${berInt(b, el.data, el.len)} `;
  if (!expect(c, b, el.end, u, SnmpTag.OCTET_STRING, 'msgUserName!=STR')) return;
  c.s += 'U=';
  printValue(c, b);
  c.s += ' ';
  if (!expect(c, b, el.end, u, SnmpTag.OCTET_STRING, 'msgAuthenticationParameters!=STR')) return;
  if (!expect(c, b, el.end, u, SnmpTag.OCTET_STRING, 'msgPrivacyParameters!=STR')) return;
  extraAfter(c, u, 'usm SEQ');
}

/** tcpdump's scopedpdu_print: context engine id and name, then the PDU (an encrypted one is not a SEQUENCE). */
function printScoped(c: Printer, b: Uint8Array, p: number, end: number): void {
  if (!expect(c, b, p, end, SnmpTag.SEQUENCE, '!scoped PDU')) return;
  const e = el.end;
  if (!expect(c, b, el.data, e, SnmpTag.OCTET_STRING, 'contextEngineID!=STR')) return;
  c.s += 'E=';
  for (let k = el.data; k < el.end; k++) c.s += `_${hex2(b[k] ?? 0)}`;
  c.s += ' ';
  if (!expect(c, b, el.end, e, SnmpTag.OCTET_STRING, 'contextName!=STR')) return;
  c.s += 'C=';
  printValue(c, b);
  c.s += ' ';
  printPduElement(c, b, el.end, e, 3);
}

function isPublic(b: Uint8Array, p: number): boolean {
  return b[p] === 0x70 && b[p + 1] === 0x75 && b[p + 2] === 0x62 && b[p + 3] === 0x6c && b[p + 4] === 0x69 && b[p + 5] === 0x63;
}

/** Reads the next element into `el`, printing tcpdump's marker and returning false when it is missing or not `tag`. */
function expect(c: Printer, b: Uint8Array, p: number, end: number, tag: number, what: string): boolean {
  if (!ber(b, p, end)) {
    c.s += berWhy;
    return false;
  }
  if (elTag() !== tag) {
    c.s += `[${what}]`;
    printValue(c, b);
    return false;
  }
  return true;
}

/** Request, response, bulk, inform, v2 trap and report PDUs (RFC 3416 section 3). */
function printPdu(c: Printer, b: Uint8Array, t: number, p: number, end: number): boolean {
  const vb = c.opts.verbose > 0;
  const isReq = t === SnmpPdu.GET || t === SnmpPdu.GETNEXT || t === SnmpPdu.SET || t === SnmpPdu.INFORM || t === SnmpPdu.V2TRAP || t === SnmpPdu.REPORT;
  if (!expect(c, b, p, end, SnmpTag.INTEGER, 'reqId!=INT')) return false;
  if (vb) c.s += `R=${berInt(b, el.data, el.len)} `;
  if (!expect(c, b, el.end, end, SnmpTag.INTEGER, 'errorStatus!=INT')) return false;
  const status = berInt(b, el.data, el.len);
  const errName = (e: number): string => ERRORS[e] ?? `err=${e}`;
  if (isReq && status !== 0) c.s += `[errorStatus(${errName(status)})!=0]`;
  else if (t === SnmpPdu.GETBULK) c.s += ` N=${status}`;
  else if (status !== 0) c.s += ` ${errName(status)}`;
  if (!expect(c, b, el.end, end, SnmpTag.INTEGER, 'errorIndex!=INT')) return false;
  const index = berInt(b, el.data, el.len);
  if (isReq && index !== 0) c.s += `[errorIndex(${index})!=0]`;
  else if (t === SnmpPdu.GETBULK) c.s += ` M=${index}`;
  else if (index !== 0) c.s += status === 0 ? `[errorIndex(${index}) w/o errorStatus]` : `@${index}`;
  else if (status !== 0) c.s += '[errorIndex==0]';
  return printVarbinds(c, b, t, el.end, end);
}

/** SNMPv1 Trap-PDU (RFC 1157 section 4.1.6). */
function printTrap(c: Printer, b: Uint8Array, p: number, end: number): boolean {
  if (!expect(c, b, p, end, SnmpTag.OID, 'enterprise!=OID')) return false;
  c.s += ` ${oidText(b, el.data, el.len)} `;
  if (!expect(c, b, el.end, end, SnmpTag.IP_ADDRESS, 'agent-addr!=INETADDR')) return false;
  printValue(c, b);
  if (!expect(c, b, el.end, end, SnmpTag.INTEGER, 'generic-trap!=INT')) return false;
  const generic = berInt(b, el.data, el.len);
  c.s += ` ${GENERIC_TRAPS[generic] ?? `gt=${generic}`}`;
  if (!expect(c, b, el.end, end, SnmpTag.INTEGER, 'specific-trap!=INT')) return false;
  const specific = berInt(b, el.data, el.len);
  if (generic !== 6) {
    if (specific !== 0) c.s += `[specific-trap(${specific})!=0]`;
  } else c.s += ` s=${specific}`;
  c.s += ' ';
  if (!expect(c, b, el.end, end, SnmpTag.TIMETICKS, 'time-stamp!=TIMETICKS')) return false;
  printValue(c, b);
  return printVarbinds(c, b, SnmpPdu.TRAP, el.end, end);
}

/** The variable-bindings list: ` OID` for requests, ` OID=value` otherwise. */
function printVarbinds(c: Printer, b: Uint8Array, t: number, p: number, end: number): boolean {
  const req = t === SnmpPdu.GET || t === SnmpPdu.GETNEXT || t === SnmpPdu.GETBULK;
  if (!expect(c, b, p, end, SnmpTag.SEQUENCE, '!SEQ of varbind')) return false;
  const lend = el.end;
  for (let q = el.data; q < lend; ) {
    c.s += ' ';
    if (!expect(c, b, q, lend, SnmpTag.SEQUENCE, '!varbind')) return false;
    const next = el.end;
    if (!expect(c, b, el.data, next, SnmpTag.OID, 'objName!=OID')) return false;
    c.s += oidText(b, el.data, el.len);
    if (!req) c.s += '=';
    if (!ber(b, el.end, next)) {
      c.s += berWhy;
      return false;
    }
    if (elTag() !== SnmpTag.NULL) {
      if (req) c.s += '[objVal!=NULL]';
      printValue(c, b);
    }
    q = next;
  }
  return true;
}

/** tcpdump's asn1_print of the element in `el`. */
function printValue(c: Printer, b: Uint8Array): void {
  const { data, len } = el;
  const tag = el.tag;
  switch (tag) {
    case SnmpTag.INTEGER:
      c.s += String(berInt(b, data, len));
      return;
    case SnmpTag.OPAQUE:
      // tcpdump has no Opaque printer: form/class/type, then the octets
      c.s += '[P/A/Opaque]';
      for (let k = 0; k < len; k++) c.s += '_' + hex2(b[data + k] ?? 0);
      return;
    case SnmpTag.OCTET_STRING: {
      let printable = true;
      for (let k = 0; k < len && printable; k++) {
        const ch = b[data + k] ?? 0;
        printable = ch >= 0x20 && ch < 0x7f;
      }
      if (printable) {
        c.s += '"';
        for (let k = 0; k < len; k++) c.s += String.fromCharCode(b[data + k] ?? 0);
        c.s += '"';
      } else for (let k = 0; k < len; k++) c.s += (k ? '_' : '') + hex2(b[data + k] ?? 0);
      return;
    }
    case SnmpTag.OID:
      c.s += oidText(b, data, len);
      return;
    case SnmpTag.NULL:
      return;
    case SnmpTag.IP_ADDRESS:
      if (len === 4) c.s += `${b[data]}.${b[data + 1]}.${b[data + 2]}.${b[data + 3]}`;
      else c.s += `[inetaddr len!=4]`;
      return;
    case SnmpTag.COUNTER32:
    case SnmpTag.GAUGE32:
    case SnmpTag.TIMETICKS:
    case SnmpTag.COUNTER64:
      c.s += berUnsigned(b, data, len);
      return;
    case SnmpTag.NO_SUCH_OBJECT:
      c.s += '[noSuchObject]';
      return;
    case SnmpTag.NO_SUCH_INSTANCE:
      c.s += '[noSuchInstance]';
      return;
    case SnmpTag.END_OF_MIB_VIEW:
      c.s += '[endOfMibView]';
      return;
    case SnmpTag.SEQUENCE:
      c.s += `Seq(${len})`;
      return;
    default:
      c.s += `[BE_? tag 0x${tag.toString(16)}]`;
  }
}
