/** The summary sink's kinds, table text and JSON shape (counts are checked against tshark in test/summary/). */
import { describe, expect, it } from 'vitest';
import { emptyPacket } from '../../src/packet.js';
import { createSummarySink, parseSummaryKind, SummaryKindError } from '../../src/sinks/summary.js';

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
    expect(Object.keys(j.summary).sort()).toEqual(['bytes', 'conversations', 'duration', 'interfaces', 'io', 'packets', 'untracked']);
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
});
