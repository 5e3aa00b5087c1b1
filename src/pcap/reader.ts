/**
 * pcap and pcapng reader (draft-ietf-opsawg-pcap, draft-ietf-opsawg-pcapng). The file is read in
 * chunks into one buffer; records are parsed in place and handed out through ONE re-pointed
 * `PacketView`, so reading allocates nothing per packet. Every length is checked against the bytes
 * present and the 256 MiB cap before it is used: corrupt input ends in a `PcapFormatError` carrying
 * the byte offset, never a huge allocation or a hang.
 */
import { open as openFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { FileSource, StreamSource, type ByteSource } from './source.js';
import { emptyPacket, PacketType } from '../packet.js';
import type { PacketView } from '../packet.js';
import type { ByteReadableStream } from '../streams.js';
import { ioError, PcapFormatError } from './errors.js';
import {
  BlockType,
  BYTE_ORDER_MAGIC,
  BYTE_ORDER_MAGIC_SWAPPED,
  EpbDirection,
  EpbOption,
  EpbReception,
  IdbOption,
  IsbOption,
  MAX_BLOCK,
  MAX_CAPLEN,
  NrbRecord,
  Option,
  PcapFileHeader,
  PcapMagic,
  PcapRecordHeader,
  ShbOption,
} from './format.js';

/** Counters from an Interface Statistics Block (absent options stay undefined). */
export interface PcapInterfaceStats {
  /** `isb_ifrecv`: packets received by the interface. */
  received?: number;
  /** `isb_ifdrop`: packets dropped by the interface or kernel. */
  dropped?: number;
  /** `isb_filteraccept`: packets accepted by the filter. */
  filterAccepted?: number;
  /** `isb_osdrop`: packets dropped by the operating system. */
  osDropped?: number;
  /** `isb_usrdeliv`: packets delivered to the user. */
  delivered?: number;
}

/** One capture interface: the pcap file header, or a pcapng Interface Description Block. */
export interface PcapInterfaceInfo {
  /** LINKTYPE_* of the interface's frames. */
  linkType: number;
  /** Snapshot length (0 = unlimited in pcapng). */
  snaplen: number;
  /** `if_name`. */
  name?: string;
  /** `if_description`. */
  description?: string;
  /** `if_filter` expression (string filters only). */
  filter?: string;
  /** `if_os`. */
  os?: string;
  /** Timestamp units per second (1e6 by default, 1e9 for nanosecond files, 2^n for binary resolutions). */
  unitsPerSecond: number;
  /** `if_tsoffset`: seconds added to every timestamp. */
  tsOffset: number;
  /** Latest Interface Statistics Block for this interface, if any. */
  stats?: PcapInterfaceStats;
  /** Section number (from 0) the interface belongs to. */
  section: number;
  /** `opt_comment` values of the IDB. */
  comments: string[];
}

/** One Name Resolution Block record. */
export interface PcapNameRecord {
  /** Address family of the record. */
  type: 'ipv4' | 'ipv6' | 'eui48' | 'eui64';
  /** Dotted, colon or hex text of the address. */
  address: string;
  /** Names given for the address. */
  names: string[];
}

/** What the file header(s) say; pcapng fields grow as later blocks are read. */
export interface PcapFileInfo {
  /** Container format, detected from the magic. */
  format: 'pcap' | 'pcapng';
  /** Link type of the first interface (-1 for a pcapng file without any interface yet). */
  linkType: number;
  /** Snapshot length of the first interface. */
  snaplen: number;
  /** True when timestamps are finer than microseconds (nanosecond pcap magic, or pcapng if_tsresol > 6). */
  nano: boolean;
  /** Byte order of the (first) section. */
  bigEndian: boolean;
  /** pcap version, or pcapng version of the first section. */
  versionMajor: number;
  /** Minor version. */
  versionMinor: number;
  /** Every interface seen so far, all sections in order. */
  interfaces: PcapInterfaceInfo[];
  /** `shb_hardware` of the latest section. */
  hardware?: string;
  /** `shb_os` of the latest section. */
  os?: string;
  /** `shb_userappl` of the latest section. */
  userAppl?: string;
  /** Section comments (`opt_comment` of every SHB). */
  comments: string[];
  /** Name Resolution Block records seen so far. */
  names: PcapNameRecord[];
  /** Number of sections seen so far (1 for pcap). */
  sections: number;
}

/** pcapng-only details of the packet last handed out; re-written per packet, allocation only for comments. */
export interface PacketMeta {
  /** Index into `info.interfaces`. */
  interfaceId: number;
  /** Raw `epb_flags` / `pack_flags` (0 when absent). */
  flags: number;
  /** `epb_dropcount`, or the PB drops count (0 when absent). */
  dropCount: number;
  /** `opt_comment` values of the packet block, or undefined when it has none. */
  comments: string[] | undefined;
}

const CHUNK = 1 << 20;
const MAGIC_PCAPNG = BlockType.SHB;

/** Timestamp conversion modes per interface. */
const TsMode = { DECIMAL: 0, EXACT: 1 } as const;

interface IfaceState {
  info: PcapInterfaceInfo;
  mode: number;
  /** Divisor for DECIMAL mode (units per second, <= 1e9 and a divisor of 1e9). */
  div: number;
  /** Nanoseconds per unit in DECIMAL mode. */
  nsPerUnit: number;
  unitsBig: bigint;
  snaplen: number;
  linkType: number;
  tsOffset: number;
}

function decodeText(buf: Uint8Array, start: number, length: number): string {
  let end = start + length;
  // Strings are not NUL-terminated by the spec, but some writers add one.
  while (end > start && buf[end - 1] === 0) end--;
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
}

function hex(buf: Uint8Array, start: number, length: number, sep: string): string {
  const parts: string[] = [];
  for (let i = 0; i < length; i++) parts.push((buf[start + i] ?? 0).toString(16).padStart(2, '0'));
  return parts.join(sep);
}

function ipv6Text(buf: Uint8Array, start: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((buf[start + i] ?? 0) << 8) | (buf[start + i + 1] ?? 0)).toString(16));
  return groups.join(':');
}

