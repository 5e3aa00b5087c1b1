/**
 * Minimal classic pcap reader and writer for tests (the tcpdump.org pcap file format: 24-byte global
 * header, 16-byte record headers, either byte order, micro- or nanosecond magic). Test-only: the
 * library's own reader lives in src/pcap/.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** One record of a pcap file; `data` is a view into the file's bytes. */
export interface LiteRecord {
  tsSec: number;
  /** Fraction of the second in the file's unit (micro- or nanoseconds). */
  tsFrac: number;
  data: Uint8Array;
  wireLen: number;
}

/** A whole pcap file in memory. */
export interface LitePcap {
  linkType: number;
  snaplen: number;
  nanosecond: boolean;
  records: LiteRecord[];
}

/** Parses a classic pcap file held in memory; throws on a header it does not know. */
export function parsePcap(bytes: Uint8Array): LitePcap {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24) throw new Error('pcap-lite: file shorter than the global header');
  const magicLE = dv.getUint32(0, true);
  let le: boolean;
  let nanosecond: boolean;
  if (magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d) {
    le = true;
    nanosecond = magicLE === 0xa1b23c4d;
  } else {
    const magicBE = dv.getUint32(0, false);
    if (magicBE !== 0xa1b2c3d4 && magicBE !== 0xa1b23c4d) throw new Error(`pcap-lite: bad magic 0x${magicLE.toString(16)}`);
    le = false;
    nanosecond = magicBE === 0xa1b23c4d;
  }
  const snaplen = dv.getUint32(16, le);
  const linkType = dv.getUint32(20, le) & 0x0fffffff;
  const records: LiteRecord[] = [];
  let off = 24;
  while (off + 16 <= bytes.length) {
    const capLen = dv.getUint32(off + 8, le);
    if (off + 16 + capLen > bytes.length) break; // a cut last record, as tcpdump -w leaves on SIGKILL
    records.push({
      tsSec: dv.getUint32(off, le),
      tsFrac: dv.getUint32(off + 4, le),
      wireLen: dv.getUint32(off + 12, le),
      data: bytes.subarray(off + 16, off + 16 + capLen),
    });
    off += 16 + capLen;
  }
  return { linkType, snaplen, nanosecond, records };
}

/** Reads a classic pcap file. */
export function readPcap(path: string): LitePcap {
  return parsePcap(new Uint8Array(readFileSync(path)));
}

/** Serialises records as a little-endian microsecond pcap (or nanosecond when asked). */
export function encodePcap(linkType: number, records: readonly LiteRecord[], snaplen = 262144, nanosecond = false): Uint8Array {
  let size = 24;
  for (const r of records) size += 16 + r.data.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, snaplen, true);
  dv.setUint32(20, linkType, true);
  let off = 24;
  for (const r of records) {
    dv.setUint32(off, r.tsSec, true);
    dv.setUint32(off + 4, r.tsFrac, true);
    dv.setUint32(off + 8, r.data.length, true);
    dv.setUint32(off + 12, r.wireLen, true);
    out.set(r.data, off + 16);
    off += 16 + r.data.length;
  }
  return out;
}

/** Writes records as a pcap file. */
export function writePcap(path: string, linkType: number, records: readonly LiteRecord[], snaplen = 262144): void {
  writeFileSync(path, encodePcap(linkType, records, snaplen));
}
