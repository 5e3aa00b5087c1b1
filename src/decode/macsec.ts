/**
 * MACsec, IEEE 802.1AE-2018 clause 9: the SecTAG after the MAC addresses (EtherType 0x88e5): the TCI
 * flags and association number, the short length, the packet number and the optional secure channel
 * identifier, then the secure data and a 16-byte ICV (the default cipher suites' length). Encrypted
 * data (E or C set) is opaque; integrity-only data is the protected frame's EtherType and payload,
 * decoded on as after an Ethernet header. As tcpdump, a SecTAG is read only right after the MAC
 * addresses (not behind a VLAN tag).
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { macText } from './addr.js';
import { Layer } from './layers.js';
import { type Printer, hexBytes, longjmpCut, macName } from './print.js';
import { etherTypeText } from './ethertype.js';
import { EtherType } from '../numbers.js';

/** Field offsets of the SecTAG after its EtherType, its lengths and the ICV's. */
export const MacsecOffsets = { tciAn: 0, sl: 1, pn: 2, sci: 6, headerLen: 6, sciHeaderLen: 14, icvLen: 16 } as const;

/** TCI bits of the SecTAG's first byte (the association number is its low two bits). */
export const MacsecTci = { V: 0x80, ES: 0x40, SC: 0x20, SCB: 0x10, E: 0x08, C: 0x04 } as const;

/** tcpdump's flag letters, in its order. */
const FLAG_LETTERS: ReadonlyArray<readonly [number, string]> = [
  [MacsecTci.E, 'E'], [MacsecTci.C, 'C'], [MacsecTci.ES, 'S'], [MacsecTci.SCB, 'B'], [MacsecTci.SC, 'I'],
];

