/**
 * Live statistics for `--stats [SECONDS]`: every interval, a table of the capture sources (interfaces,
 * workers) with packets/s, bits/s, kernel drops, queue freezes and ring use, then the top flows and
 * talkers by bytes and a protocol breakdown from the shared traffic accounting. On a terminal the
 * block is redrawn in place (cursor up, clear to the end of the screen); otherwise one line per
 * interval. Output goes only through `write` (the CLI passes stderr), never to stdout.
 */
import type { PacketSink, PacketView } from '../packet.js';
import { TrafficAccounting } from './flows.js';
import { renderTable, type Cell } from './table.js';
import type { Endpoint, ProtocolShare } from './flows.js';

/** Counters of one capture source (an interface, or one fanout worker), cumulative since the start. */
export interface SourceStats {
  /** Interface or worker name, e.g. `eth0` or `eth0/w1`. */
  name: string;
  /** Packets handed to tscap. */
  captured: number;
  /** Packets the kernel received for the socket (tp_packets). */
  received: number;
  /** Packets dropped by the kernel (tp_drops). */
  dropped: number;
  /** Times the ring queue froze (tp_freeze_q_cnt). */
  freezes: number;
  /** Share of ring blocks held by user space, 0..100, when known. */
  ringUsedPct?: number;
  /** Times the interface went away and was bound again (`--reopen`). */
  gaps?: number;
  /** Bytes (wire lengths) captured, when the source counts them; else taken from the accounting. */
  bytes?: number;
}

/** Options of `createStatsReporter`. */
export interface StatsReporterOptions {
  /** Milliseconds between reports. */
  intervalMs: number;
  /** Current cumulative counters of every source, called once per report. */
  sources: () => SourceStats[];
  /** Redraw in place (stderr is a terminal) instead of one line per interval. */
  tty: boolean;
  /** Receives the report text (the CLI passes a stderr writer). */
  write: (s: string) => void;
  /** Rows of the top flows and talkers tables (default 10). */
  top?: number;
  /** Most conversations and endpoints kept, all tables together (default 2^20), bounding memory on busy links. */
  maxEntries?: number;
  /**
   * Called before each report: refills `accounting` (the main thread of fanout workers adds up the
   * counters each worker last reported).
   */
  refresh?: () => void;
  /** Start the timer at once (default true). */
  autoStart?: boolean;
  /**
   * Accounting already fed by someone else (the summary sink's, with `--stats` and `--summary`
   * together): every packet is then decoded and counted once, and `sink` does nothing.
   */
  accounting?: TrafficAccounting;
  /**
   * Interface gaps (`--reopen`) of the whole capture, when its sources share one interface (fanout
   * workers: each worker's socket sees the same gap, so the rows carry none and the headline counts it once).
   */
  gaps?: () => number;
}

/** Rates of one source over the last interval. */
export interface SourceRate {
  /** Source name. */
  name: string;
  /** Packets per second. */
  pps: number;
  /** Bits per second, or undefined when no byte count is known for the source. */
  bps: number | undefined;
  /** Packets captured so far. */
  captured: number;
  /** Kernel drops so far. */
  dropped: number;
  /** Kernel drops in the last interval. */
  droppedDelta: number;
  /** Queue freezes so far. */
  freezes: number;
  /** Ring use, 0..100, when known. */
  ringUsedPct: number | undefined;
  /** Interface gaps so far (`--reopen`), when counted. */
  gaps?: number | undefined;
}

/** One TCP or UDP flow (both directions) in the top list. */
export interface FlowRow {
  /** `tcp` or `udp`. */
  proto: 'tcp' | 'udp';
  /** Side A (the first packet's source) as `addr:port` / `[addr]:port`. */
  a: string;
  /** Side B. */
  b: string;
  /** Frames both ways. */
  frames: number;
  /** Bytes both ways. */
  bytes: number;
}

