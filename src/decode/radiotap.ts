/**
 * The radiotap capture header (radiotap.org; LINKTYPE_IEEE802_11_RADIOTAP): version, length, one or
 * more presence bitmaps (bit 31 extends, bit 29 returns to the radiotap namespace, bit 30 enters a
 * vendor namespace whose fields are skipped), then the fields in bit order, each aligned to its
 * natural size from the start of the header. The Flags field says whether the 802.11 frame that
 * follows carries an FCS and padding after its MAC header.
 */
import { ByteView, DecodeStatus, u16le as le16, u32le as le32 } from './status.js';
import type { Printer } from './print.js';
import { WlanArg } from './wlan.js';

/** Field offsets of the fixed header. */
export const RadiotapOffsets = { version: 0, pad: 1, len: 2, present: 4, headerLen: 8 } as const;

/** Presence bits tcpdump prints. */
export const RadiotapBit = {
  TSFT: 0, FLAGS: 1, RATE: 2, CHANNEL: 3, FHSS: 4, DBM_ANTSIGNAL: 5, DBM_ANTNOISE: 6, LOCK_QUALITY: 7, TX_ATTENUATION: 8,
  DB_TX_ATTENUATION: 9, DBM_TX_POWER: 10, ANTENNA: 11, DB_ANTSIGNAL: 12, DB_ANTNOISE: 13, RX_FLAGS: 14, XCHANNEL: 18, MCS: 19,
  AMPDU_STATUS: 20, VHT: 21, NAMESPACE: 29, VENDOR_NAMESPACE: 30, EXT: 31,
} as const;

/** Flags field bits. */
export const RadiotapFlags = { CFP: 0x01, SHORTPRE: 0x02, WEP: 0x04, FRAG: 0x08, FCS: 0x10, DATAPAD: 0x20, BADFCS: 0x40 } as const;

/** Component layout of each known field: sizes in reading order (each aligned to its own size). */
const FIELD_PARTS: ReadonlyArray<readonly number[] | undefined> = (() => {
  const a: Array<readonly number[] | undefined> = [];
  a[0] = [8]; a[1] = [1]; a[2] = [1]; a[3] = [2, 2]; a[4] = [1, 1]; a[5] = [1]; a[6] = [1]; a[7] = [2]; a[8] = [2]; a[9] = [1];
  a[10] = [1]; a[11] = [1]; a[12] = [1]; a[13] = [1]; a[14] = [2]; a[18] = [4, 2, 1, 1]; a[19] = [1, 1, 1]; a[20] = [4, 2, 1, 1];
  a[21] = [2, 1, 1, 1, 1, 1, 1, 1, 1, 2];
  return a;
})();

const SPEC_DB_TX_ATTENUATION: readonly number[] = [2];

/** One field met by the walk: its bit number (namespace-relative plus 32 per word) and component offsets. */
export interface RadiotapField {
  /** Bit number, or -1 for a vendor namespace header cut by it_len (a truncation marker in the text). */
  bit: number;
  /** Index of the presence word the field was read under. */
  word: number;
  /** Offsets of the components (absolute, in the bytes). */
  at: number[];
}

/** What a walk over the fields found. */
export interface RadiotapWalk {
  /** The Flags field value (0 when absent). */
  flags: number;
  /** Fields in order. */
  fields: RadiotapField[];
  /** How it ended early: a field cut by the header length ('trunc'), an unknown bit ('bit'), or ''. */
  stop: '' | 'trunc' | 'bit';
  /** The unknown bit number when `stop` is 'bit'. */
  stopBit: number;
  /** Presence words in order. */
  words: number[];
}

/**
 * Walks the radiotap fields as tcpdump's cpack reader does (alignment from the header start, the
 * namespace rules, stop at a field it cannot size). `hdr` is the header start, `len` its it_len.
 * tcpdump reads dB TX attenuation (bit 9) as one byte; with `spec` it is read as the two bytes
 * radiotap defines (the Repr's reading).
 */
export function walkRadiotap(b: Uint8Array, hdr: number, len: number, spec = false): RadiotapWalk {
  const w: RadiotapWalk = { flags: 0, fields: [], stop: '', stopBit: 0, words: [] };
  w.flags = walk(b, hdr, len, spec, w);
  return w;
}

/** The Flags field tcpdump would read (0 when absent), without allocating: for the view's reset. */
export function radiotapFlags(b: Uint8Array, hdr: number, len: number): number {
  return walk(b, hdr, len, false, undefined);
}

