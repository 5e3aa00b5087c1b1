/** TCP header and options (RFC 9293; options: RFC 7323, 2018, 2385, 8684, 7413). */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { Layer, HTTP_PORTS, Port, TEXT_PORTS } from './layers.js';
import { type Printer, cksumShouldBe, hex4, hexBytes, portName, safeChar } from './print.js';
import { printMptcp } from './mptcp.js';
import { hex2 } from './addr.js';
import { ipFragmented, l4Sum } from './ip.js';
import { printTextProtocol } from './txt.js';
import { jsonKeys, asciiBytes, type JsonWriter } from './json-writer.js';

/** Field offsets of the fixed 20-byte header. */
export const TcpOffsets = { srcPort: 0, dstPort: 2, seq: 4, ack: 8, dataOff: 12, flags: 13, window: 14, checksum: 16, urgent: 18, headerLen: 20 } as const;

/** Flag bits (low byte of the flags word, AE is bit 8). */
export const TcpFlag = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128, AE: 256 } as const;

/** Option kinds. */
export const TcpOption = { EOL: 0, NOP: 1, MSS: 2, WSCALE: 3, SACK_PERMITTED: 4, SACK: 5, TIMESTAMP: 8, MD5: 19, UTO: 28, AO: 29, MPTCP: 30, FASTOPEN: 34 } as const;

/** Zero-copy view of a TCP header. */
export class TcpView extends ByteView {
  /**
   * Points at a TCP header: Truncated when the fixed header or the options were not all captured,
   * Malformed when the data offset is below 5.
   * @example tcp.reset(bytes, 34, bytes.length - 34);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    if (this.length < TcpOffsets.headerLen) return (this.status = DecodeStatus.Truncated);
    if (this.dataOffset < 5) return (this.status = DecodeStatus.Malformed);
    this.status = this.length < this.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Source port. */
  get srcPort(): number {
    return u16(this.bytes, this.offset);
  }
  /** Destination port. */
  get dstPort(): number {
    return u16(this.bytes, this.offset + 2);
  }
  /** Sequence number. */
  get seq(): number {
    return u32(this.bytes, this.offset + TcpOffsets.seq);
  }
  /** Acknowledgment number field. */
  get ack(): number {
    return u32(this.bytes, this.offset + TcpOffsets.ack);
  }
  /** Data offset in 32-bit words. */
  get dataOffset(): number {
    return (this.bytes[this.offset + TcpOffsets.dataOff] ?? 0) >> 4;
  }
  /** Header length in bytes. */
  get headerLen(): number {
    return this.dataOffset * 4;
  }
  /** Flags: low 8 bits plus AE (bit 8). */
  get flags(): number {
    return (this.bytes[this.offset + TcpOffsets.flags] ?? 0) | (((this.bytes[this.offset + TcpOffsets.dataOff] ?? 0) & 1) << 8);
  }
  /** Raw window field. */
  get window(): number {
    return u16(this.bytes, this.offset + TcpOffsets.window);
  }
  /** Checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + TcpOffsets.checksum);
  }
  /** Urgent pointer. */
  get urgentPtr(): number {
    return u16(this.bytes, this.offset + TcpOffsets.urgent);
  }
  /** Offset of the first option byte. */
  get optionsOffset(): number {
    return this.offset + TcpOffsets.headerLen;
  }
  /** Offset of the payload. */
  get payloadOffset(): number {
    return this.offset + this.headerLen;
  }
}

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'] as const;

/** Flag names low bit first. */
export function tcpFlagNames(flags: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < 9; i++) if (flags & (1 << i)) out.push(FLAG_NAMES[i]!);
  return out;
}

/** Parsed TCP header for sinks. */
export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  hdrLen: number;
  flags: string[];
  window: number;
  checksum: number;
  urgentPtr: number;
  payloadLen: number;
}

/** Builds the sink representation; `segmentLen` is the IP-declared length of the TCP segment. */
export function tcpRepr(v: TcpView, segmentLen: number): TcpRepr {
  const pl = segmentLen - v.headerLen;
  return {
    srcPort: v.srcPort, dstPort: v.dstPort, seq: v.seq, ack: v.ack, hdrLen: v.headerLen, flags: tcpFlagNames(v.flags),
    window: v.window, checksum: v.checksum, urgentPtr: v.urgentPtr, payloadLen: pl < 0 ? 0 : pl,
  };
}

