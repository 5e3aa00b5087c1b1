/**
 * pcap and pcapng writers (draft-ietf-opsawg-pcap, draft-ietf-opsawg-pcapng). Records are appended to
 * one preallocated batch buffer; `flush()` writes the batch with one system call, as tcpdump's stdio
 * buffer does, so the writer costs no syscall and no allocation per packet. Only whole records ever
 * reach the file: when a write fails half-way (ENOSPC, EIO), the file is cut back with ftruncate to
 * the last whole record, so every reader sees a valid file up to the last whole packet.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { endianness, release, type as osType } from 'node:os';
import type { PacketSink, PacketView } from '../packet.js';
import { PacketType } from '../packet.js';
import type { ByteWritableStream } from '../streams.js';
import { ioError, PcapIoError } from './errors.js';
import {
  BlockType,
  BYTE_ORDER_MAGIC,
  EpbDirection,
  EpbOption,
  EpbReception,
  IdbOption,
  IsbOption,
  Option,
  PcapFileHeader,
  PcapMagic,
  PcapRecordHeader,
  ShbOption,
} from './format.js';

/** What one `RecordBatch.writeTo` did: bytes written in whole, and the error that stopped it. */
export interface GatherResult {
  written: number;
  error: Error | null;
}

/**
 * Pcap records whose packet bytes stay in native memory, written with writev(2). Implemented with
 * the capture code (`capture/gather.ts`), which owns native memory; this module only drives it.
 */
export interface RecordBatch {
  /** The memory packets must lie in to be gathered. */
  readonly source: Uint8Array;
  /** Records pending. */
  readonly count: number;
  /** Bytes pending (headers and packet bytes). */
  readonly bytes: number;
  /** Adds a record; true when the batch is full. */
  add(tsSec: number, tsFrac: number, capLen: number, wireLen: number, offset: number, headroom: boolean): boolean;
  /** Bytes of record `i` (header included). */
  recordLength(i: number): number;
  /** Writes every pending record to `fd` and empties the batch. */
  writeTo(fd: number): GatherResult;
  /** Drops the pending records. */
  clear(): void;
  /** Frees the batch's memory. */
  free(): void;
}

/** Native memory that packets may point into (a capture ring), and batches gathering from it. */
export interface NativeSource {
  readonly bytes: Uint8Array;
  /** A new batch of records pointing into this memory. */
  newBatch(): RecordBatch;
}

const BATCH = 1 << 20;

/**
 * Batch buffers of closed writers, handed to the next writer opened. A rotating capture (`-C`, `-G`)
 * opens a file every few seconds; a fresh 1 MiB buffer each time left the old ones to the major GC and
 * the C heap to fragment, so a sensor's RSS crept up for minutes.
 */
const spareBatches: Uint8Array[] = [];
const MAX_SPARE_BATCHES = 2;

function takeBatch(): Uint8Array {
  return spareBatches.pop() ?? new Uint8Array(BATCH);
}
/** Files are written in the host's byte order, as libpcap and tcpdump do. */
const LE = endianness() === 'LE';

/** Frames up to this size are copied four bytes at a time, without a view object per packet. */
const SMALL_FRAME = 128;
let lastSrc: Uint8Array | undefined;
let lastSrcView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

/**
 * Copies `n` frame bytes. Large frames go through one memcpy on a short-lived subarray; small ones
 * (the common case at high packet rates) are copied as 32-bit words through DataViews kept per
 * buffer, which measured faster and leaves nothing for the garbage collector.
 */
function copyBytes(src: Uint8Array, from: number, dst: Uint8Array, dstView: DataView<ArrayBufferLike>, to: number, n: number): void {
  if (n > SMALL_FRAME) {
    dst.set(src.subarray(from, from + n), to);
    return;
  }
  if (src !== lastSrc) {
    lastSrc = src;
    lastSrcView = new DataView(src.buffer, src.byteOffset, src.byteLength);
  }
  const sv = lastSrcView;
  let i = 0;
  for (; i + 4 <= n; i += 4) dstView.setUint32(to + i, sv.getUint32(from + i));
  for (; i < n; i++) dst[to + i] = src[from + i] ?? 0;
}

