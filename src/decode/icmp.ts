/** ICMP for IPv4 (RFC 792, RFC 1256 router discovery). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { type Printer, cksumShouldBe, hex4, hex8, longjmpCut, pad2 } from './print.js';
import { ipv4Text } from './addr.js';
import { Ipv4View, onesSum } from './ipv4.js';
import { ipFragmented } from './ip.js';
import { jsonKeys, type JsonWriter } from './json-writer.js';

/** Field offsets of the 8-byte header. */
export const IcmpOffsets = { type: 0, code: 1, checksum: 2, id: 4, seq: 6, rest: 4, headerLen: 8 } as const;

/** Message types. */
export const IcmpType = {
  ECHO_REPLY: 0, UNREACH: 3, SOURCE_QUENCH: 4, REDIRECT: 5, ECHO: 8, ROUTER_ADVERT: 9, ROUTER_SOLICIT: 10,
  TIME_EXCEEDED: 11, PARAM_PROBLEM: 12, TIMESTAMP: 13, TIMESTAMP_REPLY: 14, INFO_REQUEST: 15, INFO_REPLY: 16,
  MASK_REQUEST: 17, MASK_REPLY: 18,
} as const;

/** Zero-copy view of an ICMP message. */
export class IcmpView extends ByteView {
  /**
   * Points at an ICMP header; Truncated below 8 bytes (type and code stay readable from 2).
   * @example icmp.reset(bytes, 34, bytes.length - 34);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < IcmpOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Type. */
  get type(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Code. */
  get code(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + IcmpOffsets.checksum);
  }
  /** Identifier (echo, timestamp). */
  get id(): number {
    return u16(this.bytes, this.offset + IcmpOffsets.id);
  }
  /** Sequence (echo, timestamp). */
  get seq(): number {
    return u16(this.bytes, this.offset + IcmpOffsets.seq);
  }
  /** True for error messages, which quote the offending IP header after 8 bytes. */
  get isError(): boolean {
    const t = this.type;
    return t === 3 || t === 4 || t === 5 || t === 11 || t === 12;
  }
  /** Offset of the quoted packet (errors) or data. */
  get payloadOffset(): number {
    return this.offset + IcmpOffsets.headerLen;
  }
}

/** Parsed ICMP header. */
export interface IcmpRepr {
  type: number;
  code: number;
  checksum: number;
  id?: number;
  seq?: number;
}

/** Builds the sink representation. */
export function icmpRepr(v: IcmpView): IcmpRepr {
  const r: IcmpRepr = { type: v.type, code: v.code, checksum: v.checksum };
  if ((v.type === 0 || v.type === 8) && v.length >= 8) {
    r.id = v.id;
    r.seq = v.seq;
  }
  return r;
}

const ICMP_UNREACH = [
  'net %s unreachable', 'host %s unreachable', '%s protocol %p unreachable', '%s port %p unreachable',
  '%s unreachable - need to frag', '%s unreachable - source route failed', 'net %s unreachable - unknown',
  'host %s unreachable - unknown', 'host %s unreachable - isolated', 'net %s unreachable - admin prohibited',
  'host %s unreachable - admin prohibited', 'net %s unreachable - tos prohibited', 'host %s unreachable - tos prohibited',
  'host %s unreachable - admin prohibited filter', 'host %s unreachable - host precedence violation',
  'host %s unreachable - precedence cutoff',
];
const ICMP_TYPES: Readonly<Record<number, string>> = {
  0: 'echo reply', 3: 'destination unreachable', 4: 'source quench', 5: 'redirect', 8: 'echo request',
  9: 'router advertisement', 10: 'router solicitation', 11: 'time exceeded', 12: 'parameter problem',
  13: 'time stamp request', 14: 'time stamp reply', 15: 'information request', 16: 'information reply',
  17: 'address mask request', 18: 'address mask reply',
};

/** The header quoted by an error, re-pointed per packet (printing is synchronous, so one is enough). */
const quoteIp4 = new Ipv4View();