/**
 * Reads a pcap or pcapng file (format from the magic) in chunks.
 * @example
 * const r = await PacketFileReader.open('capture.pcapng');
 * while (await r.readBatch((p) => count++)) sink.flush();
 * await r.close();
 */
export class PacketFileReader {
  /** Header facts; for pcapng, interfaces, names and statistics are added as their blocks are read. */
  readonly info: PcapFileInfo;
  /** pcapng details of the packet last handed out (interface, flags, drop count, comments). */
  readonly meta: PacketMeta = { interfaceId: 0, flags: 0, dropCount: 0, comments: undefined };

  private buf: Uint8Array;
  private dv: DataView;
  /** Parse position in `buf`. */
  private pos = 0;
  /** End of valid data in `buf`. */
  private end = 0;
  /** File offset of `buf[0]`. */
  private base = 0;
  private eof = false;
  /** Bytes needed from `pos` to make progress (a header or a whole record). */
  private need = 0;
  private le = true;
  private fracToNs = 1000;
  private readonly view: PacketView = emptyPacket();
  private count = 0;
  private closed = false;
  private ifaces: IfaceState[] = [];
  private sectionBase = 0;

  private constructor(
    private readonly source: ByteSource,
    buf: Uint8Array,
    end: number,
    eof: boolean,
  ) {
    this.buf = buf;
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.end = end;
    this.eof = eof;
    this.info = {
      format: 'pcap',
      linkType: -1,
      snaplen: 0,
      nano: false,
      bigEndian: false,
      versionMajor: 0,
      versionMinor: 0,
      interfaces: [],
      comments: [],
      names: [],
      sections: 0,
    };
  }

