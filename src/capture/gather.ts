/**
 * Gathered pcap records: the packet bytes stay where they are (in a capture ring) and `writev(2)`
 * hands them to the kernel with their 16-byte record headers, up to 1024 iovecs per call. The packet
 * bytes are never copied by JavaScript; the kernel copies them once, into the file.
 *
 * A record header goes in the 16 bytes just before the packet when the caller says they are free (in
 * a ring, the padding between the packet's sockaddr_ll and its frame), so header and packet are one
 * iovec; otherwise it is built in native memory here and takes an iovec of its own. Fewer iovecs
 * matter: for a file the kernel's copy costs about as much per iovec as per small packet.
 *
 * The owner must write the batch out before the memory the records point into changes (for a ring:
 * before a block goes back to the kernel).
 */
import { endianness } from 'node:os';
import { ERRNO, SyscallError, allocNative, lastErrno, raw, type NativeBuffer, type Pointer } from '../syscalls/index.js';
import type { GatherResult, NativeSource, RecordBatch } from '../pcap/writer.js';

/** Native memory that packets may point into, with its address. */
export interface NativeMemory {
  readonly bytes: Uint8Array;
  readonly address: Pointer;
}

/**
 * The `NativeSource` a pcap writer gathers from (`PcapWriter.gatherFrom`): the memory, and batches
 * that write records from it with writev(2).
 * @example writer.gatherFrom(nativeSource({ bytes: ring.bytes, address: ring.ptr }));
 */
export function nativeSource(mem: NativeMemory): NativeSource & NativeMemory {
  return { bytes: mem.bytes, address: mem.address, newBatch: () => new GatherBatch(mem) };
}

/** iovecs per writev (IOV_MAX), and so the most records a batch holds. */
export const GATHER_RECORDS = 1024;
const HEADER = 16;
const IOVEC = 16;
const TWO32 = 2 ** 32;
const LE = endianness() === 'LE';

/** Up to 1024 pcap records whose bytes are in a `NativeSource`. */
export class GatherBatch implements RecordBatch {
  /** The memory packets must lie in to be gathered. */
  readonly source: Uint8Array;
  /** Records pending. */
  count = 0;
  /** Bytes pending (headers and packet bytes). */
  bytes = 0;
  private entries = 0;
  private readonly mem: NativeBuffer;
  /** Record headers built here: four 32-bit words per record, host order. */
  private readonly hdr: Uint32Array;
  /** iovecs: {base lo, base hi, len lo, len hi} per entry. */
  private readonly iov: Uint32Array;
  /** Length of each record, header included (to cut a file back to whole records). */
  private readonly lens: Uint32Array;
  private readonly iovAddress: Pointer;
  private readonly hdrLo: number;
  private readonly hdrHi: number;
  private readonly srcLo: number;
  private readonly srcHi: number;
  private readonly srcView: DataView;

  constructor(source: NativeMemory) {
    this.source = source.bytes;
    this.srcView = new DataView(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength);
    this.srcLo = Number(source.address & 0xffffffffn);
    this.srcHi = Number(source.address >> 32n);
    this.mem = allocNative(GATHER_RECORDS * (HEADER + IOVEC));
    const ab = this.mem.bytes.buffer;
    const off = this.mem.bytes.byteOffset;
    this.hdr = new Uint32Array(ab, off, GATHER_RECORDS * 4);
    this.iov = new Uint32Array(ab, off + GATHER_RECORDS * HEADER, GATHER_RECORDS * 4);
    this.lens = new Uint32Array(GATHER_RECORDS);
    this.iovAddress = this.mem.ptr + BigInt(GATHER_RECORDS * HEADER);
    this.hdrLo = Number(this.mem.ptr & 0xffffffffn);
    this.hdrHi = Number(this.mem.ptr >> 32n);
  }

  /** Points iovec `e` at `len` bytes at `lo + off` (`hi` the high half of `lo`'s address). */
  private point(e: number, lo: number, hi: number, off: number, len: number): void {
    const w = e << 2;
    const a = lo + off;
    if (a < TWO32) {
      this.iov[w] = a;
      this.iov[w + 1] = hi;
    } else {
      this.iov[w] = a - TWO32;
      this.iov[w + 1] = hi + 1;
    }
    this.iov[w + 2] = len;
    this.iov[w + 3] = 0;
  }

  /**
   * Adds a record for `capLen` bytes at `offset` in the source; `headroom` says the 16 bytes before
   * `offset` may be overwritten with the record header. Returns true when the batch is full.
   */
  add(tsSec: number, tsFrac: number, capLen: number, wireLen: number, offset: number, headroom: boolean): boolean {
    const i = this.count;
    const e = this.entries;
    if (headroom) {
      const dv = this.srcView;
      const at = offset - HEADER;
      dv.setUint32(at, tsSec, LE);
      dv.setUint32(at + 4, tsFrac, LE);
      dv.setUint32(at + 8, capLen, LE);
      dv.setUint32(at + 12, wireLen, LE);
      this.point(e, this.srcLo, this.srcHi, at, HEADER + capLen);
      this.entries = e + 1;
    } else {
      const h = i << 2;
      const hdr = this.hdr;
      hdr[h] = tsSec;
      hdr[h + 1] = tsFrac;
      hdr[h + 2] = capLen;
      hdr[h + 3] = wireLen;
      this.point(e, this.hdrLo, this.hdrHi, i * HEADER, HEADER);
      this.point(e + 1, this.srcLo, this.srcHi, offset, capLen);
      this.entries = e + 2;
    }
    this.lens[i] = HEADER + capLen;
    this.count = i + 1;
    this.bytes += HEADER + capLen;
    return this.entries > GATHER_RECORDS - 2;
  }

  /** Bytes of record `i` (header included). */
  recordLength(i: number): number {
    return this.lens[i] ?? 0;
  }

  /**
   * Writes every pending record to `fd`, continuing after short writes and EINTR, and empties the
   * batch. On an error, `written` says how far the file got (maybe mid-record).
   */
  writeTo(fd: number): GatherResult {
    const entries = this.entries;
    const iov = this.iov;
    let idx = 0;
    let written = 0;
    let errno = 0;
    while (idx < entries) {
      const r = raw.writev(fd, this.iovAddress + BigInt(idx * IOVEC), entries - idx);
      if (r < 0) {
        const e = lastErrno();
        if (e === ERRNO.EINTR) continue;
        errno = e;
        break;
      }
      if (r === 0) {
        errno = ERRNO.ENOSPC;
        break;
      }
      written += r;
      if (written === this.bytes) break; // the usual case: everything at once
      let left = r;
      while (idx < entries && left >= (iov[(idx << 2) + 2] ?? 0)) {
        left -= iov[(idx << 2) + 2] ?? 0;
        idx++;
      }
      if (left > 0) {
        // A short write inside entry idx: point it past what was written (entries are rewritten by `add`).
        const w = idx << 2;
        this.point(idx, iov[w] ?? 0, iov[w + 1] ?? 0, left, (iov[w + 2] ?? 0) - left);
      }
    }
    this.clear();
    return { written, error: errno === 0 ? null : new SyscallError('writev', errno) };
  }

  /** Drops the pending records. */
  clear(): void {
    this.count = 0;
    this.bytes = 0;
    this.entries = 0;
  }

  /** Frees the native memory; the batch must not be used afterwards. */
  free(): void {
    this.mem.free();
  }
}
