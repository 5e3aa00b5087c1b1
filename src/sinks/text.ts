/**
 * The tcpdump-style printer: one line per packet in tcpdump 4.99's wording, with `-n` (else the
 * names of `PrintOptions.names`), `-e`, `-v`, `-q`, `-S`, `-K`, `-E`, `-x/-xx/-X/-XX/-A`,
 * `-t...-ttttt`, nanosecond precision and `-#`. This file keeps what is
 * not a protocol's: timestamps, the link-level dispatch, the network and transport dispatch through
 * the registry, hex/ASCII dumps and output buffering. Each protocol prints itself from its home in
 * `src/decode/` (see `decode/registry.ts`); a layer cut by the snapshot length ends the line with
 * ` [|proto]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { emptyPacket, type PacketSink, type PacketView } from '../packet.js';
import type { TextOutput } from './output.js';
import { LayerParser, Layer, DecodeLinkType } from '../decode/parser.js';
import { DecodeStatus } from '../decode/status.js';
import { ipv4Text, ipv6Text, macText } from '../decode/addr.js';
import { etherTypeText } from '../decode/ethertype.js';
import { IP_PROTO_TRUNC, IP_REACHED, NETWORK_LAYER, PRINTS_ADDRESSES } from '../decode/layers.js';
import { HOME_BY_KIND, REACH } from '../decode/registry.js';
import { llcHeaderLen } from '../decode/llc.js';
import { macsecLinkBytes } from '../decode/macsec.js';
import { llapHeaderBytes } from '../decode/ddp.js';
import { chdlcHeaderBytes } from '../decode/chdlc.js';
import { mfrHeaderBytes } from '../decode/frelay.js';
import { SLL2_DIR } from '../decode/sll.js';
import { hex4, macName, pad2, protoName, wireFrom, type PrintOptions, type Printer } from '../decode/print.js';
import { NFLOG_HDR, nflogPayloadOffset } from '../decode/nflog.js';

export { DEFAULT_PRINT_OPTIONS, type PrintOptions } from '../decode/print.js';

let sysIfNames: Map<number, string> | undefined;
/** ifindex → name from /sys/class/net (read once; empty where unavailable). */
function hostIfName(ifindex: number): string | undefined {
  if (!sysIfNames) {
    sysIfNames = new Map();
    try {
      for (const n of readdirSync('/sys/class/net')) {
        try {
          sysIfNames.set(Number(readFileSync(`/sys/class/net/${n}/ifindex`, 'utf8').trim()), n);
        } catch {
          // interface went away while listing
        }
      }
    } catch {
      // not Linux or no sysfs: names stay unknown
    }
  }
  return sysIfNames.get(ifindex);
}

const THREE: string[] = [];
for (let k = 0; k < 1000; k++) THREE.push(String(k).padStart(3, '0'));
const padFrac = (n: number, digits: number): string => String(n).padStart(digits, '0');

const HEX2_TABLE: string[] = [];
const PRINTABLE: string[] = [];
for (let c = 0; c < 256; c++) {
  HEX2_TABLE.push(c.toString(16).padStart(2, '0'));
  PRINTABLE.push(c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '.');
}

/**
 * Formats packets as tcpdump text; keeps the little state tcpdump keeps (previous timestamp for
 * `-ttt`, first one for `-ttttt`; the TCP printer keeps its sequence-number bases per formatter).
 * @example
 * const f = new TextFormatter({ ...DEFAULT_PRINT_OPTIONS, verbose: 1 });
 * process.stdout.write(f.format(pkt));
 */
export class TextFormatter implements Printer {
  /** The layers of the packet being printed. */
  readonly parser = new LayerParser();
  /** The text of the packet so far. */
  s = '';
  /** Set by a printer that stopped the way tcpdump's longjmp does: the dump covers the whole packet. */
  /** The packet being printed. */
  pkt: PacketView = emptyPacket();
  /** Options in force. */
  readonly opts: PrintOptions;
  /** Source address text of the enclosing IP header (set by `transport`). */
  src = '';
  /** Destination address text of the enclosing IP header (set by `transport`). */
  dst = '';
  /** Layer index of the enclosing IP header (set by `transport`). */
  ipIdx = 0;
  /** True when the addresses were printed before the upper layer (set by `transport`). */
  addrDone = false;
  earlyEnd = false;
  private count = 0;
  private prevSec = -1;
  private prevNsec = 0;
  private firstSec = -1;
  private firstNsec = 0;
  private minuteKey = Number.NaN;
  private minutePrefix = '';
  private datePrefix = '';
  private lastSec = -1;
  private secPrefix = '';
  /** Packets whose printing hit an internal error (caught; the line ends with ` [|decode]`). */
  internalErrors = 0;
  private readonly ifNameOf: (ifindex: number) => string | undefined;
  private quoter: TextFormatter | undefined;
  /** Nesting level of ICMP quotes (a quote inside a quote is printed, deeper ones are not). */
  private quoteDepth = 0;
  private readonly quotePkt: PacketView = emptyPacket();