/** The walk itself; records words and fields into `w` when given; returns the Flags value. */
function walk(b: Uint8Array, hdr: number, len: number, spec: boolean, w: RadiotapWalk | undefined): number {
  let flags = 0;
  let last = hdr + 4;
  while (last + 4 <= hdr + len && ((b[last + 3] ?? 0) & 0x80) !== 0) last += 4;
  let cur = last + 4 - hdr;
  let bit0 = 0;
  let vendor = false;
  let skip = 0;
  let word = -1;
  for (let wp = hdr + 4; wp <= last; wp += 4) {
    const present = le32(b, wp);
    word++;
    w?.words.push(present);
    if (vendor) {
      if (cur + skip > len) break;
      cur += skip;
      skip = 0;
    } else {
      let fatal = false;
      for (let bitno = 0; bitno < 29; bitno++) {
        if ((present & (1 << bitno)) === 0) continue;
        const bit = bit0 + bitno;
        const parts = spec && bit === RadiotapBit.DB_TX_ATTENUATION ? SPEC_DB_TX_ATTENUATION : FIELD_PARTS[bit];
        if (parts === undefined) {
          if (w) {
            w.stop = 'bit';
            w.stopBit = bit;
          }
          fatal = true;
          break;
        }
        const at: number[] | undefined = w ? [] : undefined;
        let first = 0;
        for (let k = 0; k < parts.length; k++) {
          const n = parts[k]!;
          // each component aligned to its own size from the header start
          const q = (cur + n - 1) & ~(n - 1);
          if (q + n > len) {
            fatal = true;
            break;
          }
          if (k === 0) first = hdr + q;
          at?.push(hdr + q);
          cur = q + n;
        }
        if (fatal) {
          if (w) w.stop = 'trunc';
          break;
        }
        if (bit === RadiotapBit.FLAGS) flags = b[first] ?? 0;
        if (w && at) w.fields.push({ bit, word, at });
      }
      if (fatal) break;
    }
    const ns = present & 0x60000000;
    if (ns === 0) bit0 += 32;
    else if (ns === 0x20000000) {
      bit0 = 0;
      vendor = false;
      skip = 0;
    } else if (ns === 0x40000000) {
      bit0 = 0;
      vendor = true;
      // the OUI and sub-namespace bytes are read where the cursor is; only the skip length aligns
      const q = (cur + 4 + 1) & ~1;
      if (((cur + 1) & ~1) + 2 > len || cur + 4 > len || q + 2 > len) {
        w?.fields.push({ bit: -1, word, at: [] });
        continue;
      }
      skip = le16(b, hdr + q);
      cur = q + 2;
    }
  }
  return flags;
}

/** Zero-copy view of a radiotap header. */
export class RadiotapView extends ByteView {
  /** it_len: the whole header's length. */
  headerLen = 0;
  /** The Flags field (0 when absent). */
  flags = 0;