/** What one report shows. */
export interface StatsSnapshot {
  /** Seconds since the reporter started. */
  elapsed: number;
  /** Packets seen by the accounting sink. */
  packets: number;
  /** Their bytes. */
  bytes: number;
  /** Per-source rates over the last interval (empty before the first interval ends). */
  sources: SourceRate[];
  /** Largest TCP/UDP flows by bytes. */
  topFlows: FlowRow[];
  /** Largest IP endpoints by bytes (IPv4 and IPv6 together). */
  topTalkers: Endpoint[];
  /** Frames and bytes per protocol, most bytes first. */
  protocols: ProtocolShare[];
}

/** The live statistics reporter. */
export interface StatsReporter {
  /** Add to the main loop's sinks: feeds the flows, talkers and protocol tables (a no-op with a shared `accounting`). */
  readonly sink: PacketSink;
  /** The accounting behind the tables. */
  readonly accounting: TrafficAccounting;
  /** Rows of the top flows and talkers tables. */
  readonly top: number;
  /** Starts the interval timer (unref'd: it never keeps the process alive). */
  start(): void;
  /** Stops the timer. */
  stop(): void;
  /** Takes one interval's rates and writes the report (what the timer calls). */
  tick(): void;
  /** Writes the full tables once, now, without moving the interval baseline (SIGUSR2). */
  printNow(): void;
  /** The current snapshot. */
  snapshot(): StatsSnapshot;
  /** The tables as text. */
  render(): string;
}


/**
 * `1.23 Mbit/s`-style text for bits per second (SI units).
 * @example bitsText(1_500_000) // '1.50 Mbit/s'
 */
export function bitsText(bps: number): string {
  if (bps >= 1e9) return `${(bps / 1e9).toFixed(2)} Gbit/s`;
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(2)} Mbit/s`;
  if (bps >= 1e3) return `${(bps / 1e3).toFixed(2)} kbit/s`;
  return `${Math.round(bps)} bit/s`;
}

/**
 * `1.2 MB`-style text for a byte count (SI units).
 * @example bytesText(1_234_567) // '1.23 MB'
 */
export function bytesText(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(2)} kB`;
  return `${n} B`;
}

function hostPort(addr: string, port: number | undefined): string {
  return addr.includes(':') ? `[${addr}]:${port ?? 0}` : `${addr}:${port ?? 0}`;
}

/**
 * Creates the live statistics reporter; the lead adds `reporter.sink` to the main loop's sinks and
 * calls `printNow()` on SIGUSR2.
 * @example
 * const rep = createStatsReporter({
 *   intervalMs: 1000,
 *   sources: () => [{ name: 'eth0', captured: c.stats().captured, received: 0, dropped: 0, freezes: 0 }],
 *   tty: process.stderr.isTTY === true,
 *   write: (s) => process.stderr.write(s),
 * });
 * process.on('SIGUSR2', () => rep.printNow());
 */