const TCP_OPT_NAMES: Readonly<Record<number, string>> = {
  0: 'eol', 1: 'nop', 2: 'mss', 3: 'wscale', 4: 'sackOK', 5: 'sack', 6: 'echo', 7: 'echoreply', 8: 'TS', 11: 'cc', 12: 'ccnew',
  13: 'ccecho', 19: 'md5', 20: 'scps', 28: 'uto', 29: 'tcp-ao', 30: 'mptcp', 34: 'tfo', 254: 'exp', 27: 'quickstart',
};

interface FlowSeq {
  seq: number;
  ack: number;
  /** Canonical (lower, higher) address pair and ports, to tell hash collisions apart. */
  key: Uint8Array;
}

/** tcpdump's conversation table for relative sequence numbers, one per printer. */
interface SeqTable {
  readonly flows: Map<number, FlowSeq[]>;
  readonly key: Uint8Array;
}

const seqTables = new WeakMap<Printer, SeqTable>();

let lastPrinter: Printer | undefined;
let lastTable: SeqTable | undefined;

function seqTable(c: Printer): SeqTable {
  // one printer prints packet after packet: remember its table instead of a WeakMap lookup each time
  if (c === lastPrinter && lastTable) return lastTable;
  let t = seqTables.get(c);
  if (!t) {
    t = { flows: new Map(), key: new Uint8Array(36) };
    seqTables.set(c, t);
  }
  lastPrinter = c;
  lastTable = t;
  return t;
}

function tcpFlagText(f: number): string {
  let s = '';
  if (f & 0x01) s += 'F';
  if (f & 0x02) s += 'S';
  if (f & 0x04) s += 'R';
  if (f & 0x08) s += 'P';
  if (f & 0x10) s += '.';
  if (f & 0x20) s += 'U';
  if (f & 0x40) s += 'E';
  if (f & 0x80) s += 'W';
  return s === '' ? 'none' : s;
}