  constructor(opts: PrintOptions) {
    this.opts = opts;
    this.ifNameOf = opts.ifName ?? hostIfName;
    if (opts.forceType !== undefined) this.parser.udpForce = opts.forceType === 'vxlan' ? Layer.Vxlan : Layer.Dns;
    if (opts.meshHeader === true) this.parser.wlanMesh = true;
  }

  /** The full text for one packet, newline included (and the dump lines for -x/-X/-A). */
  format(pkt: PacketView): string {
    this.pkt = pkt;
    this.s = '';
    this.count++;
    if (this.opts.number) this.s += String(this.count).padStart(5, ' ') + '  ';
    this.timestamp(pkt.tsSec, pkt.tsNsec);
    const p = this.parser;
    p.decode(pkt.buf, pkt.offset, pkt.capLen, pkt.linkType, pkt.wireLen);
    let hdrLen = 0;
    this.earlyEnd = false;
    try {
      hdrLen = this.link();
      if (this.earlyEnd) hdrLen = 0;
    } catch {
      // a printer bug must not lose the packet line: tcpdump's longjmp-style trunc marker instead
      this.internalErrors++;
      this.s += ' [|decode]';
    }
    this.dump(pkt, hdrLen);
    this.s += '\n';
    return this.s;
  }

  /** Interface name of an ifindex (options' resolver, else this host's). */
  ifName(ifindex: number): string | undefined {
    return this.ifNameOf(ifindex);
  }

  // ---------------------------------------------------------------- timestamps

  private timestamp(sec: number, nsec: number): void {
    const o = this.opts;
    const digits = o.nano ? 9 : 6;
    const frac = o.nano ? nsec : Math.floor(nsec / 1000);
    switch (o.timeFormat) {
      case 1:
        return;
      case 2:
        this.s += `${sec}.${padFrac(frac, digits)} `;
        return;
      case 3:
      case 5: {
        // without nanosecond precision tcpdump sees microsecond timestamps (libpcap truncates them),
        // so the delta is taken between truncated values, not truncated after
        if (!o.nano) nsec -= nsec % 1000;
        let bs: number;
        let bn: number;
        if (o.timeFormat === 3) {
          bs = this.prevSec < 0 ? sec : this.prevSec;
          bn = this.prevSec < 0 ? nsec : this.prevNsec;
          this.prevSec = sec;
          this.prevNsec = nsec;
        } else {
          if (this.firstSec < 0) {
            this.firstSec = sec;
            this.firstNsec = nsec;
          }
          bs = this.firstSec;
          bn = this.firstNsec;
        }
        let ds = sec - bs;
        let dn = nsec - bn;
        let neg = false;
        if (ds < 0 || (ds === 0 && dn < 0)) {
          neg = true;
          ds = -ds;
          dn = -dn;
        }
        if (dn < 0) {
          ds -= 1;
          dn += 1e9;
        }
        const f = o.nano ? dn : Math.floor(dn / 1000);
        this.s += `${neg ? '-' : ' '}${pad2(Math.floor(ds / 3600))}:${pad2(Math.floor(ds / 60) % 60)}:${pad2(ds % 60)}.${padFrac(f, digits)} `;
        return;
      }
      default: {
        const minute = Math.floor(sec / 60);
        if (minute !== this.minuteKey) {
          this.lastSec = -1;
          // DST and zone changes fall on minute boundaries, so one Date per minute is exact
          const d = new Date(minute * 60000);
          this.minuteKey = minute;
          this.minutePrefix = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:`;
          this.datePrefix = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} `;
        }
        if (o.timeFormat === 4) this.s += this.datePrefix;
        if (sec !== this.lastSec) {
          this.lastSec = sec;
          this.secPrefix = `${this.minutePrefix}${pad2(sec - minute * 60)}.`;
        }
        // fractions from a table of 3-digit groups: no padStart per packet
        this.s += this.secPrefix + (o.nano ? THREE[Math.floor(frac / 1e6)]! + THREE[Math.floor(frac / 1000) % 1000]! + THREE[frac % 1000]! : THREE[Math.floor(frac / 1000)]! + THREE[frac % 1000]!) + ' ';
      }
    }
  }

