/**
 * The GRO engine on crafted segments: what merges, what passes unmerged and in which order, and
 * whether merged packets carry correct lengths and checksums, judged by tshark's own checksum
 * validation (an independent implementation) on a pcap of the output.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { TcpGro } from '../../src/capture/gro.js';
import { emptyPacket, type PacketView } from '../../src/packet.js';
import { ether, tcp4Seg, tcp6Seg, udp4, type TcpSegSpec, type Tag } from '../helpers/frames.js';
import { writePcap } from '../helpers/pcap-lite.js';

const dir = mkdtempSync(join(tmpdir(), 'tscap-gro-'));
const ACK = 0x10;
const PSH = 0x08;

interface Out {
  bytes: Uint8Array;
  frames: number;
  tsSec: number;
  tsNsec: number;
}

interface In {
  frame: Uint8Array;
  tsNs?: number;
}

function run(inputs: In[], maxIpLen = 65535): { out: Out[]; gro: TcpGro } {
  const out: Out[] = [];
  const gro = new TcpGro({ maxIpLen, emit: (p, frames) => out.push({ bytes: p.buf.slice(p.offset, p.offset + p.capLen), frames, tsSec: p.tsSec, tsNsec: p.tsNsec }) });
  const p: PacketView = emptyPacket();
  for (const i of inputs) {
    p.buf = i.frame;
    p.offset = 0;
    p.capLen = i.frame.length;
    p.wireLen = i.frame.length;
    const ns = i.tsNs ?? 0;
    p.tsSec = 1_700_000_000 + Math.floor(ns / 1e9);
    p.tsNsec = ns % 1e9;
    gro.push(p);
  }
  gro.flushAll();
  return { out, gro };
}

const base: Omit<TcpSegSpec, 'seq'> = { src: '192.0.2.1', dst: '192.0.2.2', sport: 40000, dport: 5201, ack: 777, ts: [1000, 2000] };

function payload(seq: number, len: number): number[] {
  return Array.from({ length: len }, (_, i) => ((seq + i) * 31 + 7) & 0xff);
}

function seg4(seq: number, len: number, extra: Partial<TcpSegSpec> = {}, tags: Tag[] = []): Uint8Array {
  return ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, tcp4Seg({ ...base, seq, data: payload(seq, len), ...extra }), tags);
}

function seg6(seq: number, len: number, extra: Partial<TcpSegSpec> = {}): Uint8Array {
  return ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x86dd, tcp6Seg({ ...base, src: 'fd00::1', dst: 'fd00::2', seq, data: payload(seq, len), ...extra }));
}

/** Sequence number and payload length of a frame's TCP segment, read here independently of the engine. */
function tcpOf(f: Uint8Array): { seq: number; len: number; flags: number; data: Uint8Array } {
  let l2 = 14;
  let type = (f[12]! << 8) | f[13]!;
  while (type === 0x8100 || type === 0x88a8) {
    l2 += 4;
    type = (f[l2 - 2]! << 8) | f[l2 - 1]!;
  }
  const v6 = type === 0x86dd;
  const ipHdr = v6 ? 40 : (f[l2]! & 15) * 4;
  const ipLen = v6 ? 40 + ((f[l2 + 4]! << 8) | f[l2 + 5]!) : (f[l2 + 2]! << 8) | f[l2 + 3]!;
  const t = l2 + ipHdr;
  const th = (f[t + 12]! >> 4) * 4;
  const seq = ((f[t + 4]! << 24) | (f[t + 5]! << 16) | (f[t + 6]! << 8) | f[t + 7]!) >>> 0;
  return { seq, len: ipLen - ipHdr - th, flags: f[t + 13]!, data: f.subarray(t + th, l2 + ipLen) };
}

