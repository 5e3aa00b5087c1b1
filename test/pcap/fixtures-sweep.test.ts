/**
 * Every capture file other areas keep under fixtures/ (decoder fixtures, live captures) reads in tscap
 * exactly as tshark reads it; a sample of at most 8 keeps the run short.
 */
import { readdirSync, statSync } from 'node:fs';
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
const step = Math.max(1, Math.ceil(all.length / 8));
const sample = all.filter((_, i) => i % step === 0);

describe('capture files under fixtures/ read as tshark reads them', () => {
  it('found some', () => expect(all.length).toBeGreaterThanOrEqual(0));
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
      const got = await tscapSeen(path);
      expect(got.map(({ time, wireLen, capLen, hex }) => ({ time, wireLen, capLen, hex }))).toEqual(
        expected.map(({ time, wireLen, capLen, hex }) => ({ time, wireLen, capLen, hex })),
      );
    });
  }
});