  // ---------------------------------------------------------------- dumps

  private dump(pkt: PacketView, hdrLen: number): void {
    const o = this.opts;
    const b = pkt.buf;
    const cap = Math.max(0, Math.min(pkt.capLen, b.length - pkt.offset));
    if (o.hexAscii > 0 || o.hex > 0) {
      const whole = (o.hexAscii > 0 ? o.hexAscii : o.hex) > 1;
      const start = whole ? 0 : Math.min(hdrLen, cap);
      if (!whole && cap <= hdrLen) return;
      this.hexLines(pkt.offset + start, cap - start, o.hexAscii > 0);
    } else if (o.ascii) {
      const start = Math.min(hdrLen, cap);
      if (cap <= hdrLen) return;
      let out = '\n';
      for (let i = pkt.offset + start, e = pkt.offset + cap; i < e; i++) {
        const c = b[i] ?? 0;
        if (c === 13) {
          if (e - i - 1 > 1 && b[i + 1] !== 10) out += '.';
        } else out += (c > 0x20 && c < 0x7f) || c === 9 || c === 32 || c === 10 ? String.fromCharCode(c) : '.';
      }
      this.s += out;
    }
  }

  /** tcpdump's hex (and ASCII) dump lines: `\n\t0xOOOO: ` then 8 groups of 2 bytes. */
  private hexLines(start: number, n: number, withAscii: boolean): void {
    const b = this.parser.bytes;
    let out = '';
    for (let line = 0; line < n; line += 16) {
      let hex = '';
      let asc = '';
      const lim = Math.min(16, n - line);
      const base = start + line;
      let k = 0;
      for (; k + 1 < lim; k += 2) {
        hex += ' ' + HEX2_TABLE[b[base + k] ?? 0]! + HEX2_TABLE[b[base + k + 1] ?? 0]!;
        if (withAscii) asc += PRINTABLE[b[base + k] ?? 0]! + PRINTABLE[b[base + k + 1] ?? 0]!;
      }
      if (k < lim) {
        hex += ' ' + HEX2_TABLE[b[base + k] ?? 0]!;
        if (withAscii) asc += PRINTABLE[b[base + k] ?? 0]!;
      }
      out += '\n\t0x' + hex4(line) + ': ' + (withAscii ? (lim === 16 ? hex : hex.padEnd(40, ' ')) + '  ' + asc : hex);
    }
    this.s += out;
  }


  // ---------------------------------------------------------------- link layer

