/**
 * Both engines against the real kernel: frames sent from a namespace arrive complete, in order, with
 * their VLAN tags put back (or reported as metadata), and the kernel's counters add up.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openCapture } from '../../src/capture/index.js';
import { collect, hex } from '../helpers/collect.js';
import { waitFor } from '../helpers/wait.js';
import { ether, pad60, sendFrames, sendInChunks, udp4, type Tag } from '../helpers/frames.js';
import { createTestNet, type TestNet } from '../helpers/netns.js';

const DST = '02:00:00:00:00:02';
const SRC = '02:00:00:00:00:01';
let net: TestNet;

beforeAll(() => {
  net = createTestNet('tr');
});
afterAll(() => net?.remove());

/** 10,000 UDP frames of 60..1514 bytes, each carrying its sequence number. */
function mixedFrames(n: number): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const size = 18 + ((i * 7919) % 1455); // UDP payload 18..1472 → frames 60..1514
    const data = Array.from({ length: size }, (_, j) => (j < 4 ? (i >>> (8 * (3 - j))) & 0xff : (i + j) & 0xff));
    frames.push(pad60(ether(DST, SRC, 0x0800, udp4('203.0.113.1', '203.0.113.2', 40000, 9, data))));
  }
  return frames;
}

const TAGS: Tag[] = [
  { tpid: 0x8100, pcp: 0, dei: false, vid: 0 },
  { tpid: 0x8100, pcp: 7, dei: true, vid: 4095 },
  { tpid: 0x88a8, pcp: 0, dei: false, vid: 0 },
  { tpid: 0x88a8, pcp: 5, dei: true, vid: 4095 },
  { tpid: 0x8100, pcp: 3, dei: false, vid: 42 },
];

function taggedFrames(): Uint8Array[] {
  const frames = TAGS.map((t, i) => pad60(ether(DST, SRC, 0x0800, udp4('203.0.113.1', '203.0.113.2', 1000 + i, 9, [i]), [t])));
  // QinQ: only the outer tag is stripped by the kernel; the inner one stays in the bytes.
  frames.push(ether(DST, SRC, 0x0806, Array(28).fill(1), [TAGS[3] as Tag, TAGS[4] as Tag]));
  return frames;
}

/** The frame without its outer tag, as the kernel hands it over in metadata mode. */
function untag(frame: Uint8Array): Uint8Array {
  return Uint8Array.from([...frame.subarray(0, 12), ...frame.subarray(16)]);
}

describe.each(['ring', 'recvmsg'] as const)('%s engine', (engine) => {
  test('10,000 frames of mixed sizes arrive complete, byte for byte, in order', async () => {
    const cap = openCapture({ iface: net.host, engine, bufferKiB: 65536 });
    try {
      const frames = mixedFrames(10_000);
      // in chunks, each counted by the kernel before the next (none lost before the socket)
      expect(await sendInChunks(net.ns, net.peer, frames, (n) => waitFor(() => cap.stats().received >= n, { what: `the kernel to count ${n} frames` }))).toBe(10_000);
      const got = await collect(cap, frames.length);
      expect(got.length).toBe(frames.length);
      let mismatches = 0;
      for (let i = 0; i < frames.length; i++) {
        const want = frames[i] as Uint8Array;
        const p = got[i];
        if (!p || p.wireLen !== want.length || p.capLen !== want.length || hex(p.data) !== hex(want)) mismatches++;
      }
      expect(mismatches).toBe(0);
      const s = cap.stats();
      expect(s.captured).toBe(10_000);
      expect(s.dropped).toBe(0);
      expect(s.captured + s.dropped).toBe(s.received);
      for (const p of got) {
        expect(p.ifindex).toBe(cap.info.index);
        expect(p.tsSec).toBeGreaterThan(1_600_000_000);
        expect(p.tsNsec).toBeLessThan(1e9);
      }
    } finally {
      cap.close();
    }
  });

  test('VLAN tags (0x8100, 0x88a8, PCP, DEI, VID 0 and 4095) are put back byte-identical', async () => {
    const cap = openCapture({ iface: net.host, engine });
    try {
      const frames = taggedFrames();
      sendFrames(net.ns, net.peer, frames);
      const got = await collect(cap, frames.length);
      expect(got.map((p) => hex(p.data))).toEqual(frames.map(hex));
      got.forEach((p, i) => {
        const t = TAGS[i === 5 ? 3 : i] as Tag;
        expect(p.vlanValid).toBe(true);
        expect(p.vlanInBytes).toBe(true);
        expect(p.vlanTpid).toBe(t.tpid);
        expect(p.vlanTci).toBe((t.pcp << 13) | (t.dei ? 0x1000 : 0) | t.vid);
      });
    } finally {
      cap.close();
    }
  });

  test('metadata mode leaves the frame as the kernel gave it and reports the tag', async () => {
    const cap = openCapture({ iface: net.host, engine, vlan: 'metadata' });
    try {
      const frames = taggedFrames();
      sendFrames(net.ns, net.peer, frames);
      const got = await collect(cap, frames.length);
      expect(got.map((p) => hex(p.data))).toEqual(frames.map((f) => hex(untag(f))));
      got.forEach((p, i) => {
        const t = TAGS[i === 5 ? 3 : i] as Tag;
        expect(p.vlanInBytes).toBe(false);
        expect(p.vlanTpid).toBe(t.tpid);
        expect(p.vlanTci).toBe((t.pcp << 13) | (t.dei ? 0x1000 : 0) | t.vid);
      });
    } finally {
      cap.close();
    }
  });

  test('snaplen cuts the bytes and keeps the wire length', async () => {
    const cap = openCapture({ iface: net.host, engine, snaplen: 64 });
    try {
      const frames = mixedFrames(20).filter((f) => f.length > 100);
      sendFrames(net.ns, net.peer, frames);
      const got = await collect(cap, frames.length);
      expect(got.length).toBe(frames.length);
      got.forEach((p, i) => {
        const want = frames[i] as Uint8Array;
        expect(p.capLen).toBe(64);
        expect(p.wireLen).toBe(want.length);
        expect(hex(p.data)).toBe(hex(want.subarray(0, 64)));
      });
    } finally {
      cap.close();
    }
  });
});

test('both engines agree on the same frames', async () => {
  const ring = openCapture({ iface: net.host, engine: 'ring' });
  const rm = openCapture({ iface: net.host, engine: 'recvmsg' });
  try {
    const frames = [...taggedFrames(), ...mixedFrames(50)];
    sendFrames(net.ns, net.peer, frames);
    const [a, b] = await Promise.all([collect(ring, frames.length), collect(rm, frames.length)]);
    const view = (p: { data: Uint8Array; wireLen: number; vlanTci: number; vlanTpid: number; tsSec: number; tsNsec: number }) =>
      `${hex(p.data)}/${p.wireLen}/${p.vlanTci}/${p.vlanTpid}`;
    expect(a.map(view)).toEqual(b.map(view));
    expect(a.length).toBe(frames.length);
  } finally {
    ring.close();
    rm.close();
  }
});