export function createStatsReporter(opts: StatsReporterOptions): StatsReporter {
  const shared = opts.accounting !== undefined;
  const acc = opts.accounting ?? new TrafficAccounting({ maxEntries: opts.maxEntries ?? 1 << 20 });
  const top = opts.top ?? 10;
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let prevAt = started;
  let prevAccBytes = 0;
  let prevAccPackets = 0;
  const prev = new Map<string, { captured: number; dropped: number; bytes: number | undefined }>();
  let rates: SourceRate[] = [];
  let totalRate: { pps: number; bps: number } = { pps: 0, bps: 0 };
  let drawn = 0;

  const sink: PacketSink = {
    framesOnly: true,
    write(p: PacketView): void {
      if (!shared) acc.add(p);
    },
    writeFrame(buf: Uint8Array, offset: number, capLen: number, wireLen: number, tsSec: number, tsNsec: number, ifindex: number, linkType: number): void {
      if (!shared) acc.addFrame(buf, offset, capLen, wireLen, tsSec, tsNsec, ifindex, linkType);
    },
    flush(): void {},
    async close(): Promise<void> {},
  };

  const takeRates = (): void => {
    const now = Date.now();
    const dt = Math.max(1e-3, (now - prevAt) / 1000);
    const list = opts.sources();
    const next: SourceRate[] = [];
    for (const s of list) {
      const p = prev.get(s.name) ?? { captured: 0, dropped: 0, bytes: 0 };
      // a single source without its own byte count is the accounting's traffic
      const bytes = s.bytes ?? (list.length === 1 ? acc.bytes : undefined);
      const r: SourceRate = {
        name: s.name,
        pps: Math.max(0, s.captured - p.captured) / dt,
        bps: bytes !== undefined && p.bytes !== undefined ? (Math.max(0, bytes - p.bytes) * 8) / dt : undefined,
        captured: s.captured,
        dropped: s.dropped,
        droppedDelta: Math.max(0, s.dropped - p.dropped),
        freezes: s.freezes,
        ringUsedPct: s.ringUsedPct,
        gaps: s.gaps,
      };
      next.push(r);
      prev.set(s.name, { captured: s.captured, dropped: s.dropped, bytes });
    }
    totalRate = { pps: (acc.packets - prevAccPackets) / dt, bps: ((acc.bytes - prevAccBytes) * 8) / dt };
    prevAccPackets = acc.packets;
    prevAccBytes = acc.bytes;
    prevAt = now;
    rates = next;
  };

  const snapshot = (): StatsSnapshot => {
    const flows: FlowRow[] = [];
    for (const proto of ['tcp', 'udp'] as const) {
      for (const c of acc.conversations(proto, top)) {
        flows.push({ proto, a: hostPort(c.a, c.aPort), b: hostPort(c.b, c.bPort), frames: c.frames, bytes: c.bytes });
      }
    }
    flows.sort((x, y) => y.bytes - x.bytes);
    const talkers = [...acc.endpoints('ipv4', top), ...acc.endpoints('ipv6', top)].sort((x, y) => y.bytes - x.bytes);
    return {
      elapsed: (Date.now() - started) / 1000,
      packets: acc.packets,
      bytes: acc.bytes,
      sources: rates,
      topFlows: flows.slice(0, top),
      topTalkers: talkers.slice(0, top),
      protocols: acc.protocolShares(),
    };
  };

  const render = (): string => {
    const s = snapshot();
    let out = `tscap statistics: ${s.elapsed.toFixed(1)} s, ${s.packets} packets, ${bytesText(s.bytes)}, now ${Math.round(totalRate.pps)} pkt/s ${bitsText(totalRate.bps)}${gapsText(', ')}\n`;
    if (s.sources.length > 0) {
      const t: Cell[][] = [];
      for (const r of s.sources) {
        t.push([
          r.name,
          Math.round(r.pps),
          r.bps === undefined ? '-' : bitsText(r.bps),
          r.captured,
          r.droppedDelta > 0 ? `${r.dropped} (+${r.droppedDelta})` : r.dropped,
          r.freezes,
          r.ringUsedPct === undefined ? '-' : `${r.ringUsedPct.toFixed(0)}%`,
        ]);
      }
      if (s.sources.length > 1) {
        const sum = (f: (r: SourceRate) => number): number => s.sources.reduce((a, r) => a + f(r), 0);
        const allBits = s.sources.every((r) => r.bps !== undefined);
        t.push([
          'total',
          Math.round(sum((r) => r.pps)),
          allBits ? bitsText(sum((r) => r.bps ?? 0)) : bitsText(totalRate.bps),
          sum((r) => r.captured),
          sum((r) => r.dropped),
          sum((r) => r.freezes),
          '',
        ]);
      }
      out += `${renderTable(['Source', 'Packets/s', 'Bits/s', 'Captured', 'Kernel drops', 'Freezes', 'Ring use'], ['left', 'right', 'right', 'right', 'right', 'right', 'right'], t).join('\n')}\n`;
    }
    if (s.topFlows.length > 0) {
      const t = s.topFlows.map((f) => [f.proto, f.a, f.b, f.frames, bytesText(f.bytes)]);
      out += `Top flows by bytes\n${renderTable(['Proto', 'A', 'B', 'Frames', 'Bytes'], ['left', 'left', 'left', 'right', 'right'], t).join('\n')}\n`;
    }
    if (s.topTalkers.length > 0) {
      const t = s.topTalkers.map((e) => [e.address, e.frames, bytesText(e.bytes), bytesText(e.txBytes), bytesText(e.rxBytes)]);
      out += `Top talkers by bytes\n${renderTable(['Address', 'Frames', 'Bytes', 'Tx', 'Rx'], ['left', 'right', 'right', 'right', 'right'], t).join('\n')}\n`;
    }
    if (s.protocols.length > 0) {
      const t = s.protocols.map((p) => [p.protocol, p.frames, bytesText(p.bytes), s.bytes > 0 ? `${((100 * p.bytes) / s.bytes).toFixed(1)}%` : '-']);
      out += `Protocols\n${renderTable(['Protocol', 'Frames', 'Bytes', '% bytes'], ['left', 'right', 'right', 'right'], t).join('\n')}\n`;
    }
    return out;
  };

  /** The whole capture's gaps after `sep`, when counted and any. */
  const gapsText = (sep: string): string => {
    const n = opts.gaps?.() ?? 0;
    return n > 0 ? `${sep}gaps ${n}` : '';
  };

  const line = (): string => {
    const s = snapshot();
    const parts = [`stats ${s.elapsed.toFixed(1)}s: ${s.packets} pkts ${Math.round(totalRate.pps)} pkt/s ${bitsText(totalRate.bps)}${gapsText(' ')}`];
    for (const r of s.sources) {
      const ring = (r.ringUsedPct === undefined ? '' : ` ring ${r.ringUsedPct.toFixed(0)}%`) + (r.gaps ? ` gaps ${r.gaps}` : '');
      const bits = r.bps === undefined ? '' : ` ${bitsText(r.bps)}`;
      parts.push(`${r.name} ${Math.round(r.pps)} pkt/s${bits} drops ${r.dropped} (+${r.droppedDelta}) freezes ${r.freezes}${ring}`);
    }
    const f = s.topFlows[0];
    if (f) parts.push(`top flow ${f.proto} ${f.a} <-> ${f.b} ${bytesText(f.bytes)}`);
    const t = s.topTalkers[0];
    if (t) parts.push(`top talker ${t.address} ${bytesText(t.bytes)}`);
    if (s.protocols.length > 0 && s.bytes > 0) {
      parts.push(
        s.protocols
          .slice(0, 6)
          .map((p) => `${p.protocol} ${((100 * p.bytes) / s.bytes).toFixed(0)}%`)
          .join(' '),
      );
    }
    return `${parts.join(' | ')}\n`;
  };

  const lines = (text: string): number => {
    let n = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
    return n;
  };

  const tick = (): void => {
    opts.refresh?.();
    takeRates();
    if (opts.tty) {
      const text = render();
      // move up over the previous block and clear it, then draw the new one
      opts.write(`${drawn > 0 ? `\x1b[${drawn}A\r\x1b[J` : ''}${text}`);
      drawn = lines(text);
    } else {
      opts.write(line());
    }
  };

  const reporter: StatsReporter = {
    sink,
    accounting: acc,
    top,
    start(): void {
      if (timer) return;
      prevAt = Date.now();
      timer = setInterval(tick, Math.max(10, opts.intervalMs));
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    tick,
    printNow(): void {
      opts.refresh?.();
      opts.write(render());
      // the printed block stays on screen: the next redraw starts below it
      drawn = 0;
    },
    snapshot,
    render,
  };
  if (opts.autoStart !== false) reporter.start();
  return reporter;
}
