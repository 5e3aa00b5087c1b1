/** ICMPv6 (RFC 4443), neighbour discovery (RFC 4861) and MLD (RFC 2710, RFC 3810). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { ipv6Text, macText } from './addr.js';
import { type Printer, cksumShouldBe, hex4, hexDump, hexDumpText } from './print.js';
import { Ipv6View } from './ipv6.js';
import { ipFragmented, l4Sum } from './ip.js';
import { printGroupRecords } from './igmp.js';
import { writeIcmpEchoJson, writeIcmpHeaderJson } from './icmp.js';
import { jsonKeys, type JsonWriter } from './json-writer.js';

/** Field offsets of the header and of the ND target / MLD group address. */
export const Icmpv6Offsets = { type: 0, code: 1, checksum: 2, id: 4, seq: 6, ndTarget: 8, mldGroup: 8, headerLen: 8 } as const;

/** Message types. */
export const Icmpv6Type = {
  DEST_UNREACH: 1, PACKET_TOO_BIG: 2, TIME_EXCEEDED: 3, PARAM_PROBLEM: 4, ECHO_REQUEST: 128, ECHO_REPLY: 129,
  MLD_QUERY: 130, MLD_REPORT: 131, MLD_DONE: 132, ROUTER_SOLICIT: 133, ROUTER_ADVERT: 134, NEIGHBOR_SOLICIT: 135,
  NEIGHBOR_ADVERT: 136, REDIRECT: 137, MLD2_REPORT: 143,
} as const;

/** Zero-copy view of an ICMPv6 message. */
export class Icmpv6View extends ByteView {
  /**
   * Points at an ICMPv6 message; Truncated below 4 bytes.
   * @example icmp6.reset(bytes, 54, bytes.length - 54);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < 4 ? DecodeStatus.Truncated : DecodeStatus.Ok;
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
    return u16(this.bytes, this.offset + 2);
  }
  /** Echo identifier. */
  get id(): number {
    return u16(this.bytes, this.offset + 4);
  }
  /** Echo sequence. */
  get seq(): number {
    return u16(this.bytes, this.offset + 6);
  }
  /** True when an ND target (NS, NA, redirect) was captured. */
  get hasTarget(): boolean {
    const t = this.type;
    return (t === 135 || t === 136 || t === 137) && this.length >= 24;
  }
}

/** Parsed ICMPv6 header. */
export interface Icmpv6Repr {
  type: number;
  code: number;
  checksum: number;
  id?: number;
  seq?: number;
  target?: string;
}

/** Builds the sink representation. */
export function icmpv6Repr(v: Icmpv6View): Icmpv6Repr {
  const r: Icmpv6Repr = { type: v.type, code: v.code, checksum: v.checksum };
  if ((v.type === 128 || v.type === 129) && v.length >= 8) {
    r.id = v.id;
    r.seq = v.seq;
  }
  if ((v.type === 135 || v.type === 136) && v.length >= 24) r.target = ipv6Text(v.bytes, v.offset + Icmpv6Offsets.ndTarget);
  return r;
}

const ICMP6_TYPES: Readonly<Record<number, string>> = {
  1: 'destination unreachable', 2: 'packet too big', 3: 'time exceeded', 4: 'parameter problem', 128: 'echo request',
  129: 'echo reply', 130: 'multicast listener query', 131: 'multicast listener report', 132: 'multicast listener done',
  133: 'router solicitation', 134: 'router advertisement', 135: 'neighbor solicitation', 136: 'neighbor advertisement',
  137: 'redirect', 138: 'router renumbering', 139: 'node information query', 140: 'node information reply',
  141: 'inverse neighbor discovery solicitation', 142: 'inverse neighbor discovery advertisement',
  143: 'multicast listener report v2', 144: 'ha discovery request', 145: 'ha discovery reply',
  146: 'mobile router solicitation', 147: 'mobile router advertisement', 151: 'multicast router advertisement',
  152: 'multicast router solicitation', 153: 'multicast router termination', 200: 'mtrace response', 201: 'mtrace message',
  155: 'RPL',
};
const ND_OPT_NAMES: Readonly<Record<number, string>> = {
  1: 'source link-address option', 2: 'destination link-address option', 3: 'prefix info option', 4: 'redirected header option',
  5: 'mtu option', 7: 'advertisement interval option', 8: 'homeagent information option', 24: 'route info option', 25: 'rdnss option',
  31: 'dnssl option',
};

