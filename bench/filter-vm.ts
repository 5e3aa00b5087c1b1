/**
 * VM micro-benchmark: packets per second of the interpreter (runFilterAt) and of the compiled function
 * (compileFilterFunction) over a synthetic set of 1,000,000 packets that cycles through every Ethernet
 * fixture packet (the bytes are stored once, the packet table has a million entries).
 * Run: npx tsx bench/filter-vm.ts [packets]
 * Prints numbers only; never fails on time.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFilter } from '../src/filter/compile.js';
import { compileFilterFunction, runFilterAt } from '../src/filter/vm.js';
import { readPcap } from '../test/helpers/pcap-lite.js';

const N = Number(process.argv[2] ?? 1_000_000);
const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const frames: { data: Uint8Array; wireLen: number }[] = [];
for (const f of readdirSync(dir).filter((n) => n.endsWith('.pcap')).sort()) {
  const p = readPcap(join(dir, f));
  if (p.linkType === 1) for (const r of p.records) frames.push({ data: r.data, wireLen: r.wireLen });
}
let total = 0;
for (const f of frames) total += f.data.length;
const buf = new Uint8Array(total);
const fOff = new Uint32Array(frames.length);
let o = 0;
frames.forEach((f, i) => {
  buf.set(f.data, o);
  fOff[i] = o;
  o += f.data.length;
});
const offs = new Uint32Array(N);
const caps = new Uint32Array(N);
const wires = new Uint32Array(N);
for (let i = 0; i < N; i++) {
  const j = i % frames.length;
  offs[i] = fOff[j]!;
  caps[i] = frames[j]!.data.length;
  wires[i] = frames[j]!.wireLen;
}

const EXPRS = [
  'tcp port 80',
  'udp port 53 or icmp',
  'net 10.77.0.0/24 and not port 22',
  'ip6 and tcp[tcpflags] & tcp-syn != 0',
  'vlan 42 and udp',
  'tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420',
  'ip6 protochain 17',
];

function measure(fn: () => number): { pps: number; matches: number } {
  fn(); // warm up
  let best = Infinity;
  let matches = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = process.hrtime.bigint();
    matches = fn();
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.min(best, dt);
  }
  return { pps: N / best, matches };
}

console.log(`${N} packets cycling through ${frames.length} Ethernet fixture frames (${total} bytes), node ${process.version}`);
console.log('expression'.padEnd(48), 'insns'.padStart(5), 'interp Mpps'.padStart(12), 'compiled Mpps'.padStart(14), 'matches'.padStart(9));
for (const expr of EXPRS) {
  let prog;
  try {
    prog = compileFilter(expr, { linkType: 1 });
  } catch (e) {
    console.log(expr.padEnd(48), `not compiled: ${String(e)}`);
    continue;
  }
  const fast = compileFilterFunction(prog);
  const interp = measure(() => {
    let m = 0;
    for (let i = 0; i < N; i++) if (runFilterAt(prog, buf, offs[i]!, caps[i]!, wires[i]!) !== 0) m++;
    return m;
  });
  const comp = measure(() => {
    let m = 0;
    for (let i = 0; i < N; i++) if (fast(buf, offs[i]!, caps[i]!, wires[i]!) !== 0) m++;
    return m;
  });
  if (interp.matches !== comp.matches) throw new Error(`interpreter and compiled function disagree on ${expr}`);
  console.log(
    expr.padEnd(48),
    String(prog.length).padStart(5),
    (interp.pps / 1e6).toFixed(1).padStart(12),
    (comp.pps / 1e6).toFixed(1).padStart(14),
    String(interp.matches).padStart(9),
  );
}