function cmpBytes(b: Uint8Array, x: number, y: number, n: number): number {
  for (let k = 0; k < n; k++) {
    const d = (b[x + k] ?? 0) - (b[y + k] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** RFC 7413 Fast Open cookie (option 34, or inside experimental option 254). */
function printFastOpen(c: Printer, b: Uint8Array, q: number, n: number): void {
  if (n === 0) c.s += ' cookiereq';
  else if (n % 2 !== 0 || n < 4 || n > 16) c.s += ' (invalid)';
  else c.s += ` cookie ${hexBytes(b, q, n)}`;
}


/** tcpdump's TCP text: ports, flags, relative sequence numbers, options, and DNS/HTTP/text payloads. */
export function printTcp(c: Printer, v: TcpView, i: number, len: number): void {
  const { src, dst, ipIdx, addrDone } = c;
  const p = c.parser;
  const o = c.opts;
  const b = v.bytes;
  if (v.length < 4) {
    c.s += `${src} > ${dst}: [|tcp]`;
    return;
  }
  const sport = v.srcPort;
  const dport = v.dstPort;
  const sp = portName(o, sport, 'tcp');
  const dp = portName(o, dport, 'tcp');
  c.s += addrDone ? `${sp} > ${dp}: ` : `${src}.${sp} > ${dst}.${dp}: `;
  const hlen = v.headerLen;
  if (v.length >= 13 && hlen < 20) {
    c.s += ` tcp ${len - hlen} [bad hdr length ${hlen} - too short, < 20]`;
    return;
  }
  if (v.length < 20) {
    c.s += ' [|tcp]';
    return;
  }
  let seq = v.seq;
  let ack = v.ack;
  const win = v.window;
  const flags = v.flags & 0xff;
  if (o.quiet) {
    c.s += `tcp ${len - hlen}`;
    if (hlen > len) c.s += ` [bad hdr length ${hlen} - too long, > ${len}]`;
    return;
  }
  c.s += `Flags [${tcpFlagText(flags)}]`;
  let rev = false;
  let thSeq = 0;
  let thAck = 0;
  const ip = p.at(ipIdx, Layer.Ipv6) ?? p.at(ipIdx, Layer.Ipv4);
  if (flags & 0x10 && ip && !o.absoluteSeq) {
    // tcpdump's relative numbering: the first packet of a conversation fixes both bases
    const table = seqTable(c);
    const alen = p.kinds[ipIdx] === Layer.Ipv6 ? 16 : 4;
    const cmp = cmpBytes(b, ip.srcOffset, ip.dstOffset, alen);
    rev = cmp > 0 || (cmp === 0 && sport > dport);
    // tcpdump's conversation table, keyed by the canonical address pair and ports (no string per packet)
    const k = table.key;
    k.fill(0);
    const a1 = rev ? ip.dstOffset : ip.srcOffset;
    const a2 = rev ? ip.srcOffset : ip.dstOffset;
    let h = 0x811c9dc5;
    for (let j = 0; j < alen; j++) {
      k[j] = b[a1 + j] ?? 0;
      k[16 + j] = b[a2 + j] ?? 0;
      h = Math.imul(h ^ k[j]!, 16777619);
      h = Math.imul(h ^ k[16 + j]!, 16777619);
    }
    const pw = rev ? dport * 65536 + sport : sport * 65536 + dport;
    k[32] = pw >>> 24;
    k[33] = (pw >>> 16) & 0xff;
    k[34] = (pw >>> 8) & 0xff;
    k[35] = pw & 0xff;
    h = (Math.imul(h ^ pw, 16777619) ^ alen) >>> 0;
    let bucket = table.flows.get(h);
    let th: FlowSeq | undefined;
    if (bucket) {
      for (const e of bucket) {
        let same = e.key.length === 36;
        for (let j = 0; same && j < 36; j++) if (e.key[j] !== k[j]) same = false;
        if (same) {
          th = e;
          break;
        }
      }
    }
    if (th === undefined || flags & 0x02) {
      if (th === undefined) {
        th = { seq: 0, ack: 0, key: k.slice() };
        if (!bucket) {
          bucket = [];
          table.flows.set(h, bucket);
        }
        bucket.push(th);
      }
      if (!rev) {
        th.seq = seq;
        th.ack = (ack - 1) >>> 0;
      } else {
        th.ack = seq;
        th.seq = (ack - 1) >>> 0;
      }
    } else if (rev) {
      seq = (seq - th.ack) >>> 0;
      ack = (ack - th.seq) >>> 0;
    } else {
      seq = (seq - th.seq) >>> 0;
      ack = (ack - th.ack) >>> 0;
    }
    thSeq = th.seq;
    thAck = th.ack;
  }
  if (hlen > len) {
    c.s += ` [bad hdr length ${hlen} - too long, > ${len}]`;
    return;
  }
  // tcpdump verifies the checksum only of a whole, unfragmented segment
  if (o.verbose > 0 && o.noChecksum !== true && !ipFragmented(p, ipIdx) && len <= v.length) {
    c.s += `, cksum 0x${hex4(v.checksum)}`;
    {
      const sum = l4Sum(p, ipIdx, 6, v.offset, len);
      if (sum === 0xffff) c.s += ' (correct)';
      else c.s += ` (incorrect -> 0x${hex4(cksumShouldBe(v.checksum, sum))})`;
    }
  }
  const dlen = len - hlen;
  if (o.verbose > 1 || dlen > 0 || flags & 0x07) {
    c.s += `, seq ${seq}`;
    if (dlen > 0) c.s += `:${(seq + dlen) >>> 0}`;
  }
  if (flags & 0x10) c.s += `, ack ${ack}`;
  c.s += `, win ${win}`;
  if (flags & 0x20) c.s += `, urg ${v.urgentPtr}`;
  if (hlen > 20) {
    c.s += ', options [';
    if (!printTcpOptions(c, v, rev, thSeq, thAck)) return;
    c.s += ']';
  }
  c.s += `, length ${dlen}`;
  if (dlen <= 0) return;
  const pay = v.offset + hlen;
  const capEnd = v.offset + v.length;
  if (flags & 0x04 && o.verbose > 0) {
    // RST with data: the reason text, control characters in caret notation (tcpdump's fn_print_char)
    c.s += ' [RST ';
    let k = pay;
    for (; k < capEnd && k < pay + dlen; k++) {
      c.s += safeChar(b[k] ?? 0);
    }
    c.s += k < pay + dlen ? '[|tcp]]' : ']';
    return;
  }
  // a home reached by the ports prints itself (SSH's banner; TLS prints nothing, as tcpdump)
  const next = i + 1 < p.count ? p.kinds[i + 1]! : Layer.None;
  if (next !== Layer.None && next !== Layer.Dns) {
    c.layer(i + 1, dlen);
    return;
  }
  if (sport === Port.DNS || dport === Port.DNS) {
    if (dlen < 2) {
      c.s += ` [DNS over TCP: length ${dlen} < 2] (invalid)`;
      return;
    }
    if (pay + 2 > capEnd) {
      c.s += ' [|domain]';
      return;
    }
    if (u16(b, pay) !== dlen - 2) {
      c.s += ` [prefix length(${u16(b, pay)}) != length(${dlen - 2})] (invalid)`;
      return;
    }
    c.s += ' ';
    const di = p.find(Layer.Dns, i + 1);
    if (di >= 0) c.layer(di, dlen - 2);
    else c.s += ' [|domain]';
    return;
  }
  if (HTTP_PORTS.has(sport) || HTTP_PORTS.has(dport)) {
    c.s += ': ';
    printTextProtocol(c, pay, Math.min(capEnd, pay + dlen), dlen, 'HTTP', true);
  } else {
    const tp = TEXT_PORTS[sport] ?? TEXT_PORTS[dport];
    if (tp !== undefined) {
      c.s += ': ';
      printTextProtocol(c, pay, Math.min(capEnd, pay + dlen), dlen, tp, false);
    }
  }
}

function printTcpOptions(c: Printer, v: TcpView, rev: boolean, thSeq: number, thAck: number): boolean {
  const b = v.bytes;
  let q = v.offset + 20;
  let hlen = v.headerLen - 20;
  const capEnd = v.offset + v.length;
  let ch = false;
  for (let guard = 0; hlen > 0 && guard < 64; guard++) {
    if (ch) c.s += ',';
    if (q >= capEnd) {
      c.s += ' [|tcp]';
      return false;
    }
    const opt = b[q++] ?? 0;
    let len: number;
    if (opt === 0 || opt === 1) len = 1;
    else {
      if (q >= capEnd) {
        c.s += TCP_OPT_NAMES[opt] ?? `unknown-${opt}`;
        c.s += ' [|tcp]';
        return false;
      }
      len = b[q++] ?? 0;
      if (len < 2 || len > hlen) {
        c.s += ch ? '[bad opt]]' : '[bad opt]';
        return false;
      }
      hlen--;
    }
    hlen--;
    const name = TCP_OPT_NAMES[opt] ?? `unknown-${opt}`;
    c.s += name;
    let datalen = 0;

    switch (opt) {
      case 0:
      case 1:
      case 4:
        break;
      case 2:
        datalen = 2;
        if (!optNeed(c, 2, hlen, q, capEnd, ch)) return false;
        c.s += ` ${u16(b, q)}`;
        break;
      case 3:
        datalen = 1;
        if (!optNeed(c, 1, hlen, q, capEnd, ch)) return false;
        c.s += ` ${b[q] ?? 0}`;
        break;
      case 5: {
        datalen = len - 2;
        if (datalen % 8 !== 0) c.s += ' invalid sack';
        else {
          c.s += ` ${datalen / 8} `;
          for (let k = 0; k < datalen; k += 8) {
            if (!optNeed(c, k + 8, hlen, q, capEnd, ch)) return false;
            let s = u32(b, q + k);
            let e = u32(b, q + k + 4);
            if (rev) {
              s = (s - thSeq) >>> 0;
              e = (e - thSeq) >>> 0;
            } else {
              s = (s - thAck) >>> 0;
              e = (e - thAck) >>> 0;
            }
            c.s += `{${s}:${e}}`;
          }
        }
        break;
      }
      case 8:
        datalen = 8;
        if (!optNeed(c, 8, hlen, q, capEnd, ch)) return false;
        c.s += ` val ${u32(b, q)} ecr ${u32(b, q + 4)}`;
        break;
      case 19:
        datalen = 16;
        if (!optNeed(c, 16, hlen, q, capEnd, ch)) return false;
        c.s += " shared secret not supplied with -M, can't check - ";
        for (let k = 0; k < 16; k++) c.s += hex2(b[q + k] ?? 0);
        break;
      case 28:
        datalen = 2;
        if (!optNeed(c, 2, hlen, q, capEnd, ch)) return false;
        {
          const u = u16(b, q);
          c.s += ` 0x${u.toString(16)} ${u & 1 ? (u >> 1) * 60 : u >> 1}`;
        }
        break;
      case 30:
        datalen = len - 2;
        if (!optNeed(c, datalen, hlen, q, capEnd, ch)) return false;
        if (!printMptcp(c, b, q - 2, len, v.flags)) {
          c.s += '[bad opt]';
          return false;
        }
        break;
      case 34:
        datalen = len - 2;
        if (!optNeed(c, datalen, hlen, q, capEnd, ch)) return false;
        c.s += ' ';
        printFastOpen(c, b, q, datalen);
        break;
      case 254: {
        // RFC 6994 shared experimental option: a 16-bit magic first (0xf989 is RFC 7413 Fast Open)
        datalen = len - 2;
        if (!optNeed(c, datalen, hlen, q, capEnd, ch)) return false;
        if (datalen < 2) {
          c.s += '[bad opt]';
          return false;
        }
        const magic = u16(b, q);
        if (magic === 0xf989) {
          c.s += '-tfo';
          printFastOpen(c, b, q + 2, datalen - 2);
        } else c.s += `-${hex4(magic)}`;
        break;
      }
      default:
        datalen = len - 2;
        if (datalen) c.s += ' 0x';
        for (let k = 0; k < datalen; k++) {
          if (!optNeed(c, k + 1, hlen, q, capEnd, ch)) return false;
          c.s += hex2(b[q + k] ?? 0);
        }
        break;
    }
    q += datalen;
    hlen -= datalen;
    let expect = datalen + 1;
    if (opt !== 0 && opt !== 1) expect++;
    if (expect !== len) c.s += `[len ${len}]`;
    ch = true;
    if (opt === 0) break;
  }
  return true;
}
function optNeed(c: Printer, n: number, hlen: number, q: number, capEnd: number, ch: boolean): boolean {
  if (n > hlen) {
    c.s += '[bad opt]';
    return false;
  }
  if (q + n > capEnd) {
    // tcpdump's option truncation path closes the bracket with '>' once an option was printed
    c.s += ch ? ' [|tcp]>' : ' [|tcp]';
    return false;
  }
  return true;
}

/** The keys and punctuation `writeTcpJson` writes, encoded once. */
const TCP_JSON = jsonKeys({
  srcPort: '{"srcPort":',
  dstPort: ',"dstPort":',
  seq: ',"seq":',
  ack: ',"ack":',
  hdrLen: ',"hdrLen":',
  window: '],"window":',
  checksum: ',"checksum":',
  urgentPtr: ',"urgentPtr":',
  flags: ',"flags":[',
  payloadLen: ',"payloadLen":',
});

/** The schema's `tcp` object (= `JSON.stringify(tcpRepr(v, segmentLen))`), written straight into `w`. */
export function writeTcpJson(w: JsonWriter, v: TcpView, segmentLen: number): void {
  w.key(TCP_JSON.srcPort, v.srcPort);
  w.key(TCP_JSON.dstPort, v.dstPort);
  w.key(TCP_JSON.seq, v.seq);
  w.key(TCP_JSON.ack, v.ack);
  w.key(TCP_JSON.hdrLen, v.headerLen);
  w.keyText(TCP_JSON.flags);
  const f = v.flags;
  let first = true;
  for (let i = 0; i < 9; i++) {
    if ((f & (1 << i)) === 0) continue;
    if (!first) w.raw(',');
    w.copy(FLAG_JSON[i]!);
    first = false;
  }
  w.key(TCP_JSON.window, v.window);
  w.key(TCP_JSON.checksum, v.checksum);
  w.key(TCP_JSON.urgentPtr, v.urgentPtr);
  w.keyText(TCP_JSON.payloadLen);
  const pl = segmentLen - v.headerLen;
  w.num(pl < 0 ? 0 : pl);
  w.raw('}');
}

/** The flag names as JSON strings. */
const FLAG_JSON = FLAG_NAMES.map((n) => asciiBytes(`"${n}"`));
