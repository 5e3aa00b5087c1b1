/**
 * End-of-capture summaries in the manner of tshark's `-z`: conversations (`conv,ip|ipv6|tcp|udp`),
 * endpoints (`endpoints,ip|ipv6`), the protocol hierarchy (`io,phs`) and frames/bytes per interval
 * (`io,stat,SECONDS`), printed as text tables (top rows by bytes) or as one JSON object with every
 * row when the sink closes. Rendering is linear in the rows, and JSON is written in pieces.
 *
 * Semantics follow tshark with IP reassembly off (`-o ip.defragment:FALSE`): a fragmented datagram's
 * upper layers are counted on its first fragment, later fragments count as IP only.
 */
import type { PacketSink, PacketView } from '../packet.js';
import { TrafficAccounting, type ConversationKind, type EndpointKind } from './flows.js';
import { renderTable, type Align, type Cell } from './table.js';
import type { Conversation, Endpoint, InterfaceCount, IoInterval, ProtocolNode } from './flows.js';

export { SummaryKindError, parseSummaryKind, type SummaryKind } from './summary-kind.js';
import type { SummaryKind } from './summary-kind.js';

/** Options of `createSummarySink`. */
export interface SummaryOptions {
  /** One JSON object instead of tables. */
  json: boolean;
  /**
   * Receives the summary text at close: once, or in pieces of a few MB when it is larger (a JSON
   * summary of millions of flows). The CLI passes a stderr writer.
   */
  out: (text: string) => void;
  /** Interface names for the per-interface table (live capture). */
  interfaceName?: (ifindex: number) => string | undefined;
  /**
   * Most conversation/endpoint rows per text table, by bytes (default `DEFAULT_SUMMARY_ROWS`; 0 or
   * Infinity: all). A line says how many were left out. JSON always has every row.
   */
  maxRows?: number;
  /** Most conversations and endpoints kept in memory, all tables together (default `DEFAULT_MAX_FLOWS`). */
  maxEntries?: number;
}

export { DEFAULT_SUMMARY_ROWS } from './summary-kind.js';
import { DEFAULT_SUMMARY_ROWS } from './summary-kind.js';

/** Text handed to `out` in pieces of about this many characters. */
const CHUNK_CHARS = 4 << 20;

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
  /** Packet updates of conversations and endpoints not kept because the cap was reached (0 normally). */
  untracked: number;
  /** How many conversations and endpoints were not kept (estimated; 0 normally). */
  untrackedFlows: number;
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

function table(title: string | undefined, head: string[], aligns: Align[], rows: (readonly Cell[])[], more = ''): string {
  const lines = renderTable(head, aligns, rows);
  return `${title === undefined ? '' : `${title}\n`}${lines.join('\n')}\n${more}`;
}

function secs(v: number): string {
  return v.toFixed(6);
}

