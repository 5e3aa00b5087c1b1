/**
 * Real traffic, not crafted: the captures of fixtures/real/ were recorded by tcpdump while daemons in
 * namespaces of their own talked (FRR's routing protocols, lldpd's discovery protocols; see
 * scripts/real-routing.sh and scripts/real-lan.sh). Every printed line is compared with tcpdump 4.99's
 * at -n, -n -v, -n -vv and -n -e, at test time: every line must be identical.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareLines, levels, tcpdumpLines, tscapLines } from './compare.js';
import { ROOT } from './fixtures.js';

process.env.TZ = 'UTC';
const DIR = join(ROOT, 'fixtures', 'real');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.pcap')).sort();

const LEVELS = levels([], ['-v'], ['-vv'], ['-e']);

describe('real captures: text equals tcpdump\'s', () => {
  it('has real captures to compare', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(2);
  });
  for (const file of FILES) {
    it(`${file}: every line at -n, -v, -vv, -e`, () => {
      const path = join(DIR, file);
      const report: string[] = [];
      const different: string[] = [];
      for (const [flags, opts] of LEVELS) {
        const c = compareLines(tscapLines(path, opts), tcpdumpLines(path, flags));
        expect(c.total).toBeGreaterThan(50);
        report.push(`-n ${flags.join(' ')}: ${c.same}/${c.total}`);
        for (const d of c.diffs) different.push(`-n ${flags.join(' ')}\n  tcpdump: ${d.theirs}\n  tscap:   ${d.ours}`);
      }
      console.log(`${file}: ${report.join(', ')}`);
      expect(different.slice(0, 5)).toEqual([]);
    }, 300_000);
  }
});