/** Zero-copy view of a SecTAG (from the byte after its EtherType). */
export class MacsecView extends ByteView {
  /** The frame's length on the wire from the SecTAG on. */
  declared = 0;
  /**
   * Points at a SecTAG: Truncated when its 6 bytes (14 with the SCI) are not all captured or the frame
   * is shorter, Malformed when the version bit or a reserved short-length bit is set.
   * @example ms.reset(bytes, 14, bytes.length - 14, wireLen - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number, declared = length): DecodeStatus {
    this.point(bytes, offset, length);
    this.declared = declared;
    const min = length >= MacsecOffsets.headerLen && this.hasSci ? MacsecOffsets.sciHeaderLen : MacsecOffsets.headerLen;
    if (this.length < min || declared < min) this.status = DecodeStatus.Truncated;
    else if ((this.tciAn & MacsecTci.V) !== 0 || ((bytes[offset + MacsecOffsets.sl] ?? 0) & 0xc0) !== 0) this.status = DecodeStatus.Malformed;
    else this.status = DecodeStatus.Ok;
    return this.status;
  }
  /** The TCI and AN byte. */
  get tciAn(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** The six TCI bits V, ES, SC, SCB, E, C as one number (the byte shifted right by 2). */
  get tci(): number {
    return this.tciAn >> 2;
  }
  /** Association number. */
  get an(): number {
    return this.tciAn & 3;
  }
  /** Short length: the secure data's length when below 48, else 0. */
  get sl(): number {
    return (this.bytes[this.offset + MacsecOffsets.sl] ?? 0) & 0x3f;
  }
  /** Packet number. */
  get pn(): number {
    return u32(this.bytes, this.offset + MacsecOffsets.pn);
  }
  /** True when the SecTAG carries the secure channel identifier (SC bit). */
  get hasSci(): boolean {
    return (this.tciAn & MacsecTci.SC) !== 0;
  }
  /** SecTAG length: 6, or 14 with the SCI. */
  get headerLen(): number {
    return this.hasSci ? MacsecOffsets.sciHeaderLen : MacsecOffsets.headerLen;
  }
  /** True when the secure data is encrypted or changed (E or C set): it cannot be decoded. */
  get confidential(): boolean {
    return (this.tciAn & (MacsecTci.E | MacsecTci.C)) !== 0;
  }
  /**
   * Captured bytes of integrity-only secure data (the protected EtherType and payload): what follows
   * the SecTAG less the ICV, at most the short length; -1 when the frame or the capture is too short
   * for the ICV or the short length (tcpdump's ` [|macsec]`).
   */
  get dataCap(): number {
    return this.secureData(this.length);
  }
  /** Length on the wire of the integrity-only secure data (as `dataCap`, from the frame's length). */
  get dataDeclared(): number {
    return this.secureData(this.declared);
  }
  /** The protected frame's EtherType or 802.3 length, when the data is integrity-only and holds it; -1 otherwise. */
  get protectedType(): number {
    return !this.confidential && this.status === DecodeStatus.Ok && this.dataCap >= 2 ? u16(this.bytes, this.offset + this.headerLen) : -1;
  }
  private secureData(total: number): number {
    const over = this.headerLen + MacsecOffsets.icvLen;
    if (this.length < over || this.declared < over) return -1;
    const sl = this.sl;
    if (sl === 0) return total - over;
    return sl > this.length - over || sl > this.declared - over ? -1 : sl;
  }
}

/** Parsed SecTAG for sinks. */
export interface MacsecRepr {
  /** TCI bits V, ES, SC, SCB, E, C (the first byte shifted right by 2). */
  tci: number;
  an: number;
  sl: number;
  pn: number;
  /** Secure channel identifier, 16 hex digits (the system's MAC and the port). */
  sci?: string;
  /** The protected frame's EtherType (or 802.3 length), when integrity-only and captured. */
  type?: number;
}

/** Builds the sink representation. */
export function macsecRepr(v: MacsecView): MacsecRepr {
  const r: MacsecRepr = { tci: v.tci, an: v.an, sl: v.sl, pn: v.pn };
  if (v.hasSci) r.sci = hexBytes(v.bytes, v.offset + MacsecOffsets.sci, 8);
  const t = v.protectedType;
  if (t >= 0) r.type = t;
  return r;
}

/** tcpdump's SecTAG text: `an A, pn N, flags F[, sl S][, sci X], `. */
function printSectag(c: Printer, v: MacsecView): void {
  const fl = FLAG_LETTERS.filter(([bit]) => v.tciAn & bit).map(([, l]) => l).join('');
  c.s += `an ${v.an}, pn ${v.pn}, flags ${fl || 'none'}`;
  if (v.sl !== 0) c.s += `, sl ${v.sl}`;
  if (v.hasSci) c.s += `, sci ${hexBytes(v.bytes, v.offset + MacsecOffsets.sci, 8)}`;
  c.s += ', ';
}

/**
 * Bytes of the frame tcpdump counts as link header for -x/-X/-A after a SecTAG at `v` (the SecTAG, and
 * the protected EtherType when integrity-only); -1 when it stops at the SecTAG and dumps nothing.
 */
export function macsecLinkBytes(v: MacsecView): number {
  if (v.status !== DecodeStatus.Ok) return -1;
  if (v.confidential) return v.headerLen;
  const cap = v.dataCap;
  return cap < 0 ? -1 : cap < 2 ? v.headerLen : v.headerLen + 2;
}

/**
 * tcpdump's MACsec text, inside its Ethernet printer: with -e the SecTAG; encrypted data as the MAC
 * addresses, `802.1AE MACsec` and the SecTAG (unless -e printed them) and a hex dump; integrity-only
 * data as the protected frame after an Ethernet header, the ICV left out.
 */
export function printMacsec(c: Printer, v: MacsecView, i: number): void {
  const p = c.parser;
  const st = p.status[i];
  if (st === DecodeStatus.Truncated) {
    c.s += ' [|macsec]';
    return;
  }
  if (st === DecodeStatus.Malformed) {
    c.s += ' (invalid)';
    return;
  }
  const e = c.opts.linkHeader;
  const eth = v.offset - 14;
  if (e) printSectag(c, v);
  const q = v.offset + v.headerLen;
  if (v.confidential) {
    if (!e) {
      c.s += `${macName(c.opts, macText(v.bytes, eth + 6))} > ${macName(c.opts, macText(v.bytes, eth))} 802.1AE MACsec, `;
      printSectag(c, v);
    }
    c.defaultDump(q);
    return;
  }
  const cap = v.dataCap;
  if (cap < 0) {
    c.s += ' [|macsec]';
    return;
  }
  // tcpdump moves its end of capture before the ICV and reads the type there
  if (v.offset + v.length - MacsecOffsets.icvLen - q < 2) return longjmpCut(c, 'ether');
  if (cap < 2) {
    c.s += ` [caplen ${cap} < 2]`;
    return;
  }
  const t = u16(v.bytes, q);
  const next = i + 1 < p.count ? p.kinds[i + 1] : Layer.None;
  if (t < 0x600) {
    if (e) c.s += '802.3';
    if (next === Layer.Llc || next === Layer.Ipx) c.layer(i + 1, Math.min(t, v.dataDeclared - 2));
    else c.s += ' [|llc]';
    return;
  }
  if (t === EtherType.JUMBO && next === Layer.Llc) {
    c.layer(i + 1, v.dataDeclared - 2);
    return;
  }
  if (e) c.s += `ethertype ${etherTypeText(t)}, `;
  if (next !== Layer.None) c.network(i + 1, t);
  else c.unknownEtherType(t, q + 2, eth, p.lens[i - 1] ?? 0, q + cap);
}
