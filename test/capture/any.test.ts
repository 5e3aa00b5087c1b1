/** `-i any`: one cooked socket sees every interface and records each packet's interface (SLL2). */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openCapture } from '../../src/capture/index.js';
import { interfaceInfo } from '../../src/capture/interfaces.js';
import { collect, hex } from '../helpers/collect.js';
import { ether, pad60, sendFrames, udp4 } from '../helpers/frames.js';
import { createTestNet, type TestNet } from '../helpers/netns.js';

let a: TestNet;
let b: TestNet;
beforeAll(() => {
  a = createTestNet('ta');
  b = createTestNet('ta');
});
afterAll(() => {
  a?.remove();
  b?.remove();
});

/** LINKTYPE_LINUX_SLL2 header as documented by tcpdump.org: all fields big-endian. */
function sll2(proto: number, ifindex: number, pkttype: number, src: string): number[] {
  const mac = src.split(':').map((h) => Number.parseInt(h, 16));
  return [proto >> 8, proto & 0xff, 0, 0, ifindex >>> 24, (ifindex >> 16) & 0xff, (ifindex >> 8) & 0xff, ifindex & 0xff, 0, 1, pkttype, 6, ...mac, 0, 0];
}

test('any captures two interfaces with the right interface index in each SLL2 header, tags kept', async () => {
  const cap = openCapture({ iface: 'any' });
  try {
    expect(cap.linkType).toBe(276);
    const src = '02:00:00:00:aa:01';
    const fa = [0, 1, 2].map((i) => pad60(ether('02:00:00:00:00:02', src, 0x0800, udp4('203.0.113.1', '203.0.113.2', 31000 + i, 31999, [i]))));
    const fb = [0, 1].map((i) => pad60(ether('02:00:00:00:00:02', src, 0x0800, udp4('203.0.113.1', '203.0.113.2', 32000 + i, 31999, [i]))));
    const tagged = ether('02:00:00:00:00:02', src, 0x0800, udp4('203.0.113.1', '203.0.113.2', 33000, 31999, [9]), [{ tpid: 0x88a8, pcp: 2, dei: false, vid: 300 }]);
    sendFrames(a.ns, a.peer, [...fa, tagged]);
    sendFrames(b.ns, b.peer, fb);
    // Other interfaces of this namespace may carry traffic too: keep only the test's two.
    const ia = interfaceInfo(a.host).index;
    const ib = interfaceInfo(b.host).index;
    const ours = <T extends { ifindex: number }>(g: T[]): T[] => g.filter((p) => p.ifindex === ia || p.ifindex === ib);
    const got = ours(await collect(cap, 6, { done: (g) => ours(g).length >= 6 }));
    const expectOf = (f: Uint8Array, index: number): string => hex(Uint8Array.from([...sll2(0x0800, index, 3, src), ...f.subarray(14)]));
    const mine = got.map((p) => hex(p.data));
    for (const f of fa) expect(mine).toContain(expectOf(f, ia));
    for (const f of fb) expect(mine).toContain(expectOf(f, ib));
    const taggedWant = hex(Uint8Array.from([...sll2(0x88a8, ia, 3, src), 0x41, 0x2c, 0x08, 0x00, ...tagged.subarray(18)]));
    expect(mine).toContain(taggedWant);
    expect(got.length).toBe(6);
  } finally {
    cap.close();
  }
});

test('filters on any: header fields become ancillary loads (ifindex), the rest run in the kernel at shifted offsets', async () => {
  const { compileFilter } = await import('../../src/filter/compile.js');
  const ia = interfaceInfo(a.host).index;
  const cap = openCapture({ iface: 'any', filter: compileFilter(`ifindex ${ia} and udp port 41000`, { linkType: 276, vlanAncillary: true }) });
  try {
    const mk = (port: number) => pad60(ether('02:00:00:00:00:02', '02:00:00:00:aa:01', 0x0800, udp4('203.0.113.1', '203.0.113.2', 40000, port, [1])));
    sendFrames(a.ns, a.peer, [mk(41000), mk(41001), mk(41000)]);
    sendFrames(b.ns, b.peer, [mk(41000)]);
    const got = await collect(cap, 2);
    expect(got.map((p) => p.ifindex)).toEqual([ia, ia]);
    expect(cap.stats().received).toBe(2); // the kernel did the filtering
  } finally {
    cap.close();
  }
});
