/**
 * Exporting captured frames to a remote analyzer.
 * - `udp://HOST:PORT[?vni=N][&gso=0]`: each frame in a VXLAN header (RFC 7348, flags 0x08, the VNI),
 *   as tcpdump, Wireshark, Suricata and Zeek decode it; datagrams batched with sendmmsg(2), up to
 *   1024 a call, from one native buffer laid out once. Datagrams of equal length go out together with
 *   UDP segmentation offload (`mmsg-sender.ts`) unless `gso=0`: the kernel or the NIC cuts them back
 *   into the same datagrams before the wire, except on a link that carries GSO packets whole (a veth),
 *   where a capture on the collector's end sees the unsplit sends.
 * - `tcp://HOST:PORT[?format=pcapng]`: a pcap (or pcapng) stream, as `tcpdump -w - | nc` gives, with
 *   reconnection and a bounded queue: a slow collector costs whole dropped packets, never a stalled
 *   capture.
 * The sends run on a sender thread (`handoff.ts`): the capture thread only copies each frame into the
 * hand-off ring. Optionally frames are merged (GRO, `gro.ts`) and cut (`exportSnaplen`) there.
 */
import { lookup } from 'node:dns/promises';
import { availableParallelism } from 'node:os';
import { isIP } from 'node:net';
import { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import type { PacketSink, PacketView } from '../packet.js';
import { PcapWriter, PcapngWriter } from '../pcap/index.js';
import {
  AF_INET,
  AF_INET6,
  ERRNO,
  MSG_DONTWAIT,
  SOCKADDR_IN,
  SOCKADDR_IN6,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOL_SOCKET,
  SO,
  SyscallError,
  lastErrno,
  raw,
} from '../syscalls/index.js';
import { CaptureOptionError } from './capture.js';
import type { NativeMemory } from './gather.js';
import { startHandoff, type ForwardStats, type HandoffOptions, type SenderSpec } from './handoff.js';
import { defaultSendThread, startInline } from './inline-send.js';
import { mmsgSender, type GatheringSender } from './mmsg-sender.js';
import { newSenderCounts, type FrameSender } from './sender.js';

/** An exporter: a sink with counters. */
export interface Exporter extends PacketSink {
  readonly url: string;
  /** The largest IP packet GRO builds, when GRO is on. */
  readonly groMaxIpLen: number | undefined;
  /** Resolves once the sender thread runs. */
  readonly ready: Promise<void>;
  /** Whether a sender thread sends (otherwise the capture thread does). */
  readonly sendThread: boolean;
  stats(): ForwardStats;
  /** Inline only: frames lying in `mem` (the capture ring) are sent from it without a copy. */
  gatherFrom?(mem: NativeMemory | undefined): void;
  /** Inline only: sends what still points into the ring; call before a ring block goes back to the kernel. */
  flushGathered?(): void;
}

/** What `parseExportUrl` understands. */
export interface ExportTarget {
  protocol: 'udp' | 'tcp';
  host: string;
  port: number;
  /** VXLAN network identifier (udp). */
  vni: number;
  /** Equal-length datagrams sent together with UDP segmentation offload (udp; on unless `?gso=0`). */
  gso: boolean;
  /** Stream format (tcp). */
  format: 'pcap' | 'pcapng';
}

/** Parses an export URL; throws CaptureOptionError (a usage error) when it is not one. */
export function parseExportUrl(url: string): ExportTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CaptureOptionError(`url ${url}: not a URL (udp://HOST:PORT or tcp://HOST:PORT)`, 'url');
  }
  const protocol = u.protocol.replace(':', '');
  if (protocol !== 'udp' && protocol !== 'tcp') throw new CaptureOptionError(`url ${url}: the scheme must be udp or tcp`, 'url');
  const port = Number(u.port || (protocol === 'udp' ? '4789' : ''));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CaptureOptionError(`url ${url}: a port 1..65535 is needed`, 'url');
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === '') throw new CaptureOptionError(`url ${url}: no host`, 'url');
  const vni = Number(u.searchParams.get('vni') ?? '0');
  if (!Number.isInteger(vni) || vni < 0 || vni > 0xffffff) throw new CaptureOptionError(`url ${url}: vni must be 0..16777215`, 'url');
  const gsoParam = u.searchParams.get('gso') ?? (protocol === 'udp' ? '1' : '0');
  if (gsoParam !== '0' && gsoParam !== '1') throw new CaptureOptionError(`url ${url}: gso must be 0 or 1`, 'url');
  if (gsoParam === '1' && protocol !== 'udp') throw new CaptureOptionError(`url ${url}: gso is for udp:// targets`, 'url');
  const format = u.searchParams.get('format') ?? 'pcap';
  if (format !== 'pcap' && format !== 'pcapng') throw new CaptureOptionError(`url ${url}: format must be pcap or pcapng`, 'url');
  return { protocol, host, port, vni, gso: gsoParam === '1', format };
}