/** `epb_flags` for a `PacketType` (0 = no flags option). */
export function flagsFromPktType(pktType: number): number {
  switch (pktType) {
    case PacketType.HOST:
      return EpbDirection.INBOUND | (EpbReception.UNICAST << 2);
    case PacketType.BROADCAST:
      return EpbDirection.INBOUND | (EpbReception.BROADCAST << 2);
    case PacketType.MULTICAST:
      return EpbDirection.INBOUND | (EpbReception.MULTICAST << 2);
    case PacketType.OTHERHOST:
      return EpbDirection.INBOUND | (EpbReception.PROMISCUOUS << 2);
    case PacketType.OUTGOING:
      return EpbDirection.OUTBOUND;
    default:
      return 0;
  }
}

/**
 * One classic pcap file that several threads append to (fanout workers writing one `-w FILE`): its
 * descriptor, opened and given its header by `openSharedPcap`, and `lock`, shared memory holding a
 * lock word (Int32 0: 0 free, 1 held) and the file's end offset (BigInt64 at byte 8). A writer
 * holds the lock for each batch it writes, so batches of different threads never interleave.
 */
export interface SharedFileTarget {
  fd: number;
  path: string;
  lock: SharedArrayBuffer;
}

/** Where a writer's bytes go: a path (opened and truncated), `-` for stdout, a writable stream, or a shared file. */
export type WriteTarget = string | ByteWritableStream | SharedFileTarget;

function isSharedTarget(t: WriteTarget): t is SharedFileTarget {
  return typeof t === 'object' && 'lock' in t && t.lock instanceof SharedArrayBuffer;
}

/** Writes a classic pcap file header at `o` of `dv`; returns its length. */
function putPcapHeader(dv: DataView, o: number, opts: PcapWriterOptions): number {
  dv.setUint32(o + PcapFileHeader.magic, opts.nano === true ? PcapMagic.NANO : PcapMagic.MICRO, LE);
  dv.setUint16(o + PcapFileHeader.versionMajor, 2, LE);
  dv.setUint16(o + PcapFileHeader.versionMinor, 4, LE);
  dv.setUint32(o + PcapFileHeader.thiszone, 0, LE);
  dv.setUint32(o + PcapFileHeader.sigfigs, 0, LE);
  dv.setUint32(o + PcapFileHeader.snaplen, opts.snaplen, LE);
  dv.setUint32(o + PcapFileHeader.linkType, opts.linkType, LE);
  return PcapFileHeader.LENGTH;
}

/**
 * Creates (truncates) a classic pcap file, writes its header and returns it as a target several
 * `PcapWriter`s in several threads can append to. The caller closes `fd` once every writer is closed.
 * Throws PcapIoError when the file cannot be created or written.
 */
export function openSharedPcap(path: string, opts: PcapWriterOptions): SharedFileTarget {
  const header = new Uint8Array(PcapFileHeader.LENGTH);
  const n = putPcapHeader(new DataView(header.buffer), 0, opts);
  let fd = -1;
  try {
    fd = openSync(path, 'w', 0o644);
    writeSync(fd, header, 0, n);
  } catch (err) {
    if (fd >= 0) closeSync(fd);
    throw ioError(path, err);
  }
  const lock = new SharedArrayBuffer(16);
  new BigInt64Array(lock, 8, 1)[0] = BigInt(n);
  return { fd, path, lock };
}

