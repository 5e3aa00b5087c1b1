/**
 * What a protocol's text printer may use: the options (named after tcpdump's flags), the line being
 * built, the decoded layers, and the dispatch back into the printer for what a header carries (a
 * network layer after a tag or tunnel, an upper layer after IP, an ICMP quote). The implementation is
 * the tcpdump-style printer in `sinks/text.ts`; the printers themselves live in each protocol's home.
 */
import type { PacketView } from '../packet.js';
import type { LayerParser } from './parser.js';
import { hex2 } from './addr.js';
import { Layer } from './layers.js';

/** Printing options, named after tcpdump's flags. */
export interface PrintOptions {
  /** `-n`: numeric addresses and ports (without it, the CLI passes `names`). */
  numeric: boolean;
  /** `-e`: print the link-level header. */
  linkHeader: boolean;
  /** `-v` count. */
  verbose: number;
  /** `-q`: less protocol information. */
  quiet: boolean;
  /** `-x` count: hex dump (2: with the link header). */
  hex: number;
  /** `-X` count: hex and ASCII dump (2: with the link header). */
  hexAscii: number;
  /** `-A`: ASCII dump. */
  ascii: boolean;
  /** 0 default, 1 `-t` (none), 2 `-tt`, 3 `-ttt`, 4 `-tttt`, 5 `-ttttt`. */
  timeFormat: number;
  /** Nanosecond timestamps. */
  nano: boolean;
  /** `-#`: packet number first. */
  number: boolean;
  /** `-S`: absolute TCP sequence numbers instead of relative ones. */
  absoluteSeq?: boolean;
  /** `-T`: interpret every UDP payload as this type, whatever the ports. */
  forceType?: ForceType;
  /** `-E`: decrypts ESP payloads so they print (src/sinks/esp.ts). */
  esp?: EspDecryptor | undefined;
  /** `-b`: BGP AS numbers above 65535 in asdot notation (RFC 5396). */
  asdot?: boolean;
  /** `-H`: read 802.11s mesh control fields in 802.11 QoS data frames. */
  meshHeader?: boolean;
  /** `-K`: do not verify IP, TCP and UDP checksums. */
  noChecksum?: boolean;
  /** Without `-n`: names for addresses, ports and protocols (see src/sinks/names.ts); numbers when absent. */
  names?: NameLookup;
  /** Interface name for an ifindex (LINUX_SLL2); defaults to this host's /sys/class/net, like tcpdump. */
  ifName?: (ifindex: number) => string | undefined;
  /**
   * With -e, name each Ethernet packet's interface and direction first, as for LINUX_SLL2 (set when
   * capturing several interfaces, whose frames carry no interface of their own).
   */
  showInterface?: boolean;
}

/**
 * Names the printer asks for without `-n`; every method answers at once. Implemented by
 * `createNameLookup` in src/sinks/names.ts (declared here so decode/ needs nothing from sinks/).
 */
export interface NameLookup {
  /** A host name for an IPv4 or IPv6 address in text form, or the text itself. */
  host(addr: string): string;
  /** The service name of a TCP or UDP port, or the number. */
  port(port: number, proto: 'tcp' | 'udp'): string;
  /** The /etc/protocols name of an IP protocol number, or undefined. */
  protocol(proto: number): string | undefined;
  /** A MAC address (text) as tcpdump prints it without -n: a name, `Broadcast`, or the text and its OUI. */
  mac(text: string): string;
}

/** The decrypted payload of one ESP packet: the next-header value and the inner bytes; `ok` false when the padding does not fit (a wrong key, as tcpdump judges it). */
export interface EspPlaintext {
  ok: boolean;
  nextHeader: number;
  data: Uint8Array;
}

/** Decrypts ESP payloads for `-E` (implemented in src/sinks/esp.ts). */
export interface EspDecryptor {
  /**
   * Decrypts the ESP packet `bytes[off, off + len)` (from the SPI on) sent to `dst` (address text);
   * undefined when no SA applies or the result does not parse (wrong key). Never throws.
   */
  decrypt(bytes: Uint8Array, off: number, len: number, dst: string): EspPlaintext | undefined;
}

/** An address as printed: its name without -n, else the text. */
export const hostName = (o: PrintOptions, addr: string): string => o.names?.host(addr) ?? addr;
/** A TCP or UDP port as printed: its service name without -n, else the number. */
export const portName = (o: PrintOptions, port: number, proto: 'tcp' | 'udp'): string => o.names?.port(port, proto) ?? String(port);
/** An IP protocol without a printer: its /etc/protocols name without -n, else `ip-proto-N`. */
export const protoName = (o: PrintOptions, proto: number): string => o.names?.protocol(proto) ?? `ip-proto-${proto}`;
/** A MAC address (text) as printed: its name without -n, else the text. */
export const macName = (o: PrintOptions, mac: string): string => o.names?.mac(mac) ?? mac;

