/**
 * Traffic accounting on hand-built frames (RFC 791/8200/768/9293 layouts): expected numbers are
 * counted by hand from the frames the test makes, not taken from tscap.
 */
import { describe, expect, it } from 'vitest';
import { emptyPacket } from '../../src/packet.js';
import type { PacketView } from '../../src/packet.js';
import { KeyTable, TrafficAccounting } from '../../src/sinks/flows.js';

const MAC_A = [2, 0, 0, 0, 0, 1];
const MAC_B = [2, 0, 0, 0, 0, 2];

function ip4(s: string): number[] {
  return s.split('.').map(Number);
}

/** Ethernet + IPv4 + UDP/TCP header + `pad` zero bytes of payload. */
function frame4(proto: 'udp' | 'tcp', src: string, sport: number, dst: string, dport: number, pad: number, frag = 0): Uint8Array {
  const l4len = proto === 'udp' ? 8 : 20;
  const total = 20 + l4len + pad;
  const b = [...MAC_B, ...MAC_A, 0x08, 0x00];
  b.push(0x45, 0, total >> 8, total & 255, 0, 1, frag >> 8, frag & 255, 64, proto === 'udp' ? 17 : 6, 0, 0, ...ip4(src), ...ip4(dst));
  if (proto === 'udp') b.push(sport >> 8, sport & 255, dport >> 8, dport & 255, (8 + pad) >> 8, (8 + pad) & 255, 0, 0);
  else b.push(sport >> 8, sport & 255, dport >> 8, dport & 255, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x10, 0xff, 0xff, 0, 0, 0, 0);
  for (let i = 0; i < pad; i++) b.push(0);
  return new Uint8Array(b);
}

/** Ethernet + IPv6 (optionally with a fragment header at `fragOffset` bytes) + UDP. */
function frame6(src: number, dst: number, sport: number, dport: number, pad: number, fragOffset?: number): Uint8Array {
  const addr = (last: number): number[] => [0xfd, 0, ...new Array<number>(13).fill(0), last];
  const udp = [sport >> 8, sport & 255, dport >> 8, dport & 255, (8 + pad) >> 8, (8 + pad) & 255, 0, 0, ...new Array<number>(pad).fill(0)];
  const frag = fragOffset === undefined ? [] : [17, 0, (fragOffset >> 8) & 0xff, fragOffset & 0xf8, 0, 0, 0, 9];
  const payload = fragOffset !== undefined && fragOffset > 0 ? [...frag, ...new Array<number>(16).fill(0)] : [...frag, ...udp];
  const plen = payload.length;
  return new Uint8Array([...MAC_B, ...MAC_A, 0x86, 0xdd, 0x60, 0, 0, 0, plen >> 8, plen & 255, fragOffset === undefined ? 17 : 44, 64, ...addr(src), ...addr(dst), ...payload]);
}

function pkt(bytes: Uint8Array, sec: number, nsec = 0, ifindex = 0): PacketView {
  const p = emptyPacket();
  p.buf = bytes;
  p.capLen = bytes.length;
  p.wireLen = bytes.length;
  p.tsSec = sec;
  p.tsNsec = nsec;
  p.ifindex = ifindex;
  return p;
}

describe('KeyTable', () => {
  it('keeps distinct keys apart through growth and finds them again', () => {
    const t = new KeyTable(2, 1, 100_000, 4);
    for (let i = 0; i < 5000; i++) {
      t.key[0] = Math.imul(i, 2654435761);
      t.key[1] = i & 1;
      const e = t.insert();
      expect(e).toBe(i);
      t.vals[e] = i;
    }
    expect(t.size).toBe(5000);
    for (let i = 0; i < 5000; i++) {
      t.key[0] = Math.imul(i, 2654435761);
      t.key[1] = i & 1;
      expect(t.vals[t.find()]).toBe(i);
    }
    t.key[0] = 7;
    expect(t.find()).toBe(-1);
  });

  it('refuses entries past maxEntries', () => {
    const t = new KeyTable(1, 1, 3);
    for (let i = 0; i < 3; i++) {
      t.key[0] = i;
      expect(t.insert()).toBe(i);
    }
    t.key[0] = 9;
    expect(t.insert()).toBe(-1);
    t.key[0] = 1;
    expect(t.insert()).toBe(1);
  });
});

