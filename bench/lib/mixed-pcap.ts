/**
 * Writes the offline benchmark's input: a classic pcap file (draft-ietf-opsawg-pcap: 24-byte header,
 * 16-byte record headers, microsecond timestamps, little-endian) of mixed traffic from `frames.ts`.
 * Self-contained on purpose, so the benchmark's input never depends on the writer it measures.
 */
import { closeSync, existsSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { Rng, mixedFrame } from './frames.js';

const CHUNK = 4 << 20;

/** Bumped whenever the mix changes, so a cached file from an older mix is not reused. */
export const MIX_VERSION = 1;

/**
 * Writes `count` mixed frames to `path` (through a temporary name, renamed when complete) and returns
 * the file size. Deterministic for a given `count` and `seed`.
 * @example
 * writeMixedPcap('/tmp/mix.pcap', 1000);
 */
export function writeMixedPcap(path: string, count: number, seed = 0x7c0ffee): number {
  const tmp = `${path}.part`;
  const fd = openSync(tmp, 'w');
  const buf = new Uint8Array(CHUNK);
  const dv = new DataView(buf.buffer);
  let len = 0;
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setInt32(8, 0, true);
  dv.setUint32(12, 0, true);
  dv.setUint32(16, 262144, true);
  dv.setUint32(20, 1, true); // LINKTYPE_ETHERNET
  len = 24;
  const frame = new Uint8Array(2048);
  const rng = new Rng(seed);
  let sec = 1_700_000_000;
  let usec = 0;
  try {
    for (let i = 0; i < count; i++) {
      const n = mixedFrame(frame, rng, i);
      if (len + 16 + n > CHUNK) {
        writeSync(fd, buf, 0, len);
        len = 0;
      }
      usec += 1 + rng.int(40);
      if (usec >= 1_000_000) {
        sec++;
        usec -= 1_000_000;
      }
      dv.setUint32(len, sec, true);
      dv.setUint32(len + 4, usec, true);
      dv.setUint32(len + 8, n, true);
      dv.setUint32(len + 12, n, true);
      buf.set(frame.subarray(0, n), len + 16);
      len += 16 + n;
    }
    if (len > 0) writeSync(fd, buf, 0, len);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return statSync(path).size;
}

/** The cached file's path for `count` packets under `dir`, written when missing. */
export function mixedPcapFile(dir: string, count: number): { path: string; bytes: number; reused: boolean } {
  const path = `${dir}/mixed-v${MIX_VERSION}-${count}.pcap`;
  if (existsSync(path)) return { path, bytes: statSync(path).size, reused: true };
  return { path, bytes: writeMixedPcap(path, count), reused: false };
}
