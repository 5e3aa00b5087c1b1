/**
 * SS7 MTP2 (ITU-T Q.703): LINKTYPE_MTP2 (140) and LINKTYPE_MTP2_WITH_PHDR (139, a 4-byte
 * pseudo-header: sent flag, Annex A flag, little-endian link number). The signal unit header is
 * backward and forward sequence numbers with their indicator bits and the length indicator; an MSU
 * carries the service information octet and, for ITU MTP3, a 4-byte routing label. With Annex A
 * (Q.703 extended sequence numbers, flagged in the pseudo-header) the three fields are 2 bytes each,
 * little-endian, as Wireshark reads them. tcpdump has no
 * MTP2 printer: it prints `UNSUPPORTED` and the bytes, and so does this one; the Repr has the fields.
 */
import { ByteView, type DecodeStatus, u32le } from './status.js';
import { type Printer, hexAsciiDump } from './print.js';

/** Field offsets of the MTP2 header (after any pseudo-header). */
export const Mtp2Offsets = { bsn: 0, fsn: 1, li: 2, sio: 3, label: 4, headerLen: 3, phdrLen: 4 } as const;

/** Zero-copy view of an MTP2 signal unit. */
export class Mtp2View extends ByteView {
  /** Pseudo-header length (4 for LINKTYPE_MTP2_WITH_PHDR, else 0). */
  phdr = 0;
  /** Annex A (extended sequence numbers): 2-byte BSN, FSN and LI fields. */
  annexA = false;
  /**
   * Points at a signal unit; Truncated below its 3-byte header (after the pseudo-header).
   * @example mtp2.reset(bytes, 0, bytes.length, false);
   */
  reset(bytes: Uint8Array, offset: number, length: number, withPhdr = false): DecodeStatus {
    this.phdr = withPhdr ? Mtp2Offsets.phdrLen : 0;
    this.annexA = withPhdr && length >= 2 && bytes[offset + 1] === 1;
    return this.pointAtLeast(bytes, offset, length, this.phdr + this.headerLen);
  }
  /** Signal unit header length: 3, or 6 with Annex A. */
  get headerLen(): number {
    return this.annexA ? 6 : Mtp2Offsets.headerLen;
  }
  /** Byte at `f` past the pseudo-header. */
  at(f: number): number {
    return this.bytes[this.offset + this.phdr + f] ?? 0;
  }
  /** Little-endian 16-bit field at `f` past the pseudo-header. */
  at16(f: number): number {
    return this.at(f) | (this.at(f + 1) << 8);
  }
  /** Length indicator (0 FISU, 1..2 LSSU, more MSU). */
  get li(): number {
    return this.annexA ? this.at16(4) & 0x1ff : this.at(Mtp2Offsets.li) & 0x3f;
  }
}

/** Parsed MTP2 signal unit. */
export interface Mtp2Repr {
  /** Pseudo-header fields (LINKTYPE_MTP2_WITH_PHDR). */
  sent?: number;
  annexA?: number;
  linkNumber?: number;
  bsn: number;
  bib: number;
  fsn: number;
  fib: number;
  li: number;
  /** 'fisu', 'lssu' or 'msu' by the length indicator. */
  unit: string;
  /** LSSU status field. */
  status?: number;
  /** MSU service information octet: service indicator (low 4 bits) and network indicator (top 2). */
  sio?: number;
  /** ITU routing label of an MSU: destination and origin point codes and link selection. */
  dpc?: number;
  opc?: number;
  sls?: number;
}

/** Builds the sink representation. */
export function mtp2Repr(v: Mtp2View): Mtp2Repr {
  const O = Mtp2Offsets;
  const li = v.li;
  const x = v.annexA;
  const r: Mtp2Repr = {
    bsn: x ? v.at16(0) & 0x0fff : v.at(O.bsn) & 0x7f, bib: x ? v.at16(0) >> 15 : v.at(O.bsn) >> 7,
    fsn: x ? v.at16(2) & 0x0fff : v.at(O.fsn) & 0x7f, fib: x ? v.at16(2) >> 15 : v.at(O.fsn) >> 7, li,
    unit: li === 0 ? 'fisu' : li < 3 ? 'lssu' : 'msu',
  };
  const sio = v.headerLen;
  const label = sio + 1;
  if (v.phdr) {
    const b = v.bytes;
    r.sent = b[v.offset] ?? 0;
    r.annexA = b[v.offset + 1] ?? 0;
    r.linkNumber = (b[v.offset + 2] ?? 0) | ((b[v.offset + 3] ?? 0) << 8);
  }
  const cap = v.length - v.phdr;
  if (li >= 1 && li < 3 && cap > sio) r.status = v.at(sio);
  if (li >= 3 && cap > sio) r.sio = v.at(sio);
  if (li >= 3 && cap >= label + 4) {
    const l = u32le(v.bytes, v.offset + v.phdr + label);
    r.dpc = l & 0x3fff;
    r.opc = Math.floor(l / 0x4000) & 0x3fff;
    r.sls = Math.floor(l / 0x10000000) & 0xf;
  }
  return r;
}

/** tcpdump's text for a link type it has no printer for: `UNSUPPORTED` and the captured bytes. */
export function printMtp2(c: Printer, v: Mtp2View): void {
  c.s += 'UNSUPPORTED' + hexAsciiDump(v.bytes, v.offset, Math.max(0, c.pkt.offset + c.pkt.capLen - v.offset));
}