  /** Prints from the link layer on; returns the link header length for -x/-X/-A. */
  private link(): number {
    const p = this.parser;
    const pkt = this.pkt;
    if (this.opts.linkHeader && this.opts.showInterface === true && pkt.ifindex > 0 && pkt.linkType === DecodeLinkType.EN10MB) {
      const name = this.ifName(pkt.ifindex) ?? `ifindex ${pkt.ifindex}`;
      this.s += `${name.padEnd(5, ' ')} ${SLL2_DIR[pkt.pktType] ?? String(pkt.pktType)} `;
    }
    switch (pkt.linkType) {
      case DecodeLinkType.EN10MB: {
        const eth = p.at(0, Layer.Ethernet);
        if (!eth) return 0;
        this.layer(0, pkt.wireLen);
        if (p.status[0] !== DecodeStatus.Ok) return eth.length;
        const ms = p.at(1, Layer.Macsec);
        if (ms) {
          // the SecTAG and protected EtherType count as link header; nothing is dumped when tcpdump stops at the SecTAG
          const sec = macsecLinkBytes(ms);
          const inLlc = p.at(2, Layer.Llc);
          return sec < 0 ? pkt.capLen : 14 + sec + this.vlanBytes(2) + (inLlc ? llcHeaderLen(inLlc) : 0);
        }
        // tcpdump counts an LLC header as link header after the MACs and after VLAN tags alike
        const tags = this.vlanBytes(1);
        const llc = p.at(1 + tags / 4, Layer.Llc);
        return 14 + tags + (llc ? llcHeaderLen(llc) : 0);
      }
      case DecodeLinkType.LINUX_SLL:
      case DecodeLinkType.LINUX_SLL2: {
        const v = p.at(0, Layer.Sll);
        if (!v || p.status[0] !== DecodeStatus.Ok) {
          this.s += pkt.linkType === DecodeLinkType.LINUX_SLL2 ? '[|linux_sll2]' : '[|linux_sll]';
          return pkt.capLen;
        }
        this.layer(0, pkt.wireLen);
        // an LLC header after the cooked header (protocol 4) counts as link header too
        const tags = this.vlanBytes(1);
        const llc = p.at(1 + tags / 4, Layer.Llc);
        return v.headerLen + tags + (llc ? llcHeaderLen(llc) : 0);
      }
      case DecodeLinkType.NULL:
      case DecodeLinkType.LOOP: {
        if (p.count < 1 || p.status[0] !== DecodeStatus.Ok) {
          this.s += pkt.linkType === DecodeLinkType.LOOP ? '[|loop]' : '[|null]';
          return pkt.capLen;
        }
        this.layer(0, pkt.wireLen);
        return 4;
      }
      case DecodeLinkType.RAW:
      case DecodeLinkType.IPV4:
      case DecodeLinkType.IPV6: {
        if (this.opts.linkHeader) this.s += 'ip: ';
        const ver = (p.bytes[pkt.offset] ?? 0) >> 4;
        if (pkt.linkType === DecodeLinkType.RAW && pkt.capLen > 0 && ver !== 4 && ver !== 6) this.s += `unknown ip ${ver}`;
        else if (p.count > 0) this.network(0, 0);
        else if (pkt.capLen > 0) this.s += `unknown ip ${ver}`;
        else this.s += ' [|ip]';
        return 0;
      }
      case DecodeLinkType.NFLOG: {
        const e = this.opts.linkHeader;
        const b = p.bytes;
        const o = pkt.offset;
        if (pkt.capLen < NFLOG_HDR.SIZE) {
          this.s += ' [|nflog]';
          return pkt.capLen;
        }
        const fam = b[o] ?? 0;
        const header = `version ${b[o + 1] ?? 0}, resource ID ${((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)}, family ${fam === 2 ? 'IPv4' : fam === 10 ? 'IPv6' : 'Unknown'} (${fam}), length ${pkt.wireLen}: `;
        if (e) this.s += header;
        const pl = nflogPayloadOffset(b, o, pkt.capLen);
        if (pl < 0) this.s += ' [|nflog]';
        else if (p.count > 0) this.network(0, 0);
        else if (!e) this.s += header;
        return pl < 0 ? pkt.capLen : pl - o;
      }
      case DecodeLinkType.IEEE802_11:
      case DecodeLinkType.IEEE802_11_RADIOTAP:
      case DecodeLinkType.PPI:
        if (p.count === 0) {
          this.s += pkt.linkType === DecodeLinkType.PPI ? ' [|ppi]' : pkt.linkType === DecodeLinkType.IEEE802_11 ? ' [|802.11]' : ' [|802.11_radio]';
          return pkt.capLen;
        }
        this.layer(0, pkt.wireLen);
        return wlanHeaderBytes(p, pkt.capLen);
      default: {
        // link types whose header is a protocol home (PPP, Cisco HDLC, Frame Relay, SLIP, ARCNET,
        // MTP2): the home prints itself; the link header ends where the next layer starts
        if (p.count > 0 && REACH.link[pkt.linkType] !== 0) {
          this.layer(0, pkt.wireLen);
          // LocalTalk's link header, as tcpdump counts it, takes in the DDP header
          const llap = p.at(0, Layer.Llap);
          if (llap) return llapHeaderBytes(llap, pkt.wireLen, pkt.capLen);
          // tcpdump's ppp_if_print counts 4 bytes of link header, whatever the address, control and protocol fields take
          if (pkt.linkType === DecodeLinkType.PPP) return Math.min(4, pkt.capLen);
          // Cisco HDLC's is its 4 bytes: an OSI pad byte and NLPID are dumped
          const ch = p.at(0, Layer.Chdlc);
          if (ch && p.status[0] === DecodeStatus.Ok) return chdlcHeaderBytes(ch, pkt.wireLen, pkt.capLen);
          // Frame Relay's ends at the NLPID: an RFC 2427 SNAP header after it is dumped
          const mfr = p.at(0, Layer.Mfr);
          if (mfr) return mfrHeaderBytes(mfr, this.opts.verbose, pkt.wireLen, pkt.capLen);
          const fr = p.at(0, Layer.Frelay);
          if (fr && p.status[0] === DecodeStatus.Ok && p.count > 1) return Math.min(fr.headerLen, pkt.capLen);
          const next = p.view(1);
          if (next !== undefined) return next.offset - pkt.offset;
          // tcpdump has no MTP2 printer: nothing of it counts as link header
          if (p.kinds[0] === Layer.Mtp2) return 0;
          const hl = (p.view(0) as { headerLen?: number } | undefined)?.headerLen;
          return p.status[0] === DecodeStatus.Ok && hl !== undefined ? Math.min(hl, pkt.capLen) : pkt.capLen;
        }
        this.s += `unsupported link type ${pkt.linkType}`;
        return 0;
      }
    }
  }

