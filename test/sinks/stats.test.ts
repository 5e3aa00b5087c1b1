/** The live statistics reporter: rates from source counters, redraw on a terminal, one line otherwise. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyPacket } from '../../src/packet.js';
import { bitsText, bytesText, createStatsReporter } from '../../src/sinks/stats.js';
import type { SourceStats } from '../../src/sinks/stats.js';

/** Ethernet + IPv4 + TCP 10.2.0.1:33000 → 10.2.0.2:443, 100 bytes of payload: 154 bytes. */
function tcpFrame(): Uint8Array {
  const b = new Uint8Array(154);
  b.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]);
  b.set([0x45, 0, 0, 140, 0, 1, 0, 0, 64, 6, 0, 0, 10, 2, 0, 1, 10, 2, 0, 2], 14);
  b.set([0x80, 0xe8, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0], 34);
  return b;
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('createStatsReporter', () => {
  it('computes per-source rates and drop deltas over the interval', () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date'] });
    const src: SourceStats[] = [
      { name: 'eth0/w0', captured: 0, received: 0, dropped: 0, freezes: 0, ringUsedPct: 10, bytes: 0 },
      { name: 'eth0/w1', captured: 0, received: 0, dropped: 0, freezes: 0, bytes: 0 },
    ];
    const out: string[] = [];
    const rep = createStatsReporter({ intervalMs: 1000, sources: () => src, tty: false, write: (s) => out.push(s), autoStart: false });
    vi.setSystemTime(2000);
    src[0] = { ...src[0]!, captured: 2000, dropped: 5, freezes: 1, bytes: 250_000 };
    src[1] = { ...src[1]!, captured: 1000, bytes: 125_000 };
    rep.tick();
    const s = rep.snapshot();
    expect(s.sources.map((r) => [r.name, r.pps, r.bps, r.droppedDelta, r.freezes, r.ringUsedPct])).toEqual([
      ['eth0/w0', 1000, 1_000_000, 5, 1, 10],
      ['eth0/w1', 500, 500_000, 0, 0, undefined],
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^stats 2\.0s: 0 pkts .*\| eth0\/w0 1000 pkt\/s 1\.00 Mbit\/s drops 5 \(\+5\) freezes 1 ring 10% \| eth0\/w1 500 pkt\/s 500\.00 kbit\/s drops 0 \(\+0\) freezes 0\n$/);
    vi.setSystemTime(3000);
    rep.tick();
    expect(rep.snapshot().sources[0]!.droppedDelta).toBe(0);
    expect(rep.render()).toContain('total');
  });

  it('takes bits/s of a single source from the packets it was fed', () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date'] });
    let captured = 0;
    const rep = createStatsReporter({
      intervalMs: 1000,
      sources: () => [{ name: 'lo', captured, received: captured, dropped: 0, freezes: 0 }],
      tty: false,
      write: () => undefined,
      autoStart: false,
    });
    const p = emptyPacket();
    p.buf = tcpFrame();
    p.capLen = p.wireLen = 154;
    for (let i = 0; i < 10; i++) rep.sink.write(p);
    captured = 10;
    vi.setSystemTime(1000);
    rep.tick();
    const s = rep.snapshot();
    expect(s.sources[0]!.bps).toBe(10 * 154 * 8);
    expect(s.topFlows).toEqual([{ proto: 'tcp', a: '10.2.0.1:33000', b: '10.2.0.2:443', frames: 10, bytes: 1540 }]);
    expect(s.topTalkers.map((t) => [t.address, t.bytes])).toEqual([
      ['10.2.0.1', 1540],
      ['10.2.0.2', 1540],
    ]);
    expect(s.protocols.map((x) => x.protocol)).toEqual(['eth', 'ipv4', 'tcp']);
  });

  it('redraws in place on a terminal, and SIGUSR2-style printNow leaves its block on screen', () => {
    const out: string[] = [];
    const rep = createStatsReporter({ intervalMs: 1000, sources: () => [], tty: true, write: (s) => out.push(s), autoStart: false });
    rep.tick();
    expect(out[0]!.startsWith('\x1b[')).toBe(false);
    const lines = out[0]!.split('\n').length - 1;
    rep.tick();
    expect(out[1]!.startsWith(`\x1b[${lines}A\r\x1b[J`)).toBe(true);
    rep.printNow();
    expect(out[2]!.startsWith('\x1b[')).toBe(false);
    rep.tick();
    expect(out[3]!.startsWith('\x1b[')).toBe(false);
  });

  it('never writes to stdout and its timer does not hold the process open', () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const made: NodeJS.Timeout[] = [];
    const real = globalThis.setInterval;
    vi.spyOn(globalThis, 'setInterval').mockImplementation(((fn: () => void, ms: number) => {
      const t = real(fn, ms);
      made.push(t);
      return t;
    }) as typeof setInterval);
    const out: string[] = [];
    const rep = createStatsReporter({ intervalMs: 1000, sources: () => [], tty: false, write: (s) => out.push(s) });
    rep.tick();
    rep.printNow();
    expect(made).toHaveLength(1);
    expect(made[0]!.hasRef()).toBe(false);
    rep.stop();
    expect(stdout).not.toHaveBeenCalled();
    expect(out).toHaveLength(2);
  });
});

describe('shared accounting', () => {
  it('reads a summary sink\'s accounting without counting packets twice', async () => {
    const { createSummarySink } = await import('../../src/sinks/summary.js');
    const summary = createSummarySink([{ kind: 'conv' }], { json: true, out: () => undefined });
    const rep = createStatsReporter({ intervalMs: 1000, sources: () => [], tty: false, write: () => undefined, autoStart: false, accounting: summary.accounting });
    const p = emptyPacket();
    p.buf = tcpFrame();
    p.capLen = p.wireLen = 154;
    summary.write(p);
    rep.sink.write(p);
    expect(rep.snapshot().packets).toBe(1);
    expect(rep.snapshot().topFlows[0]!.frames).toBe(1);
  });
});

describe('unit text', () => {
  it('uses SI units', () => {
    expect(bitsText(999)).toBe('999 bit/s');
    expect(bitsText(1_500_000)).toBe('1.50 Mbit/s');
    expect(bitsText(2e9)).toBe('2.00 Gbit/s');
    expect(bytesText(512)).toBe('512 B');
    expect(bytesText(1_234_567)).toBe('1.23 MB');
  });
});