async function resolve(url: string, host: string): Promise<{ address: string; family: 4 | 6 }> {
  if (isIP(host) !== 0) return { address: host, family: isIP(host) as 4 | 6 };
  try {
    const r = await lookup(host);
    return { address: r.address, family: r.family as 4 | 6 };
  } catch (err) {
    throw new CaptureOptionError(`url ${url}: cannot resolve ${host}: ${(err as Error).message}`, 'url');
  }
}

const VXLAN_HDR = 8;
/** The most UDP payload one IPv4 datagram carries. */
const UDP_MAX_PAYLOAD = 65507;
/** Send buffer of the VXLAN socket. */
const SEND_BUFFER_BYTES = 8 << 20;
/** How long the sender thread waits for room in a full socket before it drops (counted). */
const SEND_PATIENCE_MS = 50;

/**
 * Opens an exporter for `url`: rejects with CaptureOptionError when the URL cannot be parsed or
 * resolved.
 * @example
 * const exp = await createExporter('udp://203.0.113.10:4789?vni=42');
 * for await (const p of capture) exp.write(p);
 */
export async function createExporter(url: string, opts: ExporterOptions = {}): Promise<Exporter> {
  const t = parseExportUrl(url);
  const addr = await resolve(url, t.host);
  const cut = opts.exportSnaplen;
  if (cut !== undefined && (!Number.isInteger(cut) || cut < 14 || cut > 262144)) throw new CaptureOptionError(`exportSnaplen ${cut}: must be 14..262144`, 'exportSnaplen');
  // A VXLAN datagram holds at most 65507 bytes of UDP payload: its header, the frame's link header (one tag) and the IP packet.
  const groMaxIpLen = opts.gro === true ? (t.protocol === 'udp' ? UDP_MAX_PAYLOAD - VXLAN_HDR - 18 : 65535) : undefined;
  const hopts: HandoffOptions = {
    ...(opts.queueBytes !== undefined ? { queueBytes: opts.queueBytes } : {}),
    ...(groMaxIpLen !== undefined ? { groMaxIpLen } : {}),
    ...(opts.groWindowNs !== undefined ? { groWindowNs: opts.groWindowNs } : {}),
    ...(cut !== undefined ? { snaplen: cut } : {}),
  };
  const warn = opts.onWarning ?? (() => undefined);
  const sendThread = opts.sendThread ?? defaultSendThread(availableParallelism());
  let spec: SenderSpec;
  let release = (): void => undefined;
  if (t.protocol === 'udp') {
    const fd = openVxlanSocket(url, addr, t.port);
    spec = { kind: 'udp', fd, vni: t.vni, gso: t.gso };
    release = () => raw.close(fd);
  } else {
    const format = { linkType: opts.linkType ?? 1, snaplen: cut ?? opts.snaplen ?? 262144 };
    const header = await streamHeader(t.format, format);
    spec = { kind: 'tcp', url, address: addr.address, family: addr.family, port: t.port, format: t.format, ...format, header: new Uint8Array(header) };
  }
  if (!sendThread) {
    // On the capture thread a full socket is never waited for: its frames are dropped and counted.
    const h = startInline(spec.kind === 'udp' ? vxlanSender(spec, 0) : tcpSender(spec, warn), hopts, release);
    return { url, groMaxIpLen, sendThread, ...h };
  }
  const h = startHandoff(spec, hopts, warn, release);
  await h.ready;
  return { url, groMaxIpLen, sendThread, ready: h.ready, write: h.write, flush: h.flush, close: h.close, stats: h.stats };
}

/** Options of `createExporter`. */
export interface ExporterOptions {
  /** LINKTYPE_* of the frames (for the tcp stream's header; default EN10MB). */
  linkType?: number;
  /** Snapshot length for the stream's header (the capture's). */
  snaplen?: number;
  /** Cut every exported frame to this many bytes (14..262144); the pcap stream keeps each frame's original length. */
  exportSnaplen?: number;
  /** Merge consecutive TCP segments of a flow before sending (application-level GRO). */
  gro?: boolean;
  /** GRO hold time in nanoseconds (default 2 ms). */
  groWindowNs?: number;
  /** Bytes of the hand-off ring between the capture thread and the sender thread (default 32 MiB). */
  queueBytes?: number;
  /** Called with reconnection warnings. */
  onWarning?: (msg: string) => void;
  /** Send from a thread of its own (true) or from the capture thread (false); default: a thread with 4 CPUs or more. */
  sendThread?: boolean;
}