  private vlanBytes(from: number): number {
    let n = 0;
    const p = this.parser;
    for (let i = from; i < p.count && p.kinds[i] === Layer.Vlan; i++) n += 4;
    return n;
  }

  // ---------------------------------------------------------------- dispatch (Printer)

  /** Prints layer i with its protocol's printer. */
  layer(i: number, n: number): void {
    const p = this.parser;
    const h = HOME_BY_KIND[p.kinds[i] ?? 0];
    const v = p.view(i);
    if (h && v) h.print(this, v, i, n);
  }

  /** Prints an Ethernet frame inside a tunnel (nothing when layer i is not one). */
  ether(i: number, wireLen: number): void {
    if (this.parser.at(i, Layer.Ethernet)) this.layer(i, wireLen);
  }

  /** Layer i is whatever followed a link header or tag (EtherType t, 0 when unknown). */
  network(i: number, t: number): void {
    const p = this.parser;
    const kind = p.kinds[i] ?? 0;
    if (i < p.count && NETWORK_LAYER[kind]) this.layer(i, kind === Layer.Ethernet ? p.lens[i]! : t);
    else this.s += `ethertype ${etherTypeText(t)}, length ${this.pkt.wireLen}`;
  }

  /**
   * Layer i (if any) is the upper layer of an IP header at layer ipIdx carrying `proto`; `len` is its
   * length from the IP header. TCP, UDP and SCTP print the addresses with their ports.
   */
  transport(i: number, proto: number, src: string, dst: string, len: number, ipIdx: number, addrDone: boolean): void {
    const p = this.parser;
    const kind = i < p.count ? p.kinds[i]! : Layer.None;
    if (!IP_REACHED[kind]) {
      if (!addrDone) this.s += `${src} > ${dst}: `;
      if (proto === 59) {
        this.s += 'no next header'; // IPv4 too, as tcpdump's IP demultiplexer says
        return;
      }
      const n = IP_PROTO_TRUNC[proto];
      if (n) this.s += ` [|${n}]`;
      else if (p.kinds[ipIdx] === Layer.Ipv6) this.s += `${protoName(this.opts, proto)} ${len}`;
      else this.s += ` ${protoName(this.opts, proto)} ${len}`;
      return;
    }
    if (!addrDone && !PRINTS_ADDRESSES[kind]) this.s += `${src} > ${dst}: `;
    this.src = src;
    this.dst = dst;
    this.ipIdx = ipIdx;
    this.addrDone = addrDone;
    if (NETWORK_LAYER[kind]) this.network(i, 0);
    else this.layer(i, len);
  }

