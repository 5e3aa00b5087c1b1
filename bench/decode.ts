/**
 * Decode benchmark: CPU time of printing and of NDJSON for a file of at least 1M packets of mixed
 * real traffic (the EN10MB fixtures' packets repeated with rising timestamps), against
 * `tcpdump -r F -n > /dev/null` and `tshark -r F -T json > /dev/null`. tscap runs as compiled
 * JavaScript (tsc with tsconfig.build.json into a temp dir, as the package ships): a node process
 * that reads the file with the pcap reader and writes through the sink to /dev/null, measured with
 * /usr/bin/time (node startup included). Prints numbers, never fails on time.
 * Run: `npx tsx bench/decode.ts [packets] [tsharkPackets]`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Concatenates the records of the EN10MB classic-pcap fixtures until `count` packets are written. */
function buildFile(path: string, count: number): void {
  const records: Uint8Array[] = [];
  for (const dir of [join(ROOT, 'fixtures'), join(ROOT, 'fixtures', 'decode')]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.pcap') || /crafted|malformed|truncated/.test(name)) continue;
      const b = readFileSync(join(dir, name));
      if (b.readUInt32LE(0) !== 0xa1b2c3d4 || b.readUInt32LE(20) !== 1) continue;
      for (let off = 24; off + 16 <= b.length; ) {
        const cap = b.readUInt32LE(off + 8);
        records.push(b.subarray(off + 16, off + 16 + cap));
        off += 16 + cap;
      }
    }
  }
  const chunks: Buffer[] = [];
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  hdr.writeUInt32LE(262144, 16);
  hdr.writeUInt32LE(1, 20);
  chunks.push(hdr);
  let usec = 0;
  for (let i = 0; i < count; i++) {
    const r = records[i % records.length]!;
    const rh = Buffer.alloc(16);
    usec += 37;
    rh.writeUInt32LE(1_700_000_000 + Math.floor(usec / 1e6), 0);
    rh.writeUInt32LE(usec % 1e6, 4);
    rh.writeUInt32LE(r.length, 8);
    rh.writeUInt32LE(r.length, 12);
    chunks.push(rh, Buffer.from(r));
  }
  writeFileSync(path, Buffer.concat(chunks));
}

/** User+system CPU seconds of a command with stdout to /dev/null. */
function cpuOf(cmd: string, args: string[]): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
  const lines = r.stderr.toString().trim().split('\n');
  const [u, s] = lines[lines.length - 1]!.split(' ').map(Number);
  return (u ?? 0) + (s ?? 0);
}

async function main(): Promise<void> {
  const packets = Number(process.argv[2] ?? 1_000_000);
  const tsharkPackets = Number(process.argv[3] ?? 200_000);
  const dir = mkdtempSync(join(tmpdir(), 'tscap-bench-dec-'));
  try {
    const big = join(dir, 'mixed.pcap');
    const small = join(dir, 'mixed-small.pcap');
    buildFile(big, packets);
    buildFile(small, tsharkPackets);
    const build = join(dir, 'build');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(ROOT, 'tsconfig.build.json'), '--outDir', build], { stdio: 'inherit' });
    const runner = join(dir, 'run.mjs');
    writeFileSync(runner, RUNNER);
    const textProc = cpuOf('node', [runner, build, 'text', big]);
    const jsonProc = cpuOf('node', [runner, build, 'json', big]);
    const startup = cpuOf('node', [runner, build, 'none', big]);
    const tcpdump = cpuOf('tcpdump', ['-r', big, '-n']);
    const tshark = cpuOf('tshark', ['-r', small, '-T', 'json']);
    const rate = (p: number, s: number): string => `${(s * 1e6 / p).toFixed(2)} us/pkt`;
    console.log(`file: ${packets} packets of mixed real traffic (${tsharkPackets} for tshark)`);
    console.log(`read only (node + reader, no sink)  ${startup.toFixed(2)} s CPU`);
    console.log(`text  tscap -n (compiled)  ${textProc.toFixed(2)} s CPU  ${rate(packets, textProc)}`);
    console.log(`text  tcpdump -n           ${tcpdump.toFixed(2)} s CPU  ${rate(packets, tcpdump)}  (tscap/tcpdump ${(textProc / tcpdump).toFixed(2)}x)`);
    console.log(`json  tscap --json         ${jsonProc.toFixed(2)} s CPU  ${rate(packets, jsonProc)}`);
    console.log(`json  tshark -T json    ${tshark.toFixed(2)} s CPU  ${rate(tsharkPackets, tshark)}  (per-packet ratio tshark/tscap: ${((tshark / tsharkPackets) / (jsonProc / packets)).toFixed(1)}x)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The measured process: compiled reader + sink, nothing else. */
const RUNNER = `
const [build, kind, file] = process.argv.slice(2);
const { readPackets } = await import(build + '/src/pcap/reader.js');
const { TextOutput } = await import(build + '/src/sinks/output.js');
const { createTextSink, DEFAULT_PRINT_OPTIONS } = await import(build + '/src/sinks/text.js');
const { createJsonSink } = await import(build + '/src/sinks/json.js');
const fs = await import('node:fs');
const stream = fs.createWriteStream('/dev/null');
const out = new TextOutput(stream);
const sink = kind === 'json' ? createJsonSink(out, { nano: false }) : kind === 'text' ? createTextSink(out, { ...DEFAULT_PRINT_OPTIONS }) : { write() {}, flush() {}, async close() {} };
let n = 0;
for await (const p of readPackets(file)) { sink.write(p); if (++n % 4096 === 0) await sink.flush(); }
await sink.close();
stream.end();
`;

void main();
