/**
 * Frame builders for tests: Ethernet, 802.1Q/802.1ad tags, IPv4/IPv6 with UDP/TCP/ICMP, ARP, with
 * checksums computed per RFC 791/768/793/4443 so the frames are real traffic to every tool.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { run } from './netns.js';

/** MAC text to bytes. */
export function mac(text: string): number[] {
  return text.split(':').map((h) => Number.parseInt(h, 16));
}

function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

function csum(bytes: number[]): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i += 2) s += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

function ip4(text: string): number[] {
  return text.split('.').map(Number);
}

function ip6(text: string): number[] {
  const [head = '', tail = ''] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = text.includes('::') && tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => u16(Number.parseInt(g || '0', 16)));
}

export interface Tag {
  tpid: number;
  pcp: number;
  dei: boolean;
  vid: number;
}

/** An Ethernet frame: dst, src, optional tags, EtherType, payload. */
export function ether(dst: string, src: string, type: number, payload: number[], tags: Tag[] = []): Uint8Array {
  const out = [...mac(dst), ...mac(src)];
  for (const t of tags) out.push(...u16(t.tpid), ...u16((t.pcp << 13) | (t.dei ? 0x1000 : 0) | t.vid));
  out.push(...u16(type), ...payload);
  return Uint8Array.from(out);
}

/** An IPv4 header (no options) around a payload. */
export function ipv4(src: string, dst: string, proto: number, payload: number[], ttl = 64, id = 1): number[] {
  const len = 20 + payload.length;
  const h = [0x45, 0, ...u16(len), ...u16(id), 0x40, 0, ttl, proto, 0, 0, ...ip4(src), ...ip4(dst)];
  const c = csum(h);
  h[10] = c >> 8;
  h[11] = c & 0xff;
  return [...h, ...payload];
}

/** A UDP datagram over IPv4 with a correct checksum. */
export function udp4(src: string, dst: string, sport: number, dport: number, data: number[]): number[] {
  const len = 8 + data.length;
  const seg = [...u16(sport), ...u16(dport), ...u16(len), 0, 0, ...data];
  const c = csum([...ip4(src), ...ip4(dst), 0, 17, ...u16(len), ...seg]) || 0xffff;
  seg[6] = c >> 8;
  seg[7] = c & 0xff;
  return ipv4(src, dst, 17, seg);
}

/** A TCP segment (20-byte header) over IPv4. */
export function tcp4(src: string, dst: string, sport: number, dport: number, flags: number, seq: number, data: number[] = []): number[] {
  const seg = [...u16(sport), ...u16(dport), ...u16(seq >>> 16), ...u16(seq & 0xffff), 0, 0, 0, 0, 0x50, flags, ...u16(64240), 0, 0, 0, 0, ...data];
  const c = csum([...ip4(src), ...ip4(dst), 0, 6, ...u16(seg.length), ...seg]);
  seg[16] = c >> 8;
  seg[17] = c & 0xff;
  return ipv4(src, dst, 6, seg);
}

/** An ICMP echo request over IPv4. */
export function icmp4Echo(src: string, dst: string, id: number, seq: number, data: number[] = []): number[] {
  const m = [8, 0, 0, 0, ...u16(id), ...u16(seq), ...data];
  const c = csum(m);
  m[2] = c >> 8;
  m[3] = c & 0xff;
  return ipv4(src, dst, 1, m);
}

/** An IPv6 packet (no extension headers). */
export function ipv6(src: string, dst: string, next: number, payload: number[], hop = 64): number[] {
  return [0x60, 0, 0, 0, ...u16(payload.length), next, hop, ...ip6(src), ...ip6(dst), ...payload];
}

function pseudo6(src: string, dst: string, next: number, len: number): number[] {
  return [...ip6(src), ...ip6(dst), 0, 0, ...u16(len), 0, 0, 0, next];
}

/** A UDP datagram over IPv6. */
export function udp6(src: string, dst: string, sport: number, dport: number, data: number[]): number[] {
  const len = 8 + data.length;
  const seg = [...u16(sport), ...u16(dport), ...u16(len), 0, 0, ...data];
  const c = csum([...pseudo6(src, dst, 17, len), ...seg]) || 0xffff;
  seg[6] = c >> 8;
  seg[7] = c & 0xff;
  return ipv6(src, dst, 17, seg);
}

/** An ICMPv6 echo request. */
export function icmp6Echo(src: string, dst: string, id: number, seq: number): number[] {
  const m = [128, 0, 0, 0, ...u16(id), ...u16(seq)];
  const c = csum([...pseudo6(src, dst, 58, m.length), ...m]);
  m[2] = c >> 8;
  m[3] = c & 0xff;
  return ipv6(src, dst, 58, m);
}

