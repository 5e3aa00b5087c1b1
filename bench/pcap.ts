/**
 * File read/write throughput: a generated 1M-packet pcap (Ethernet/IPv4/UDP, 60-200 byte frames) read
 * by tscap (count only, `readPackets`, and read + write to /dev/null as `tscap -r F -w /dev/null`
 * does) against `tcpdump -r F -w /dev/null`, plus the pcapng reader. Prints numbers, never fails on time.
 * Run: `npx tsx bench/pcap.ts [packets]`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { emptyPacket } from '../src/packet.js';
import { PacketFileReader, readPackets } from '../src/pcap/reader.js';
import { PcapngWriter, PcapWriter } from '../src/pcap/writer.js';

function frame(n: number, fill: number): Uint8Array {
  const f = new Uint8Array(n);
  f.set([0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00, 0x45], 0);
  f.fill(fill, 15);
  return f;
}

async function generate(path: string, packets: number, pcapng: boolean): Promise<void> {
  const w = pcapng ? new PcapngWriter(path, { linkType: 1, snaplen: 262144 }) : new PcapWriter(path, { linkType: 1, snaplen: 262144, nano: false });
  const sizes = [60, 74, 98, 128, 200].map((n, i) => frame(n, i));
  const p = emptyPacket();
  for (let i = 0; i < packets; i++) {
    const f = sizes[i % sizes.length]!;
    p.buf = f;
    p.capLen = f.length;
    p.wireLen = f.length;
    p.tsSec = 1700000000 + Math.floor(i / 1000);
    p.tsNsec = (i % 1000) * 1000;
    p.pktType = i % 2 === 0 ? 0 : 4;
    w.write(p);
    if (i % 8192 === 0) await w.flush();
  }
  await w.close();
}

async function timeIt(label: string, runs: number, fn: () => Promise<number> | number): Promise<number> {
  const times: number[] = [];
  let n = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    n = await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const best = times[0]!;
  const median = times[Math.floor(times.length / 2)]!;
  process.stdout.write(
    `${label.padEnd(44)} ${String(n).padStart(8)} pkts  best ${best.toFixed(0).padStart(6)} ms  median ${median.toFixed(0).padStart(6)} ms  ${((n / best) * 1000 / 1e6).toFixed(2).padStart(6)} Mpps\n`,
  );
  return best;
}

async function countBatches(path: string): Promise<number> {
  const r = await PacketFileReader.open(path);
  let n = 0;
  let bytes = 0;
  while (
    await r.readBatch((p) => {
      n++;
      bytes += p.capLen;
    })
  ) {
    /* batches */
  }
  await r.close();
  return bytes > 0 ? n : 0;
}

async function countIterator(path: string): Promise<number> {
  let n = 0;
  for await (const p of readPackets(path)) if (p.capLen > 0) n++;
  return n;
}

async function copyToNull(path: string): Promise<number> {
  const r = await PacketFileReader.open(path);
  const w = new PcapWriter('/dev/null', { linkType: r.info.linkType, snaplen: r.info.snaplen, nano: r.info.nano });
  let n = 0;
  while (
    await r.readBatch((p) => {
      w.write(p);
      n++;
    })
  )
    await w.flush();
  await r.close();
  await w.close();
  return n;
}

function tcpdumpToNull(path: string, packets: number): number {
  const res = spawnSync('tcpdump', ['-r', path, '-w', '/dev/null'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (res.error) throw new Error(`tcpdump is needed for this benchmark: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`tcpdump failed: ${res.stderr.toString()}`);
  return packets;
}

/** Runs the benchmark and prints one line per measurement. */
export async function main(packets = 1_000_000, runs = 3): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tscap-bench-'));
  try {
    const pcap = join(dir, 'bench.pcap');
    const ng = join(dir, 'bench.pcapng');
    const g0 = process.hrtime.bigint();
    await generate(pcap, packets, false);
    const genMs = Number(process.hrtime.bigint() - g0) / 1e6;
    await generate(ng, packets, true);
    process.stdout.write(
      `pcap file: ${packets} packets, ${(statSync(pcap).size / 1e6).toFixed(1)} MB (written by PcapWriter in ${genMs.toFixed(0)} ms, ${((packets / genMs) * 1000 / 1e6).toFixed(2)} Mpps); pcapng ${(statSync(ng).size / 1e6).toFixed(1)} MB\n`,
    );
    await timeIt('tcpdump -r F -w /dev/null', runs, () => tcpdumpToNull(pcap, packets));
    await timeIt('tscap PacketFileReader.readBatch (pcap)', runs, () => countBatches(pcap));
    await timeIt('tscap read + PcapWriter /dev/null (pcap)', runs, () => copyToNull(pcap));
    await timeIt('tscap readPackets async iterator (pcap)', runs, () => countIterator(pcap));
    await timeIt('tcpdump -r F.pcapng -w /dev/null', runs, () => tcpdumpToNull(ng, packets));
    await timeIt('tscap PacketFileReader.readBatch (pcapng)', runs, () => countBatches(ng));
    await timeIt('tscap read + PcapWriter /dev/null (pcapng)', runs, () => copyToNull(ng));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(Number(process.argv[2] ?? 1_000_000));
}
