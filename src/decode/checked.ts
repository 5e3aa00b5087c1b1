/**
 * Checked reads for printers that follow tcpdump's GET_ macros: a read past the captured bytes
 * abandons the rest of the packet's text (tcpdump longjmps out and prints ` [|proto]`), while a
 * TCHECK-style test only reports. The text is built here and handed to the printer at the end, so a
 * printer can keep the shape of tcpdump's code without an exception per truncated packet.
 */
import { u16, u32 } from './status.js';
import { ipv4Text, ipv6Text } from './addr.js';
import { hexDump } from './print.js';

const EMPTY = new Uint8Array(0);

/** One packet's text in the making, over borrowed bytes ending at `cap`. */
export class CheckedText {
  /** Borrowed bytes of the packet. */
  b: Uint8Array = EMPTY;
  /** End of the captured bytes (exclusive). */
  cap = 0;
  /** Text so far. */
  out = '';
  /** A read ran past `cap`: nothing more is appended. */
  aborted = false;
  /** tcpdump's -v count. */
  verbose = 0;

  /** Starts a packet: bytes up to `cap`, empty text. */
  begin(b: Uint8Array, cap: number, verbose: number): void {
    this.b = b;
    this.cap = cap;
    this.out = '';
    this.aborted = false;
    this.verbose = verbose;
  }
  /** `n` bytes at `o` are captured; otherwise the packet is abandoned. */
  has(o: number, n: number): boolean {
    if (o >= 0 && o + n <= this.cap) return true;
    this.aborted = true;
    return false;
  }
  /** Byte at `o` (abandons past the capture). */
  g1(o: number): number {
    return this.has(o, 1) ? this.b[o]! : 0;
  }
  /** Big-endian 16 bits at `o` (abandons past the capture). */
  g2(o: number): number {
    return this.has(o, 2) ? u16(this.b, o) : 0;
  }
  /** Big-endian 24 bits at `o` (abandons past the capture). */
  g3(o: number): number {
    return this.has(o, 3) ? this.b[o]! * 65536 + u16(this.b, o + 1) : 0;
  }
  /** Big-endian 32 bits at `o` (abandons past the capture). */
  g4(o: number): number {
    return this.has(o, 4) ? u32(this.b, o) : 0;
  }
  /** IPv4 address text at `o` (abandons past the capture). */
  ip4(o: number): string {
    return this.has(o, 4) ? ipv4Text(this.b, o) : '';
  }
  /** IPv6 address text at `o` (abandons past the capture). */
  ip6(o: number): string {
    return this.has(o, 16) ? ipv6Text(this.b, o) : '';
  }
  /** Appends text unless the packet was abandoned. */
  emit(s: string): void {
    if (!this.aborted) this.out += s;
  }
  /** tcpdump's ND_TTEST: whether `n` bytes at `o` were captured (nothing abandoned). */
  test(o: number, n: number): boolean {
    return o >= 0 && o + n <= this.cap;
  }
  /** print_unknown_data: a hex dump of what was captured of `n` bytes at `o`. */
  unknown(o: number, prefix: string, n: number): void {
    this.emit(hexDump(this.b, o, Math.max(0, Math.min(n, this.cap - o)), prefix));
  }
}