  /**
   * Opens a file path, `-` for stdin, or a readable stream; reads the file header (and, for pcapng,
   * the blocks before the first packet). Throws `PcapIoError` when the file cannot be opened or read,
   * `PcapFormatError` for a bad magic or header.
   * @example
   * const r = await PacketFileReader.open('-');
   * console.log(r.info.format, r.info.linkType);
   */
  static async open(source: string | ByteReadableStream): Promise<PacketFileReader> {
    let src: ByteSource;
    if (typeof source === 'string' && source !== '-') {
      let fh: FileHandle;
      try {
        fh = await openFile(source, 'r');
      } catch (err) {
        throw ioError(source, err);
      }
      src = new FileSource(fh, source);
    } else {
      src = new StreamSource(source === '-' ? process.stdin : (source as ByteReadableStream), typeof source === 'string' ? '-' : 'stream');
    }
    const reader = new PacketFileReader(src, new Uint8Array(CHUNK), 0, false);
    try {
      await reader.start();
    } catch (err) {
      await reader.close().catch(() => undefined);
      throw err;
    }
    return reader;
  }

  /** The source's name: the path, `-` for stdin, or `stream`. */
  get path(): string {
    return this.source.path;
  }

  /** Number of packets handed out so far. */
  get packets(): number {
    return this.count;
  }

  private async start(): Promise<void> {
    while (this.end < 4 && (await this.fillOnce())) {
      /* read until the magic is in */
    }
    if (this.end < 4) {
      if (this.end === 0) throw new PcapFormatError('empty file: no pcap or pcapng header', 0);
      throw new PcapFormatError('truncated file header at byte 0', 0);
    }
    const magicLe = this.dv.getUint32(0, true);
    if (magicLe === MAGIC_PCAPNG) {
      this.info.format = 'pcapng';
      await this.prime();
      return;
    }
    const magicBe = this.dv.getUint32(0, false);
    if (magicLe === PcapMagic.MICRO || magicLe === PcapMagic.NANO) this.le = true;
    else if (magicBe === PcapMagic.MICRO || magicBe === PcapMagic.NANO) this.le = false;
    else
      throw new PcapFormatError(
        `bad magic number 0x${magicBe.toString(16).padStart(8, '0')} at byte 0: not a pcap or pcapng file`,
        0,
      );
    while (this.end < PcapFileHeader.LENGTH && (await this.fillOnce())) {
      /* read the whole file header */
    }
    if (this.end < PcapFileHeader.LENGTH) throw new PcapFormatError('truncated file header at byte 0', 0);
    const dv = this.dv;
    const le = this.le;
    const nano = dv.getUint32(0, le) === PcapMagic.NANO;
    this.fracToNs = nano ? 1 : 1000;
    const linkType = dv.getUint32(PcapFileHeader.linkType, le) & 0x03ffffff;
    const snaplen = dv.getUint32(PcapFileHeader.snaplen, le);
    const info = this.info;
    info.nano = nano;
    info.bigEndian = !le;
    info.versionMajor = dv.getUint16(PcapFileHeader.versionMajor, le);
    info.versionMinor = dv.getUint16(PcapFileHeader.versionMinor, le);
    info.linkType = linkType;
    info.snaplen = snaplen;
    info.sections = 1;
    info.interfaces.push({
      linkType,
      snaplen,
      unitsPerSecond: nano ? 1e9 : 1e6,
      // thiszone is always 0 in practice and ignored by libpcap and Wireshark alike.
      tsOffset: 0,
      section: 0,
      comments: [],
    });
    this.view.linkType = linkType;
    this.pos = PcapFileHeader.LENGTH;
  }

  /** Reads pcapng blocks up to the first packet so `info` describes the interfaces. */
  private async prime(): Promise<void> {
    for (;;) {
      if (this.stepPcapng(true)) return;
      if (this.need === 0) return; // a packet block is next
      if (!(await this.fillOnce())) return; // EOF: readBatch reports any truncation
    }
  }

  /**
   * Hands out the next whole record already in the buffer (the same view object each time), or
   * undefined when `fill()` must read more. Throws `PcapFormatError` at a corrupt record.
   */
  nextPacket(): PacketView | undefined {
    if (this.closed) return undefined;
    const ok = this.info.format === 'pcap' ? this.stepPcap() : this.stepPcapng(false);
    return ok ? this.view : undefined;
  }

  /**
   * Reads the next chunk. Resolves false at a clean end of file; throws `PcapFormatError`
   * ("truncated record at byte N") when the file ends inside a record.
   */
  async fill(): Promise<boolean> {
    if (this.closed) return false;
    if (this.eof || !(await this.fillOnce())) {
      if (this.pos < this.end) throw new PcapFormatError(`truncated record at byte ${this.base + this.pos}`, this.base + this.pos);
      return false;
    }
    return true;
  }