function endpointText(addr: string, port: number | undefined): string {
  if (port === undefined) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** The line under a table cut to its top rows. */
function leftOut(shown: number, total: number, what: string): string {
  return shown < total ? `(${total - shown} more ${what} not shown: --summary-rows 0 shows all)\n` : '';
}

function convTable(title: string, rows: Conversation[], withPorts: boolean, total: number): string {
  const cells = rows.map((c) => [
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
  return table(
    title,
    ['Address A', 'Address B', 'Frames A→B', 'Bytes A→B', 'Frames B→A', 'Bytes B→A', 'Frames', 'Bytes', 'Start', 'Duration'],
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    cells,
    leftOut(rows.length, total, 'conversations'),
  );
}

function endpointTable(title: string, rows: Endpoint[], total: number): string {
  return table(
    title,
    ['Address', 'Frames', 'Bytes', 'Tx frames', 'Tx bytes', 'Rx frames', 'Rx bytes'],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows.map((e) => [e.address, e.frames, e.bytes, e.txFrames, e.txBytes, e.rxFrames, e.rxBytes]),
    leftOut(rows.length, total, 'endpoints'),
  );
}

function pct(part: number, whole: number): string {
  return whole === 0 ? '0.00%' : `${((100 * part) / whole).toFixed(2)}%`;
}

/**
 * The protocol hierarchy as a table with indented names (tshark's `io,phs` layout).
 * @example protocolTable(acc.protocolTree())
 */
export function protocolTable(root: ProtocolNode): string {
  const rows: Cell[][] = [];
  // an explicit stack: a deep tree of nested tunnels must not exhaust the call stack
  const stack: [ProtocolNode, number][] = root.children.map((c) => [c, 0] as [ProtocolNode, number]).reverse();
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [n, depth] = top;
    rows.push([`${'  '.repeat(depth)}${n.protocol}`, n.frames, pct(n.frames, root.frames), n.bytes, pct(n.bytes, root.bytes)]);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i] as ProtocolNode, depth + 1]);
  }
  return table(`Protocol hierarchy (${root.frames} frames, ${root.bytes} bytes)`, ['Protocol', 'Frames', '% frames', 'Bytes', '% bytes'], ['left', 'right', 'right', 'right', 'right'], rows);
}

function ioTable(interval: number, rows: IoInterval[]): string {
  const cells = rows.map((r) => {
    const span = r.end - r.start;
    return [`${r.start} <> ${r.end}`, r.frames, r.bytes, span > 0 ? Math.round((r.bytes * 8) / span) : ''];
  });
  return table(`IO statistics, ${interval} s intervals`, ['Interval (s)', 'Frames', 'Bytes', 'Bits/s'], ['left', 'right', 'right', 'right'], cells);
}

function interfaceTable(rows: InterfaceCount[]): string {
  return table(
    undefined,
    ['Interface', 'Packets', 'Bytes'],
    ['left', 'right', 'right'],
    rows.map((r) => [r.name ?? (r.ifindex === 0 ? '-' : `#${r.ifindex}`), r.packets, r.bytes]),
  );
}

