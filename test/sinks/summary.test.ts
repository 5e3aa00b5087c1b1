/** The summary sink's kinds, table text and JSON shape (counts are checked against tshark in test/summary/). */
import { describe, expect, it } from 'vitest';
import { emptyPacket } from '../../src/packet.js';
import { createSummarySink, parseSummaryKind, SummaryKindError, type SummaryJson } from '../../src/sinks/summary.js';
import { cpuMsAsync } from '../helpers/wait.js';

/** Ethernet + IPv4 + UDP 10.1.1.1:5000 → 10.1.1.2:53 with no payload: 42 bytes. */
function udpFrame(): Uint8Array {
  return new Uint8Array([
    2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
    0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 1, 1, 1, 10, 1, 1, 2,
    0x13, 0x88, 0, 53, 0, 8, 0, 0,
  ]);
}

function feed(sink: { write: (p: ReturnType<typeof emptyPacket>) => void }, n: number): void {
  const p = emptyPacket();
  p.buf = udpFrame();
  p.capLen = p.wireLen = p.buf.length;
  for (let i = 0; i < n; i++) {
    p.tsSec = 1000 + i;
    sink.write(p);
  }
}

describe('parseSummaryKind', () => {
  it('accepts the four kinds', () => {
    expect(parseSummaryKind('conv')).toEqual({ kind: 'conv' });
    expect(parseSummaryKind('endpoints')).toEqual({ kind: 'endpoints' });
    expect(parseSummaryKind('protocols')).toEqual({ kind: 'protocols' });
    expect(parseSummaryKind('io,10')).toEqual({ kind: 'io', interval: 10 });
    expect(parseSummaryKind('io,0.5')).toEqual({ kind: 'io', interval: 0.5 });
  });

  it.each(['', 'conversations', 'io', 'io,', 'io,0', 'io,-1', 'io,abc', 'io,1,2', 'conv,ip'])('rejects %j', (t) => {
    expect(() => parseSummaryKind(t)).toThrow(SummaryKindError);
  });
});

