/**
 * File output with tcpdump's rotation rules (tcpdump(8) -C, -G, -W): before each packet, a -G window
 * that has run out starts a new strftime-named file (and with -W but no -C, the Nth such file ends
 * the capture); then a file already larger than -C million bytes is closed and the next one opened,
 * named FILE, FILE1, FILE2... or, with -W, FILE0..FILE(N-1) zero-padded to the digits of N-1 and reused
 * as a ring.
 */
import type { PacketSink, PacketView } from '../packet.js';
import type { PcapIoError } from './errors.js';
import { PcapngWriter, PcapWriter } from './writer.js';
import type { NativeSource, SharedFileTarget, WriteTarget } from './writer.js';

/** Options of `createFileSink` (the CLI's -w, --pcapng, -U, -C, -G, -W). */
export interface FileSinkOptions {
  /** Output path (`-` = stdout); with -G it is a strftime pattern. */
  path: string;
  /** pcapng output (also chosen by a `.pcapng` path). */
  pcapng?: boolean;
  /** LINKTYPE_* of the frames. */
  linkType: number;
  /** Snapshot length written in the header(s). */
  snaplen: number;
  /** Nanosecond timestamps in pcap output (pcapng always records nanoseconds). */
  nano: boolean;
  /** `-U`: write each packet at once. */
  flushEachPacket?: boolean;
  /** `-C`: start a new file once the current one is larger than this many million bytes. */
  fileSizeMB?: number;
  /** `-G`: start a new file every this many seconds. */
  rotateSeconds?: number;
  /** `-W`: ring of this many files with -C; stop after this many files with -G alone. */
  fileCount?: number;
  /** pcapng `if_name`. */
  ifName?: string;
  /** pcapng `if_filter`. */
  filter?: string;
  /** Several capture interfaces: pcapng gets one IDB each (packets matched by ifindex); the first replaces `ifName`. */
  interfaces?: readonly { name: string; ifindex: number }[];
  /** pcapng `shb_os`. */
  os?: string;
  /** Called once when -W ends the capture (-G without -C); later packets are ignored. */
  onFileLimit?: () => void;
  /** Append to this classic pcap file that other threads write too (`openSharedPcap`); no rotation, no pcapng. */
  shared?: SharedFileTarget;
  /** Wall clock in seconds (tcpdump rotates -G on time(NULL), not on packet time); for tests. */
  now?: () => number;
}

/** A file sink, possibly rotating; `setInterfaceStats` exists for pcapng output. */
export type FileSink = PacketSink & {
  setInterfaceStats?(received: number, dropped: number, interfaceId?: number): void;
  gatherFrom?(source: NativeSource): boolean;
  flushGathered?(): void;
};

/** True when the options ask for pcapng: `--pcapng` or a `.pcapng` file name. */
export function wantsPcapng(opts: Pick<FileSinkOptions, 'path' | 'pcapng'>): boolean {
  return opts.pcapng === true || /\.pcapng$/i.test(opts.path);
}

function openWriter(target: WriteTarget, opts: FileSinkOptions): PcapWriter | PcapngWriter {
  const flushEachPacket = opts.flushEachPacket === true;
  if (wantsPcapng(opts)) {
    const o: ConstructorParameters<typeof PcapngWriter>[1] = { linkType: opts.linkType, snaplen: opts.snaplen, flushEachPacket };
    if (opts.ifName !== undefined) o.ifName = opts.ifName;
    if (opts.filter !== undefined) o.filter = opts.filter;
    if (opts.os !== undefined) o.os = opts.os;
    const [first, ...rest] = opts.interfaces ?? [];
    if (first !== undefined) {
      o.ifName = first.name;
      o.ifindex = first.ifindex;
    }
    const w = new PcapngWriter(target, o);
    for (const i of rest) {
      const more: Parameters<PcapngWriter['addInterface']>[0] = { linkType: opts.linkType, snaplen: opts.snaplen, ifName: i.name, ifindex: i.ifindex };
      if (opts.filter !== undefined) more.filter = opts.filter;
      w.addInterface(more);
    }
    return w;
  }
  return new PcapWriter(target, { linkType: opts.linkType, snaplen: opts.snaplen, nano: opts.nano, flushEachPacket });
}

