/**
 * The tcpdump-style printer against tcpdump 4.99 itself, run at test time on every fixture with
 * TZ=UTC: the share of identical lines per fixture and overall is printed, and must reach 90% for
 * `-n` and `-n -e` (and stay above a floor for `-v`). Option formats (-t..., -#, -x/-X/-A, nano)
 * are compared line for line on a few files.
 */
import { describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { compareLines, tcpdumpLines, tscapLines } from './compare.js';
import { fixtureFiles } from './fixtures.js';
import type { PrintOptions } from '../../src/sinks/text.js';

process.env.TZ = 'UTC';

function run(flags: string[], opts: Partial<PrintOptions>, floor: number): void {
  const files = fixtureFiles();
  let total = 0;
  let same = 0;
  const report: string[] = [];
  for (const f of files) {
    const c = compareLines(tscapLines(f, opts), tcpdumpLines(f, flags));
    total += c.total;
    same += c.same;
    report.push(`${basename(f).padEnd(28)} ${((100 * c.same) / Math.max(1, c.total)).toFixed(1).padStart(5)}% (${c.same}/${c.total})`);
  }
  const pct = (100 * same) / total;
  console.log(`tcpdump -n ${flags.join(' ')}: ${pct.toFixed(1)}% identical lines (${same}/${total})\n  ` + report.join('\n  '));
  expect(total).toBeGreaterThan(1000);
  expect(pct).toBeGreaterThanOrEqual(floor);
}

describe('text output against tcpdump -n -r', () => {
  it('-n: at least 90% identical lines over all fixtures', () => run([], {}, 90));
  it('-n -e: at least 90% identical lines', () => run(['-e'], { linkHeader: true }, 90));
  it('-n -v: at least 90% identical lines', () => run(['-v'], { verbose: 1 }, 90));
});

describe('option formats are tcpdump\'s', () => {
  const files = fixtureFiles().filter((f) => /(icmp|dns|http|nano|arp)\.pcap$/.test(f));
  const cases: Array<[string[], Partial<PrintOptions>]> = [
    [['-t'], { timeFormat: 1 }],
    [['-tt'], { timeFormat: 2 }],
    [['-ttt'], { timeFormat: 3 }],
    [['-tttt'], { timeFormat: 4 }],
    [['-ttttt'], { timeFormat: 5 }],
    [['-#'], { number: true }],
    [['-x'], { hex: 1 }],
    [['-xx'], { hex: 2 }],
    [['-X'], { hexAscii: 1 }],
    [['-XX'], { hexAscii: 2 }],
    [['-A'], { ascii: true }],
    [['-q'], { quiet: true }],
    [['--time-stamp-precision', 'nano', '-tt'], { nano: true, timeFormat: 2 }],
    [['--time-stamp-precision', 'nano'], { nano: true }],
  ];
  for (const [flags, opts] of cases) {
    it(`${flags.join(' ')} matches tcpdump line for line`, () => {
      let total = 0;
      let same = 0;
      const bad: string[] = [];
      for (const f of files) {
        const c = compareLines(tscapLines(f, opts), tcpdumpLines(f, flags));
        total += c.total;
        same += c.same;
        for (const d of c.diffs.slice(0, 3)) bad.push(`${basename(f)}\n  ours:   ${d.ours}\n  theirs: ${d.theirs}`);
      }
      if (bad.length) console.log(bad.join('\n'));
      expect(total).toBeGreaterThan(50);
      expect(same / total).toBeGreaterThanOrEqual(0.97);
    });
  }
});

describe('printer details match tcpdump line for line on the crafted print fixtures', () => {
  const dir = fixtureFiles().filter((f) => /(crafted-(print|force|delta-nano)|fixtures\/sll|decode\/(icmp6|sctp))\.pcap$/.test(f));
  const file = (name: string): string => dir.find((f) => f.endsWith(name))!;
  const cases: Array<[string, string[], Partial<PrintOptions>]> = [
    ['crafted-print.pcap', [], {}],
    ['crafted-print.pcap', ['-v'], { verbose: 1 }],
    ['crafted-print.pcap', ['-vv'], { verbose: 2 }],
    ['crafted-print.pcap', ['-vvv'], { verbose: 3 }],
    ['crafted-print.pcap', ['-e'], { linkHeader: true }],
    ['crafted-print.pcap', ['-q'], { quiet: true }],
    ['crafted-print.pcap', ['-S', '-vv'], { absoluteSeq: true, verbose: 2 }],
    ['crafted-force.pcap', [], {}],
    ['crafted-force.pcap', ['-v'], { verbose: 1 }],
    ['crafted-force.pcap', ['-T', 'vxlan', '-vv'], { forceType: 'vxlan', verbose: 2 }],
    ['crafted-force.pcap', ['-T', 'domain', '-vv'], { forceType: 'domain', verbose: 2 }],
    ['crafted-delta-nano.pcap', ['-ttt'], { timeFormat: 3 }],
    ['crafted-delta-nano.pcap', ['-ttttt'], { timeFormat: 5 }],
    ['crafted-delta-nano.pcap', ['--nano', '-ttt'], { timeFormat: 3, nano: true }],
    // live ICMP and ICMPv6 errors: at -v tcpdump ends an ICMPv6 error message without its length
    ['sll.pcap', ['-v'], { verbose: 1 }],
    ['sll.pcap', ['-vv'], { verbose: 2 }],
    // redirect, MLDv1 and the MLDv2 query at -vv (their -v forms)
    ['decode/icmp6.pcap', ['-vv'], { verbose: 2 }],
    // SCTP at -vv: a line per chunk, DATA's payload dumped
    ['decode/sctp.pcap', ['-vv'], { verbose: 2 }],
  ];
  it('has the fixtures', () => expect(dir.length).toBe(6));
  for (const [name, flags, opts] of cases) {
    it(`${name} ${flags.join(' ') || '(no flags)'}`, () => {
      const theirs = tcpdumpLines(file(name), flags);
      expect(theirs.length).toBeGreaterThan(1);
      expect(tscapLines(file(name), opts)).toEqual(theirs);
    });
  }
});
