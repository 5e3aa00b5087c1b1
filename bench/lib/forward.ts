/**
 * Forwarding impact: iperf3 TCP from the host end to a server inside the namespace, with no capture and
 * with a capture on the host end. Client and server are pinned to CPU 0 (where veth delivers, and so
 * where the kernel copies each frame into a capture ring); the capture runs on CPU 1. The question is
 * what throughput the capture leaves to the traffic.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BenchNet } from './net.js';
import { runSync, sleep, start, stop, waitBound, type Proc } from './proc.js';
import { parseSummary, type LiveTool } from './tools.js';

/** One iperf3 run. */
export interface ForwardRun {
  /** `none` or a live tool's id. */
  capture: string;
  /** Receiver-side throughput, bit/s. */
  bitsPerSec: number | null;
  retransmits: number | null;
  captured: number | null;
  kernelDrops: number | null;
  error?: string;
}

const PORT = 5201;

/** Starts the iperf3 server inside the namespace and waits until it listens. */
export async function startIperfServer(net: BenchNet): Promise<Proc> {
  const p = start(net.inNs(['taskset', '-c', '0', 'iperf3', '-s', '-B', net.peerAddr!, '-p', String(PORT)]), 'pipe');
  const end = Date.now() + 10_000;
  while (Date.now() < end && !p.done()) {
    const ss = runSync(net.inNs(['ss', '-Hltn', `sport = :${PORT}`]));
    if (ss.stdout.trim() !== '') return p;
    await sleep(50);
  }
  await stop(p, 'SIGTERM', 2000);
  throw new Error(`iperf3 server did not start: ${p.stderr().trim()}`);
}

/** One client run of `seconds`, with `tool` capturing on the host end (or none). */
export async function forwardRun(net: BenchNet, tool: LiveTool | null, seconds: number, tmpDir: string): Promise<ForwardRun> {
  const file = resolve(tmpDir, 'forward.pcap');
  let cap: Proc | null = null;
  const run: ForwardRun = { capture: tool?.id ?? 'none', bitsPerSec: null, retransmits: null, captured: null, kernelDrops: null };
  try {
    if (tool) {
      cap = start(['taskset', '-c', '1', ...tool.argv(net.host, file)], tool.stdout);
      if (!(await waitBound(cap, net.hostIndex, 20_000))) {
        await stop(cap, 'SIGINT', 3000);
        return { ...run, error: `capture did not start: ${cap.stderr().trim().slice(-200)}` };
      }
      await sleep(300);
    }
    const client = start(['taskset', '-c', '0', 'iperf3', '-c', net.peerAddr!, '-p', String(PORT), '-t', String(seconds), '-J'], 'pipe');
    await client.exited;
    try {
      const j = JSON.parse(client.stdout()) as { end?: { sum_received?: { bits_per_second?: number }; sum_sent?: { retransmits?: number } }; error?: string };
      run.bitsPerSec = j.end?.sum_received?.bits_per_second ?? null;
      run.retransmits = j.end?.sum_sent?.retransmits ?? null;
      if (j.error) run.error = `iperf3: ${j.error}`;
    } catch {
      run.error = `iperf3 client output unreadable: ${client.stderr().trim().slice(-200)}`;
    }
    if (cap && tool) {
      await sleep(1200);
      await stop(cap, 'SIGINT', 15_000);
      const s = parseSummary(tool.family, cap.stdout(), cap.stderr());
      run.captured = s?.captured ?? null;
      run.kernelDrops = s?.dropped ?? null;
    }
    return run;
  } finally {
    if (cap && !cap.done()) await stop(cap, 'SIGINT', 5000);
    rmSync(file, { force: true });
  }
}