describe('TrafficAccounting', () => {
  it('combines both directions of a UDP flow; A is the first packet source', () => {
    const acc = new TrafficAccounting();
    const ab = frame4('udp', '10.0.0.9', 53, '10.0.0.1', 40000, 10); // 14+20+8+10 = 52 bytes
    const ba = frame4('udp', '10.0.0.1', 40000, '10.0.0.9', 53, 30); // 72 bytes
    acc.add(pkt(ab, 100));
    acc.add(pkt(ba, 100, 500_000_000));
    acc.add(pkt(ba, 101));
    const [c] = acc.conversations('udp');
    expect(c).toEqual({
      a: '10.0.0.9',
      aPort: 53,
      b: '10.0.0.1',
      bPort: 40000,
      aToB: { frames: 1, bytes: 52 },
      bToA: { frames: 2, bytes: 144 },
      frames: 3,
      bytes: 196,
      start: 0,
      duration: 1,
    });
    const [ip] = acc.conversations('ipv4');
    expect([ip!.a, ip!.b, ip!.aToB.frames, ip!.bToA.frames]).toEqual(['10.0.0.9', '10.0.0.1', 1, 2]);
    // equal totals: ties keep first-seen order
    expect(acc.endpoints('ipv4').map((e) => [e.address, e.txFrames, e.txBytes, e.rxFrames, e.rxBytes])).toEqual([
      ['10.0.0.9', 1, 52, 2, 144],
      ['10.0.0.1', 2, 144, 1, 52],
    ]);
  });

  it('keeps separate 5-tuples and protocols apart', () => {
    const acc = new TrafficAccounting();
    acc.add(pkt(frame4('tcp', '10.0.0.1', 1000, '10.0.0.2', 80, 0), 1));
    acc.add(pkt(frame4('tcp', '10.0.0.1', 1001, '10.0.0.2', 80, 0), 1));
    acc.add(pkt(frame4('udp', '10.0.0.1', 1000, '10.0.0.2', 80, 0), 1));
    expect(acc.conversations('tcp')).toHaveLength(2);
    expect(acc.conversations('udp')).toHaveLength(1);
    expect(acc.conversations('ipv4')).toHaveLength(1);
    expect(acc.conversations('ipv4')[0]!.frames).toBe(3);
  });

  it('builds the protocol hierarchy with frames and wire bytes per path', () => {
    const acc = new TrafficAccounting();
    acc.add(pkt(frame4('udp', '10.0.0.1', 1, '10.0.0.2', 2, 0), 0));
    acc.add(pkt(frame4('tcp', '10.0.0.1', 1, '10.0.0.2', 2, 0), 0));
    acc.add(pkt(frame6(1, 2, 5, 6, 4), 0));
    const root = acc.protocolTree();
    expect(root.frames).toBe(3);
    const eth = root.children[0]!;
    expect(eth.protocol).toBe('eth');
    const v4 = eth.children.find((c) => c.protocol === 'ipv4')!;
    expect([v4.frames, v4.bytes]).toEqual([2, 42 + 54]);
    expect(v4.children.map((c) => [c.protocol, c.frames, c.bytes]).sort()).toEqual([
      ['tcp', 1, 54],
      ['udp', 1, 42],
    ]);
    const v6 = eth.children.find((c) => c.protocol === 'ipv6')!;
    expect([v6.frames, v6.bytes, v6.children[0]!.protocol]).toEqual([1, 14 + 40 + 12, 'udp']);
    expect(acc.protocolShares().find((s) => s.protocol === 'eth')).toEqual({ protocol: 'eth', frames: 3, bytes: 42 + 54 + 66 });
  });

  it('leaves later IPv6 fragments out of IPv6 conversations (as tshark does) but counts them in totals', () => {
    const acc = new TrafficAccounting();
    acc.add(pkt(frame6(1, 2, 5, 6, 8, 0), 0));
    acc.add(pkt(frame6(1, 2, 5, 6, 8, 1448), 0));
    expect(acc.packets).toBe(2);
    expect(acc.conversations('ipv6')[0]!.frames).toBe(1);
    expect(acc.conversations('udp')[0]!.frames).toBe(1);
  });

  it('counts io intervals from the first packet, empty ones included, for each requested width', () => {
    const acc = new TrafficAccounting({ ioIntervals: [1, 0.5] });
    const f = frame4('udp', '10.0.0.1', 1, '10.0.0.2', 2, 0); // 42 bytes
    acc.add(pkt(f, 10, 200_000_000));
    acc.add(pkt(f, 10, 900_000_000));
    acc.add(pkt(f, 13, 100_000_000));
    expect(acc.io(1)).toEqual([
      { start: 0, end: 1, frames: 2, bytes: 84 },
      { start: 1, end: 2, frames: 0, bytes: 0 },
      { start: 2, end: 2.9, frames: 1, bytes: 42 },
    ]);
    expect(acc.io(0.5).map((r) => r.frames)).toEqual([1, 1, 0, 0, 0, 1]);
  });

  it('lists the top N conversations and endpoints as the first N of the full ordering', () => {
    const acc = new TrafficAccounting();
    let seed = 7;
    const rnd = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    for (let i = 0; i < 3000; i++) {
      const f = frame4('udp', `10.0.${rnd(4)}.${rnd(50)}`, 1000 + rnd(30), '10.9.9.9', 53, rnd(8) * 10);
      acc.add(pkt(f, i));
    }
    const all = acc.conversations('udp');
    expect(all.length).toBeGreaterThan(100);
    for (const n of [0, 1, 10, 57]) expect(acc.conversations('udp', n)).toEqual(all.slice(0, n));
    const eps = acc.endpoints('ipv4');
    expect(acc.endpoints('ipv4', 10)).toEqual(eps.slice(0, 10));
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.bytes).toBeGreaterThanOrEqual(all[i]!.bytes);
  });

  it('counts per interface', () => {
    const acc = new TrafficAccounting();
    const f = frame4('udp', '10.0.0.1', 1, '10.0.0.2', 2, 0);
    acc.add(pkt(f, 0, 0, 3));
    acc.add(pkt(f, 0, 0, 3));
    acc.add(pkt(f, 0, 0, 70000));
    expect(acc.interfaces((i) => (i === 3 ? 'eth0' : undefined))).toEqual([
      { ifindex: 0, packets: 1, bytes: 42 },
      { ifindex: 3, name: 'eth0', packets: 2, bytes: 84 },
    ]);
  });

  it('never throws on arbitrary bytes and counts every packet', () => {
    const acc = new TrafficAccounting({ ioIntervals: [1] });
    let seed = 12345;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) & 255;
    for (let i = 0; i < 2000; i++) {
      const b = new Uint8Array(rnd() % 120);
      for (let j = 0; j < b.length; j++) b[j] = rnd();
      if (b.length > 13 && i % 2 === 0) {
        b[12] = 0x08;
        b[13] = 0;
        if (b.length > 14) b[14] = 0x45;
      }
      const p = pkt(b, i);
      p.linkType = [1, 101, 113, 276, 0][i % 5]!;
      acc.add(p);
    }
    expect(acc.packets).toBe(2000);
    expect(acc.protocolTree().frames).toBe(2000);
  });
});

