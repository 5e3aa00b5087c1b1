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
  // the same bytes in the same part: a stand-in for flows kept whole (a frame's addresses and ports)
  'by the bytes 26..37': (p) => p.data.subarray(26, 38).reduce((h, x) => (h * 31 + x) >>> 0, 7) % 2,
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