/** tcpdump's `-T` packet types that tscap decodes (the others it documents are not decoded here). */
export const FORCE_TYPES = ['vxlan', 'domain'] as const;

/** One of FORCE_TYPES. */
export type ForceType = (typeof FORCE_TYPES)[number];

/** Default options: tcpdump with no flags. */
export const DEFAULT_PRINT_OPTIONS: PrintOptions = {
  numeric: true, linkHeader: false, verbose: 0, quiet: false, hex: 0, hexAscii: 0, ascii: false, timeFormat: 0, nano: false, number: false,
};

/**
 * The printer as a protocol printer sees it. `s` is the line so far (printers append to it);
 * `src`, `dst`, `ipIdx` and `addrDone` describe the enclosing IP header for upper-layer printers and
 * are set by `transport` just before it calls one (read them first: a nested call overwrites them).
 */
export interface Printer {
  /** The text of the current packet so far. */
  s: string;
  /** Options in force. */
  readonly opts: PrintOptions;
  /** Layers of the current packet. */
  readonly parser: LayerParser;
  /** The packet being printed. */
  readonly pkt: PacketView;
  /** Source address text of the enclosing IP header. */
  src: string;
  /** Destination address text of the enclosing IP header. */
  dst: string;
  /** Layer index of the enclosing IP header. */
  ipIdx: number;
  /** True when the addresses were already printed (IPv6 extension headers, AH). */
  addrDone: boolean;
  /**
   * Set by a printer that stopped where tcpdump's printer longjmps out on a read past the capture:
   * tcpdump then dumps (-x, -X, -A) the whole packet, link header included. Cleared per packet.
   */
  earlyEnd: boolean;
  /** Prints layer i with its protocol's printer (`n`: its length from the enclosing header). */
  layer(i: number, n: number): void;
  /** Prints layer i, which followed a link header, tag or tunnel announcing EtherType `t` (0: unknown). */
  network(i: number, t: number): void;
  /** Prints layer i, an Ethernet frame inside a tunnel, of `wireLen` bytes. */
  ether(i: number, wireLen: number): void;
  /** Prints the layer i reached through IP protocol `proto`, carried in `len` bytes after the IP header at ipIdx. */
  transport(i: number, proto: number, src: string, dst: string, len: number, ipIdx: number, addrDone: boolean): void;
  /** Prints the IP datagram quoted by an ICMP error on its own line (nested at most twice). */
  quotedIp(off: number, len: number): void;
  /** -E: prints the decrypted payload of the ESP packet at `off` (`len` bytes) under the IP header at ipIdx. */
  espPayload(off: number, len: number, ipIdx: number): void;
  /** Interface name of an ifindex, if known. */
  ifName(ifindex: number): string | undefined;
  /**
   * Prints the EtherType fallback: a marker for types tcpdump names, else the Ethernet header at
   * `frame` (of `frameLen` bytes; default: the packet's own) and a hex dump up to `end` (default: the
   * capture's end).
   */
  unknownEtherType(t: number, off: number, frame?: number, frameLen?: number, end?: number): void;
  /**
   * tcpdump's default print of what no printer decodes, from `off` to `end` (default: the capture's
   * end): a hex and ASCII dump, unless a -x/-X/-A dump follows anyway.
   */
  defaultDump(off: number, end?: number): void;
}

/** A protocol's text printer: appends layer i (view `v`) to `c.s`; `n` is its length from the enclosing header. */
export type PrintFn<V> = (c: Printer, v: V, i: number, n: number) => void;

/** Two-digit zero-padded decimal. */
export const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
/** Four hex digits. */
export const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
/** Eight hex digits. */
export const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** RFC 1624 incremental update: the checksum value that would make `sum` come out right. */
export function cksumShouldBe(carried: number, sum: number): number {
  // sum is the folded ones' complement sum including the carried checksum
  let s = (~carried & 0xffff) + (~(~sum & 0xffff) & 0xffff);
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** Bytes as Latin-1 characters. */
export function latin1(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let k = start; k < end; k++) s += String.fromCharCode(b[k] ?? 0);
  return s;
}

/** tcpdump's fn_print_char: `M-` for the high bit, `^X` for control characters. */
export function safeChar(ch: number): string {
  let s = '';
  if (ch & 0x80) {
    ch &= 0x7f;
    s = 'M-';
  }
  if (ch < 0x20 || ch === 0x7f) return s + '^' + String.fromCharCode(ch ^ 0x40);
  return s + String.fromCharCode(ch);
}

