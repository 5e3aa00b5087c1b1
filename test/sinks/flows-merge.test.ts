/**
 * `TrafficAccounting.merge`: fanout workers each count their own packets and the main thread adds up
 * their `state()`s. Whatever way the packets of a capture are split (flows kept whole, as the hash
 * fanout does, or every other packet, so that flows and their directions are split too) and in
 * whatever order the parts are merged, the merged tables must equal one accounting fed every packet.
 * The single accounting is the reference here; its own tables are checked against tshark in
 * test/summary/tshark.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { copyPacket, type OwnedPacket } from '../../src/packet.js';
import { readPackets } from '../../src/pcap/reader.js';
import { TrafficAccounting } from '../../src/sinks/flows.js';

const FILES = ['fixtures/mixed.pcap', 'fixtures/http.pcap', 'fixtures/iperf-tcp6.pcap', 'fixtures/fragments.pcap', 'fixtures/decode/live-any-sll2.pcap', 'fixtures/qinq.pcap'];

async function packetsOf(file: string): Promise<OwnedPacket[]> {
  const out: OwnedPacket[] = [];
  for await (const p of readPackets(file)) out.push(copyPacket(p));
  return out;
}

/** Everything a summary shows, rows sorted by their key so equal-byte rows compare in any order. */
function tables(a: TrafficAccounting): unknown {
  const byKey = <T>(rows: T[], key: (r: T) => string): T[] => [...rows].sort((x, y) => key(x).localeCompare(key(y)));
  return {
    packets: a.packets,
    bytes: a.bytes,
    duration: a.duration,
    first: a.firstTimestamp,
    interfaces: a.interfaces(),
    conversations: (['ipv4', 'ipv6', 'tcp', 'udp'] as const).map((k) => byKey(a.conversations(k), (c) => `${c.a}|${c.aPort}|${c.b}|${c.bPort}`)),
    endpoints: (['ipv4', 'ipv6'] as const).map((k) => byKey(a.endpoints(k), (e) => e.address)),
    protocols: a.protocolTree(),
    shares: a.protocolShares(),
  };
}

/** A split of the packets into two parts. */
const SPLITS: Record<string, (p: OwnedPacket, i: number) => number> = {
  'every other packet': (_p, i) => i % 2,
  // both directions of a flow in one part, as the hash fanout keeps them: the sum of the address and
  // port bytes of untagged IPv4 (26..37) and IPv6 (22..57), the same whichever way the packet goes
  'by flow': (p) => {
    const type = ((p.data[12] ?? 0) << 8) | (p.data[13] ?? 0);
    const [from, to] = p.linkType !== 1 ? [0, 0] : type === 0x0800 ? [26, 38] : type === 0x86dd ? [22, 58] : [0, 0];
    return p.data.subarray(from, to).reduce((h, x) => h + x, 0) % 2;
  },
  'all in the second part': () => 1,
};

describe('merging accountings gives the tables of one', () => {
  for (const file of FILES) {
    for (const [name, part] of Object.entries(SPLITS)) {
      it(`${file}, split ${name}, merged in both orders`, async () => {
        const pkts = await packetsOf(file);
        const one = new TrafficAccounting();
        const parts = [new TrafficAccounting(), new TrafficAccounting()];
        pkts.forEach((p, i) => {
          one.add(p);
          parts[part(p, i)]!.add(p);
        });
        expect(parts[0]!.packets + parts[1]!.packets).toBe(pkts.length);
        const want = tables(one);
        for (const order of [
          [0, 1],
          [1, 0],
        ]) {
          const merged = new TrafficAccounting();
          for (const i of order) merged.merge(parts[i]!.state());
          expect(tables(merged)).toEqual(want);
        }
      });
    }
  }

  it('clear() forgets everything: counting again gives the tables of a new accounting', async () => {
    const pkts = await packetsOf('fixtures/mixed.pcap');
    const a = new TrafficAccounting();
    for (const p of pkts) a.add(p);
    a.clear();
    expect(a.packets).toBe(0);
    expect(a.conversationCount('udp')).toBe(0);
    for (const p of pkts.slice(10)) a.add(p);
    const b = new TrafficAccounting();
    for (const p of pkts.slice(10)) b.add(p);
    expect(tables(a)).toEqual(tables(b));
  });

  it('topState(n) of parts that keep flows whole: the merged top n flows and the talkers are those of one accounting', async () => {
    const pkts = await packetsOf('fixtures/mixed.pcap');
    const one = new TrafficAccounting();
    const parts = [new TrafficAccounting(), new TrafficAccounting()];
    for (const p of pkts) {
      one.add(p);
      parts[SPLITS['by flow']!(p, 0)]!.add(p);
    }
    for (const n of [1, 3]) {
      const merged = new TrafficAccounting();
      for (const part of parts) merged.merge(part.topState(n));
      for (const kind of ['tcp', 'udp'] as const) {
        // equal byte counts may tie in either order: compare the bytes, then each row by its key
        const want = one.conversations(kind, n);
        const got = merged.conversations(kind, n);
        expect(got.map((c) => c.bytes)).toEqual(want.map((c) => c.bytes));
        const all = new Map(one.conversations(kind).map((c) => [`${c.a}|${c.aPort}|${c.b}|${c.bPort}`, c]));
        for (const c of got) expect(c).toEqual(all.get(`${c.a}|${c.aPort}|${c.b}|${c.bPort}`));
      }
      expect(merged.endpoints('ipv4')).toEqual(expect.arrayContaining(one.endpoints('ipv4')));
      expect(merged.packets).toBe(one.packets);
      expect(merged.protocolShares()).toEqual(one.protocolShares());
    }
  });

  it('refuses accountings with io series (their intervals start at different packets)', () => {
    expect(() => new TrafficAccounting({ ioIntervals: [1] }).merge(new TrafficAccounting().state())).toThrow(/io series/);
  });

  it('a state survives a structured clone (the message between threads)', async () => {
    const pkts = await packetsOf('fixtures/mixed.pcap');
    const a = new TrafficAccounting();
    for (const p of pkts) a.add(p);
    const merged = new TrafficAccounting();
    merged.merge(structuredClone(a.state()));
    expect(tables(merged)).toEqual(tables(a));
  });
});