/** The header quoted by an error, re-pointed per packet. */
const quoteIp6 = new Ipv6View();

function prefixFlags(f: number): string {
  const parts: string[] = [];
  if (f & 0x80) parts.push('onlink');
  if (f & 0x40) parts.push('auto');
  if (f & 0x20) parts.push('router');
  return parts.length ? parts.join(', ') : 'none';
}

function lifetime(t: number): string {
  return t === 0xffffffff ? 'infinity' : `${t}s`;
}

/** tcpdump's ICMPv6 text, with neighbor discovery options and MLD records at -v. */
export function printIcmpv6(c: Printer, v: Icmpv6View, _i: number, len: number): void {
  const ipIdx = c.ipIdx;
  const p = c.parser;
  const b = v.bytes;
  const o = c.opts;
  if (v.length < 1) {
    c.s += ' [|icmp6]';
    return;
  }
  if (o.verbose > 0 && v.length >= len && !ipFragmented(p, ipIdx)) {
    const sum = l4Sum(p, ipIdx, 58, v.offset, len);
    if (sum === 0xffff) c.s += '[icmp6 sum ok] ';
    else c.s += `[bad icmp6 cksum 0x${hex4(v.checksum)} -> 0x${hex4(cksumShouldBe(v.checksum, sum))}!] `;
  }
  const t = v.type;
  const code = v.code;
  const end = v.offset + v.length;
  c.s += 'ICMP6, ';
  const name = ICMP6_TYPES[t];
  switch (t) {
    case 128:
    case 129:
      if (v.length < 8) {
        c.s += `${name} [|icmp6]`;
        return;
      }
      c.s += `${name}, id ${v.id}, seq ${v.seq}`;
      // at -v tcpdump leaves the length out of echo messages
      if (o.verbose > 0) return;
      break;
    case 1: {
      c.s += `destination unreachable, `;
      const q = quoteIp6;
      if (v.length < 8 + 40 || q.reset(b, v.offset + 8, v.length - 8) !== DecodeStatus.Ok) {
        c.s += (['unreachable route', 'unreachable prohibited', 'beyond scope', 'unreachable address', 'unreachable port'][code] ?? '') + ' [|icmp6]';
        return;
      }
      const dst = ipv6Text(b, q.dstOffset);
      if (code === 4) {
        const po = q.upperOffset;
        if (po + 4 > end) {
          c.s += ' [|icmp6]';
          return;
        }
        const pr = q.upperProto;
        const port = u16(b, po + 2);
        c.s += `unreachable port, ${dst} ${pr === 6 ? 'tcp' : pr === 17 ? 'udp' : `protocol ${pr}`} port ${port}`;
      } else if (code === 3) c.s += `unreachable address ${dst}`;
      else if (code === 0) c.s += `unreachable route ${dst}`;
      else if (code === 1) c.s += `unreachable prohibited ${dst}`;
      else if (code === 2) c.s += `beyond scope of source address ${ipv6Text(b, q.srcOffset)}`;
      else c.s += `unknown unreach code (${code})`;
      // at -v tcpdump leaves the length out of the error messages
      if (o.verbose > 0) return;
      break;
    }
    case 2:
      if (v.length < 8) {
        c.s += `packet too big [|icmp6]`;
        return;
      }
      c.s += `packet too big, mtu ${u32(b, v.offset + 4)}`;
      if (o.verbose > 0) return;
      break;
    case 3: {
      const q = quoteIp6;
      if (v.length < 48 || q.reset(b, v.offset + 8, v.length - 8) !== DecodeStatus.Ok) {
        c.s += 'time exceeded [|icmp6]';
        return;
      }
      const dst = ipv6Text(b, q.dstOffset);
      c.s += code === 0 ? `time exceeded in-transit for ${dst}` : code === 1 ? `time exceeded in-transit for ${dst}` : `time exceeded unknown code (${code})`;
      if (o.verbose > 0) return;
      break;
    }
    case 4: {
      // tcpdump first checks that the quoted packet's destination address was captured
      if (v.length < 48) {
        c.s += 'parameter problem [|icmp6]';
        return;
      }
      // RFC 4443 codes 0-2 and RFC 7112's code 3 carry a pointer; later codes are printed by number
      const what = ['erroneous', 'next header', 'option', 'incomplete header chain'][code];
      c.s += `parameter problem, ${what !== undefined ? `${what} - octet ${u32(b, v.offset + 4)}` : `code-#${code}`}`;
      if (o.verbose > 0) return;
      break;
    }
    case 135:
      if (v.length < 24) {
        c.s += 'neighbor solicitation [|icmp6]';
        return;
      }
      if (o.verbose > 0) c.s += `neighbor solicitation, length ${len}, who has ${ipv6Text(b, v.offset + 8)}`;
      else c.s += `neighbor solicitation, who has ${ipv6Text(b, v.offset + 8)}`;
      if (o.verbose > 0) {
        printNdOptions(c, v.offset + 24, Math.min(end, v.offset + len));
        return;
      }
      break;
    case 136:
      if (v.length < 24) {
        c.s += 'neighbor advertisement [|icmp6]';
        return;
      }
      if (o.verbose > 0) {
        const f = b[v.offset + 4] ?? 0;
        const fl: string[] = [];
        if (f & 0x80) fl.push('router');
        if (f & 0x40) fl.push('solicited');
        if (f & 0x20) fl.push('override');
        c.s += `neighbor advertisement, length ${len}, tgt is ${ipv6Text(b, v.offset + 8)}, Flags [${fl.length ? fl.join(', ') : 'none'}]`;
        printNdOptions(c, v.offset + 24, Math.min(end, v.offset + len));
        return;
      }
      c.s += `neighbor advertisement, tgt is ${ipv6Text(b, v.offset + 8)}`;
      break;
    case 137:
      if (v.length < 40) {
        c.s += 'redirect [|icmp6]';
        return;
      }
      if (o.verbose > 0) {
        c.s += `redirect, length ${len}, ${ipv6Text(b, v.offset + 24)} to ${ipv6Text(b, v.offset + 8)}`;
        printNdOptions(c, v.offset + 40, Math.min(end, v.offset + len));
        return;
      }
      c.s += `redirect, ${ipv6Text(b, v.offset + 24)} to ${ipv6Text(b, v.offset + 8)}`;
      break;
    case 130:
    case 131:
    case 132:
      if (t === 130 && len > 24) {
        if (v.length < 28) {
          c.s += `multicast listener query v2 [|icmp6]`;
          return;
        }
        c.s += 'multicast listener query v2';
        if (o.verbose > 0) {
          // RFC 3810 5.1.3: a Maximum Response Code of 32768 or more is a mantissa and exponent
          const mrc = u16(b, v.offset + 4);
          c.s += ` [max resp delay=${mrc < 32768 ? mrc : ((mrc & 0xfff) | 0x1000) * 2 ** (((mrc >> 12) & 7) + 3)}]`;
        }
        c.s += ` [gaddr ${ipv6Text(b, v.offset + 8)}`;
        if (o.verbose > 0) {
          const sqrv = b[v.offset + 24] ?? 0;
          const qqic = b[v.offset + 25] ?? 0;
          if (sqrv & 8) c.s += ' sflag';
          if (sqrv & 7) c.s += ` robustness=${sqrv & 7}`;
          // 5.1.9: the same floating-point form for the querier's query interval
          c.s += ` qqi=${qqic < 128 ? qqic : ((qqic & 0xf) | 0x10) * 2 ** (((qqic >> 4) & 7) + 3)}`;
        }
        const ns = u16(b, v.offset + 26);
        if (ns) c.s += ` ${ns} source(s)`;
        c.s += ']';
        if (o.verbose > 0) return;
        break;
      }
      if (v.length < 24) {
        c.s += `${name} [|icmp6]`;
        return;
      }
      c.s += `${name}max resp delay: ${u16(b, v.offset + 4)} addr: ${ipv6Text(b, v.offset + 8)}`;
      if (o.verbose > 0) return;
      break;
    case 143:
      if (v.length < 8) {
        c.s += `${name} [|icmp6]`;
        return;
      }
      c.s += `${name}, ${u16(b, v.offset + 6)} group record(s)`;
      if (o.verbose > 0) {
        printGroupRecords(c, v.offset + 8, Math.min(end, v.offset + len), u16(b, v.offset + 6), 16);
        return;
      }
      break;
    case 133:
    case 134:
      c.s += `${name}, length ${len}`;
      if (o.verbose > 0) {
        if (t === 134 && v.length >= 16) {
          const f = b[v.offset + 5] ?? 0;
          const fl: string[] = [];
          if (f & 0x80) fl.push('managed');
          if (f & 0x40) fl.push('other stateful');
          if (f & 0x20) fl.push('home agent');
          const prf = ['medium', 'high', 'reserved', 'low'][(f >> 3) & 3];
          c.s += `\n\thop limit ${b[v.offset + 4] ?? 0}, Flags [${fl.length ? fl.join(', ') : 'none'}], pref ${prf}, router lifetime ${u16(b, v.offset + 6)}s, reachable time ${u32(b, v.offset + 8)}ms, retrans timer ${u32(b, v.offset + 12)}ms`;
        }
        printNdOptions(c, v.offset + (t === 133 ? 8 : 16), Math.min(end, v.offset + len));
      }
      return;
    default:
      if (!TCPDUMP_CASES.has(t)) {
        // tcpdump's default case: its name for the type, and the message in hex unless -vv
        c.s += `${t === 200 || t === 201 ? name : `unknown icmp6 type (${t})`}, length ${len}`;
        if (o.verbose <= 1) c.s += hexDump(b, v.offset, Math.max(0, Math.min(len, end - v.offset)), '\n\t');
        return;
      }
      c.s += name ?? `type-#${t}`;
  }
  c.s += `, length ${len}`;
}