type StreamFormat = { linkType: number; snaplen: number };

function newStreamWriter(format: 'pcap' | 'pcapng', target: PassThrough, f: StreamFormat): PcapWriter | PcapngWriter {
  return format === 'pcapng' ? new PcapngWriter(target, f) : new PcapWriter(target, { ...f, nano: false });
}

/** The bytes a stream starts with (pcap file header, or pcapng SHB and IDB), sent on every connection. */
async function streamHeader(format: 'pcap' | 'pcapng', f: StreamFormat): Promise<Buffer> {
  const sink = new PassThrough();
  const parts: Buffer[] = [];
  sink.on('data', (c: Buffer) => parts.push(c));
  const w = newStreamWriter(format, sink, f);
  await w.flush();
  await new Promise((r) => setImmediate(r));
  return Buffer.concat(parts);
}

function sockaddr(address: string, family: 4 | 6, port: number): Uint8Array {
  if (family === 4) {
    const b = new Uint8Array(SOCKADDR_IN.SIZE);
    new DataView(b.buffer).setUint16(SOCKADDR_IN.family, AF_INET, true);
    b[SOCKADDR_IN.port] = port >> 8;
    b[SOCKADDR_IN.port + 1] = port & 0xff;
    address.split('.').forEach((o, i) => (b[SOCKADDR_IN.addr + i] = Number(o)));
    return b;
  }
  const b = new Uint8Array(SOCKADDR_IN6.SIZE);
  new DataView(b.buffer).setUint16(SOCKADDR_IN6.family, AF_INET6, true);
  b[SOCKADDR_IN6.port] = port >> 8;
  b[SOCKADDR_IN6.port + 1] = port & 0xff;
  const [head = '', tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const tl = address.includes('::') && tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - tl.length).fill('0'), ...tl];
  groups.forEach((g, i) => {
    const v = Number.parseInt(g || '0', 16);
    b[SOCKADDR_IN6.addr + 2 * i] = v >> 8;
    b[SOCKADDR_IN6.addr + 2 * i + 1] = v & 0xff;
  });
  return b;
}