describe('the flow cap (--max-flows)', () => {
  it('is shared by every table: past it, new entries are refused and their packets and keys counted', () => {
    const acc = new TrafficAccounting({ maxEntries: 10 });
    // one flow: UDP conversation + IPv4 conversation + two endpoints = 4 entries
    acc.add(pkt(frame4('udp', '10.0.0.1', 1000, '10.0.0.2', 53, 0), 1));
    expect(acc.untracked).toBe(0);
    // 20 more UDP flows between the same hosts: one new UDP conversation each (ports differ)
    for (let i = 1; i <= 20; i++) acc.add(pkt(frame4('udp', '10.0.0.1', 1000 + i, '10.0.0.2', 53, 0), 1));
    const sizes = acc.tableSizes;
    const kept = sizes.ipv4 + sizes.ipv6 + sizes.tcp + sizes.udp + sizes.endpointsIpv4 + sizes.endpointsIpv6;
    expect(kept).toBe(10);
    expect(sizes.udp).toBe(7); // 10 - (1 IPv4 conversation + 2 endpoints)
    expect(acc.untracked).toBe(14); // each of the other 14 flows' one packet
    expect(acc.untrackedKeys.count).toBe(14); // small counts are exact (linear counting)
    // a kept flow still counts; a refused one is refused again and again (the same key, once)
    acc.add(pkt(frame4('udp', '10.0.0.1', 1020, '10.0.0.2', 53, 0), 2));
    expect(acc.untracked).toBe(15);
    expect(acc.untrackedKeys.count).toBe(14);
    expect(acc.packets).toBe(22);
  });

  it('estimates many refused flows within a few percent', () => {
    const acc = new TrafficAccounting({ maxEntries: 4 });
    const n = 200_000;
    const f = frame4('udp', '10.0.0.1', 1, '10.0.0.2', 2, 0);
    const p = pkt(f, 1);
    for (let i = 0; i < n; i++) {
      // distinct source address and port: a new conversation, IPv4 conversation and endpoint each time
      f[26] = 10;
      f[27] = (i >> 16) & 255;
      f[28] = (i >> 8) & 255;
      f[29] = i & 255;
      f[34] = (i >> 8) & 255;
      f[35] = i & 255;
      acc.add(p);
    }
    // per packet after the first: UDP conv, IPv4 conv and the source endpoint are new, the
    // destination endpoint is kept → 3 refused keys each
    const expected = 3 * (n - 1);
    expect(Math.abs(acc.untrackedKeys.count - expected) / expected).toBeLessThan(0.05);
  });
});
