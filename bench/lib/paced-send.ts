/**
 * The paced sender of the benchmark's fixed-rate runs, started inside the namespace:
 *
 *   tsx bench/lib/paced-send.ts IFACE FRAME_BYTES RATE_PPS SECONDS
 *
 * Sends the UDP test frame through tscap's injector at RATE_PPS (0 = as fast as it can) for SECONDS,
 * spinning on the clock rather than sleeping: sleeps are 50 us or more, far coarser than the gap at
 * 100 kpps. Whatever is due goes out in one sendmmsg(2) (`Injector.sendCopies`), at most `MAX_BURST`
 * frames, so at high rates frames leave in small bursts, each a few microseconds long. Prints one JSON
 * line: frames sent, seconds spent, achieved rate.
 */
import { performance } from 'node:perf_hooks';
import { openInjector } from '../../src/capture/inject.js';
import { udpTestFrame } from './frames.js';

const MAX_BURST = 32;

const [iface, sizeArg, rateArg, secondsArg] = process.argv.slice(2);
if (!iface || !sizeArg || !rateArg || !secondsArg) {
  process.stderr.write('usage: paced-send IFACE FRAME_BYTES RATE_PPS SECONDS\n');
  process.exit(2);
}
const frame = udpTestFrame(Number(sizeArg));
const rate = Number(rateArg);
const ms = Number(secondsArg) * 1000;
const inj = openInjector(iface);
// Warm the send path (JIT, koffi call site) before the clock starts.
for (let i = 0; i < 200; i++) inj.sendCopies(frame, 1);
let sent = 0;
const perMs = rate / 1000;
const t0 = performance.now();
const end = t0 + ms;
let now = t0;
while (now < end) {
  let due = rate > 0 ? Math.floor((now - t0) * perMs) : sent + MAX_BURST;
  if (due - sent > MAX_BURST) due = sent + MAX_BURST;
  if (due > sent) {
    inj.sendCopies(frame, due - sent);
    sent = due;
  }
  now = performance.now();
}
const seconds = (now - t0) / 1000;
inj.close();
process.stdout.write(`${JSON.stringify({ sent, warmup: 200, seconds, pps: sent / seconds })}\n`);