const pad = (n: number, w = 2, c = '0'): string => String(n).padStart(w, c);
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * C strftime in local time (the conversions tcpdump users put in -G names); unknown conversions stay as written.
 * @example
 * strftime('dump-%Y%m%d-%H%M%S.pcap', new Date()); // 'dump-20250101-120000.pcap'
 */
export function strftime(pattern: string, d: Date): string {
  return pattern.replace(/%([a-zA-Z%])/g, (all, c: string) => {
    const h = d.getHours();
    switch (c) {
      case 'Y':
        return String(d.getFullYear());
      case 'y':
        return pad(d.getFullYear() % 100);
      case 'C':
        return pad(Math.floor(d.getFullYear() / 100));
      case 'm':
        return pad(d.getMonth() + 1);
      case 'd':
        return pad(d.getDate());
      case 'e':
        return pad(d.getDate(), 2, ' ');
      case 'H':
        return pad(h);
      case 'k':
        return pad(h, 2, ' ');
      case 'I':
        return pad(h % 12 === 0 ? 12 : h % 12);
      case 'l':
        return pad(h % 12 === 0 ? 12 : h % 12, 2, ' ');
      case 'M':
        return pad(d.getMinutes());
      case 'S':
        return pad(d.getSeconds());
      case 'p':
        return h < 12 ? 'AM' : 'PM';
      case 'j': {
        const start = new Date(d.getFullYear(), 0, 1);
        const day = Math.round((new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() - start.getTime()) / 86400000) + 1;
        return pad(day, 3);
      }
      case 'a':
        return DAYS[d.getDay()]!.slice(0, 3);
      case 'A':
        return DAYS[d.getDay()]!;
      case 'b':
      case 'h':
        return MONTHS[d.getMonth()]!.slice(0, 3);
      case 'B':
        return MONTHS[d.getMonth()]!;
      case 'u':
        return String(d.getDay() === 0 ? 7 : d.getDay());
      case 'w':
        return String(d.getDay());
      case 's':
        return String(Math.floor(d.getTime() / 1000));
      case 'F':
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
      case 'D':
        return `${pad(d.getMonth() + 1)}/${pad(d.getDate())}/${pad(d.getFullYear() % 100)}`;
      case 'T':
        return `${pad(h)}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
      case 'R':
        return `${pad(h)}:${pad(d.getMinutes())}`;
      case 'z': {
        const off = -d.getTimezoneOffset();
        const a = Math.abs(off);
        return `${off < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
      }
      case 'Z': {
        const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
        return part?.value ?? '';
      }
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case '%':
        return '%';
      default:
        return all;
    }
  });
}

/** Digits tcpdump pads ring numbers to: those of N-1 (0 for -W 1). */
export function ringDigits(fileCount: number): number {
  let x = fileCount - 1;
  let c = 0;
  while (x > 0) {
    c++;
    x = Math.floor(x / 10);
  }
  return c;
}

/**
 * Writes packets to rotating files named as tcpdump names them.
 * @example
 * const sink = new RotatingFileSink({ path: 'ring.pcap', linkType: 1, snaplen: 262144, nano: false, fileSizeMB: 10, fileCount: 5 });
 */
export class RotatingFileSink implements PacketSink {
  /** Every file name opened, in order (a ring repeats names). */
  readonly files: string[] = [];
  private current: PcapWriter | PcapngWriter;
  private readonly sizeLimit: number;
  private readonly seconds: number;
  private readonly count: number;
  private readonly digits: number;
  private readonly now: () => number;
  private windowStart: number;
  private sizeCount = 0;
  private timeCount = 0;
  private stopped = false;
  private stats: [number, number] | null = null;
  private readonly retired: Array<PcapWriter | PcapngWriter> = [];
  private openError: unknown = null;
  private gatherSource: NativeSource | null = null;

  constructor(private readonly opts: FileSinkOptions) {
    if (opts.path === '-') throw new Error('file rotation (-C, -G) needs a file name, not -');
    this.sizeLimit = (opts.fileSizeMB ?? 0) * 1000000;
    this.seconds = opts.rotateSeconds ?? 0;
    this.count = opts.fileCount ?? 0;
    this.digits = this.count > 0 ? ringDigits(this.count) : 0;
    this.now = opts.now ?? ((): number => Math.floor(Date.now() / 1000));
    this.windowStart = this.now();
    this.current = this.openNext(0, this.sizeLimit > 0 ? this.digits : 0);
  }