/**
 * tcpdump's hex_print: `n` bytes from `o` as lines of `indent` `0xOOOO: ` and eight space-led groups
 * of two bytes (the captured part only).
 */
export function hexDumpText(b: Uint8Array, o: number, n: number, indent: string): string {
  return hexDump(b, o, Math.min(n, b.length - o), indent);
}

/**
 * Ends a packet's text where tcpdump's printer longjmps out on a read past the capture: ` [|proto]`,
 * and the -x/-X/-A dump then covers the whole packet (`Printer.earlyEnd`).
 */
export function longjmpCut(c: Printer, proto: string): void {
  c.s += ` [|${proto}]`;
  c.earlyEnd = true;
}

/** Bytes the packet had on the wire from `offset` (an index into its buffer) to its end. */
export function wireFrom(c: Printer, offset: number): number {
  return c.pkt.wireLen - (offset - c.pkt.offset);
}

/**
 * The length tcpdump's link-level printer hands the network layer i starting at `offset`: the rest of
 * the frame on the wire, or behind a SecTAG (and VLAN tags after it) the rest of the secure data, which
 * ends before the ICV or at the short length.
 */
export function linkAvail(c: Printer, i: number, offset: number): number {
  const p = c.parser;
  let k = i - 1;
  while (k > 0 && p.kinds[k] === Layer.Vlan) k--;
  const ms = k >= 0 ? p.at(k, Layer.Macsec) : undefined;
  return ms ? ms.offset + ms.headerLen + ms.dataDeclared - offset : wireFrom(c, offset);
}

/** `n` bytes as hex digits. */
export function hexBytes(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += hex2(b[o + k] ?? 0);
  return s;
}

/** tcpdump's unsigned_relts_print: seconds as `1y2w3d4h5m6s`, zero as `0s`. */
export function relTime(secs: number): string {
  if (secs === 0) return '0s';
  let s = '';
  for (const [n, u] of [[31536000, 'y'], [604800, 'w'], [86400, 'd'], [3600, 'h'], [60, 'm'], [1, 's']] as const) {
    if (secs >= n) {
      s += `${Math.floor(secs / n)}${u}`;
      secs %= n;
    }
  }
  return s;
}

/** `parts` joined by ', ', or 'none'. */
export function flagList(parts: string[]): string {
  return parts.length ? parts.join(', ') : 'none';
}

/** The names in `table` of the bits set in `value`, joined by ', '; `none` when no named bit is set. */
export function flagNames(table: ReadonlyArray<readonly [number, string]>, value: number, none = 'none'): string {
  const parts = table.filter(([bit]) => value & bit).map(([, name]) => name);
  return parts.length ? parts.join(', ') : none;
}

/** tcpdump's hex_and_ascii_print (with a `\n\t` indent unless told): lines of 16 bytes, hex then ASCII. */
export function hexAsciiDump(b: Uint8Array, o: number, n: number, indent = '\n\t'): string {
  let out = '';
  for (let line = 0; line < n; line += 16) {
    let hex = '';
    let asc = '';
    const lim = Math.min(16, n - line);
    for (let k = 0; k < lim; k++) {
      const ch = b[o + line + k] ?? 0;
      hex += (k % 2 === 0 ? ' ' : '') + hex2(ch);
      asc += ch > 0x20 && ch < 0x7f ? String.fromCharCode(ch) : '.';
    }
    out += `${indent}0x${hex4(line)}: ${hex.padEnd(40, ' ')}  ${asc}`;
  }
  return out;
}

/** tcpdump's hex_print of `n` bytes: lines of 16 as `0x0000:  0402 0000 ...`, each after `prefix`. */
export function hexDump(b: Uint8Array, o: number, n: number, prefix: string): string {
  let s = '';
  for (let k = 0; k < n; k++) {
    if (k % 16 === 0) s += `${prefix}0x${hex4(k)}:  `;
    else if (k % 2 === 0) s += ' ';
    s += hex2(b[o + k] ?? 0);
  }
  return s;
}

/** tcpdump's way with untrusted text: a high bit as `M-`, control characters as `^X`, the rest as is. */
export function safeText(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let k = start; k < end; k++) {
    let ch = b[k] ?? 0;
    if (ch & 0x80) {
      s += 'M-';
      ch &= 0x7f;
    }
    s += ch < 0x20 || ch === 0x7f ? `^${String.fromCharCode(ch ^ 0x40)}` : String.fromCharCode(ch);
  }
  return s;
}