  /**
   * Points at a radiotap header. Truncated when the capture misses the fixed part or it_len bytes;
   * Malformed when it_len is below 8 or the presence bitmaps run past it.
   * @example rt.reset(bytes, 0, bytes.length);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.flags = 0;
    this.headerLen = 0;
    if (this.length < RadiotapOffsets.headerLen) return (this.status = DecodeStatus.Truncated);
    const len = le16(bytes, offset + RadiotapOffsets.len);
    this.headerLen = len;
    if (len < RadiotapOffsets.headerLen) return (this.status = DecodeStatus.Malformed);
    if (this.length < len) return (this.status = DecodeStatus.Truncated);
    let last = offset + 4;
    while (last + 4 <= offset + len && ((bytes[last + 3] ?? 0) & 0x80) !== 0) last += 4;
    if (last + 4 > offset + len) return (this.status = DecodeStatus.Malformed);
    this.flags = radiotapFlags(bytes, offset, len);
    return (this.status = DecodeStatus.Ok);
  }
  /** Header version. */
  get version(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** `arg` for the 802.11 home: padding and FCS as the Flags field says. */
  get wlanArg(): number {
    return WlanArg.FROM_RADIO | (this.flags & RadiotapFlags.DATAPAD ? WlanArg.PAD : 0) | (this.flags & RadiotapFlags.FCS ? WlanArg.FCS : 0);
  }
}

/** Parsed radiotap header for sinks: the presence words and the fields tcpdump reads, by name. */
export interface RadiotapRepr {
  version: number;
  len: number;
  present: number[];
  tsft?: string;
  flags?: number;
  rate?: number;
  channelFreq?: number;
  channelFlags?: number;
  fhss?: { hopSet: number; hopPattern: number };
  dbmAntSignal?: number;
  dbmAntNoise?: number;
  lockQuality?: number;
  txAttenuation?: number;
  dbTxAttenuation?: number;
  dbmTxPower?: number;
  antenna?: number;
  dbAntSignal?: number;
  dbAntNoise?: number;
  rxFlags?: number;
  xchannel?: { flags: number; freq: number; channel: number; maxPower: number };
  mcs?: { known: number; flags: number; index: number };
  ampdu?: { reference: number; flags: number; delimCrc: number };
  vht?: { known: number; flags: number; bandwidth: number; mcsNss: number[]; coding: number; groupId: number; partialAid: number };
}

/** Builds the sink representation; fields of later antennas (a repeated bit) keep the first value. */
export function radiotapRepr(v: RadiotapView): RadiotapRepr {
  const b = v.bytes;
  const r: RadiotapRepr = { version: v.version, len: v.headerLen, present: [] };
  if (v.status !== DecodeStatus.Ok) return r;
  const w = walkRadiotap(b, v.offset, v.headerLen, true);
  r.present = w.words;
  const s8 = (o: number): number => ((b[o] ?? 0) << 24) >> 24;
  for (const f of w.fields) {
    const a = f.at;
    const u = (k: number): number => b[a[k]!] ?? 0;
    const h = (k: number): number => le16(b, a[k]!);
    switch (f.bit) {
      case 0: r.tsft ??= (BigInt(le32(b, a[0]! + 4)) * 0x100000000n + BigInt(le32(b, a[0]!))).toString(); break;
      case 1: r.flags ??= u(0); break;
      case 2: r.rate ??= u(0); break;
      case 3: r.channelFreq ??= h(0); r.channelFlags ??= h(1); break;
      case 4: r.fhss ??= { hopSet: u(0), hopPattern: u(1) }; break;
      case 5: r.dbmAntSignal ??= s8(a[0]!); break;
      case 6: r.dbmAntNoise ??= s8(a[0]!); break;
      case 7: r.lockQuality ??= h(0); break;
      case 8: r.txAttenuation ??= h(0); break;
      case 9: r.dbTxAttenuation ??= h(0); break;
      case 10: r.dbmTxPower ??= s8(a[0]!); break;
      case 11: r.antenna ??= u(0); break;
      case 12: r.dbAntSignal ??= u(0); break;
      case 13: r.dbAntNoise ??= u(0); break;
      case 14: r.rxFlags ??= h(0); break;
      case 18: r.xchannel ??= { flags: le32(b, a[0]!), freq: h(1), channel: u(2), maxPower: u(3) }; break;
      case 19: r.mcs ??= { known: u(0), flags: u(1), index: u(2) }; break;
      case 20: r.ampdu ??= { reference: le32(b, a[0]!), flags: h(1), delimCrc: u(2) }; break;
      case 21: r.vht ??= { known: h(0), flags: u(1), bandwidth: u(2), mcsNss: [u(3), u(4), u(5), u(6)], coding: u(7), groupId: u(8), partialAid: h(9) }; break;
    }
  }
  return r;
}

const HT_BW = ['20 MHz', '40 MHz', '20 MHz (L)', '20 MHz (U)'];
const VHT_BW = [
  '20 MHz', '40 MHz', '20 MHz (L)', '20 MHz (U)', '80 MHz', '80 MHz (L)', '80 MHz (U)', '80 MHz (LL)', '80 MHz (LU)', '80 MHz (UL)',
  '80 MHz (UU)', '160 MHz', '160 MHz (L)', '160 MHz (U)', '160 MHz (LL)', '160 MHz (LU)', '160 MHz (UL)', '160 MHz (UU)',
  '160 MHz (LLL)', '160 MHz (LLU)', '160 MHz (LUL)', '160 MHz (UUU)', '160 MHz (ULL)', '160 MHz (ULU)', '160 MHz (UUL)',
  '160 MHz (UUU)', 'unknown (26)', 'unknown (27)', 'unknown (28)', 'unknown (29)', 'unknown (30)', 'unknown (31)',
];
/** HT data rates in Mb/s per MCS index: 20 MHz long GI, 20 MHz short GI, 40 MHz long GI, 40 MHz short GI. */
const HT_RATES: readonly (readonly number[])[] = [
  [6.5, 7.2, 13.5, 15],
  [13, 14.4, 27, 30],
  [19.5, 21.7, 40.5, 45],
  [26, 28.9, 54, 60],
  [39, 43.3, 81, 90],
  [52, 57.8, 108, 120],
  [58.5, 65, 121.5, 135],
  [65, 72.2, 135, 150],
  [13, 14.4, 27, 30],
  [26, 28.9, 54, 60],
  [39, 43.3, 81, 90],
  [52, 57.8, 108, 120],
  [78, 86.7, 162, 180],
  [104, 115.6, 216, 240],
  [117, 130, 243, 270],
  [130, 144.4, 270, 300],
  [19.5, 21.7, 40.5, 45],
  [39, 43.3, 81, 90],
  [58.5, 65, 121.5, 135],
  [78, 86.7, 162, 180],
  [117, 130, 243, 270],
  [156, 173.3, 324, 360],
  [175.5, 195, 364.5, 405],
  [195, 216.7, 405, 450],
  [26, 28.9, 54, 60],
  [52, 57.8, 108, 120],
  [78, 86.7, 162, 180],
  [104, 115.6, 216, 240],
  [156, 173.3, 324, 360],
  [208, 231.1, 432, 480],
  [234, 260, 486, 540],
  [260, 288.9, 540, 600],
  [0, 0, 6, 6.7],
  [39, 43.3, 81, 90],
  [52, 57.8, 108, 120],
  [65, 72.2, 135, 150],
  [58.5, 65, 121.5, 135],
  [78, 86.7, 162, 180],
  [97.5, 108.3, 202.5, 225],
  [52, 57.8, 108, 120],
  [65, 72.2, 135, 150],
  [65, 72.2, 135, 150],
  [78, 86.7, 162, 180],
  [91, 101.1, 189, 210],
  [91, 101.1, 189, 210],
  [104, 115.6, 216, 240],
  [78, 86.7, 162, 180],
  [97.5, 108.3, 202.5, 225],
  [97.5, 108.3, 202.5, 225],
  [117, 130, 243, 270],
  [136.5, 151.7, 283.5, 315],
  [136.5, 151.7, 283.5, 315],
  [156, 173.3, 324, 360],
  [65, 72.2, 135, 150],
  [78, 86.7, 162, 180],
  [91, 101.1, 189, 210],
  [78, 86.7, 162, 180],
  [91, 101.1, 189, 210],
  [104, 115.6, 216, 240],
  [117, 130, 243, 270],
  [104, 115.6, 216, 240],
  [117, 130, 243, 270],
  [130, 144.4, 270, 300],
  [130, 144.4, 270, 300],
  [143, 158.9, 297, 330],
  [97.5, 108.3, 202.5, 225],
  [117, 130, 243, 270],
  [136.5, 151.7, 283.5, 315],
  [117, 130, 243, 270],
  [136.5, 151.7, 283.5, 315],
  [156, 173.3, 324, 360],
  [175.5, 195, 364.5, 405],
  [156, 173.3, 324, 360],
  [175.5, 195, 364.5, 405],
  [195, 216.7, 405, 450],
  [195, 216.7, 405, 450],
  [214.5, 238.3, 445.5, 495],
];

/** tcpdump's channel text: frequency, PHY from the flags (11n when an MCS field is present), HT width. */
function chanInfo(freq: number, flags: number, present: number): string {
  let s = `${freq} MHz`;
  if (present & (1 << RadiotapBit.MCS)) s += ' 11n';
  else {
    if ((flags & 0x0880) === 0x0880) s += ' FHSS';
    if ((flags & 0x0140) === 0x0140) s += flags & 0x4000 ? ' 11a/10Mhz' : flags & 0x8000 ? ' 11a/5Mhz' : ' 11a';
    if ((flags & 0x00c0) === 0x00c0 || (flags & 0x0480) === 0x0480) s += flags & 0x4000 ? ' 11g/10Mhz' : flags & 0x8000 ? ' 11g/5Mhz' : ' 11g';
    else if ((flags & 0x00a0) === 0x00a0) s += ' 11b';
    if (flags & 0x0010) s += ' Turbo';
  }
  if (flags & 0x10000) s += ' ht/20';
  else if (flags & 0x40000) s += ' ht/40-';
  else if (flags & 0x20000) s += ' ht/40+';
  return s + ' ';
}

/** The text of one field (`present`: its presence word). */
function fieldText(b: Uint8Array, f: RadiotapField, present: number): string {
  const a = f.at;
  const u = (k: number): number => b[a[k]!] ?? 0;
  const s8 = (k: number): number => (u(k) << 24) >> 24;
  const h = (k: number): number => le16(b, a[k]!);
  switch (f.bit) {
    case 0: return `${BigInt(le32(b, a[0]! + 4)) * 0x100000000n + BigInt(le32(b, a[0]!))}us tsft `;
    case 1: {
      const v = u(0);
      return (v & 1 ? 'cfp ' : '') + (v & 2 ? 'short preamble ' : '') + (v & 4 ? 'wep ' : '') + (v & 8 ? 'fragmented ' : '') + (v & 0x40 ? 'bad-fcs ' : '');
    }
    case 2: {
      const r = u(0);
      return r >= 0x80 && r <= 0x8f ? `MCS ${r & 0x7f} ` : `${(r / 2).toFixed(1)} Mb/s `;
    }
    case 3: return present & (1 << RadiotapBit.XCHANNEL) ? '' : chanInfo(h(0), h(1), present);
    case 4: return `fhset ${u(0)} fhpat ${u(1)} `;
    case 5: return `${s8(0)}dBm signal `;
    case 6: return `${s8(0)}dBm noise `;
    case 7: return `${h(0)} sq `;
    case 8: return `${-((h(0) << 16) >> 16)} tx power `;
    case 9: return `${-s8(0)}dB tx attenuation `;
    case 10: return `${s8(0)}dBm tx power `;
    case 11: return `antenna ${u(0)} `;
    case 12: return `${u(0)}dB signal `;
    case 13: return `${u(0)}dB noise `;
    case 18: return chanInfo(h(1), le32(b, a[0]!), present);
    case 19: {
      const known = u(0);
      const fl = u(1);
      const idx = u(2);
      let s = '';
      if (known & 0x02) {
        const rate = idx <= 76 && known & 0x05 ? (HT_RATES[idx]?.[((fl & 3) === 1 ? 2 : 0) + (fl & 4 ? 1 : 0)] ?? 0) : 0;
        s += rate !== 0 ? `${rate.toFixed(1)} Mb/s MCS ${idx} ` : `MCS ${idx} `;
      }
      if (known & 0x01) s += `${HT_BW[fl & 3]} `;
      if (known & 0x04) s += fl & 4 ? 'short GI ' : 'long GI ';
      if (known & 0x08) s += fl & 8 ? 'greenfield ' : 'mixed ';
      if (known & 0x10) s += fl & 0x10 ? 'LDPC FEC ' : 'BCC FEC ';
      if (known & 0x20) s += `RX-STBC${(fl & 0x60) >> 5} `;
      return s;
    }
    case 21: {
      const known = h(0);
      const fl = u(1);
      let s = '';
      for (let k = 0; k < 4; k++) {
        const mn = u(3 + k);
        if ((mn & 0x0f) === 0) continue;
        s += `User ${k} MCS ${mn >> 4} ${u(7) & (1 << k) ? 'LDPC' : 'BCC'} FEC `;
      }
      if (known & 0x40) s += `${VHT_BW[u(2) & 0x1f]} `;
      if (known & 0x04) s += fl & 4 ? 'short GI ' : 'long GI ';
      return s;
    }
    default: return '';
  }
}

/** tcpdump's radiotap text (printed at every -v level, with or without -e), then the 802.11 frame. */
export function printRadiotap(c: Printer, v: RadiotapView, i: number): void {
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|802.11_radio]';
    return;
  }
  const b = v.bytes;
  const w = walkRadiotap(b, v.offset, v.headerLen);
  // the channel text depends on the presence word the field was read under, as tcpdump passes it
  for (const f of w.fields) c.s += f.bit < 0 ? ' [|802.11_radio]' : fieldText(b, f, w.words[f.word] ?? 0);
  if (w.stop === 'bit') c.s += `[bit ${w.stopBit}] `;
  else if (w.stop === 'trunc') c.s += ' [|802.11_radio]';
  if (i + 1 < c.parser.count) c.layer(i + 1, 0);
  else c.s += ' [|802.11]';
}