/** Batching, whole-record file output shared by both formats. */
abstract class BatchWriter implements PacketSink {
  /** The path written, `-` for stdout, or `stream`. */
  readonly path: string;
  /** Packets accepted by `write` so far. */
  packets = 0;
  protected out = takeBatch();
  protected dv = new DataView(this.out.buffer);
  /** Bytes pending in `out`. */
  protected len = 0;
  /** Bytes the target has accepted, always a whole-record boundary. */
  protected fileBytes = 0;
  protected readonly flushEach: boolean;
  private readonly fd: number = -1;
  private readonly stream: ByteWritableStream | null = null;
  /** A file other threads append to as well: its lock word and end offset. */
  protected readonly share: { lock: Int32Array; end: BigInt64Array } | null = null;
  private err: PcapIoError | null = null;
  private errReported = false;
  private needDrain = false;
  private closed = false;
  /** Records gathered from native memory instead of copied into `out` (see `gatherFrom`). */
  protected gather: RecordBatch | null = null;

  constructor(target: WriteTarget, flushEach: boolean) {
    this.flushEach = flushEach;
    if (isSharedTarget(target)) {
      this.path = target.path;
      this.fd = target.fd;
      this.share = { lock: new Int32Array(target.lock, 0, 1), end: new BigInt64Array(target.lock, 8, 1) };
    } else if (typeof target === 'string' && target !== '-') {
      this.path = target;
      try {
        this.fd = openSync(target, 'w', 0o644);
      } catch (err) {
        throw ioError(target, err);
      }
    } else {
      this.path = typeof target === 'string' ? '-' : 'stream';
      const stream = target === '-' ? process.stdout : (target as ByteWritableStream);
      this.stream = stream;
      stream.on('error', (err: unknown) => {
        this.err ??= ioError(this.path, err);
      });
    }
  }

  /** Bytes in the current file so far, including the unflushed batch (what `ftell` says for tcpdump -C). */
  get size(): number {
    return this.fileBytes + this.len + (this.gather?.bytes ?? 0);
  }

  /**
   * Lets records of packets that lie in `source` (a capture ring) go to the file with writev(2)
   * instead of being copied into the batch. Only for files (not streams) and without
   * `flushEachPacket`; returns whether it took effect. The caller must call `flushGathered()` before
   * that memory changes (a ring block going back to the kernel); `flush` and `close` do it too.
   */
  gatherFrom(source: NativeSource): boolean {
    if (this.fd < 0 || this.flushEach || this.closed || !this.supportsGather()) return false;
    this.gather?.free();
    this.gather = source.newBatch();
    return true;
  }

  /** Whether this format can gather records (subclasses that use `gather` in `write` say yes). */
  protected supportsGather(): boolean {
    return false;
  }

  /** Writes the gathered records now (before the memory they point into is reused). */
  flushGathered(): void {
    const g = this.gather;
    if (g !== null && g.count > 0) this.atEnd(() => this.writeGathered(g));
  }

  /**
   * Runs `write` with `fileBytes` at the file's end: for a shared file, under its lock, taking the end
   * other threads left and leaving the new one; otherwise it is always so.
   */
  private atEnd(write: () => void): void {
    const sh = this.share;
    if (sh === null) return write();
    while (Atomics.compareExchange(sh.lock, 0, 0, 1) !== 0) Atomics.wait(sh.lock, 0, 1, 50);
    try {
      this.fileBytes = Number(sh.end[0]);
      write();
      sh.end[0] = BigInt(this.fileBytes);
    } finally {
      Atomics.store(sh.lock, 0, 0);
      Atomics.notify(sh.lock, 0, 1);
    }
  }

  private writeGathered(g: RecordBatch): void {
    if (this.err !== null) {
      g.clear(); // the error is already kept
      return;
    }
    const records = g.count;
    const { written, error } = g.writeTo(this.fd);
    if (error === null) {
      this.fileBytes += written;
      return;
    }
    this.err = ioError(this.path, error);
    let i = 0;
    this.keepWholeUnits(written, () => (i < records ? g.recordLength(i++) : Number.POSITIVE_INFINITY));
  }

