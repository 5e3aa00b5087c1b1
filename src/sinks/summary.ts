/**
 * End-of-capture summaries in the manner of tshark's `-z`: conversations (`conv,ip|ipv6|tcp|udp`),
 * endpoints (`endpoints,ip|ipv6`), the protocol hierarchy (`io,phs`) and frames/bytes per interval
 * (`io,stat,SECONDS`), printed as cli-table3 tables or as one JSON object when the sink closes.
 *
 * Semantics follow tshark with IP reassembly off (`-o ip.defragment:FALSE`): a fragmented datagram's
 * upper layers are counted on its first fragment, later fragments count as IP only.
 */
import Table from 'cli-table3';
import type { PacketSink, PacketView } from '../packet.js';
import { TrafficAccounting } from './flows.js';
import type { Conversation, Endpoint, InterfaceCount, IoInterval, ProtocolNode } from './flows.js';

/** One summary requested with `--summary`. */
export type SummaryKind =
  | { readonly kind: 'conv' }
  | { readonly kind: 'endpoints' }
  | { readonly kind: 'protocols' }
  | { readonly kind: 'io'; readonly interval: number };

/** Thrown by `parseSummaryKind` for text that names no summary. */
export class SummaryKindError extends Error {
  override readonly name = 'SummaryKindError';
}

/**
 * Parses `conv`, `endpoints`, `protocols` or `io,SECONDS` (SECONDS > 0, decimals allowed, at least
 * a millisecond). Throws `SummaryKindError` otherwise.
 * @example parseSummaryKind('io,10') // { kind: 'io', interval: 10 }
 */
export function parseSummaryKind(text: string): SummaryKind {
  const t = text.trim();
  if (t === 'conv' || t === 'endpoints' || t === 'protocols') return { kind: t };
  const m = /^io,(\d+(?:\.\d+)?|\.\d+)$/.exec(t);
  if (m) {
    const interval = Number(m[1]);
    if (interval >= 0.001 && interval <= 86400 * 365) return { kind: 'io', interval };
    throw new SummaryKindError(`invalid io interval '${m[1]}': must be 0.001..31536000 seconds`);
  }
  throw new SummaryKindError(`unknown summary '${text}': expected conv, endpoints, protocols or io,SECONDS`);
}

/** Options of `createSummarySink`. */
export interface SummaryOptions {
  /** One JSON object instead of tables. */
  json: boolean;
  /** Receives the whole summary text once, at close (the CLI passes a stderr writer). */
  out: (text: string) => void;
  /** Interface names for the per-interface table (live capture). */
  interfaceName?: (ifindex: number) => string | undefined;
  /** Most conversation/endpoint rows per table (all by default). */
  maxRows?: number;
  /** Most entries per conversation or endpoint table kept in memory (default 2^22). */
  maxEntries?: number;
}

/** The JSON object printed with `json: true`. */
export interface SummaryJson {
  /** Totals over every packet seen. */
  packets: number;
  /** Bytes (wire lengths). */
  bytes: number;
  /** Seconds from the first to the last packet. */
  duration: number;
  /** Per-interface totals. */
  interfaces: InterfaceCount[];
  /** Entries refused because a table was full (0 normally). */
  untracked: number;
  /** With `conv`. */
  conversations?: { ipv4: Conversation[]; ipv6: Conversation[]; tcp: Conversation[]; udp: Conversation[] };
  /** With `endpoints`. */
  endpoints?: { ipv4: Endpoint[]; ipv6: Endpoint[] };
  /** With `protocols`: the root node `frame` and its layer tree. */
  protocols?: ProtocolNode;
  /** With `io,N`: one series per requested interval. */
  io?: Array<{ interval: number; intervals: IoInterval[] }>;
}

/** A summary sink: a `PacketSink` that also hands out its accounting and result. */
export interface SummarySink extends PacketSink {
  /** The counters behind the summary (shared with live statistics if wanted). */
  readonly accounting: TrafficAccounting;
  /** The summary object as it stands now. */
  result(): SummaryJson;
  /** The text `close` prints (tables or JSON). */
  render(): string;
}

const PLAIN = { head: [] as string[], border: [] as string[], compact: true };

function table(head: string[], aligns: Array<'left' | 'right'>): Table.Table {
  return new Table({ head, colAligns: aligns, style: PLAIN });
}

function secs(v: number): string {
  return v.toFixed(6);
}