  /**
   * The EtherType fallback: a marker for types tcpdump names, else the Ethernet header at `frame`
   * (`frameLen` bytes; default: the packet's) and a hex dump.
   */
  unknownEtherType(t: number, off: number, frame = -1, frameLen = 0, end = Infinity): void {
    const e = this.opts.linkHeader;
    if (t === 0x0800) this.s += ' [|ip]';
    else if (t === 0x86dd) this.s += ' [|ip6]';
    else if (t === 0x0806 || t === 0x8035) this.s += ' [|arp]';
    else if (t === 0x8100 || t === 0x88a8 || t === 0x9100) this.s += ' [|vlan]';
    // Not dead although LLDP has a home: reached when the frame's layer stack is already full
    // (MAX_LAYERS, deep tunnels) and the LLDP layer could not be recorded; tcpdump's -v0 line still fits.
    else if (t === 0x88cc && !this.opts.linkHeader && this.opts.verbose === 0) this.s += `LLDP, length ${wireFrom(this, off)}`;
    else {
      // tcpdump's default print: the link header (unless -e printed it) and a hex/ASCII dump
      const pkt = this.pkt;
      if (!e && pkt.linkType === DecodeLinkType.EN10MB && off - pkt.offset >= 14) {
        const b = this.parser.bytes;
        const eo = frame >= 0 ? frame : pkt.offset;
        this.s += `${macName(this.opts, macText(b, eo + 6))} > ${macName(this.opts, macText(b, eo))}, ethertype ${etherTypeText(t)}, length ${frame >= 0 ? frameLen : pkt.wireLen}: `;
      }
      this.defaultDump(off, end);
    }
  }

  /** tcpdump's default print from `off` to `end`: a hex and ASCII dump unless -x/-X/-A dump the packet anyway. */
  defaultDump(off: number, end = Infinity): void {
    const pkt = this.pkt;
    if (!this.anyDump()) this.hexLines(off, Math.min(pkt.offset + pkt.capLen, this.parser.bytes.length, end) - off, true);
  }

  private anyDump(): boolean {
    const o = this.opts;
    return o.hex > 0 || o.hexAscii > 0 || o.ascii;
  }

  // ---------------------------------------------------------------- ICMP quotes

  /** The datagram quoted by an ICMP error, printed by a nested formatter like tcpdump's -v does. */
  quotedIp(off: number, len: number): void {
    if (this.quoteDepth >= 2) return;
    if (!this.quoter) {
      this.quoter = new TextFormatter({ ...this.opts, timeFormat: 1, number: false, hex: 0, hexAscii: 0, ascii: false, linkHeader: false });
      this.quoter.quoteDepth = this.quoteDepth + 1;
    }
    // tcpdump hands the quoted IPv4 header its own total length as the packet's length (no truncated-ip)
    const b = this.parser.bytes;
    const wire = len >= 4 && (b[off] ?? 0) >> 4 === 4 ? Math.max(len, ((b[off + 2] ?? 0) << 8) | (b[off + 3] ?? 0)) : len;
    this.s += '\n\t' + this.quoter.formatIp(b, off, len, wire);
  }

  /** Text of a bare IP packet (no timestamp, no newline), for quotes; `wireLen`: its length on the wire. */
  formatIp(bytes: Uint8Array, off: number, len: number, wireLen = len): string {
    return this.formatRaw(bytes, off, len, () => this.link(), wireLen);
  }

  /** Decodes `bytes[off, off + len)` as a bare IP packet and returns what `print` adds (this.s is kept). */
  private formatRaw(bytes: Uint8Array, off: number, len: number, print: () => void, wireLen = len): string {
    const saved = this.s;
    const pkt = this.quotePkt;
    pkt.buf = bytes;
    pkt.offset = off;
    pkt.capLen = len;
    pkt.wireLen = wireLen;
    pkt.linkType = DecodeLinkType.RAW;
    this.pkt = pkt;
    this.s = '';
    try {
      this.parser.decode(bytes, off, len, DecodeLinkType.RAW);
      print();
    } catch {
      this.internalErrors++;
      this.s += ' [|decode]';
    }
    const out = this.s;
    this.s = saved;
    return out;
  }

  // ---------------------------------------------------------------- -E: decrypted ESP

  private espQuoter: TextFormatter | undefined;

