/**
 * ARCNET (ANSI/ATA 878.1): LINKTYPE_ARCNET_BSD (7, RFC 1201 headers: source, destination, type, and
 * for the newer types a fragmentation flag and sequence id, with the exception form of flag 0xff)
 * and LINKTYPE_ARCNET_LINUX (129, Linux's header with a 2-byte offset field after the addresses).
 */
import { ByteView, DecodeStatus, u16 } from './status.js';
import { hexAsciiDump, type Printer, wireFrom } from './print.js';
import { hex2 } from './addr.js';

/** ARCNET protocol types (RFC 1201 and the older RFC 1051 ones). */
export const ArcType = {
  IP_OLD: 240, ARP_OLD: 241, IP: 212, ARP: 213, REVARP: 214, ATALK: 221, BANIAN: 247, IPX: 250, INET6: 0xc4, DIAGNOSE: 0x80,
} as const;

const ARC_NAMES: Readonly<Record<number, string>> = {
  240: 'oldip', 241: 'oldarp', 212: 'ip', 213: 'arp', 214: 'rarp', 221: 'atalk', 247: 'banyan', 250: 'ipx', 0xc4: 'ipv6', 0x80: 'diag',
};

/** Types carried with the short (RFC 1051) header: no flag or sequence id. */
function shortHeader(t: number): boolean {
  return t === ArcType.IP_OLD || t === ArcType.ARP_OLD || t === ArcType.DIAGNOSE;
}

/** Zero-copy view of an ARCNET header, parsed once at reset. */
export class ArcnetView extends ByteView {
  /** True for LINKTYPE_ARCNET_LINUX. */
  linux = false;
  /** Protocol type. */
  type = 0;
  /** RFC 1201 header present (flag and sequence id). */
  phds = false;
  /** Fragmentation flag (0 for an unfragmented packet). */
  flag = 0;
  /** Sequence id. */
  seqid = 0;
  /** Header bytes before the payload. */
  headerLen = 0;
  /** On a truncated header: what tcpdump names the missing part (' phds', ' phds extended') or ''. */
  missing = '';
  /**
   * Parses the header; Truncated when it is cut.
   * @example arc.reset(bytes, 0, bytes.length, false);
   */
  reset(bytes: Uint8Array, offset: number, length: number, linux = false): DecodeStatus {
    this.point(bytes, offset, length);
    this.linux = linux;
    this.flag = 0;
    this.seqid = 0;
    this.missing = '';
    this.phds = false;
    this.headerLen = 0;
    const b = bytes;
    const o = offset;
    const n = this.length;
    const typeAt = linux ? 4 : 2;
    if (n < (linux ? 5 : 3)) {
      this.type = 0;
      this.status = DecodeStatus.Truncated;
      return this.status;
    }
    this.type = b[o + typeAt] ?? 0;
    this.status = DecodeStatus.Ok;
    if (linux) {
      this.headerLen = shortHeader(this.type) ? 5 : 8;
      if (n < this.headerLen) this.status = DecodeStatus.Truncated;
      return this.status;
    }
    if (shortHeader(this.type)) {
      this.headerLen = 3;
      return this.status;
    }
    this.phds = true;
    if (n < 6) {
      this.missing = ' phds';
      this.status = DecodeStatus.Truncated;
      return this.status;
    }
    this.flag = b[o + 3] ?? 0;
    if (this.flag === 0xff) {
      if (n < 10) {
        this.missing = ' phds extended';
        this.status = DecodeStatus.Truncated;
        return this.status;
      }
      this.flag = b[o + 7] ?? 0;
      this.seqid = u16(b, o + 8);
      this.headerLen = 10;
    } else {
      this.seqid = u16(b, o + 4);
      this.headerLen = 6;
    }
    return this.status;
  }
  /** Source station id. */
  get src(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Destination station id (0 broadcast). */
  get dst(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** True for a later fragment, which carries no protocol header of its own. */
  get laterFragment(): boolean {
    return this.phds && this.flag !== 0 && (this.flag & 1) === 0;
  }
}

/** Parsed ARCNET header. */
export interface ArcnetRepr {
  src: number;
  dst: number;
  type: number;
  /** Linux header: the offset field. */
  offset?: number;
  flag?: number;
  seqid?: number;
}

/** Builds the sink representation. */
export function arcnetRepr(v: ArcnetView): ArcnetRepr {
  const r: ArcnetRepr = { src: v.src, dst: v.dst, type: v.type };
  if (v.linux) r.offset = u16(v.bytes, v.offset + 2);
  if (v.phds && v.status === DecodeStatus.Ok) {
    r.flag = v.flag;
    r.seqid = v.seqid;
  }
  return r;
}

/** arcnet_print: the -e header text. */
function headerText(c: Printer, v: ArcnetView, length: number, phds: boolean): string {
  const ids = `${hex2(v.src)} ${hex2(v.dst)}`;
  if (c.opts.quiet) return `${ids} ${length}: `;
  // tcpdump reads the type at byte 2 for both headers: in Linux's that is the offset field's low byte
  const t = v.bytes[v.offset + 2] ?? 0;
  const name = ARC_NAMES[t] ?? hex2(t);
  if (!phds) return `${ids} ${name} ${length}: `;
  const seq = v.seqid.toString(16).padStart(4, '0');
  if (v.flag === 0) return `${ids} ${name} seqid ${seq} ${length}: `;
  if (v.flag & 1) return `${ids} ${name} seqid ${seq} (first of ${Math.floor((v.flag + 3) / 2)} fragments) ${length}: `;
  return `${ids} ${name} seqid ${seq} (fragment ${Math.floor(v.flag / 2) + 1}) ${length}: `;
}

/** tcpdump's ARCNET text: -e the header, then the IP, IPv6 or ARP packet (or a hex dump). */
export function printArcnet(c: Printer, v: ArcnetView, i: number): void {
  const trunc = v.linux ? ' [|arcnet_linux]' : ' [|arcnet]';
  const length = wireFrom(c, v.offset);
  if (v.status !== DecodeStatus.Ok) {
    if (v.missing) c.s += headerText(c, v, length, false) + v.missing;
    c.s += trunc;
    return;
  }
  if (c.opts.linkHeader) c.s += headerText(c, v, length, v.phds);
  if (v.laterFragment) return;
  const p = c.parser;
  if (i + 1 < p.count) {
    c.network(i + 1, 0);
    return;
  }
  const q = v.offset + v.headerLen;
  const capEnd = c.pkt.offset + c.pkt.capLen;
  switch (v.type) {
    case ArcType.IP: case ArcType.IP_OLD:
      c.s += ' [|ip]';
      return;
    case ArcType.INET6:
      c.s += ' [|ip6]';
      return;
    case ArcType.ARP: case ArcType.ARP_OLD: case ArcType.REVARP:
      c.s += ' [|arp]';
      return;
    default:
      c.s += hexAsciiDump(v.bytes, q, Math.max(0, capEnd - q));
  }
}