  /**
   * Visits every whole record of the next chunk with the one re-pointed view. Resolves false at end
   * of file; throws `PcapFormatError` for corrupt or truncated data after visiting every whole record
   * before it.
   * @example
   * while (await reader.readBatch((p) => sink.write(p))) await sink.flush();
   */
  async readBatch(visit: (p: PacketView) => void): Promise<boolean> {
    for (;;) {
      let n = 0;
      let p: PacketView | undefined;
      while ((p = this.nextPacket()) !== undefined) {
        visit(p);
        n++;
      }
      if (n > 0) return true;
      if (!(await this.fill())) return false;
    }
  }

  /** Closes the file (or stops reading the stream). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.source.close();
  }

  /** Reads once into the buffer; false at end of input. */
  private async fillOnce(): Promise<boolean> {
    if (this.eof) return false;
    if (this.pos > 0) {
      // Only a partial record is left when more is read, so this copy is short.
      this.buf.copyWithin(0, this.pos, this.end);
      this.base += this.pos;
      this.end -= this.pos;
      this.pos = 0;
    }
    if (this.end === this.buf.length) {
      // The buffer is full of one partial record: double it, so memory follows bytes actually present.
      const size = Math.min(this.buf.length * 2, MAX_BLOCK + CHUNK);
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, this.end));
      this.buf = next;
      this.dv = new DataView(next.buffer);
    }
    const n = await this.source.read(this.buf, this.end, this.buf.length - this.end);
    if (n === 0) {
      this.eof = true;
      return false;
    }
    this.end += n;
    return true;
  }

  private stepPcap(): boolean {
    const pos = this.pos;
    const avail = this.end - pos;
    if (avail < PcapRecordHeader.LENGTH) {
      this.need = PcapRecordHeader.LENGTH;
      return false;
    }
    const dv = this.dv;
    const le = this.le;
    const capLen = dv.getUint32(pos + PcapRecordHeader.inclLen, le);
    if (capLen > MAX_CAPLEN)
      throw new PcapFormatError(
        `captured length ${capLen} above ${MAX_CAPLEN} at byte ${this.base + pos}`,
        this.base + pos,
      );
    if (avail < PcapRecordHeader.LENGTH + capLen) {
      this.need = PcapRecordHeader.LENGTH + capLen;
      return false;
    }
    const v = this.view;
    v.buf = this.buf;
    v.offset = pos + PcapRecordHeader.LENGTH;
    v.capLen = capLen;
    v.wireLen = dv.getUint32(pos + PcapRecordHeader.origLen, le);
    v.tsSec = dv.getUint32(pos + PcapRecordHeader.tsSec, le);
    v.tsNsec = dv.getUint32(pos + PcapRecordHeader.tsFrac, le) * this.fracToNs;
    v.index = this.count++;
    this.pos = pos + PcapRecordHeader.LENGTH + capLen;
    this.need = 0;
    return true;
  }

  private fail(what: string, at: number): never {
    throw new PcapFormatError(`${what} at byte ${this.base + at}`, this.base + at);
  }

  /**
   * Consumes pcapng blocks until a packet is handed out (true) or more bytes are needed (false,
   * `need` > 0). With `stopAtPacket`, returns false with `need` = 0 in front of a packet block.
   */
  private stepPcapng(stopAtPacket: boolean): boolean {
    for (;;) {
      const pos = this.pos;
      const avail = this.end - pos;
      if (avail < 12) {
        if (avail === 0 && this.eof) {
          this.need = 0;
          return false;
        }
        this.need = 12;
        return false;
      }
      const dv = this.dv;
      let type = dv.getUint32(pos, this.le);
      if (type === BlockType.SHB) {
        const bom = dv.getUint32(pos + 8, true);
        if (bom === BYTE_ORDER_MAGIC) this.le = true;
        else if (bom === BYTE_ORDER_MAGIC_SWAPPED) this.le = false;
        else this.fail(`bad byte-order magic 0x${bom.toString(16)} in section header`, pos);
      } else if (this.info.sections === 0) {
        this.fail('first block is not a section header', pos);
      }
      const le = this.le;
      type = dv.getUint32(pos, le);
      if (stopAtPacket && (type === BlockType.EPB || type === BlockType.SPB || type === BlockType.PB)) {
        // Packet blocks, valid or not, are left for readBatch so errors come in record order.
        this.need = 0;
        return false;
      }
      const len = dv.getUint32(pos + 4, le);
      if (len % 4 !== 0) this.fail(`block length ${len} is not a multiple of 4`, pos);
      if (len < 12) this.fail(`block length ${len} too short`, pos);
      if (len > MAX_BLOCK) this.fail(`block length ${len} above ${MAX_BLOCK}`, pos);
      if (avail < len) {
        this.need = len;
        return false;
      }
      const trailer = dv.getUint32(pos + len - 4, le);
      if (trailer !== len) this.fail(`block length ${len} disagrees with trailer ${trailer}`, pos);
      this.need = 0;
      if (type === BlockType.EPB) {
        if (this.readEpb(pos, len)) return true;
        continue;
      }
      switch (type) {
        case BlockType.SHB:
          this.readShb(pos, len);
          break;
        case BlockType.IDB:
          this.readIdb(pos, len);
          break;
        case BlockType.SPB:
          this.readSpb(pos, len);
          return true;
        case BlockType.PB:
          this.readPb(pos, len);
          return true;
        case BlockType.ISB:
          this.readIsb(pos, len);
          break;
        case BlockType.NRB:
          this.readNrb(pos, len);
          break;
        default:
          // Unknown, custom and Decryption Secrets blocks carry nothing tscap uses.
          break;
      }
      this.pos = pos + len;
    }
  }

  /** Walks options in [start, end); calls `fn` per option; returns nothing, throws on overrun. */
  private options(start: number, end: number, fn: (code: number, off: number, len: number) => void): void {
    const dv = this.dv;
    const le = this.le;
    let o = start;
    while (o + 4 <= end) {
      const code = dv.getUint16(o, le);
      const olen = dv.getUint16(o + 2, le);
      if (code === Option.ENDOFOPT) return;
      if (o + 4 + olen > end) this.fail(`option ${code} length ${olen} overruns its block`, o);
      fn(code, o + 4, olen);
      o += 4 + ((olen + 3) & ~3);
    }
  }

  private readShb(pos: number, len: number): void {
    if (len < 28) this.fail(`section header length ${len} too short`, pos);
    const dv = this.dv;
    const le = this.le;
    const major = dv.getUint16(pos + 12, le);
    const minor = dv.getUint16(pos + 14, le);
    if (major !== 1) this.fail(`unsupported pcapng version ${major}.${minor}`, pos);
    const info = this.info;
    if (info.sections === 0) {
      info.bigEndian = !le;
      info.versionMajor = major;
      info.versionMinor = minor;
    }
    info.sections++;
    this.sectionBase = this.ifaces.length;
    const buf = this.buf;
    this.options(pos + 24, pos + len - 4, (code, off, olen) => {
      if (code === Option.COMMENT) info.comments.push(decodeText(buf, off, olen));
      else if (code === ShbOption.HARDWARE) info.hardware = decodeText(buf, off, olen);
      else if (code === ShbOption.OS) info.os = decodeText(buf, off, olen);
      else if (code === ShbOption.USERAPPL) info.userAppl = decodeText(buf, off, olen);
    });
  }

  private readIdb(pos: number, len: number): void {
    if (len < 20) this.fail(`interface description length ${len} too short`, pos);
    const dv = this.dv;
    const le = this.le;
    const linkType = dv.getUint16(pos + 8, le);
    const snaplen = dv.getUint32(pos + 12, le);
    const info: PcapInterfaceInfo = {
      linkType,
      snaplen,
      unitsPerSecond: 1e6,
      tsOffset: 0,
      section: this.info.sections - 1,
      comments: [],
    };
    let tsresol = 6;
    const buf = this.buf;
    this.options(pos + 16, pos + len - 4, (code, off, olen) => {
      switch (code) {
        case Option.COMMENT:
          info.comments.push(decodeText(buf, off, olen));
          break;
        case IdbOption.NAME:
          info.name = decodeText(buf, off, olen);
          break;
        case IdbOption.DESCRIPTION:
          info.description = decodeText(buf, off, olen);
          break;
        case IdbOption.OS:
          info.os = decodeText(buf, off, olen);
          break;
        case IdbOption.FILTER:
          // First byte: 0 = filter expression string, 1 = BPF program.
          if (olen >= 1 && buf[off] === 0) info.filter = decodeText(buf, off + 1, olen - 1);
          break;
        case IdbOption.TSRESOL:
          if (olen >= 1) tsresol = buf[off] ?? 6;
          break;
        case IdbOption.TSOFFSET:
          if (olen >= 8) {
            const lo = dv.getUint32(off + (le ? 0 : 4), le);
            const hi = dv.getInt32(off + (le ? 4 : 0), le);
            info.tsOffset = hi * 4294967296 + lo;
          }
          break;
        default:
          break;
      }
    });
    const pow2 = (tsresol & 0x80) !== 0;
    const exp = tsresol & 0x7f;
    if ((pow2 && exp > 63) || (!pow2 && exp > 19)) this.fail(`if_tsresol 0x${tsresol.toString(16)} out of range`, pos);
    const unitsBig = pow2 ? 1n << BigInt(exp) : 10n ** BigInt(exp);
    info.unitsPerSecond = Number(unitsBig);
    const decimal = !pow2 && exp <= 9;
    const state: IfaceState = {
      info,
      mode: decimal ? TsMode.DECIMAL : TsMode.EXACT,
      div: decimal ? 10 ** exp : 0,
      nsPerUnit: decimal ? 10 ** (9 - exp) : 0,
      unitsBig,
      snaplen,
      linkType,
      tsOffset: info.tsOffset,
    };
    this.ifaces.push(state);
    this.info.interfaces.push(info);
    if (this.info.interfaces.length === 1) {
      this.info.linkType = linkType;
      this.info.snaplen = snaplen;
    }
    if (this.info.interfaces.length === 1) this.info.nano = unitsBig > 1000000n;
  }

  private iface(id: number, pos: number): IfaceState {
    const st = this.ifaces[this.sectionBase + id];
    if (st === undefined) this.fail(`packet on undefined interface ${id}`, pos);
    return st;
  }

  /** Sets tsSec/tsNsec from a 64-bit timestamp in the interface's units. */
  private setTime(st: IfaceState, hi: number, lo: number): void {
    const v = this.view;
    if (st.mode === TsMode.DECIMAL) {
      // Long division in 16-bit limbs keeps every intermediate below 2^48, so it is exact.
      const d = st.div;
      let cur = hi >>> 16;
      let q = Math.floor(cur / d);
      let r = cur - q * d;
      cur = r * 65536 + (hi & 0xffff);
      let qd = Math.floor(cur / d);
      r = cur - qd * d;
      q = q * 65536 + qd;
      cur = r * 65536 + (lo >>> 16);
      qd = Math.floor(cur / d);
      r = cur - qd * d;
      q = q * 65536 + qd;
      cur = r * 65536 + (lo & 0xffff);
      qd = Math.floor(cur / d);
      r = cur - qd * d;
      q = q * 65536 + qd;
      v.tsSec = q + st.tsOffset;
      v.tsNsec = r * st.nsPerUnit;
      return;
    }
    const units = (BigInt(hi) << 32n) | BigInt(lo);
    const sec = units / st.unitsBig;
    const rem = units - sec * st.unitsBig;
    v.tsSec = Number(sec) + st.tsOffset;
    v.tsNsec = Number((rem * 1000000000n) / st.unitsBig);
  }

  private setPacket(st: IfaceState, dataOff: number, capLen: number, wireLen: number, flags: number): void {
    const v = this.view;
    v.buf = this.buf;
    v.offset = dataOff;
    v.capLen = capLen;
    v.wireLen = wireLen;
    v.linkType = st.linkType;
    v.pktType = pktTypeFromFlags(flags);
    v.index = this.count++;
    this.meta.flags = flags;
  }

  private readEpb(pos: number, len: number): boolean {
    if (len < 32) this.fail(`enhanced packet block length ${len} too short`, pos);
    const dv = this.dv;
    const le = this.le;
    const st = this.iface(dv.getUint32(pos + 8, le), pos);
    const capLen = dv.getUint32(pos + 20, le);
    if (capLen > MAX_CAPLEN) this.fail(`captured length ${capLen} above ${MAX_CAPLEN}`, pos);
    const padded = (capLen + 3) & ~3;
    if (28 + padded + 4 > len) this.fail(`captured length ${capLen} exceeds its block of ${len} bytes`, pos);
    let flags = 0;
    let drops = 0;
    let comments: string[] | undefined;
    const optEnd = pos + len - 4;
    let o = pos + 28 + padded;
    while (o + 4 <= optEnd) {
      const code = dv.getUint16(o, le);
      const olen = dv.getUint16(o + 2, le);
      if (code === Option.ENDOFOPT) break;
      if (o + 4 + olen > optEnd) this.fail(`option ${code} length ${olen} overruns its block`, o);
      if (code === EpbOption.FLAGS && olen >= 4) flags = dv.getUint32(o + 4, le);
      else if (code === EpbOption.DROPCOUNT && olen >= 8) drops = this.u64(o + 4);
      else if (code === Option.COMMENT) (comments ??= []).push(decodeText(this.buf, o + 4, olen));
      o += 4 + ((olen + 3) & ~3);
    }
    this.setTime(st, dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le));
    this.setPacket(st, pos + 28, capLen, dv.getUint32(pos + 24, le), flags);
    const meta = this.meta;
    meta.interfaceId = this.sectionBase + dv.getUint32(pos + 8, le);
    meta.dropCount = drops;
    meta.comments = comments;
    this.pos = pos + len;
    return true;
  }

  private readPb(pos: number, len: number): void {
    if (len < 32) this.fail(`packet block length ${len} too short`, pos);
    const dv = this.dv;
    const le = this.le;
    const id = dv.getUint16(pos + 8, le);
    const st = this.iface(id, pos);
    const capLen = dv.getUint32(pos + 20, le);
    if (capLen > MAX_CAPLEN) this.fail(`captured length ${capLen} above ${MAX_CAPLEN}`, pos);
    const padded = (capLen + 3) & ~3;
    if (28 + padded + 4 > len) this.fail(`captured length ${capLen} exceeds its block of ${len} bytes`, pos);
    let flags = 0;
    let comments: string[] | undefined;
    this.options(pos + 28 + padded, pos + len - 4, (code, off, olen) => {
      if (code === EpbOption.FLAGS && olen >= 4) flags = dv.getUint32(off, le);
      else if (code === Option.COMMENT) (comments ??= []).push(decodeText(this.buf, off, olen));
    });
    this.setTime(st, dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le));
    this.setPacket(st, pos + 28, capLen, dv.getUint32(pos + 24, le), flags);
    const meta = this.meta;
    meta.interfaceId = this.sectionBase + id;
    meta.dropCount = dv.getUint16(pos + 10, le);
    meta.comments = comments;
    this.pos = pos + len;
  }

  private readSpb(pos: number, len: number): void {
    if (len < 16) this.fail(`simple packet block length ${len} too short`, pos);
    const st = this.iface(0, pos);
    const wireLen = this.dv.getUint32(pos + 8, this.le);
    // The captured length is implied: the frame, cut to the snaplen and to the block.
    let capLen = Math.min(wireLen, len - 16);
    if (st.snaplen > 0) capLen = Math.min(capLen, st.snaplen);
    const v = this.view;
    v.tsSec = 0;
    v.tsNsec = 0;
    this.setPacket(st, pos + 12, capLen, wireLen, 0);
    const meta = this.meta;
    meta.interfaceId = this.sectionBase;
    meta.dropCount = 0;
    meta.comments = undefined;
    this.pos = pos + len;
  }

  private readIsb(pos: number, len: number): void {
    if (len < 24) this.fail(`interface statistics block length ${len} too short`, pos);
    const st = this.iface(this.dv.getUint32(pos + 8, this.le), pos);
    const stats: PcapInterfaceStats = {};
    this.options(pos + 20, pos + len - 4, (code, off, olen) => {
      if (olen < 8) return;
      const v = this.u64(off);
      if (code === IsbOption.IFRECV) stats.received = v;
      else if (code === IsbOption.IFDROP) stats.dropped = v;
      else if (code === IsbOption.FILTERACCEPT) stats.filterAccepted = v;
      else if (code === IsbOption.OSDROP) stats.osDropped = v;
      else if (code === IsbOption.USRDELIV) stats.delivered = v;
    });
    st.info.stats = stats;
  }

  private readNrb(pos: number, len: number): void {
    const dv = this.dv;
    const le = this.le;
    const buf = this.buf;
    const end = pos + len - 4;
    let o = pos + 8;
    while (o + 4 <= end) {
      const type = dv.getUint16(o, le);
      const rlen = dv.getUint16(o + 2, le);
      if (type === NrbRecord.END) break;
      if (o + 4 + rlen > end) this.fail(`name record length ${rlen} overruns its block`, o);
      const v = o + 4;
      let addrLen = 0;
      let record: PcapNameRecord | undefined;
      if (type === NrbRecord.IPV4 && rlen >= 4) {
        addrLen = 4;
        record = { type: 'ipv4', address: `${buf[v]}.${buf[v + 1]}.${buf[v + 2]}.${buf[v + 3]}`, names: [] };
      } else if (type === NrbRecord.IPV6 && rlen >= 16) {
        addrLen = 16;
        record = { type: 'ipv6', address: ipv6Text(buf, v), names: [] };
      } else if (type === NrbRecord.EUI48 && rlen >= 6) {
        addrLen = 6;
        record = { type: 'eui48', address: hex(buf, v, 6, ':'), names: [] };
      } else if (type === NrbRecord.EUI64 && rlen >= 8) {
        addrLen = 8;
        record = { type: 'eui64', address: hex(buf, v, 8, ':'), names: [] };
      }
      if (record !== undefined) {
        let s = v + addrLen;
        const stop = v + rlen;
        while (s < stop) {
          let e = s;
          while (e < stop && buf[e] !== 0) e++;
          if (e > s) record.names.push(decodeText(buf, s, e - s));
          s = e + 1;
        }
        this.info.names.push(record);
      }
      o += 4 + ((rlen + 3) & ~3);
    }
    // NRB options (DNS server name and addresses) are not used.
  }

  private u64(off: number): number {
    const le = this.le;
    const lo = this.dv.getUint32(off + (le ? 0 : 4), le);
    const hi = this.dv.getUint32(off + (le ? 4 : 0), le);
    return hi * 4294967296 + lo;
  }
}