  /** -E: the decrypted packet after an ESP header (src/sinks/esp.ts), printed as tcpdump prints it. */
  espPayload(off: number, len: number, ipIdx: number): void {
    const p = this.parser;
    const b = p.bytes;
    const isV6 = p.kinds[ipIdx] === Layer.Ipv6;
    const ip = p.at(ipIdx, isV6 ? Layer.Ipv6 : Layer.Ipv4);
    if (!ip) return;
    const plain = this.opts.esp?.decrypt(b, off, Math.min(len, b.length - off), isV6 ? ipv6Text(b, ip.dstOffset) : ipv4Text(b, ip.dstOffset));
    if (plain === undefined) return;
    if (!plain.ok) {
      this.s += ' [|esp]';
      return;
    }
    this.espQuoter ??= new TextFormatter({ ...this.opts, esp: undefined, timeFormat: 1, number: false, hex: 0, hexAscii: 0, ascii: false, linkHeader: false });
    const nh = plain.nextHeader;
    if (nh === 4 || nh === 41) {
      this.s += `: ${this.espQuoter.formatIp(plain.data, 0, plain.data.length)}`; // tunnel mode
      return;
    }
    // Transport mode: the payload is the outer packet's upper layer; print it as such, without addresses.
    const hdr = isV6 ? 40 : 20;
    const inner = new Uint8Array(hdr + plain.data.length);
    inner.set(b.subarray(ip.offset, ip.offset + hdr));
    inner.set(plain.data, hdr);
    if (isV6) {
      inner[4] = plain.data.length >> 8;
      inner[5] = plain.data.length & 0xff;
      inner[6] = nh;
    } else {
      inner[0] = 0x45;
      inner[2] = inner.length >> 8;
      inner[3] = inner.length & 0xff;
      inner[9] = nh;
    }
    this.s += `: ${this.espQuoter.formatUpper(inner, nh, plain.data.length)}`;
  }

  /** Text of the layer after the IP header of `bytes` (a bare IP packet), without the addresses. */
  private formatUpper(bytes: Uint8Array, proto: number, len: number): string {
    // tcpdump's printer after ESP writes ` ip-proto-N` with its space over IPv6 too: no IP index then.
    return this.formatRaw(bytes, 0, bytes.length, () => this.transport(1, proto, '', '', len, this.parser.count > 1 ? 0 : -1, true));
  }

}

/**
 * A PacketSink that prints tcpdump-style text through a batched TextOutput.
 * @example
 * const sink = createTextSink(new TextOutput(process.stdout), { ...DEFAULT_PRINT_OPTIONS, verbose: 1 });
 * sink.write(pkt); await sink.close();
 */
export function createTextSink(out: TextOutput, opts: PrintOptions): PacketSink {
  const f = new TextFormatter(opts);
  return {
    write(pkt: PacketView): void {
      out.write(f.format(pkt));
    },
    flush(): Promise<void> {
      return out.flush();
    },
    async close(): Promise<void> {
      await out.flush();
    },
  };
}

/**
 * Link header bytes of an 802.11 capture that the dumps skip, as tcpdump counts them: radiotap,
 * MAC header and LLC/SNAP; none for a reserved frame type; all of a cut header. Behind a PPI header
 * tcpdump counts the inner link header twice, and so does this.
 */
function wlanHeaderBytes(p: LayerParser, capLen: number, from = 0): number {
  const i = from;
  if (i >= p.count) return 0;
  const st = p.status[i];
  const ppi = p.at(i, Layer.Ppi);
  if (ppi) {
    if (st !== DecodeStatus.Ok) return capLen;
    const inner = i + 1 < p.count ? wlanHeaderBytes(p, capLen, i + 1) : 0;
    return Math.min(capLen, ppi.headerLen + 2 * inner);
  }
  const rt = p.at(i, Layer.Radiotap);
  if (rt) return st !== DecodeStatus.Ok ? capLen : Math.min(capLen, rt.headerLen + wlanHeaderBytes(p, capLen, i + 1));
  const wlan = p.at(i, Layer.Wlan);
  if (wlan) {
    if (st === DecodeStatus.Malformed && wlan.headerLen === 0) return 0;
    if (st !== DecodeStatus.Ok) return capLen;
    const llc = p.at(i + 1, Layer.Llc);
    return wlan.headerLen + (llc ? llcHeaderLen(llc) : 0);
  }
  const eth = p.at(i, Layer.Ethernet);
  if (eth) return st !== DecodeStatus.Ok ? eth.length : 14 + (p.at(i + 1, Layer.Llc) ? llcHeaderLen(p.at(i + 1, Layer.Llc)!) : 0);
  return 0;
}