  /** True once -W has ended a -G capture; the caller should stop. */
  get limitReached(): boolean {
    return this.stopped;
  }

  /** The file name for ring/sequence number `n` padded to `digits`. */
  private name(n: number, digits: number): string {
    const base = this.seconds > 0 ? strftime(this.opts.path, new Date(this.windowStart * 1000)) : this.opts.path;
    if (n === 0 && digits === 0) return base;
    return base + String(n).padStart(digits, '0');
  }

  private openNext(n: number, digits: number): PcapWriter | PcapngWriter {
    const name = this.name(n, digits);
    const w = openWriter(name, this.opts);
    if (this.stats !== null && w instanceof PcapngWriter) w.setInterfaceStats(this.stats[0], this.stats[1]);
    if (this.gatherSource !== null) w.gatherFrom(this.gatherSource);
    this.files.push(name);
    return w;
  }

  private retire(): void {
    this.current.closeSync();
    this.retired.push(this.current);
  }

  /** Rotates if due, then appends the packet; never throws (an open failure is reported by flush). */
  write(pkt: PacketView): void {
    if (this.stopped) return;
    try {
      if (this.seconds > 0) {
        const t = this.now();
        if (t - this.windowStart >= this.seconds) {
          this.windowStart = t;
          this.timeCount++;
          this.retire();
          if (this.sizeLimit === 0 && this.count > 0 && this.timeCount >= this.count) {
            this.stopped = true;
            this.opts.onFileLimit?.();
            return;
          }
          this.sizeCount = 0;
          this.current = this.openNext(0, this.sizeLimit > 0 ? this.digits : 0);
        }
      }
      if (this.sizeLimit > 0 && this.current.size > this.sizeLimit) {
        this.retire();
        this.sizeCount++;
        if (this.count > 0 && this.sizeCount >= this.count) this.sizeCount = 0;
        this.current = this.openNext(this.sizeCount, this.digits);
      }
    } catch (err) {
      // Opening the next file failed: stop writing, let flush report it.
      this.stopped = true;
      this.openError = err;
      return;
    }
    this.current.write(pkt);
  }

  private takeError(): unknown {
    for (const w of this.retired) {
      const e = w.reportError();
      if (e !== null) return e;
    }
    this.retired.length = 0;
    if (this.openError !== null) {
      const e = this.openError;
      this.openError = null;
      return e;
    }
    return null;
  }

  /** Writes the batch of the current file; throws a kept open/write error once. */
  flush(): void | Promise<void> {
    const e = this.takeError();
    if (e !== null) throw e;
    return this.current.flush();
  }

  /** See `PcapWriter.gatherFrom`; applies to every file opened from now on too. */
  gatherFrom(source: NativeSource): boolean {
    this.gatherSource = source;
    return this.current.gatherFrom(source);
  }

  /** See `PcapWriter.flushGathered`. */
  flushGathered(): void {
    this.current.flushGathered();
  }

  /** Counts for the ISB of pcapng files closed from now on. */
  setInterfaceStats(received: number, dropped: number): void {
    this.stats = [received, dropped];
    if (this.current instanceof PcapngWriter) this.current.setInterfaceStats(received, dropped);
  }

  /** Closes the current file. */
  async close(): Promise<void> {
    const e = this.takeError();
    await this.current.close();
    if (e !== null) throw e;
  }
}

/**
 * Opens the `-w` output: a pcap or pcapng writer, rotating when -C or -G is given.
 * @example
 * const sink = createFileSink({ path: 'out.pcap', linkType: 1, snaplen: 262144, nano: false, fileSizeMB: 100 });
 * sink.write(p); await sink.flush(); await sink.close();
 */
export function createFileSink(opts: FileSinkOptions): FileSink {
  if (opts.shared !== undefined) return new PcapWriter(opts.shared, { linkType: opts.linkType, snaplen: opts.snaplen, nano: opts.nano, flushEachPacket: opts.flushEachPacket === true });
  if ((opts.fileSizeMB ?? 0) > 0 || (opts.rotateSeconds ?? 0) > 0) return new RotatingFileSink(opts);
  return openWriter(opts.path, opts);
}
