/**
 * Every capture file other areas keep under fixtures/ (decoder fixtures, live captures) reads in tscap
 * exactly as tshark reads it; a sample of at most 8 keeps the run short.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PcapFormatError } from '../../src/pcap/errors.js';
import { tsharkSeen, tscapSeen } from './oracle.js';

const root = join(import.meta.dirname, '../../fixtures');

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (n !== 'pcap') out.push(...captures(p)); // fixtures/pcap has its own tests
    } else if (/\.(pcap|pcapng|cap)$/.test(n) && st.size < 4 << 20) out.push(p);
  }
  return out.sort();
}

const all = captures(root);

/**
 * Bytes of pseudo-header tshark's file reader takes off the front of each record of a classic pcap
 * file of this link type (it shows them as metadata, not frame bytes, and counts the lengths
 * without them): MTP2 with its 4-byte pseudo-header (LINKTYPE_MTP2_WITH_PHDR, 139). tscap, like
 * libpcap, hands the record as stored. 0 for every other file.
 */
function tsharkStrips(path: string): number {
  const h = readFileSync(path).subarray(0, 24);
  if (h.length < 24) return 0;
  const magic = h.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const be = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  if (!le && !be) return 0;
  const linkType = (le ? h.readUInt32LE(20) : h.readUInt32BE(20)) & 0xffff;
  return linkType === 139 ? 4 : 0;
}
const step = Math.max(1, Math.ceil(all.length / 8));
const sample = all.filter((_, i) => i % step === 0);

describe('capture files under fixtures/ read as tshark reads them', () => {
  it('found some', () => expect(all.length).toBeGreaterThan(8));
  for (const path of sample) {
    it(relative(root, path), async () => {
      let expected;
      try {
        expected = tsharkSeen(path);
      } catch {
        // tshark rejects the file: tscap must reject it too, with a format error.
        await expect(tscapSeen(path)).rejects.toBeInstanceOf(PcapFormatError);
        return;
      }
      const cut = tsharkStrips(path);
      const got = (await tscapSeen(path)).map((r) => (cut === 0 ? r : { ...r, wireLen: r.wireLen - cut, capLen: r.capLen - cut, hex: r.hex.slice(2 * cut) }));
      expect(got.map(({ time, wireLen, capLen, hex }) => ({ time, wireLen, capLen, hex }))).toEqual(
        expected.map(({ time, wireLen, capLen, hex }) => ({ time, wireLen, capLen, hex })),
      );
    });
  }
});