/** tshark's verdict on every packet's IPv4 and TCP checksums: one "ip,tcp" status pair a packet (1 = good, 0 = bad). */
function tsharkChecksums(frames: Uint8Array[]): string[] {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.pcap`);
  writePcap(file, 1, frames.map((data, i) => ({ tsSec: 1_700_000_000, tsFrac: i, data, wireLen: data.length })));
  const text = execFileSync('tshark', ['-r', file, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=,', '-e', 'ip.checksum.status', '-e', 'tcp.checksum.status'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return text.trim().split('\n');
}

describe('merging', () => {
  test('ten in-order IPv4 segments with timestamps become one packet; lengths and checksums are right (tshark)', () => {
    const ins = Array.from({ length: 10 }, (_, i) => ({ frame: seg4(1000 + i * 1448, 1448, { flags: i === 9 ? ACK | PSH : ACK }), tsNs: i * 10_000 }));
    const { out, gro } = run(ins);
    expect(out).toHaveLength(1);
    const o = out[0]!;
    expect(o.frames).toBe(10);
    expect(o.tsNsec).toBe(0); // the first segment's time
    const t = tcpOf(o.bytes);
    expect(t.seq).toBe(1000);
    expect(t.len).toBe(14480);
    expect(t.flags).toBe(ACK | PSH);
    expect(Buffer.from(t.data).equals(Buffer.from(payload(1000, 14480)))).toBe(true);
    expect(gro.stats).toEqual({ framesIn: 10, packetsOut: 1, payloadIn: 14480, payloadOut: 14480 });
    expect(tsharkChecksums([o.bytes])).toEqual(['1,1']);
    // The check is live: one flipped payload byte makes tshark call the TCP checksum bad.
    const broken = o.bytes.slice();
    broken[100] = broken[100]! ^ 0xff;
    expect(tsharkChecksums([broken])).toEqual(['1,0']);
  });

  test('IPv6: the payload length is rewritten and the TCP checksum is right (tshark)', () => {
    const { out } = run(Array.from({ length: 5 }, (_, i) => ({ frame: seg6(50 + i * 1000, 1000) })));
    expect(out).toHaveLength(1);
    const o = out[0]!;
    expect(o.frames).toBe(5);
    expect((o.bytes[18]! << 8) | o.bytes[19]!).toBe(32 + 5000);
    expect(tsharkChecksums([o.bytes])).toEqual([',1']);
  });

  test('an odd payload length and a PSH in the middle: PSH ends the packet; the next one starts a new merge', () => {
    const ins = [seg4(1, 333), seg4(334, 333, { flags: ACK | PSH }), seg4(667, 101), seg4(768, 99)].map((frame) => ({ frame }));
    const { out } = run(ins);
    expect(out.map((o) => [tcpOf(o.bytes).seq, tcpOf(o.bytes).len, o.frames])).toEqual([
      [1, 666, 2],
      [667, 200, 2],
    ]);
    expect(tsharkChecksums(out.map((o) => o.bytes))).toEqual(['1,1', '1,1']);
  });

  test('merged packets of every length modulo 8, and one of 65,000 bytes of 0xff: checksums right (tshark)', () => {
    // The TCP sum runs over 32-bit words two at a time, then a last word, then 16-bit and 8-bit tails:
    // totals of every remainder modulo 8 reach each path. All-ones payload is the largest sum per word.
    const outs: Uint8Array[] = [];
    for (let extra = 0; extra < 8; extra++) {
      const { out } = run([{ frame: seg4(5000, 1448) }, { frame: seg4(6448, 1001 + extra) }]);
      expect(out.map((o) => o.frames)).toEqual([2]);
      outs.push(out[0]!.bytes);
    }
    const ones = (n: number): number[] => new Array<number>(n).fill(0xff);
    const big = run(Array.from({ length: 50 }, (_, i) => ({ frame: seg4(i * 1300, 1300, { data: ones(1300) }) })));
    expect(big.out.map((o) => o.frames)).toEqual([50]);
    expect(tcpOf(big.out[0]!.bytes).len).toBe(65000);
    outs.push(big.out[0]!.bytes);
    expect(tsharkChecksums(outs)).toEqual(new Array<string>(9).fill('1,1'));
  });

  test('merging stops at the size limit: 1448-byte segments under a 3000-byte limit go in pairs', () => {
    const { out } = run(Array.from({ length: 6 }, (_, i) => ({ frame: seg4(i * 1448, 1448) })), 3000);
    expect(out.map((o) => o.frames)).toEqual([2, 2, 2]);
    for (const o of out) expect(o.bytes.length - 14).toBeLessThanOrEqual(3000);
  });

  test('the time window: a segment more than 2 ms after the first of the held packet starts a new one', () => {
    const { out } = run([
      { frame: seg4(0, 100), tsNs: 0 },
      { frame: seg4(100, 100), tsNs: 1_900_000 },
      { frame: seg4(200, 100), tsNs: 2_100_000 },
    ]);
    expect(out.map((o) => o.frames)).toEqual([2, 1]);
  });
});

describe('what passes unmerged', () => {
  test('retransmission, gap and out-of-order segments pass unmerged and in arrival order', () => {
    const A = seg4(0, 100);
    const B = seg4(100, 100);
    const D = seg4(300, 100); // a gap: 200..300 missing
    const C = seg4(200, 100); // the missing piece, late
    const E = seg4(400, 100);
    const F = seg4(500, 100);
    const { out, gro } = run([A, B, A, D, C, E, F].map((frame) => ({ frame })));
    expect(out.map((o) => [tcpOf(o.bytes).seq, tcpOf(o.bytes).len, o.frames])).toEqual([
      [0, 200, 2], // A+B
      [0, 100, 1], // the retransmitted A
      [300, 100, 1], // D after the gap
      [200, 100, 1], // C, out of order
      [400, 200, 2], // E+F: in order again after D
    ]);
    // Unmerged frames leave byte for byte as they came.
    expect(Buffer.from(out[1]!.bytes).equals(Buffer.from(A))).toBe(true);
    expect(Buffer.from(out[2]!.bytes).equals(Buffer.from(D))).toBe(true);
    expect(Buffer.from(out[3]!.bytes).equals(Buffer.from(C))).toBe(true);
    expect(gro.stats.payloadIn).toBe(gro.stats.payloadOut);
  });

  test.each([
    ['FIN', { flags: ACK | 0x01 }],
    ['SYN', { flags: 0x02 | ACK }],
    ['RST', { flags: ACK | 0x04 }],
    ['URG', { flags: ACK | 0x20 }],
    ['CWR', { flags: ACK | 0x80 }],
    ['another TSval', { ts: [1001, 2000] as [number, number] }],
    ['another ACK number', { ack: 778 }],
    ['another window', { window: 600 }],
    ['no timestamp option', { ts: undefined }],
    ['another TTL', { ttl: 63 }],
  ])('%s: the held packet is flushed and the segment passes', (_name, extra) => {
    const x = seg4(200, 100, extra as Partial<TcpSegSpec>);
    const { out } = run([seg4(0, 100), seg4(100, 100), { frame: x }.frame, seg4(300, 100)].map((frame) => ({ frame })));
    expect(out[0]!.frames).toBe(2);
    expect(Buffer.from(out[1]!.bytes).equals(Buffer.from(x))).toBe(true);
    expect(out[1]!.frames).toBe(1);
    expect(out.reduce((a, o) => a + o.frames, 0)).toBe(4);
  });

  test('other VLAN tags are other flows; UDP and pure ACKs pass unchanged, each flow in order', () => {
    const tag = (vid: number): Tag[] => [{ tpid: 0x8100, pcp: 0, dei: false, vid }];
    const udp = ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('192.0.2.1', '192.0.2.2', 5000, 6000, [1, 2, 3]));
    const pureAck = ether('02:00:00:00:00:01', '02:00:00:00:00:02', 0x0800, tcp4Seg({ ...base, src: '192.0.2.2', dst: '192.0.2.1', sport: 5201, dport: 40000, seq: 9, data: [] }));
    const ins = [seg4(0, 100, {}, tag(10)), seg4(0, 100, {}, tag(20)), udp, seg4(100, 100, {}, tag(10)), pureAck, seg4(100, 100, {}, tag(20))];
    const { out } = run(ins.map((frame) => ({ frame })));
    // The UDP datagram and the ACK leave at once; each tagged flow's pair is merged.
    expect(out.map((o) => o.frames)).toEqual([1, 1, 2, 2]);
    expect(Buffer.from(out[0]!.bytes).equals(Buffer.from(udp))).toBe(true);
    expect(Buffer.from(out[1]!.bytes).equals(Buffer.from(pureAck))).toBe(true);
    expect(out[2]!.bytes[15]).toBe(10);
    expect(out[3]!.bytes[15]).toBe(20);
    expect(tsharkChecksums([out[2]!.bytes, out[3]!.bytes])).toEqual(['1,1', '1,1']);
  });

  test('a truncated frame (snaplen) or Ethernet padding: truncated passes; padding is not carried into a merge', () => {
    const padded = new Uint8Array(80);
    const small = seg4(0, 4);
    padded.set(small);
    const { out } = run([{ frame: padded }, { frame: seg4(4, 4) }]);
    expect(out).toHaveLength(1);
    expect(tcpOf(out[0]!.bytes).len).toBe(8);
    expect(out[0]!.bytes.length).toBe(small.length + 4);
    const gro = new TcpGro({ maxIpLen: 65535, emit: () => undefined });
    const p = emptyPacket();
    const f = seg4(0, 100);
    p.buf = f;
    p.capLen = 60;
    p.wireLen = f.length;
    gro.push(p);
    expect(gro.holding).toBe(0);
  });
});
