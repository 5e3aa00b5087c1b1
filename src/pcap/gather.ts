/**
 * Gathered pcap records: the 16-byte record headers are built in native memory and the packet bytes
 * stay where they are (in a capture ring), and `writev(2)` hands both to the kernel in one call per 512
 * records. The packet bytes are never copied by JavaScript; the kernel copies them once, into the file.
 *
 * The owner must write the batch out before the memory the records point into changes (for a ring:
 * before a block goes back to the kernel).
 */
import { ERRNO, allocNative, lastErrno, raw, type NativeBuffer, type Pointer } from '../syscalls/index.js';

/** Native memory that packets may point into, with its address. */
export interface NativeSource {
  readonly bytes: Uint8Array;
  readonly address: Pointer;
}

/** Records per writev: two iovecs each, IOV_MAX (1024) iovecs per call. */
export const GATHER_RECORDS = 512;
const HEADER = 16;
const IOVEC = 16;
const TWO32 = 2 ** 32;

/** What one `writeTo` did: bytes written in whole, and the errno that stopped it (0 when none). */
export interface GatherResult {
  written: number;
  errno: number;
}

/** Up to 512 pcap records whose headers are here and whose bytes are in a `NativeSource`. */
export class GatherBatch {
  /** The memory packets must lie in to be gathered. */
  readonly source: Uint8Array;
  /** Records pending. */
  count = 0;
  /** Bytes pending (headers and packet bytes). */
  bytes = 0;
  private readonly mem: NativeBuffer;
  /** Record headers: four 32-bit words per record, host order. */
  private readonly hdr: Uint32Array;
  /** iovecs: {base lo, base hi, len lo, len hi} per entry; entry 2i is header i, 2i+1 its packet bytes. */
  private readonly iov: Uint32Array;
  private readonly iovAddress: Pointer;
  private readonly srcLo: number;
  private readonly srcHi: number;
  private readonly fixedHigh: boolean;

  constructor(source: NativeSource) {
    this.source = source.bytes;
    this.srcLo = Number(source.address & 0xffffffffn);
    this.srcHi = Number(source.address >> 32n);
    this.mem = allocNative(GATHER_RECORDS * (HEADER + 2 * IOVEC));
    const ab = this.mem.bytes.buffer;
    const off = this.mem.bytes.byteOffset;
    this.hdr = new Uint32Array(ab, off, GATHER_RECORDS * 4);
    this.iov = new Uint32Array(ab, off + GATHER_RECORDS * HEADER, GATHER_RECORDS * 8);
    this.iovAddress = this.mem.ptr + BigInt(GATHER_RECORDS * HEADER);
    // Where the source does not cross a 4 GiB line (always, for a ring mapped in one piece), the high
    // halves of the packet iovecs never change: written once here, not per packet.
    const end = source.address + BigInt(Math.max(0, source.bytes.length - 1));
    this.fixedHigh = end >> 32n === source.address >> 32n;
    for (let i = 0; i < GATHER_RECORDS; i++) {
      this.resetHeaderIovec(i);
      this.iov[i * 8 + 5] = this.srcHi;
      this.iov[i * 8 + 7] = 0;
    }
  }

  private resetHeaderIovec(i: number): void {
    const a = this.mem.ptr + BigInt(i * HEADER);
    const w = i * 8;
    this.iov[w] = Number(a & 0xffffffffn);
    this.iov[w + 1] = Number(a >> 32n);
    this.iov[w + 2] = HEADER;
    this.iov[w + 3] = 0;
  }

  /** Adds a record for `capLen` bytes at `offset` in the source; returns true when the batch is full. */
  add(tsSec: number, tsFrac: number, capLen: number, wireLen: number, offset: number): boolean {
    const i = this.count;
    const h = i << 2;
    const hdr = this.hdr;
    hdr[h] = tsSec;
    hdr[h + 1] = tsFrac;
    hdr[h + 2] = capLen;
    hdr[h + 3] = wireLen;
    const w = (i << 3) + 4;
    const iov = this.iov;
    if (this.fixedHigh) {
      iov[w] = this.srcLo + offset;
    } else {
      const lo = this.srcLo + offset;
      iov[w] = lo % TWO32;
      iov[w + 1] = this.srcHi + Math.floor(lo / TWO32);
    }
    iov[w + 2] = capLen;
    this.count = i + 1;
    this.bytes += HEADER + capLen;
    return i + 1 === GATHER_RECORDS;
  }

  /** Bytes of record `i` (header included). */
  recordLength(i: number): number {
    return HEADER + (this.hdr[(i << 2) + 2] ?? 0);
  }

  /**
   * Writes every pending record to `fd`, continuing after short writes and EINTR, and empties the
   * batch. On an error, `written` says how far the file got (maybe mid-record).
   */
  writeTo(fd: number): GatherResult {
    const entries = this.count * 2;
    const iov = this.iov;
    let idx = 0;
    let written = 0;
    let errno = 0;
    let adjusted = -1;
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
        // A short write inside entry idx: point it past what was written.
        const w = idx << 2;
        const lo = (iov[w] ?? 0) + left;
        iov[w] = lo % TWO32;
        iov[w + 1] = (iov[w + 1] ?? 0) + Math.floor(lo / TWO32);
        iov[w + 2] = (iov[w + 2] ?? 0) - left;
        if ((idx & 1) === 0) adjusted = idx >> 1;
      }
    }
    if (adjusted >= 0) this.resetHeaderIovec(adjusted);
    this.clear();
    return { written, errno };
  }

  /** Drops the pending records. */
  clear(): void {
    this.count = 0;
    this.bytes = 0;
  }

  /** Frees the native memory; the batch must not be used afterwards. */
  free(): void {
    this.mem.free();
  }
}