function endpointText(addr: string, port: number | undefined): string {
  if (port === undefined) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

function convTable(title: string, rows: Conversation[], withPorts: boolean): string {
  const t = table(
    ['Address A', 'Address B', 'Frames A→B', 'Bytes A→B', 'Frames B→A', 'Bytes B→A', 'Frames', 'Bytes', 'Start', 'Duration'],
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  for (const c of rows) {
    t.push([
      endpointText(c.a, withPorts ? c.aPort : undefined),
      endpointText(c.b, withPorts ? c.bPort : undefined),
      c.aToB.frames,
      c.aToB.bytes,
      c.bToA.frames,
      c.bToA.bytes,
      c.frames,
      c.bytes,
      secs(c.start),
      secs(c.duration),
    ]);
  }
  return `${title}\n${t.toString()}\n`;
}

function endpointTable(title: string, rows: Endpoint[]): string {
  const t = table(
    ['Address', 'Frames', 'Bytes', 'Tx frames', 'Tx bytes', 'Rx frames', 'Rx bytes'],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  for (const e of rows) t.push([e.address, e.frames, e.bytes, e.txFrames, e.txBytes, e.rxFrames, e.rxBytes]);
  return `${title}\n${t.toString()}\n`;
}

function pct(part: number, whole: number): string {
  return whole === 0 ? '0.00%' : `${((100 * part) / whole).toFixed(2)}%`;
}

/**
 * The protocol hierarchy as a table with indented names (tshark's `io,phs` layout).
 * @example protocolTable(acc.protocolTree())
 */
export function protocolTable(root: ProtocolNode): string {
  const t = table(['Protocol', 'Frames', '% frames', 'Bytes', '% bytes'], ['left', 'right', 'right', 'right', 'right']);
  const walk = (n: ProtocolNode, depth: number): void => {
    t.push([`${'  '.repeat(depth)}${n.protocol}`, n.frames, pct(n.frames, root.frames), n.bytes, pct(n.bytes, root.bytes)]);
    for (const c of n.children) walk(c, depth + 1);
  };
  for (const c of root.children) walk(c, 0);
  return `Protocol hierarchy (${root.frames} frames, ${root.bytes} bytes)\n${t.toString()}\n`;
}

function ioTable(interval: number, rows: IoInterval[]): string {
  const t = table(['Interval (s)', 'Frames', 'Bytes', 'Bits/s'], ['left', 'right', 'right', 'right']);
  for (const r of rows) {
    const span = r.end - r.start;
    t.push([`${r.start} <> ${r.end}`, r.frames, r.bytes, span > 0 ? Math.round((r.bytes * 8) / span) : '']);
  }
  return `IO statistics, ${interval} s intervals\n${t.toString()}\n`;
}

function interfaceTable(rows: InterfaceCount[]): string {
  const t = table(['Interface', 'Packets', 'Bytes'], ['left', 'right', 'right']);
  for (const r of rows) t.push([r.name ?? (r.ifindex === 0 ? '-' : `#${r.ifindex}`), r.packets, r.bytes]);
  return `${t.toString()}\n`;
}

/**
 * Creates the end-summary sink: counts every packet written to it and, at `close`, writes the
 * requested summaries through `out` once (tables, or one JSON line with `json`).
 * @example
 * const sink = createSummarySink([{ kind: 'conv' }, { kind: 'io', interval: 1 }], {
 *   json: false,
 *   out: (s) => process.stderr.write(s),
 * });
 * for await (const p of readPackets('x.pcap')) sink.write(p);
 * await sink.close();
 */
export function createSummarySink(kinds: readonly SummaryKind[], opts: SummaryOptions): SummarySink {
  const unique: SummaryKind[] = [];
  for (const k of kinds) {
    if (!unique.some((u) => u.kind === k.kind && (u.kind !== 'io' || k.kind !== 'io' || u.interval === k.interval))) unique.push(k);
  }
  const want = new Set(unique.map((k) => k.kind));
  const intervals: number[] = [];
  for (const k of unique) if (k.kind === 'io') intervals.push(k.interval);
  const acc = new TrafficAccounting({ ioIntervals: intervals, ...(opts.maxEntries !== undefined ? { maxEntries: opts.maxEntries } : {}) });
  const limit = opts.maxRows ?? Infinity;
  let closed = false;

  const result = (): SummaryJson => {
    const r: SummaryJson = {
      packets: acc.packets,
      bytes: acc.bytes,
      duration: +acc.duration.toFixed(9),
      interfaces: acc.interfaces(opts.interfaceName),
      untracked: acc.untracked,
    };
    if (want.has('conv')) {
      r.conversations = {
        ipv4: acc.conversations('ipv4', limit),
        ipv6: acc.conversations('ipv6', limit),
        tcp: acc.conversations('tcp', limit),
        udp: acc.conversations('udp', limit),
      };
    }
    if (want.has('endpoints')) r.endpoints = { ipv4: acc.endpoints('ipv4', limit), ipv6: acc.endpoints('ipv6', limit) };
    if (want.has('protocols')) r.protocols = acc.protocolTree();
    if (intervals.length > 0) r.io = intervals.map((interval) => ({ interval, intervals: acc.io(interval) }));
    return r;
  };

  const render = (): string => {
    const r = result();
    if (opts.json) return `${JSON.stringify({ summary: r })}\n`;
    let s = `Summary: ${r.packets} packets, ${r.bytes} bytes in ${secs(r.duration)} s\n`;
    if (r.interfaces.length > 1 || (r.interfaces[0] !== undefined && r.interfaces[0].ifindex !== 0)) s += interfaceTable(r.interfaces);
    for (const k of unique) {
      switch (k.kind) {
        case 'conv': {
          const c = r.conversations!;
          const parts = [
            c.ipv4.length > 0 ? convTable('IPv4 conversations', c.ipv4, false) : '',
            c.ipv6.length > 0 ? convTable('IPv6 conversations', c.ipv6, false) : '',
            c.tcp.length > 0 ? convTable('TCP conversations', c.tcp, true) : '',
            c.udp.length > 0 ? convTable('UDP conversations', c.udp, true) : '',
          ].join('');
          s += parts === '' ? 'Conversations: none\n' : parts;
          break;
        }
        case 'endpoints': {
          const e = r.endpoints!;
          const parts = [
            e.ipv4.length > 0 ? endpointTable('IPv4 endpoints', e.ipv4) : '',
            e.ipv6.length > 0 ? endpointTable('IPv6 endpoints', e.ipv6) : '',
          ].join('');
          s += parts === '' ? 'Endpoints: none\n' : parts;
          break;
        }
        case 'protocols':
          s += protocolTable(r.protocols!);
          break;
        case 'io':
          s += ioTable(k.interval, acc.io(k.interval));
          break;
      }
    }
    if (r.untracked > 0) s += `${r.untracked} conversation/endpoint updates not tracked (table limit reached)\n`;
    return s;
  };

  return {
    accounting: acc,
    write(p: PacketView): void {
      acc.add(p);
    },
    flush(): void {},
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      opts.out(render());
    },
    result,
    render,
  };
}
