/**
 * The Per-Packet Information header (PPI spec 1.0.10; LINKTYPE_PPI): version, flags, length and the
 * DLT of the packet that follows, then type-length fields (little-endian). The 802.11-common field
 * (type 2) is decoded for the Repr; tcpdump prints only the header (with -e) and the inner packet.
 */
import { ByteView, DecodeStatus, u16le, u32le } from './status.js';
import type { Printer } from './print.js';
import { defaultPrint } from './wlan.js';

/** Field offsets of the PPI header and of the 802.11-common field body. */
export const PpiOffsets = {
  version: 0, flags: 1, len: 2, dlt: 4, headerLen: 8,
  commonTsf: 0, commonFlags: 8, commonRate: 10, commonFreq: 12, commonChanFlags: 14, commonFhssSet: 16, commonFhssPattern: 17,
  commonSignal: 18, commonNoise: 19, commonLen: 20,
} as const;

/** PPI field type of the 802.11-common field. */
export const PPI_80211_COMMON = 2;

/** Zero-copy view of a PPI header. */
export class PpiView extends ByteView {
  /**
   * Points at a PPI header: Truncated when the capture misses its 8 bytes or its stated length,
   * Malformed when that length is below 8 or above 65532.
   * @example ppi.reset(bytes, 0, bytes.length);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    if (this.length < PpiOffsets.headerLen) return (this.status = DecodeStatus.Truncated);
    const n = this.headerLen;
    if (n < PpiOffsets.headerLen || n > 65532) return (this.status = DecodeStatus.Malformed);
    return (this.status = this.length < n ? DecodeStatus.Truncated : DecodeStatus.Ok);
  }
  /** Version (0). */
  get version(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Flags (bit 0: 32-bit alignment). */
  get flags(): number {
    return this.bytes[this.offset + 1] ?? 0;
  }
  /** Length of the header and its fields. */
  get headerLen(): number {
    return u16le(this.bytes, this.offset + PpiOffsets.len);
  }
  /** DLT of the packet that follows. */
  get dlt(): number {
    return u32le(this.bytes, this.offset + PpiOffsets.dlt);
  }
  /** Offset of the 802.11-common field body, or -1 when the header has none (whole). */
  get commonOffset(): number {
    const b = this.bytes;
    const end = this.offset + Math.min(this.headerLen, this.length);
    for (let q = this.offset + PpiOffsets.headerLen; q + 4 <= end; ) {
      const t = u16le(b, q);
      const n = u16le(b, q + 2);
      if (t === PPI_80211_COMMON && n >= PpiOffsets.commonLen && q + 4 + PpiOffsets.commonLen <= end) return q + 4;
      q += 4 + n;
    }
    return -1;
  }
}

/** Parsed PPI header for sinks, with the 802.11-common field when present. */
export interface PpiRepr {
  version: number;
  flags: number;
  len: number;
  dlt: number;
  common?: { tsft: string; flags: number; rate: number; channelFreq: number; channelFlags: number; fhssHopSet: number; fhssPattern: number; dbmAntSignal: number; dbmAntNoise: number };
}

/** Builds the sink representation. */
export function ppiRepr(v: PpiView): PpiRepr {
  const r: PpiRepr = { version: v.version, flags: v.flags, len: v.headerLen, dlt: v.dlt };
  if (v.status !== DecodeStatus.Ok) return r;
  const c = v.commonOffset;
  if (c >= 0) {
    const b = v.bytes;
    const O = PpiOffsets;
    const h = (k: number): number => u16le(b, c + k);
    const s8 = (k: number): number => ((b[c + k] ?? 0) << 24) >> 24;
    const lo = u32le(b, c);
    const hi = u32le(b, c + 4);
    r.common = {
      tsft: (BigInt(hi) * 0x100000000n + BigInt(lo)).toString(), flags: h(O.commonFlags), rate: h(O.commonRate),
      channelFreq: h(O.commonFreq), channelFlags: h(O.commonChanFlags), fhssHopSet: b[c + O.commonFhssSet] ?? 0,
      fhssPattern: b[c + O.commonFhssPattern] ?? 0, dbmAntSignal: s8(O.commonSignal), dbmAntNoise: s8(O.commonNoise),
    };
  }
  return r;
}

/** libpcap's names of the DLTs a PPI header may announce (pcap_datalink_val_to_name). */
const DLT_NAMES: Readonly<Record<number, string>> = {
  0: 'NULL', 1: 'EN10MB', 101: 'RAW', 105: 'IEEE802_11', 113: 'LINUX_SLL', 119: 'PRISM_HEADER', 127: 'IEEE802_11_RADIO',
  163: 'IEEE802_11_RADIO_AVS', 192: 'PPI', 276: 'LINUX_SLL2',
};

/** tcpdump's PPI text: the header with -e (or before a hex dump of a DLT it cannot print), then the packet. */
export function printPpi(c: Printer, v: PpiView, i: number): void {
  if (v.status === DecodeStatus.Truncated) {
    c.s += ' [|ppi]';
    return;
  }
  const len = v.headerLen;
  if (v.status === DecodeStatus.Malformed) {
    c.s += ` [length ${len} < 8 or > 65532] (invalid)`;
    return;
  }
  const wire = c.pkt.wireLen;
  const dlt = v.dlt;
  const name = DLT_NAMES[dlt] ?? 'UNKNOWN';
  const header = `${c.opts.quiet ? name : `V.${v.version} DLT ${name} (${dlt}) len ${len}`}, length ${wire}: `;
  if (c.opts.linkHeader) c.s += header;
  if (i + 1 < c.parser.count) {
    c.layer(i + 1, wire - len);
    return;
  }
  if (!c.opts.linkHeader) c.s += header;
  // tcpdump's default print, which -q, -x and -X (not -A) suppress
  const o = c.opts;
  if (!o.quiet && o.hex === 0 && o.hexAscii === 0) c.s += defaultPrint(v.bytes, v.offset + len, v.length - len);
}
