/**
 * The hand-off ring on its own: records of every size cross it in order and byte for byte through
 * many wrap-arounds, a full ring drops and counts instead of waiting, and a reader on another thread
 * (a real worker) sees exactly what was written.
 */
import { Worker } from 'node:worker_threads';
import { expect, test } from 'vitest';
import { HandoffReader, HandoffWriter, createHandoffBuffers } from '../../src/capture/handoff.js';
import { emptyPacket, type PacketView } from '../../src/packet.js';

function frame(i: number): Uint8Array {
  const len = 14 + ((i * 7919) % 1500);
  return Uint8Array.from({ length: len }, (_, j) => (i * 31 + j) & 0xff);
}

function view(b: Uint8Array, i: number): PacketView {
  const p = emptyPacket();
  p.buf = b;
  p.capLen = b.length;
  p.wireLen = b.length + 100;
  p.tsSec = 1_700_000_000 + i;
  p.tsNsec = i;
  return p;
}

test('records of every size cross a 1 MiB ring in order through many wrap-arounds', () => {
  const { buffers, native } = createHandoffBuffers(1 << 20);
  try {
    const w = new HandoffWriter(buffers);
    const r = new HandoffReader(buffers);
    const p = emptyPacket();
    let read = 0;
    let bytes = 0;
    const check = (q: PacketView): void => {
      const want = frame(read);
      expect(q.capLen).toBe(want.length);
      expect(q.wireLen).toBe(want.length + 100);
      expect(q.tsSec).toBe(1_700_000_000 + read);
      expect(Buffer.from(q.buf.subarray(q.offset, q.offset + q.capLen)).equals(Buffer.from(want))).toBe(true);
      read++;
    };
    for (let i = 0; i < 20_000; i++) {
      const f = frame(i);
      expect(w.push(view(f, i), f.length)).toBe(true);
      bytes += f.length;
      if (i % 97 === 96) r.drain(p, check, 1000);
    }
    while (r.pending()) r.drain(p, check, 1000);
    expect(read).toBe(20_000);
    expect(bytes).toBeGreaterThan(10 << 20); // about 15 MB through 1 MiB: many wraps
    expect(w.dropped).toBe(0);
  } finally {
    native.free();
  }
});

test('a full ring drops and counts; space comes back once the reader has read', () => {
  const { buffers, native } = createHandoffBuffers(1 << 20);
  try {
    const w = new HandoffWriter(buffers);
    const r = new HandoffReader(buffers);
    const f = new Uint8Array(1000);
    let pushed = 0;
    for (let i = 0; i < 2000; i++) if (w.push(view(f, i), f.length)) pushed++;
    // 1016 bytes a record: 1032 fit in 1 MiB, the rest are dropped and counted.
    expect(pushed).toBe(Math.floor((1 << 20) / 1016));
    expect(w.handed).toBe(pushed);
    expect(w.dropped).toBe(2000 - pushed);
    expect(r.drain(emptyPacket(), () => undefined, 10)).toBe(10);
    expect(w.push(view(f, 0), f.length)).toBe(true);
  } finally {
    native.free();
  }
});

test('a reader on another thread sees every record the capture thread wrote, in order', async () => {
  const { buffers, native } = createHandoffBuffers(1 << 20);
  const n = 50_000;
  // The reader thread checks each record against the same generator and reports how many matched.
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const koffi = require('koffi');
    const { ctl, dataPtr, dataSize, n } = workerData;
    const c = new Int32Array(ctl);
    const bytes = new Uint8Array(koffi.view(dataPtr, dataSize));
    const u32 = new Uint32Array(bytes.buffer);
    let tail = 0, ok = 0, bad = 0;
    while (ok + bad < n) {
      const head = Atomics.load(c, 0) >>> 0;
      if (head === tail) { Atomics.wait(c, 2, 0, 1); continue; }
      while (tail !== head) {
        const at = tail & (dataSize - 1);
        const len = u32[at >> 2];
        if (len === 0xffffffff) { tail = (tail + dataSize - at) >>> 0; continue; }
        const i = ok + bad;
        const want = 14 + ((i * 7919) % 1500);
        let same = len === want;
        for (let j = 0; same && j < len; j++) same = bytes[at + 16 + j] === ((i * 31 + j) & 0xff);
        if (same) ok++; else bad++;
        tail = (tail + ((16 + len + 7) & ~7)) >>> 0;
      }
      Atomics.store(c, 1, tail | 0);
    }
    parentPort.postMessage({ ok, bad });
  `;
  const worker = new Worker(code, { eval: true, workerData: { ctl: buffers.ctl, dataPtr: buffers.dataPtr, dataSize: buffers.dataSize, n } });
  try {
    const result = new Promise<{ ok: number; bad: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const w = new HandoffWriter(buffers);
    let i = 0;
    // The writer never waits: on a full ring it yields to let the reader catch up, then retries the
    // same record, so the test can expect every record to arrive.
    while (i < n) {
      const f = frame(i);
      if (w.push(view(f, i), f.length)) i++;
      else await new Promise((r) => setImmediate(r));
    }
    expect(await result).toEqual({ ok: n, bad: 0 });
  } finally {
    await worker.terminate();
    native.free();
  }
});