  /**
   * After a write failed `done` bytes into a run of units whose lengths `nextUnit` gives in order,
   * cuts the file back to the last whole unit so it stays readable.
   */
  private keepWholeUnits(done: number, nextUnit: (off: number) => number): void {
    let whole = 0;
    while (whole < done) {
      const u = nextUnit(whole);
      if (whole + u > done) break;
      whole += u;
    }
    try {
      ftruncateSync(this.fd, this.fileBytes + whole);
    } catch {
      // The write error is the one worth reporting.
    }
    this.fileBytes += whole;
  }

  /** The first write or close error, if any (also thrown once by flush or close). */
  get error(): PcapIoError | null {
    return this.err;
  }

  abstract write(pkt: PacketView): void;

  /** Length of the whole record (or header) that starts at `off` in the batch; `fileOff` is its file offset. */
  protected abstract unitLength(off: number, fileOff: number): number;

  /** Bytes appended at close (pcapng statistics). */
  protected finish(): void {}

  /** True when records may be appended (no error, not closed). */
  protected get open(): boolean {
    return this.err === null && !this.closed;
  }

  /** Makes room for `n` more bytes, writing the batch out if it is full. */
  protected reserve(n: number): void {
    if (this.len + n <= this.out.length) return;
    this.writeOut();
    if (n > this.out.length) {
      this.out = new Uint8Array(n);
      this.dv = new DataView(this.out.buffer);
    }
  }

  /** Appends whole records to the batch (called once per record by subclasses). */
  protected committed(n: number): void {
    this.len += n;
    this.packets++;
    if (this.flushEach) this.writeOut();
  }

  /** Writes the batch to the target; never throws (the error is kept for flush/close). */
  protected writeOut(): void {
    if (this.share !== null && (this.len > 0 || (this.gather?.count ?? 0) > 0)) this.atEnd(() => this.writeBatch());
    else this.writeBatch();
  }

  private writeBatch(): void {
    if (this.gather !== null && this.gather.count > 0) this.writeGathered(this.gather);
    const len = this.len;
    if (len === 0 || this.err !== null) {
      this.len = 0;
      return;
    }
    if (this.stream !== null) {
      // The stream keeps the chunk, so it gets its own copy; the batch buffer is reused.
      const ok = this.stream.write(Buffer.from(this.out.subarray(0, len)));
      if (!ok) this.needDrain = true;
      this.fileBytes += len;
      this.len = 0;
      return;
    }
    let done = 0;
    try {
      while (done < len) done += writeSync(this.fd, this.out, done, len - done);
    } catch (err) {
      this.err = ioError(this.path, err);
      this.keepWholeUnits(done, (off) => this.unitLength(off, this.fileBytes + off));
    }
    if (this.err === null) this.fileBytes += len;
    this.len = 0;
  }

  private takeError(): PcapIoError | null {
    if (this.err === null || this.errReported) return null;
    this.errReported = true;
    return this.err;
  }

  /**
   * Writes the batch; for a stream, resolves when it has drained. Throws `PcapIoError` (once) when a
   * write failed.
   */
  flush(): void | Promise<void> {
    if (this.closed) return;
    this.writeOut();
    const e = this.takeError();
    if (e !== null) throw e;
    if (this.needDrain && this.stream !== null) return this.drain();
  }

