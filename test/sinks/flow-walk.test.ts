/**
 * The accounting's direct byte walk (`src/sinks/flow-walk.ts`) against the layer parser: wherever the
 * walk answers, its layers, address offsets and ports are the parser's, every layer decoded Ok; and
 * the accounting built with the walk equals the one built by full decoding, table for table, over
 * every fixture and 200,000 mutants of them.
 */
import { describe, expect, it } from 'vitest';
import type { PacketView } from '../../src/packet.js';
import { LayerParser, Layer } from '../../src/decode/parser.js';
import { DecodeStatus } from '../../src/decode/status.js';
import { HeaderWalk } from '../../src/sinks/flow-walk.js';
import { TrafficAccounting } from '../../src/sinks/flows.js';
import { eachMutant, fixturePackets } from '../helpers/mutants.js';

/** Everything the accounting reports, as plain data. */
function tables(acc: TrafficAccounting): unknown {
  return {
    packets: acc.packets,
    bytes: acc.bytes,
    duration: acc.duration,
    conv: (['ipv4', 'ipv6', 'tcp', 'udp'] as const).map((k) => acc.conversations(k)),
    endpoints: (['ipv4', 'ipv6'] as const).map((k) => acc.endpoints(k)),
    tree: acc.protocolTree(),
    shares: acc.protocolShares(),
    untracked: acc.untracked,
  };
}

/** Checks the walk's answer for one packet against the parser; returns whether the walk answered. */
function agree(w: HeaderWalk, ps: LayerParser, p: PacketView): boolean {
  const n = w.run(p.buf, p.offset, p.capLen, p.linkType);
  if (n === 0) return false;
  const count = ps.decode(p.buf, p.offset, p.capLen, p.linkType);
  const hex = Buffer.from(p.buf.subarray(p.offset, p.offset + p.capLen)).toString('hex');
  expect([...w.kinds.subarray(0, n)], hex).toEqual([...ps.kinds.subarray(0, count)]);
  expect([...ps.status.subarray(0, count)].every((s) => s === DecodeStatus.Ok), hex).toBe(true);
  const ip = ps.get(Layer.Ipv4) ?? ps.get(Layer.Ipv6);
  expect(w.ipKind !== 0).toBe(ip !== undefined);
  if (ip) expect([w.src, w.dst], hex).toEqual([ip.srcOffset, ip.dstOffset]);
  const l4 = ps.get(Layer.Tcp) ?? ps.get(Layer.Udp);
  expect(w.l4Kind !== 0).toBe(l4 !== undefined);
  if (l4) expect([w.srcPort, w.dstPort], hex).toEqual([l4.srcPort, l4.dstPort]);
  return true;
}

describe('accounting: byte walk = full decode', () => {
  it('every fixture: same layers where the walk answers, same tables', () => {
    const w = new HeaderWalk();
    const ps = new LayerParser();
    let walked = 0;
    let total = 0;
    for (const { file, packets } of fixturePackets()) {
      const fast = new TrafficAccounting();
      const full = new TrafficAccounting({ fullDecode: true });
      for (const p of packets) {
        if (agree(w, ps, p)) walked++;
        // the share is of the TCP/UDP packets: other protocols' fixtures must not dilute it
        ps.decode(p.buf, p.offset, p.capLen, p.linkType);
        if (ps.find(Layer.Tcp) >= 0 || ps.find(Layer.Udp) >= 0) total++;
        fast.add(p);
        full.add(p);
      }
      expect(tables(fast), file).toEqual(tables(full));
    }
    // the walk must carry most of the fixtures' plain TCP/UDP traffic, or it is not worth having
    expect(walked).toBeGreaterThan(total / 3);
  });

  it('a full table (maxEntries 40): the same refusals and counts', () => {
    const fast = new TrafficAccounting({ maxEntries: 40 });
    const full = new TrafficAccounting({ maxEntries: 40, fullDecode: true });
    for (const { packets } of fixturePackets()) {
      for (const p of packets) {
        fast.add(p);
        full.add(p);
      }
    }
    expect(fast.untracked).toBeGreaterThan(0);
    expect(tables(fast)).toEqual(tables(full));
    expect(fast.untrackedKeys.count).toBe(full.untrackedKeys.count);
  });

  it("a flow's own frame with any one header byte changed or cut short, right after it: the same tables", () => {
    // the memo's one-pass check (`FlowMemo.sameFlow`) must take a frame as the flow's only when the
    // walk would: each variant follows the original, so the memo holds the original's shape
    const fast = new TrafficAccounting();
    const full = new TrafficAccounting({ fullDecode: true });
    const hw = new HeaderWalk();
    const seen = new Set<string>();
    let variants = 0;
    for (const { packets } of fixturePackets()) {
      for (const p of packets) {
        const n = hw.run(p.buf, p.offset, p.capLen, p.linkType);
        if (n === 0) continue;
        const shape = `${[...hw.kinds.subarray(0, n)].join()}/${hw.src - p.offset}`;
        if (seen.has(shape) && seen.size > 40) continue;
        seen.add(shape);
        const orig = p.buf.slice(p.offset, p.offset + p.capLen);
        const headers = Math.min(orig.length, 100);
        const one = (bytes: Uint8Array, capLen: number, ifindex = p.ifindex): void => {
          for (const b of [orig, bytes]) {
            const v = { ...p, buf: b, offset: 0, capLen: b === orig ? orig.length : capLen, ifindex: b === orig ? p.ifindex : ifindex };
            fast.add(v);
            full.add(v);
          }
          variants++;
        };
        for (let at = 0; at < headers; at++) {
          for (const x of [0, 0xff, orig[at]! ^ 1, orig[at]! ^ 0x80, orig[at]! ^ 0x10]) {
            const m = orig.slice();
            m[at] = x;
            one(m, m.length);
          }
          one(orig, at);
        }
        one(orig, orig.length, p.ifindex + 1);
      }
    }
    expect(seen.size).toBeGreaterThan(5);
    expect(variants).toBeGreaterThan(10_000);
    expect(tables(fast)).toEqual(tables(full));
  });

  it('200,000 mutants: same layers where the walk answers, same tables', () => {
    const w = new TrafficAccounting();
    const full = new TrafficAccounting({ fullDecode: true });
    const hw = new HeaderWalk();
    const ps = new LayerParser();
    let walked = 0;
    eachMutant(200_000, 0x5eed15, (p) => {
      if (agree(hw, ps, p)) walked++;
      // one in three twice in a row: the second reuses the memo of the first
      for (let k = p.index % 3 === 0 ? 2 : 1; k > 0; k--) {
        w.add(p);
        full.add(p);
      }
    });
    expect(walked).toBeGreaterThan(10_000);
    expect(tables(w)).toEqual(tables(full));
  }, 300_000);
});