/** Maps `epb_flags` direction and reception type to a `PacketType` value (-1 when absent). */
export function pktTypeFromFlags(flags: number): number {
  const dir = flags & 3;
  if (dir === EpbDirection.OUTBOUND) return PacketType.OUTGOING;
  if (dir !== EpbDirection.INBOUND) return PacketType.UNKNOWN;
  switch ((flags >>> 2) & 7) {
    case EpbReception.MULTICAST:
      return PacketType.MULTICAST;
    case EpbReception.BROADCAST:
      return PacketType.BROADCAST;
    case EpbReception.PROMISCUOUS:
      return PacketType.OTHERHOST;
    default:
      return PacketType.HOST;
  }
}

/**
 * Iterates the packets of a pcap or pcapng file (`-` = stdin). The SAME view object is yielded each
 * time and is valid only until the next iteration; copy with `copyPacket` to keep one.
 * @example
 * for await (const p of readPackets('capture.pcap')) console.log(p.tsSec, p.capLen);
 */
export async function* readPackets(source: string | ByteReadableStream): AsyncIterable<PacketView> {
  const reader = await PacketFileReader.open(source);
  try {
    for (;;) {
      let p: PacketView | undefined;
      while ((p = reader.nextPacket()) !== undefined) yield p;
      if (!(await reader.fill())) return;
    }
  } finally {
    await reader.close();
  }
}