/** Collects text pieces and hands them on in chunks of about CHUNK_CHARS. */
class Chunker {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly out: (text: string) => void) {}
  add(t: string): void {
    this.parts.push(t);
    this.size += t.length;
    if (this.size >= CHUNK_CHARS) this.flush();
  }
  flush(): void {
    if (this.size === 0) return;
    this.out(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
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
  const rows = opts.maxRows === undefined ? DEFAULT_SUMMARY_ROWS : opts.maxRows <= 0 ? Infinity : opts.maxRows;
  const convKinds: ConversationKind[] = ['ipv4', 'ipv6', 'tcp', 'udp'];
  const epKinds: EndpointKind[] = ['ipv4', 'ipv6'];
  let closed = false;

  /** The fields every form starts with, in the JSON's order. */
  const head = (): Pick<SummaryJson, 'packets' | 'bytes' | 'duration' | 'interfaces' | 'untracked' | 'untrackedFlows'> => ({
    packets: acc.packets,
    bytes: acc.bytes,
    duration: +acc.duration.toFixed(9),
    interfaces: acc.interfaces(opts.interfaceName),
    untracked: acc.untracked,
    untrackedFlows: acc.untracked === 0 ? 0 : Math.max(1, acc.untrackedKeys.count),
  });

  const result = (): SummaryJson => {
    const r: SummaryJson = head();
    if (want.has('conv')) {
      r.conversations = { ipv4: acc.conversations('ipv4'), ipv6: acc.conversations('ipv6'), tcp: acc.conversations('tcp'), udp: acc.conversations('udp') };
    }
    if (want.has('endpoints')) r.endpoints = { ipv4: acc.endpoints('ipv4'), ipv6: acc.endpoints('ipv6') };
    if (want.has('protocols')) r.protocols = acc.protocolTree();
    if (intervals.length > 0) r.io = intervals.map((interval) => ({ interval, intervals: acc.io(interval) }));
    return r;
  };

  /** The JSON form, written piece by piece: one conversation or endpoint object at a time. */
  const writeJson = (add: (t: string) => void): void => {
    const h = JSON.stringify(head());
    add(`{"summary":${h.slice(0, -1)}`);
    const list = (name: string, kinds: readonly string[], each: (k: string, visit: (o: unknown) => void) => void): void => {
      add(`,${JSON.stringify(name)}:{`);
      kinds.forEach((k, i) => {
        add(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:[`);
        let first = true;
        each(k, (o) => {
          add(first ? JSON.stringify(o) : `,${JSON.stringify(o)}`);
          first = false;
        });
        add(']');
      });
      add('}');
    };
    if (want.has('conv')) list('conversations', convKinds, (k, visit) => acc.eachConversation(k as ConversationKind, visit));
    if (want.has('endpoints')) list('endpoints', epKinds, (k, visit) => acc.eachEndpoint(k as EndpointKind, visit));
    if (want.has('protocols')) add(`,"protocols":${JSON.stringify(acc.protocolTree())}`);
    if (intervals.length > 0) add(`,"io":${JSON.stringify(intervals.map((interval) => ({ interval, intervals: acc.io(interval) })))}`);
    add('}}\n');
  };

  const writeText = (add: (t: string) => void): void => {
    const h = head();
    add(`Summary: ${h.packets} packets, ${h.bytes} bytes in ${secs(h.duration)} s\n`);
    if (h.interfaces.length > 1 || (h.interfaces[0] !== undefined && h.interfaces[0].ifindex !== 0)) add(interfaceTable(h.interfaces));
    const convTitles: Record<ConversationKind, string> = { ipv4: 'IPv4 conversations', ipv6: 'IPv6 conversations', tcp: 'TCP conversations', udp: 'UDP conversations' };
    for (const k of unique) {
      switch (k.kind) {
        case 'conv': {
          let any = false;
          for (const c of convKinds) {
            const total = acc.conversationCount(c);
            if (total === 0) continue;
            any = true;
            add(convTable(convTitles[c], acc.conversations(c, rows), c === 'tcp' || c === 'udp', total));
          }
          if (!any) add('Conversations: none\n');
          break;
        }
        case 'endpoints': {
          let any = false;
          for (const e of epKinds) {
            const total = acc.endpointCount(e);
            if (total === 0) continue;
            any = true;
            add(endpointTable(e === 'ipv4' ? 'IPv4 endpoints' : 'IPv6 endpoints', acc.endpoints(e, rows), total));
          }
          if (!any) add('Endpoints: none\n');
          break;
        }
        case 'protocols':
          add(protocolTable(acc.protocolTree()));
          break;
        case 'io':
          add(ioTable(k.interval, acc.io(k.interval)));
          break;
      }
    }
    if (h.untracked > 0) {
      add(`${h.untrackedFlows === 1 ? 'about 1 conversation or endpoint' : `about ${h.untrackedFlows} conversations and endpoints`} not tracked (limit of ${acc.maxEntries} reached, --max-flows); their ${h.untracked} updates count in the totals only\n`);
    }
  };

  const render = (): string => {
    const parts: string[] = [];
    (opts.json ? writeJson : writeText)((t) => parts.push(t));
    return parts.join('');
  };

  return {
    accounting: acc,
    framesOnly: true,
    write(p: PacketView): void {
      acc.add(p);
    },
    writeFrame(buf: Uint8Array, offset: number, capLen: number, wireLen: number, tsSec: number, tsNsec: number, ifindex: number, linkType: number): void {
      acc.addFrame(buf, offset, capLen, wireLen, tsSec, tsNsec, ifindex, linkType);
    },
    flush(): void {},
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const chunks = new Chunker(opts.out);
      (opts.json ? writeJson : writeText)((t) => chunks.add(t));
      chunks.flush();
    },
    result,
    render,
  };
}
