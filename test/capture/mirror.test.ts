/**
 * Mirroring with the library's default sending (a sender thread and a TX ring with 4 CPUs or more, the
 * capture thread's sendmmsg below; handoff.test.ts runs both through the CLI): frames captured on one
 * veth leave another byte-identical, in order.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openCapture } from '../../src/capture/index.js';
import { createMirror } from '../../src/capture/mirror.js';
import { hex } from '../helpers/collect.js';
import { ether, pad60, sendFrames, udp4 } from '../helpers/frames.js';
import { createTestNet, run, type TestNet } from '../helpers/netns.js';
import { startTcpdump } from '../helpers/tcpdump.js';
import { waitFor, waitForRecords } from '../helpers/wait.js';

/** Upper bound on one wait for the socket, so the deadline is checked even if nothing comes. */
const POLL_MS = 50;
/** Frames sent, mirrored and received before the next ones are sent. */
const CHUNK = 250;

let src: TestNet;
let dst: TestNet;
const dir = mkdtempSync(join(tmpdir(), 'tscap-mirror-'));
beforeAll(() => {
  src = createTestNet('tm');
  dst = createTestNet('tm');
});
afterAll(() => {
  src?.remove();
  dst?.remove();
});

function frames(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    const tags = i % 3 === 0 ? [{ tpid: i % 2 ? 0x88a8 : 0x8100, pcp: i % 8, dei: i % 5 === 0, vid: i % 4096 }] : [];
    const payload = Array.from({ length: 18 + (i % 1400) }, (_, j) => (i + j) & 0xff);
    return pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '203.0.113.2', 5555, 9, payload), tags));
  });
}

test('2,000 frames (tags included) captured on one veth arrive byte-identical and in order on the far side of another', async () => {
  const sent = frames(2000);
  const far = join(dir, 'far.pcap');
  const receiver = await startTcpdump(dst.ns, dst.peer, far);
  const cap = openCapture({ iface: src.host });
  const warnings: string[] = [];
  const mirror = createMirror(dst.host, { onWarning: (m) => warnings.push(m) });
  try {
    // In chunks of 250, each mirrored and seen at the far side before the next: a veth hands frames
    // to the receiving CPU's backlog (1000 frames, shared with every other test running at the same
    // time), and this test is about bytes, tags and order, not about how large a burst fits.
    let total = 0;
    for (let from = 0; from < sent.length; from += CHUNK) {
      const upTo = Math.min(sent.length, from + CHUNK);
      sendFrames(src.ns, src.peer, sent.slice(from, upTo));
      await waitFor(
        async () => {
          total += cap.dispatch((p) => mirror.write(p));
          mirror.flush();
          if (total < upTo) await Promise.race([cap.wait(), new Promise((r) => setTimeout(r, POLL_MS))]);
          return total >= upTo;
        },
        { what: `${upTo} frames captured`, detail: () => `${total} so far`, intervalMs: 0 },
      );
      await waitForRecords(far, upTo);
    }
    await mirror.close();
    await waitForRecords(far, sent.length);
    const got = await receiver.stop();
    expect(mirror.stats()).toMatchObject({ frames: 2000, packets: 2000, handed: 2000, queueDropped: 0, bytes: sent.reduce((a, f) => a + f.length, 0), errors: 0, dropped: 0 });
    expect(warnings).toEqual([]);
    expect(got.length).toBe(2000);
    expect(got.map((p) => hex(p.data))).toEqual(sent.map(hex));
  } finally {
    cap.close();
  }
}, 150_000); // eight rounds of sending and waiting for tcpdump's file, on a loaded machine

test('a frame larger than the mirror interface MTU is a counted drop; a missing or down interface fails at start', async () => {
  run('ip', ['link', 'set', dst.host, 'mtu', '576']);
  try {
    const warnings: string[] = [];
  const mirror = createMirror(dst.host, { onWarning: (m) => warnings.push(m) });
    const big = pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '203.0.113.2', 5555, 9, Array(1000).fill(1))));
    const small = pad60(ether('02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800, udp4('203.0.113.1', '203.0.113.2', 5555, 9, [1])));
    const view = (b: Uint8Array) => ({ buf: b, offset: 0, capLen: b.length, wireLen: b.length, tsSec: 0, tsNsec: 0, linkType: 1, ifindex: 0, pktType: 0, vlanValid: false, vlanTci: 0, vlanTpid: 0, vlanInBytes: false, index: 0 });
    mirror.write(view(big));
    mirror.write(view(small));
    await mirror.close();
    expect(mirror.stats()).toMatchObject({ frames: 1, dropped: 1 });
  } finally {
    run('ip', ['link', 'set', dst.host, 'mtu', '1500']);
  }
  expect(() => createMirror('tscapnosuch0')).toThrow(/No such device \(ENODEV\)/);
  run('ip', ['link', 'set', dst.host, 'down']);
  try {
    expect(() => createMirror(dst.host)).toThrow(/not up/);
  } finally {
    run('ip', ['link', 'set', dst.host, 'up']);
  }
});