  private async drain(): Promise<void> {
    const stream = this.stream;
    if (stream === null) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('close', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
      stream.on('error', done);
    });
    this.needDrain = false;
    const e = this.takeError();
    if (e !== null) throw e;
  }

  /** Synchronous close for file targets (used when rotating); errors are kept for the next flush/close. */
  closeSync(): void {
    if (this.closed) return;
    if (this.err === null) this.finish();
    this.writeOut();
    this.closed = true;
    this.gather?.free();
    this.gather = null;
    this.giveBackBatch();
    // a shared file's descriptor belongs to whoever opened it, who closes it after every writer
    if (this.fd >= 0 && this.share === null) {
      try {
        closeSync(this.fd);
      } catch (err) {
        this.err ??= ioError(this.path, err);
      }
    }
  }

  /** Puts the (empty) batch buffer where the next writer finds it; this writer writes nothing more. */
  private giveBackBatch(): void {
    if (this.out.length !== BATCH || spareBatches.length >= MAX_SPARE_BATCHES) return;
    spareBatches.push(this.out);
    this.out = new Uint8Array(0);
    this.dv = new DataView(this.out.buffer);
  }

  /** Takes a kept error once (for owners that closed this writer with `closeSync`). */
  reportError(): PcapIoError | null {
    return this.takeError();
  }

  /**
   * Writes what is pending (and the closing blocks), closes the file; resolves when the data is in
   * the file (a stream other than stdout/stderr is ended). Throws `PcapIoError` for an unreported
   * write or close error.
   */
  async close(): Promise<void> {
    if (this.closed) {
      const e = this.takeError();
      if (e !== null) throw e;
      return;
    }
    if (this.stream === null) {
      this.closeSync();
    } else {
      if (this.err === null) this.finish();
      this.writeOut();
      this.closed = true;
      const stream = this.stream;
      if (stream !== process.stdout && stream !== process.stderr && this.err === null) {
        await new Promise<void>((resolve) => {
          stream.once('error', () => resolve());
          stream.end(() => resolve());
        });
      } else if (this.needDrain && this.err === null) {
        await this.drain().catch(() => undefined);
      }
    }
    const e = this.takeError();
    if (e !== null) throw e;
  }
}

/** Options of `PcapWriter`. */
export interface PcapWriterOptions {
  /** LINKTYPE_* written in the file header. */
  linkType: number;
  /** Snapshot length in the header; longer frames are cut to it. */
  snaplen: number;
  /** Nanosecond magic and timestamps (default false: microseconds). */
  nano?: boolean;
  /** Write every packet at once (`-U`). */
  flushEachPacket?: boolean;
}

/**
 * Writes a classic pcap file in the host's byte order, like `tcpdump -w`.
 * @example
 * const w = new PcapWriter('out.pcap', { linkType: LinkType.EN10MB, snaplen: 262144, nano: false });
 * w.write(packet); await w.flush(); await w.close();
 */
export class PcapWriter extends BatchWriter {
  private readonly snaplen: number;
  private readonly nano: boolean;

  constructor(target: WriteTarget, opts: PcapWriterOptions) {
    super(target, opts.flushEachPacket === true);
    this.snaplen = opts.snaplen;
    this.nano = opts.nano ?? false;
    // a shared file got its header from openSharedPcap
    if (this.share !== null) return;
    this.len = putPcapHeader(this.dv, 0, opts);
    if (this.flushEach) this.writeOut();
  }

  /** Appends one record to the batch (cut to the snaplen); never throws. */
  write(pkt: PacketView): void {
    if (!this.open) return;
    let cap = pkt.capLen;
    if (this.snaplen > 0 && cap > this.snaplen) cap = this.snaplen;
    const g = this.gather;
    if (g !== null) {
      if (pkt.buf === g.source) {
        this.record(pkt.tsSec, pkt.tsNsec, pkt.capLen, pkt.wireLen, pkt.offset);
        return;
      }
      if (g.count > 0) this.writeOut();
    }
    const n = PcapRecordHeader.LENGTH + cap;
    this.reserve(n);
    const dv = this.dv;
    const o = this.len;
    dv.setUint32(o + PcapRecordHeader.tsSec, pkt.tsSec, LE);
    dv.setUint32(o + PcapRecordHeader.tsFrac, this.nano ? pkt.tsNsec : Math.floor(pkt.tsNsec / 1000), LE);
    dv.setUint32(o + PcapRecordHeader.inclLen, cap, LE);
    dv.setUint32(o + PcapRecordHeader.origLen, pkt.wireLen, LE);
    copyBytes(pkt.buf, pkt.offset, this.out, dv, o + PcapRecordHeader.LENGTH, cap);
    this.committed(n);
  }

