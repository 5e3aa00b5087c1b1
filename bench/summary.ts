/**
 * Cost of the traffic accounting behind `--summary` and `--stats`, per packet: a synthetic stream of
 * Ethernet frames (IPv4 TCP and UDP, IPv6 UDP, 64-1400 bytes, over F distinct 5-tuples) fed through
 * one re-pointed PacketView into (a) the layer parser alone, (b) the summary sink with every kind,
 * (c) the live statistics sink. Also reports heap growth in the steady state (flows already known),
 * which should be about zero: the hot path allocates only for new flows. Prints numbers, never fails.
 * Run: `npx tsx bench/summary.ts [packets] [flows]` (defaults 2,000,000 and 10,000), or with
 * `node --expose-gc --import tsx bench/summary.ts` for exact heap numbers.
 */
import { LayerParser } from '../src/decode/parser.js';
import { emptyPacket } from '../src/packet.js';
import type { PacketSink } from '../src/packet.js';
import { createSummarySink } from '../src/sinks/summary.js';
import { createStatsReporter } from '../src/sinks/stats.js';

const PACKETS = Number(process.argv[2] ?? 2_000_000);
const FLOWS = Number(process.argv[3] ?? 10_000);
const DISTINCT_FRAMES = Math.max(FLOWS * 2, 1);

/** One frame of flow `f`, direction `dir`, `len` bytes (RFC 791/8200/768/9293 headers, zero payload). */
function makeFrame(f: number, dir: number, len: number): Uint8Array {
  const kind = f % 5; // 0-2 TCP over IPv4, 3 UDP over IPv4, 4 UDP over IPv6
  const v6 = kind === 4;
  const tcp = kind < 3;
  const l4 = tcp ? 20 : 8;
  const min = 14 + (v6 ? 40 : 20) + l4;
  const b = new Uint8Array(Math.max(len, min));
  b.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1], 0);
  const hostA = [10, (f >> 16) & 255, (f >> 8) & 255, f & 255];
  const hostB = [10, 200, 0, 1 + (f % 200)];
  const [src, dst] = dir === 0 ? [hostA, hostB] : [hostB, hostA];
  const sport = dir === 0 ? 1024 + (f % 60000) : 443;
  const dport = dir === 0 ? 443 : 1024 + (f % 60000);
  let p = 14;
  if (v6) {
    b.set([0x86, 0xdd], 12);
    const plen = b.length - 54;
    b.set([0x60, 0, 0, 0, plen >> 8, plen & 255, 17, 64], 14);
    b.set([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...src], 22);
    b.set([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...dst], 38);
    p = 54;
  } else {
    b.set([0x08, 0x00], 12);
    const total = b.length - 14;
    b.set([0x45, 0, total >> 8, total & 255, 0, 1, 0x40, 0, 64, tcp ? 6 : 17, 0, 0, ...src, ...dst], 14);
    p = 34;
  }
  b.set([sport >> 8, sport & 255, dport >> 8, dport & 255], p);
  if (tcp) b.set([0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x10, 0xff, 0xff], p + 4);
  else {
    const ul = b.length - p;
    b.set([ul >> 8, ul & 255], p + 4);
  }
  return b;
}

const frames: Uint8Array[] = [];
const LENS = [64, 128, 590, 1400, 74, 1514];
for (let i = 0; i < DISTINCT_FRAMES; i++) frames.push(makeFrame(i % FLOWS, (i / FLOWS) | 0 ? 1 : 0, LENS[i % LENS.length]!));

const pkt = emptyPacket();

function run(label: string, visit: () => void): void {
  const g = (globalThis as { gc?: () => void }).gc;
  // warm-up pass: every flow becomes known, the JIT settles
  const warm = Math.min(PACKETS, DISTINCT_FRAMES * 2);
  feed(warm, visit, 0);
  g?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  feed(PACKETS, visit, warm);
  const ns = Number(process.hrtime.bigint() - t0);
  g?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const pps = PACKETS / (ns / 1e9);
  console.log(
    `${label.padEnd(34)} ${(pps / 1e6).toFixed(2).padStart(6)} Mpkt/s  ${(ns / PACKETS).toFixed(0).padStart(5)} ns/pkt  heap ${((heapAfter - heapBefore) / 1024).toFixed(0).padStart(6)} KiB${g ? '' : ' (no --expose-gc)'}`,
  );
}

function feed(n: number, visit: () => void, start: number): void {
  let sec = 1_700_000_000;
  let nsec = 0;
  for (let i = 0; i < n; i++) {
    const f = frames[(start + i) % DISTINCT_FRAMES]!;
    pkt.buf = f;
    pkt.capLen = f.length;
    pkt.wireLen = f.length;
    // 1 µs apart: 1 M packets per simulated second, so io,1 gets a new interval every 1 M packets
    nsec += 1000;
    if (nsec >= 1e9) {
      nsec -= 1e9;
      sec++;
    }
    pkt.tsSec = sec;
    pkt.tsNsec = nsec;
    pkt.index = i;
    visit();
  }
}

console.log(`tscap accounting bench: ${PACKETS} packets over ${FLOWS} flows (both directions), node ${process.version}`);
const parser = new LayerParser();
run('decode only (LayerParser)', () => parser.decode(pkt.buf, 0, pkt.capLen, 1));
const summary: PacketSink = createSummarySink([{ kind: 'conv' }, { kind: 'endpoints' }, { kind: 'protocols' }, { kind: 'io', interval: 1 }], {
  json: true,
  out: () => undefined,
});
run('summary sink (conv,endpoints,phs,io)', () => summary.write(pkt));
const stats = createStatsReporter({ intervalMs: 1000, sources: () => [], tty: false, write: () => undefined, autoStart: false });
run('stats sink', () => stats.sink.write(pkt));
const t0 = process.hrtime.bigint();
const snap = stats.snapshot();
console.log(`stats snapshot (top 10 of ${FLOWS} flows)     ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1)} ms, top flow ${snap.topFlows[0]?.a ?? '-'}`);
