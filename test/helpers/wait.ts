/**
 * Waiting in tests for a condition, never for a duration: a predicate polled until it holds or a
 * generous deadline passes (then a failure that names what was awaited). Conditions offered here: a
 * packet socket appearing in /proc/PID/net/packet, a capture file holding N records, a file size.
 */
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';

/** Options of `waitFor`. */
export interface WaitOptions {
  /** Give up after this long (default 15 s: generous, for a loaded machine). */
  timeoutMs?: number;
  /** Poll interval (default 20 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  what?: string;
  /** More detail for the timeout message, computed when it fires (e.g. the current count). */
  detail?: () => string;
}

/** Resolves once `predicate` returns true; rejects at the deadline with what was awaited. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, opts: WaitOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const intervalMs = opts.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() >= deadline) {
      const extra = opts.detail ? `: ${opts.detail()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.what ?? 'a condition'}${extra}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** One row of /proc/net/packet. */
export interface PacketSocketRow {
  inode: number;
  ifindex: number;
  /** Whether the socket is running (bound and receiving). */
  running: boolean;
}

/** The AF_PACKET sockets of the network namespace `pid` lives in (default: this process's). */
export function packetSockets(pid: number | 'self' = 'self'): PacketSocketRow[] {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/net/packet`, 'utf8');
  } catch {
    return []; // the process has exited
  }
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .map((f) => ({ ifindex: Number(f[4]), running: f[5] === '1', inode: Number(f[8]) }));
}

/** Inodes of the sockets process `pid` holds open (from /proc/PID/fd). */
export function socketInodes(pid: number): Set<number> {
  const out = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(Number(m[1]));
    } catch {
      // closed while listing
    }
  }
  return out;
}

/** The packet sockets process `pid` holds, optionally only those bound to `ifindex`. */
export function packetSocketsOf(pid: number, ifindex?: number): PacketSocketRow[] {
  const mine = socketInodes(pid);
  return packetSockets(pid).filter((r) => mine.has(r.inode) && (ifindex === undefined || r.ifindex === ifindex));
}

/** Counts the whole packet records in a pcap or pcapng file being written (a cut last record is not counted; a missing file has 0). */
export function countRecords(file: string): number {
  let b: Buffer;
  try {
    b = readFileSync(file);
  } catch {
    return 0;
  }
  if (b.length < 4) return 0;
  const magic = b.readUInt32LE(0);
  if (magic === 0x0a0d0d0a) return countPcapng(b);
  let le: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) le = true;
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) le = false;
  else throw new Error(`${file}: neither pcap nor pcapng (magic 0x${magic.toString(16)})`);
  let n = 0;
  let off = 24;
  while (off + 16 <= b.length) {
    const capLen = le ? b.readUInt32LE(off + 8) : b.readUInt32BE(off + 8);
    if (off + 16 + capLen > b.length) break;
    off += 16 + capLen;
    n++;
  }
  return n;
}

function countPcapng(b: Buffer): number {
  let n = 0;
  let off = 0;
  let le = true;
  while (off + 12 <= b.length) {
    const type = le ? b.readUInt32LE(off) : b.readUInt32BE(off);
    if (type === 0x0a0d0d0a) le = b.readUInt32LE(off + 8) === 0x1a2b3c4d;
    const len = le ? b.readUInt32LE(off + 4) : b.readUInt32BE(off + 4);
    if (len < 12 || off + len > b.length) break;
    if (type === 6 || type === 3 || type === 2) n++; // EPB, SPB, obsolete PB
    off += len;
  }
  return n;
}

/** Sum of `countRecords` over several files. */
export function countRecordsIn(files: string[]): number {
  return files.reduce((a, f) => a + countRecords(f), 0);
}

/** Waits until `files()` (re-listed each poll, e.g. rotated names) hold at least `n` records in all. */
export function waitForRecords(files: string | (() => string[]), n: number, opts: WaitOptions = {}): Promise<void> {
  const list = typeof files === 'string' ? (): string[] => [files] : files;
  return waitFor(() => countRecordsIn(list()) >= n, {
    what: `${n} records in ${typeof files === 'string' ? files : 'the capture files'}`,
    detail: () => `${countRecordsIn(list())} so far`,
    ...opts,
  });
}

/** The size of a file in bytes, 0 when it does not exist yet. */
export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Waits until process `pid`'s main thread sleeps in epoll_wait: its event loop is idle, so whatever it
 * set up synchronously before going idle (signal handlers, the capture loop) is in place.
 */
export function waitEventLoopIdle(pid: number, opts: WaitOptions = {}): Promise<void> {
  const idle = (): boolean => {
    try {
      return readFileSync(`/proc/${pid}/wchan`, 'utf8') === 'do_epoll_wait';
    } catch {
      return false;
    }
  };
  return waitFor(idle, { what: `process ${pid} to idle in its event loop`, ...opts });
}

/**
 * CPU time (user + system, in ms) this process spends running `fn`: what a computation costs, unlike
 * wall time, which other processes on a loaded machine stretch at random.
 */
export function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

/** `cpuMs` for an asynchronous computation (the process's CPU between start and settle). */
export async function cpuMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}