/** A TCP SYN over IPv6. */
export function tcp6Syn(src: string, dst: string, sport: number, dport: number): number[] {
  const seg = [...u16(sport), ...u16(dport), 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, ...u16(64240), 0, 0, 0, 0];
  const c = csum([...pseudo6(src, dst, 6, seg.length), ...seg]);
  seg[16] = c >> 8;
  seg[17] = c & 0xff;
  return ipv6(src, dst, 6, seg);
}

/** An ARP request (Ethernet/IPv4). */
export function arpRequest(senderMac: string, senderIp: string, targetIp: string): number[] {
  return [0, 1, 8, 0, 6, 4, 0, 1, ...mac(senderMac), ...ip4(senderIp), 0, 0, 0, 0, 0, 0, ...ip4(targetIp)];
}

/** Pads an Ethernet frame to the 60-byte minimum as a NIC would. */
export function pad60(frame: Uint8Array): Uint8Array {
  if (frame.length >= 60) return frame;
  const out = new Uint8Array(60);
  out.set(frame);
  return out;
}

/** Hex lines for `send-frames.ts`. */
export function hexLines(frames: Uint8Array[]): string {
  return frames.map((f) => Buffer.from(f).toString('hex')).join('\n') + '\n';
}

/** Sends frames out of `peer` inside namespace `ns` with tscap's injector; returns the count sent. */
export function sendFrames(ns: string, peer: string, frames: Uint8Array[], gapUs = 0): number {
  const out = run(
    'ip',
    ['netns', 'exec', ns, 'env', `SEND_GAP_US=${gapUs}`, process.execPath, '--import', 'tsx', 'test/helpers/send-frames.ts', peer],
    hexLines(frames),
  );
  return Number(out.trim());
}

/**
 * Sends `frames` out of `peer` in namespace `ns` in chunks of `chunk`, awaiting `seen(sentSoFar)` (the
 * receiver has them all) after each; returns the count sent. A veth's receive backlog
 * (net.core.netdev_max_backlog, 1000 frames) drops whatever a CPU-starved softirq has not taken yet,
 * so on a loaded machine a larger burst is not certain to arrive whole.
 */
export async function sendInChunks(ns: string, peer: string, frames: Uint8Array[], seen: (sent: number) => Promise<void>, chunk = 500, gapUs = 2): Promise<number> {
  const child = spawn('ip', ['netns', 'exec', ns, 'env', `SEND_GAP_US=${gapUs}`, process.execPath, '--import', 'tsx', 'test/helpers/send-frames.ts', peer, '--chunks'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let sent = 0;
  try {
    for (let at = 0; at < frames.length; at += chunk) {
      child.stdin.write(hexLines(frames.slice(at, at + chunk)) + '.\n');
      const r = await lines.next();
      if (r.done === true) throw new Error(`send-frames ended early: ${err}`);
      sent = Number(r.value);
      await seen(sent);
    }
  } finally {
    child.stdin.end();
  }
  return sent;
}

/** A TCP segment with every field chosen: for GRO tests (checksum per RFC 793 over the pseudo-header). */
export interface TcpSegSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags?: number;
  window?: number;
  /** TSval/TSecr: the option laid out NOP NOP TS, as Linux sends it. */
  ts?: [number, number];
  data?: number[];
  ttl?: number;
}

function tcpSegment(s: TcpSegSpec, pseudo: (len: number) => number[]): number[] {
  const opts = s.ts ? [1, 1, 8, 10, ...u16(s.ts[0] >>> 16), ...u16(s.ts[0] & 0xffff), ...u16(s.ts[1] >>> 16), ...u16(s.ts[1] & 0xffff)] : [];
  const ack = s.ack ?? 1;
  const seg = [
    ...u16(s.sport),
    ...u16(s.dport),
    ...u16(s.seq >>> 16),
    ...u16(s.seq & 0xffff),
    ...u16(ack >>> 16),
    ...u16(ack & 0xffff),
    ((20 + opts.length) / 4) << 4,
    s.flags ?? 0x10,
    ...u16(s.window ?? 502),
    0,
    0,
    0,
    0,
    ...opts,
    ...(s.data ?? []),
  ];
  const c = csum([...pseudo(seg.length), ...seg]);
  seg[16] = c >> 8;
  seg[17] = c & 0xff;
  return seg;
}

/** A TCP segment over IPv4 (see TcpSegSpec). */
export function tcp4Seg(s: TcpSegSpec): number[] {
  return ipv4(s.src, s.dst, 6, tcpSegment(s, (len) => [...ip4(s.src), ...ip4(s.dst), 0, 6, ...u16(len)]), s.ttl ?? 64);
}

/** A TCP segment over IPv6 (see TcpSegSpec). */
export function tcp6Seg(s: TcpSegSpec): number[] {
  return ipv6(s.src, s.dst, 6, tcpSegment(s, (len) => pseudo6(s.src, s.dst, 6, len)), s.ttl ?? 64);
}