  /**
   * A packet that lies in the source given to `gatherFrom`, by its place there (`RingRecordSink`,
   * for `Capture.dispatchRecords`); `headroom` bytes before `offset` are free for the record header.
   * Ignored unless gathering is on.
   */
  record(tsSec: number, tsNsec: number, capLen: number, wireLen: number, offset: number, headroom = 0): void {
    const g = this.gather;
    if (g === null || !this.open) return;
    const cap = this.snaplen > 0 && capLen > this.snaplen ? this.snaplen : capLen;
    if (this.len > 0) this.writeOut(); // records stay in order: the batch first
    if (g.add(tsSec, this.nano ? tsNsec : Math.floor(tsNsec / 1000), cap, wireLen, offset, headroom >= PcapRecordHeader.LENGTH)) this.writeOut();
    this.packets++;
  }

  /** Whether `record` takes packets now (gathering is on). */
  get gathering(): boolean {
    return this.gather !== null;
  }

  protected override supportsGather(): boolean {
    return true;
  }

  protected unitLength(off: number, fileOff: number): number {
    if (fileOff === 0) return PcapFileHeader.LENGTH;
    return PcapRecordHeader.LENGTH + this.dv.getUint32(off + PcapRecordHeader.inclLen, LE);
  }
}

/** Options of `PcapngWriter` (they describe interface 0). */
export interface PcapngWriterOptions {
  /** LINKTYPE_* of interface 0. */
  linkType: number;
  /** Snapshot length of interface 0; longer frames are cut to it. */
  snaplen: number;
  /** `if_name` of interface 0. */
  ifName?: string;
  /** `if_filter`: the capture filter expression. */
  filter?: string;
  /** Packets whose `ifindex` equals this go to interface 0 (when several interfaces are recorded). */
  ifindex?: number;
  /** `shb_os` (default: `os.type() os.release()`). */
  os?: string;
  /** `shb_userappl` (default `tscap`). */
  userAppl?: string;
  /** Write every packet at once (`-U`). */
  flushEachPacket?: boolean;
}

/** An extra interface for `PcapngWriter.addInterface`. */
export interface PcapngInterfaceOptions {
  /** LINKTYPE_* of the interface. */
  linkType: number;
  /** Snapshot length. */
  snaplen: number;
  /** `if_name`. */
  ifName?: string;
  /** `if_filter` expression. */
  filter?: string;
  /** Packets whose `ifindex` equals this go to this interface. */
  ifindex?: number;
}

interface IfaceOut {
  linkType: number;
  snaplen: number;
  ifindex: number;
  received: number;
  dropped: number;
  statsSet: boolean;
  written: number;
}

const encoder = new TextEncoder();

/**
 * Writes a pcapng file: SHB (`shb_userappl`, `shb_os`), one IDB per interface (`if_name`,
 * `if_filter`, `if_tsresol` = 9), EPBs with direction flags, and an ISB per interface at close.
 * @example
 * const w = new PcapngWriter('out.pcapng', { linkType: 1, snaplen: 262144, ifName: 'eth0', filter: 'tcp' });
 * w.write(packet); w.setInterfaceStats(100, 0); await w.close();
 */
export class PcapngWriter extends BatchWriter {
  private readonly ifaces: IfaceOut[] = [];
  private lastLink: number;
  private lastId = 0;
  private byIfindex = false;

  constructor(target: WriteTarget, opts: PcapngWriterOptions) {
    super(target, opts.flushEachPacket === true);
    this.writeShb(opts.os ?? `${osType()} ${release()}`, opts.userAppl ?? 'tscap');
    const first: PcapngInterfaceOptions = { linkType: opts.linkType, snaplen: opts.snaplen };
    if (opts.ifName !== undefined) first.ifName = opts.ifName;
    if (opts.filter !== undefined) first.filter = opts.filter;
    if (opts.ifindex !== undefined) first.ifindex = opts.ifindex;
    this.lastLink = opts.linkType;
    this.addInterface(first);
    if (this.flushEach) this.writeOut();
  }