function tsText(ms: number): string {
  const h = Math.floor(ms / 3600000);
  const m = Math.floor(ms / 60000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const f = ms % 1000;
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}.${String(f).padStart(3, '0')}`;
}

/** tcpdump's ICMP text; at -v the quoted datagram of an error and the checksum verdict. */
export function printIcmp(c: Printer, v: IcmpView, _i: number, len: number): void {
  const ipIdx = c.ipIdx;
  const b = v.bytes;
  // tcpdump's reads of the type, code and the first fields end the packet there (its -x dump then covers the whole frame)
  if (v.length < 8) {
    longjmpCut(c, 'icmp');
    return;
  }
  const t = v.type;
  const code = v.code;
  let text: string;
  const quote = (): string | null => {
    // the quoted datagram: destination and the protocol/port where tcpdump shows them
    const q = quoteIp4;
    if (q.reset(b, v.offset + 8, v.length - 8) === DecodeStatus.Truncated && q.length < 20) return null;
    return ipv4Text(b, q.dstOffset);
  };
  switch (t) {
    case 0:
    case 8:
      if (v.length < 8) {
        c.s += ' [|icmp]';
        return;
      }
      text = `${t === 0 ? 'echo reply' : 'echo request'}, id ${v.id}, seq ${v.seq}`;
      break;
    case 3: {
      const dst = quote();
      if (dst === null) {
        c.s += ' [|icmp]';
        return;
      }
      if (code === 3 || code === 2) {
        const q = quoteIp4;
        const pr = q.proto;
        if (code === 2) text = `${dst} protocol ${pr} unreachable`;
        else {
          const po = q.offset + q.headerLen;
          if (po + 4 > v.offset + v.length) {
            c.s += ' [|icmp]';
            return;
          }
          const port = u16(b, po + 2);
          text = pr === 6 ? `${dst} tcp port ${port} unreachable` : pr === 17 ? `${dst} udp port ${port} unreachable` : `${dst} protocol ${pr} port ${port} unreachable`;
        }
      } else if (code === 4) {
        const mtu = u16(b, v.offset + 6);
        text = mtu ? `${dst} unreachable - need to frag (mtu ${mtu})` : `${dst} unreachable - need to frag`;
      } else {
        const f = ICMP_UNREACH[code];
        text = f !== undefined ? f.replace('%s', dst) : `${dst} unreachable - #${code}`;
      }
      break;
    }
    case 5: {
      const dst = quote();
      if (dst === null) {
        c.s += ' [|icmp]';
        return;
      }
      const gw = ipv4Text(b, v.offset + 4);
      const kinds = ['net', 'host', 'tos-net', 'tos-host'];
      text = `redirect ${dst} to ${kinds[code] !== undefined ? kinds[code] + ' ' : ''}${gw}`;
      if (kinds[code] === undefined) text = `redirect-#${code} ${dst} to ${gw}`;
      break;
    }
    case 11:
      text = code === 0 ? 'time exceeded in-transit' : code === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${code}`;
      break;
    case 12:
      text = code === 0 ? `parameter problem - octet ${b[v.offset + 4] ?? 0}` : `parameter problem code ${code}`;
      break;
    case 13:
    case 14:
      text = `time stamp ${t === 13 ? 'query' : 'reply'} id ${v.id} seq ${v.seq}`;
      if (t === 14 && v.length >= 20) text += `: org ${tsText(u32(b, v.offset + 8))}, recv ${tsText(u32(b, v.offset + 12))}, xmit ${tsText(u32(b, v.offset + 16))}`;
      break;
    case 9: {
      const n = b[v.offset + 4] ?? 0;
      const sz = b[v.offset + 5] ?? 0;
      text = `router advertisement lifetime ${u16(b, v.offset + 6)}`;
      if (sz === 2 && n > 0) {
        let q = v.offset + 8;
        const parts: string[] = [];
        for (let k = 0; k < n && q + 8 <= v.offset + v.length; k++, q += 8) parts.push(`{${ipv4Text(b, q)} ${u32(b, q + 4)}}`);
        text += ` ${n}: ${parts.join(' ')}`;
      }
      break;
    }
    case 10:
      text = 'router solicitation';
      break;
    case 4:
      text = 'source quench';
      break;
    case 15:
    case 16:
      text = t === 15 ? 'information request' : 'information reply';
      break;
    case 17:
      text = `address mask request`;
      break;
    case 18:
      text = `address mask is 0x${hex8(u32(b, v.offset + 8))}`;
      break;
    default:
      text = ICMP_TYPES[t] ?? `type-#${t}`;
  }
  c.s += `ICMP ${text}, length ${len}`;
  if (c.opts.verbose > 0 && v.isError && v.length > 8) c.quotedIp(v.offset + 8, v.length - 8);
  if (c.opts.verbose > 0 && !ipFragmented(c.parser, ipIdx) && len <= v.length) {
    if (onesSum(b, v.offset, len, 0) !== 0xffff) c.s += ` (wrong icmp cksum ${v.checksum.toString(16)} (->${hex4(cksumShouldBe(v.checksum, onesSum(b, v.offset, len, 0)))})!)`;
  }
}

/** The keys and punctuation the `icmp` and `icmpv6` writers share, encoded once. */
const ICMP_JSON = jsonKeys({
  type: '{"type":',
  code: ',"code":',
  checksum: ',"checksum":',
  id: ',"id":',
  seq: ',"seq":',
});

/** The fields `icmp` and `icmpv6` open with: type, code and checksum. */
export function writeIcmpHeaderJson(w: JsonWriter, type: number, code: number, checksum: number): void {
  w.key(ICMP_JSON.type, type);
  w.key(ICMP_JSON.code, code);
  w.key(ICMP_JSON.checksum, checksum);
}

/** An echo request's or reply's identifier and sequence number. */
export function writeIcmpEchoJson(w: JsonWriter, id: number, seq: number): void {
  w.key(ICMP_JSON.id, id);
  w.key(ICMP_JSON.seq, seq);
}

/** The schema's `icmp` object (= `JSON.stringify(icmpRepr(v))`), written straight into `w`. */
export function writeIcmpJson(w: JsonWriter, v: IcmpView): void {
  writeIcmpHeaderJson(w, v.type, v.code, v.checksum);
  if ((v.type === 0 || v.type === 8) && v.length >= 8) writeIcmpEchoJson(w, v.id, v.seq);
  w.raw('}');
}