/** A connected, non-blocking UDP socket to the collector. */
function openVxlanSocket(url: string, addr: { address: string; family: 4 | 6 }, port: number): number {
  const fd = raw.socket(addr.family === 4 ? AF_INET : AF_INET6, 2 /* SOCK_DGRAM */ | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw new SyscallError('socket', lastErrno(), `--export ${url}: socket`);
  // Room for a few ring blocks of datagrams: a burst is queued rather than dropped. SO_SNDBUFFORCE
  // passes the wmem_max cap for root; without the privilege the capped option is the fallback.
  const size = new Uint8Array(4);
  new DataView(size.buffer).setInt32(0, SEND_BUFFER_BYTES, true);
  if (raw.setsockopt(fd, SOL_SOCKET, SO.SNDBUFFORCE, size, 4) < 0) raw.setsockopt(fd, SOL_SOCKET, SO.SNDBUF, size, 4);
  const sa = sockaddr(addr.address, addr.family, port);
  if (raw.connect(fd, sa, sa.length) < 0) {
    const errno = lastErrno();
    raw.close(fd);
    throw new SyscallError('connect', errno, `--export ${url}: connect`);
  }
  return fd;
}

/** The VXLAN side: each frame behind its 8-byte VXLAN header, batched with sendmmsg (`mmsg-sender.ts`). */
export function vxlanSender(spec: Extract<SenderSpec, { kind: 'udp' }>, patienceMs = SEND_PATIENCE_MS): GatheringSender {
  const header = new Uint8Array(VXLAN_HDR);
  header[0] = 0x08; // I flag: the VNI is valid
  header[4] = (spec.vni >> 16) & 0xff;
  header[5] = (spec.vni >> 8) & 0xff;
  header[6] = spec.vni & 0xff;
  return mmsgSender(spec.fd, { prefix: header, maxLen: UDP_MAX_PAYLOAD - VXLAN_HDR, patienceMs, gso: spec.gso });
}

/** How long closing waits for a slow collector to take the queue. */
const CLOSE_GRACE_MS = 2000;

/** Bytes a TCP exporter may hold for a slow or absent collector before it drops packets. */
export const TCP_QUEUE_LIMIT = 16 << 20;

/** The sender thread's pcap-stream side: a pcap writer into a queue that one connection at a time drains. */
export function tcpSender(spec: Extract<SenderSpec, { kind: 'tcp' }>, warn: (msg: string) => void): FrameSender {
  const { url } = spec;
  const header = Buffer.from(spec.header);
  const counts = newSenderCounts();
  // The writer produces the stream into a pass-through; its own header is skipped (each connection gets
  // `header` first), and record chunks queue here until a connection takes them.
  const stream = new PassThrough({ highWaterMark: 1 << 20 });
  let skip = header.length;
  const queue: { chunk: Buffer; packets: number; frames: number; bytes: number }[] = [];
  let unassigned = 0; // packets written to the writer whose chunk has not come out yet
  let unassignedFrames = 0;
  let unassignedBytes = 0;
  let queued = 0;
  let sock: Socket | undefined;
  let connected = false;
  let closed = false;
  let backoff = 100;
  let timer: NodeJS.Timeout | undefined;
  stream.on('data', (data: Buffer) => {
    let chunk = data;
    if (skip > 0) {
      const n = Math.min(skip, chunk.length);
      skip -= n;
      chunk = chunk.subarray(n);
      if (chunk.length === 0) return;
    }
    queue.push({ chunk, packets: unassigned, frames: unassignedFrames, bytes: unassignedBytes });
    unassigned = 0;
    unassignedFrames = 0;
    unassignedBytes = 0;
    queued += chunk.length;
    pump();
  });
  const writer = newStreamWriter(spec.format, stream, { linkType: spec.linkType, snaplen: spec.snaplen });

  const pump = (): void => {
    while (connected && sock && queue.length > 0 && sock.writableLength < 1 << 20) {
      const c = queue.shift() as { chunk: Buffer; packets: number; frames: number; bytes: number };
      queued -= c.chunk.length;
      sock.write(c.chunk);
      counts.frames += c.frames;
      counts.packets += c.packets;
      counts.bytes += c.bytes;
    }
  };
  const connect = (): void => {
    if (closed) return;
    const s = new Socket();
    sock = s;
    s.setNoDelay(true);
    s.on('connect', () => {
      connected = true;
      backoff = 100;
      s.write(header);
      pump();
    });
    s.on('drain', pump);
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (!closed) warn(`--export ${url}: ${err.code ?? err.message}; reconnecting in ${backoff} ms`);
    });
    s.on('close', () => {
      connected = false;
      if (closed) return;
      timer = setTimeout(connect, backoff);
      timer.unref();
      backoff = Math.min(backoff * 2, 5000);
    });
    s.connect({ host: spec.address, port: spec.port, family: spec.family });
  };
  connect();

  return {
    counts,
    write(p: PacketView, frames: number): void {
      if (closed) return;
      // A collector that does not keep up costs whole packets, counted; the capture never waits.
      if (queued > TCP_QUEUE_LIMIT || (sock !== undefined && sock.writableLength > TCP_QUEUE_LIMIT)) {
        counts.dropped += frames;
        return;
      }
      writer.write(p);
      unassigned++;
      unassignedFrames += frames;
      unassignedBytes += p.capLen;
    },
    flush(): void {
      void writer.flush();
    },
    async close(): Promise<void> {
      if (closed) return;
      await writer.flush();
      await new Promise((r) => setImmediate(r));
      // Closing: give a connected collector up to CLOSE_GRACE_MS to take what is queued; a collector
      // that does not read keeps the rest, counted as dropped, and never holds the exit.
      const deadline = Date.now() + CLOSE_GRACE_MS;
      while (connected && queue.length > 0 && Date.now() < deadline) {
        pump();
        await new Promise((r) => setTimeout(r, 10));
      }
      closed = true;
      if (timer) clearTimeout(timer);
      const s = sock;
      if (s && connected) {
        await new Promise<void>((r) => {
          const t = setTimeout(() => {
            s.destroy();
            r();
          }, Math.max(100, deadline - Date.now()));
          s.end(() => {
            clearTimeout(t);
            r();
          });
        });
      } else s?.destroy();
      // Whatever never reached a collector is lost: count it.
      for (const c of queue) counts.dropped += c.frames;
      counts.dropped += unassignedFrames;
    },
  };
}