  /** Adds an Interface Description Block; returns its interface id. */
  addInterface(opts: PcapngInterfaceOptions): number {
    const opt: Array<[number, Uint8Array]> = [];
    if (opts.ifName !== undefined) opt.push([IdbOption.NAME, encoder.encode(opts.ifName)]);
    if (opts.filter !== undefined) {
      const expr = encoder.encode(opts.filter);
      const v = new Uint8Array(expr.length + 1);
      v.set(expr, 1); // leading 0: the filter is an expression string
      opt.push([IdbOption.FILTER, v]);
    }
    opt.push([IdbOption.TSRESOL, Uint8Array.of(9)]);
    const o = this.beginBlock(BlockType.IDB, 8, opt);
    this.dv.setUint16(o + 8, opts.linkType, LE);
    this.dv.setUint16(o + 10, 0, LE);
    this.dv.setUint32(o + 12, opts.snaplen, LE);
    this.endBlock(o, 8, opt);
    if (opts.ifindex !== undefined) this.byIfindex = true;
    this.ifaces.push({
      linkType: opts.linkType,
      snaplen: opts.snaplen,
      ifindex: opts.ifindex ?? -1,
      received: 0,
      dropped: 0,
      statsSet: false,
      written: 0,
    });
    return this.ifaces.length - 1;
  }

  /** Counts written into the ISB at close: `isb_ifrecv` and `isb_ifdrop` (interface 0 by default). */
  setInterfaceStats(received: number, dropped: number, interfaceId = 0): void {
    const f = this.ifaces[interfaceId];
    if (f === undefined) return;
    f.received = received;
    f.dropped = dropped;
    f.statsSet = true;
  }

  private interfaceFor(pkt: PacketView): number {
    if (this.byIfindex) {
      for (let i = 0; i < this.ifaces.length; i++) if (this.ifaces[i]!.ifindex === pkt.ifindex) return i;
    }
    if (pkt.linkType === this.lastLink) return this.lastId;
    let id = this.ifaces.findIndex((f) => f.linkType === pkt.linkType && f.ifindex === -1);
    if (id < 0) id = this.addInterface({ linkType: pkt.linkType, snaplen: this.ifaces[0]!.snaplen });
    this.lastLink = pkt.linkType;
    this.lastId = id;
    return id;
  }

  /** Appends one Enhanced Packet Block (cut to the interface's snaplen); never throws. */
  write(pkt: PacketView): void {
    if (!this.open) return;
    const id = this.interfaceFor(pkt);
    const f = this.ifaces[id]!;
    let cap = pkt.capLen;
    if (f.snaplen > 0 && cap > f.snaplen) cap = f.snaplen;
    const padded = (cap + 3) & ~3;
    const flags = flagsFromPktType(pkt.pktType);
    const total = 28 + padded + (flags !== 0 ? 12 : 0) + 4;
    this.reserve(total);
    const dv = this.dv;
    const o = this.len;
    dv.setUint32(o, BlockType.EPB, LE);
    dv.setUint32(o + 4, total, LE);
    dv.setUint32(o + 8, id, LE);
    // Nanoseconds since the epoch as two exact 32-bit halves (the product passes 2^53).
    const sec = pkt.tsSec;
    const sLo = sec % 65536;
    const sHi = (sec - sLo) / 65536;
    const q = sHi * 1e9;
    const qLo = q % 65536;
    const low = qLo * 65536 + sLo * 1e9 + pkt.tsNsec;
    const lo32 = low % 4294967296;
    const hi32 = (q - qLo) / 65536 + (low - lo32) / 4294967296;
    dv.setUint32(o + 12, hi32, LE);
    dv.setUint32(o + 16, lo32, LE);
    dv.setUint32(o + 20, cap, LE);
    dv.setUint32(o + 24, pkt.wireLen, LE);
    const out = this.out;
    copyBytes(pkt.buf, pkt.offset, out, dv, o + 28, cap);
    let p = o + 28 + cap;
    while (p < o + 28 + padded) out[p++] = 0;
    if (flags !== 0) {
      dv.setUint16(p, EpbOption.FLAGS, LE);
      dv.setUint16(p + 2, 4, LE);
      dv.setUint32(p + 4, flags, LE);
      dv.setUint32(p + 8, 0, LE); // opt_endofopt
      p += 12;
    }
    dv.setUint32(p, total, LE);
    f.written++;
    this.committed(total);
  }