describe('createSummarySink', () => {
  it('prints tables once at close, in the order asked', async () => {
    const out: string[] = [];
    const sink = createSummarySink([{ kind: 'io', interval: 1 }, { kind: 'conv' }, { kind: 'protocols' }, { kind: 'endpoints' }], {
      json: false,
      out: (s) => out.push(s),
    });
    feed(sink, 3);
    await sink.flush();
    expect(out).toEqual([]);
    await sink.close();
    await sink.close();
    expect(out).toHaveLength(1);
    const text = out[0]!;
    expect(text).toMatch(/^Summary: 3 packets, 126 bytes in 2\.000000 s/);
    const order = ['IO statistics', 'IPv4 conversations', 'UDP conversations', 'Protocol hierarchy', 'IPv4 endpoints'].map((t) => text.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('10.1.1.1:5000');
    expect(text).not.toContain('IPv6 conversations');
  });

  it('prints one JSON line with only the kinds asked', async () => {
    const out: string[] = [];
    const sink = createSummarySink([{ kind: 'conv' }, { kind: 'io', interval: 2 }], { json: true, out: (s) => out.push(s) });
    feed(sink, 3);
    await sink.close();
    expect(out[0]!.endsWith('\n')).toBe(true);
    expect(out[0]!.trim().includes('\n')).toBe(false);
    const j = JSON.parse(out[0]!) as { summary: Record<string, unknown> };
    expect(Object.keys(j.summary).sort()).toEqual(['bytes', 'conversations', 'duration', 'interfaces', 'io', 'packets', 'untracked', 'untrackedFlows']);
    expect(j.summary['io']).toEqual([
      {
        interval: 2,
        intervals: [
          { start: 0, end: 2, frames: 2, bytes: 84 },
          { start: 2, end: 2, frames: 1, bytes: 42 },
        ],
      },
    ]);
  });

  it('says so when there is nothing to list', async () => {
    const out: string[] = [];
    const sink = createSummarySink([{ kind: 'conv' }, { kind: 'endpoints' }], { json: false, out: (s) => out.push(s) });
    await sink.close();
    expect(out[0]).toContain('Conversations: none');
    expect(out[0]).toContain('Endpoints: none');
  });

  /** Sends one UDP packet per source port: `n` UDP conversations between the same two hosts, port p with p+1 packets... */
  function feedFlows(sink: { write: (p: ReturnType<typeof emptyPacket>) => void }, n: number): void {
    const p = emptyPacket();
    const f = udpFrame();
    p.buf = f;
    p.capLen = p.wireLen = f.length;
    p.tsSec = 1000;
    for (let i = 0; i < n; i++) {
      f[34] = (i >> 8) & 255;
      f[35] = i & 255;
      f[36] = (i >> 24) & 255; // destination port carries the high bits: every flow distinct
      f[37] = (i >> 16) & 255;
      p.wireLen = 42 + (i % 1000); // byte counts differ, so the order by bytes is known
      sink.write(p);
    }
  }

  it('text shows the top rows by bytes and how many were left out; JSON has all', async () => {
    const text: string[] = [];
    const sink = createSummarySink([{ kind: 'conv' }], { json: false, out: (s) => text.push(s), maxRows: 3 });
    feedFlows(sink, 1000);
    await sink.close();
    const t = text.join('');
    const udp = t.slice(t.indexOf('UDP conversations'));
    const rows = udp.split('\n').filter((l) => l.startsWith('│ 10.1.1.1:'));
    expect(rows).toHaveLength(3);
    // the three largest: wire lengths 1041, 1040, 1039 (i = 999, 998, 997)
    expect(rows.map((r) => r.split('│')[8]?.trim())).toEqual(['1041', '1040', '1039']);
    expect(udp).toContain('(997 more conversations not shown: --summary-rows 0 shows all)');
    const all: string[] = [];
    const every = createSummarySink([{ kind: 'conv' }], { json: false, out: (s) => all.push(s), maxRows: 0 });
    feedFlows(every, 1000);
    await every.close();
    expect(all.join('').split('\n').filter((l) => l.startsWith('│ 10.1.1.1:'))).toHaveLength(1000);
    expect(all.join('')).not.toContain('not shown');
    const json: string[] = [];
    const js = createSummarySink([{ kind: 'conv' }], { json: true, out: (s) => json.push(s), maxRows: 3 });
    feedFlows(js, 1000);
    await js.close();
    expect((JSON.parse(json.join('')) as { summary: SummaryJson }).summary.conversations?.udp).toHaveLength(1000);
  });

  it('the default is 50 rows', async () => {
    const text: string[] = [];
    const sink = createSummarySink([{ kind: 'endpoints' }, { kind: 'conv' }], { json: false, out: (s) => text.push(s) });
    feedFlows(sink, 60);
    await sink.close();
    expect(text.join('').split('\n').filter((l) => l.startsWith('│ 10.1.1.1:'))).toHaveLength(50);
    expect(text.join('')).toContain('(10 more conversations not shown');
  });

  it('a full flow table: the summary says how many conversations and endpoints were not tracked', async () => {
    const text: string[] = [];
    const sink = createSummarySink([{ kind: 'conv' }], { json: false, out: (s) => text.push(s), maxEntries: 100 });
    feedFlows(sink, 1000);
    await sink.close();
    // 100 entries: the IPv4 conversation, two endpoints, 97 UDP conversations; 903 refused
    expect(text.join('')).toMatch(/about 9\d\d conversations and endpoints not tracked \(limit of 100 reached, --max-flows\); their 903 updates count in the totals only/);
    expect(text.join('')).toContain('(47 more conversations not shown');
  });

  it('1,000,000 distinct conversations: text in seconds, JSON with every one, in pieces', async () => {
    const text: string[] = [];
    const sink = createSummarySink([{ kind: 'conv' }, { kind: 'endpoints' }], { json: false, out: (s) => text.push(s) });
    feedFlows(sink, 1_000_000);
    // CPU time, which a loaded machine does not stretch (the issue: minutes of quadratic rendering).
    expect(await cpuMsAsync(() => sink.close())).toBeLessThan(10_000);
    expect(text.join('')).toContain('(999950 more conversations not shown');
    const json: string[] = [];
    const js = createSummarySink([{ kind: 'conv' }], { json: true, out: (s) => json.push(s) });
    feedFlows(js, 1_000_000);
    expect(await cpuMsAsync(() => js.close())).toBeLessThan(30_000);
    expect(json.length).toBeGreaterThan(1); // handed over in pieces, never one giant string
    let rows = 0;
    for (const piece of json) rows += piece.split('"aToB"').length - 1;
    expect(rows).toBe(1_000_000 + 1); // the UDP conversations and the one IPv4 conversation
    expect(json.at(-1)?.endsWith('}}\n')).toBe(true);
  }, 600_000); // CPU-bound: its cost is asserted in CPU time above; wall time on a loaded machine is longer
});