/** The types tcpdump 4.99's icmp6_print decodes itself; every other type takes its default case. */
const TCPDUMP_CASES: ReadonlySet<number> = new Set([1, 2, 3, 4, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 155]);

function printNdOptions(c: Printer, q: number, end: number): void {
  const b = c.parser.bytes;
  for (let guard = 0; q + 2 <= end && guard < 64; guard++) {
    const t = b[q] ?? 0;
    const l = (b[q + 1] ?? 0) * 8;
    if (l === 0) {
      c.s += `\n\t  ${ND_OPT_NAMES[t] ?? 'unknown option'} (${t}), length 0 (0) [|icmp6]`;
      return;
    }
    c.s += `\n\t  ${ND_OPT_NAMES[t] ?? 'unknown option'} (${t}), length ${l} (${l / 8}): `;
    if (q + l > end) {
      c.s += ' [|icmp6]';
      return;
    }
    if (t === 1 || t === 2) c.s += macText(b, q + 2, l - 2);
    else if (t === 5) c.s += ` ${u32(b, q + 4)}`;
    else if (t === 3 && l >= 32) c.s += `${ipv6Text(b, q + 16)}/${b[q + 2] ?? 0}, Flags [${prefixFlags(b[q + 3] ?? 0)}], valid time ${lifetime(u32(b, q + 4))}, pref. time ${lifetime(u32(b, q + 8))}`;
    // tcpdump dumps an option it does not name (at -v), and every option again at -vv
    if (c.opts.verbose > 1) c.s += hexDumpText(b, q + 2, l - 2, '\n\t    ');
    else if (ND_OPT_NAMES[t] === undefined) c.s += hexDumpText(b, q + 2, l - 2, '\n\t  ');
    q += l;
  }
}

/** The key of a neighbour discovery target, encoded once. */
const TARGET_JSON = jsonKeys({ target: ',"target":' });

/** The schema's `icmpv6` object (= `JSON.stringify(icmpv6Repr(v))`), written straight into `w`. */
export function writeIcmpv6Json(w: JsonWriter, v: Icmpv6View): void {
  writeIcmpHeaderJson(w, v.type, v.code, v.checksum);
  if ((v.type === 128 || v.type === 129) && v.length >= 8) writeIcmpEchoJson(w, v.id, v.seq);
  if ((v.type === 135 || v.type === 136) && v.length >= 24) {
    w.keyText(TARGET_JSON.target);
    w.ipv6(v.bytes, v.offset + Icmpv6Offsets.ndTarget);
  }
  w.raw('}');
}