  protected override finish(): void {
    const nowNs = BigInt(Date.now()) * 1000000n;
    const hi = Number(nowNs >> 32n);
    const lo = Number(nowNs & 0xffffffffn);
    for (let id = 0; id < this.ifaces.length; id++) {
      const f = this.ifaces[id]!;
      const opt: Array<[number, Uint8Array]> = [];
      if (f.statsSet) {
        opt.push([IsbOption.IFRECV, u64Bytes(f.received)]);
        opt.push([IsbOption.IFDROP, u64Bytes(f.dropped)]);
      }
      opt.push([IsbOption.USRDELIV, u64Bytes(f.written)]);
      const o = this.beginBlock(BlockType.ISB, 12, opt);
      this.dv.setUint32(o + 8, id, LE);
      this.dv.setUint32(o + 12, hi, LE);
      this.dv.setUint32(o + 16, lo, LE);
      this.endBlock(o, 12, opt);
    }
  }

  private writeShb(os: string, appl: string): void {
    const opt: Array<[number, Uint8Array]> = [
      [ShbOption.OS, encoder.encode(os)],
      [ShbOption.USERAPPL, encoder.encode(appl)],
    ];
    const o = this.beginBlock(BlockType.SHB, 16, opt);
    const dv = this.dv;
    dv.setUint32(o + 8, BYTE_ORDER_MAGIC, LE);
    dv.setUint16(o + 12, 1, LE);
    dv.setUint16(o + 14, 0, LE);
    dv.setInt32(o + 16, -1, LE); // section length unknown
    dv.setInt32(o + 20, -1, LE);
    this.endBlock(o, 16, opt);
  }

  /** Reserves and starts a non-packet block with a fixed body of `fixed` bytes; returns its offset. */
  private beginBlock(type: number, fixed: number, opt: Array<[number, Uint8Array]>): number {
    const total = blockLength(fixed, opt);
    this.reserve(total);
    const o = this.len;
    this.out.fill(0, o, o + total);
    this.dv.setUint32(o, type, LE);
    this.dv.setUint32(o + 4, total, LE);
    return o;
  }

  /** Writes options and trailer of a block begun with `beginBlock` and commits it. */
  private endBlock(o: number, fixed: number, opt: Array<[number, Uint8Array]>): void {
    const total = blockLength(fixed, opt);
    const dv = this.dv;
    let p = o + 8 + fixed;
    for (const [code, value] of opt) {
      dv.setUint16(p, code, LE);
      dv.setUint16(p + 2, value.length, LE);
      this.out.set(value, p + 4);
      p += 4 + ((value.length + 3) & ~3);
    }
    if (opt.length > 0) {
      dv.setUint32(p, Option.ENDOFOPT, LE);
      p += 4;
    }
    dv.setUint32(p, total, LE);
    this.len += total;
    if (this.flushEach) this.writeOut();
  }

  protected unitLength(off: number): number {
    return this.dv.getUint32(off + 4, LE);
  }
}

function blockLength(fixed: number, opt: Array<[number, Uint8Array]>): number {
  let n = 8 + fixed + 4;
  for (const [, v] of opt) n += 4 + ((v.length + 3) & ~3);
  if (opt.length > 0) n += 4;
  return n;
}

function u64Bytes(v: number): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  const lo = v % 4294967296;
  const hi = (v - lo) / 4294967296;
  dv.setUint32(LE ? 0 : 4, lo, LE);
  dv.setUint32(LE ? 4 : 0, hi, LE);
  return b;
}
