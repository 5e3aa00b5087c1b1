/**
 * The tcpdump-style printer against tcpdump 4.99 itself, run at test time on every fixture with
 * TZ=UTC: the share of identical lines per fixture and overall is printed, and must reach 99% at
 * `-n`, `-n -e` and `-n -v` (99.2%, 99.3% and 99.5% when last raised; the protocol tests require
 * every line of their own captures). Fifty other captures must print every line as tcpdump does. Option formats (-t..., -#, -x/-X/-A, nano)
 * are compared line for line on a few files.
 */
import { describe, expect, it } from 'vitest';
import { basename, join } from 'node:path';
import { cliPrintOptions, compareLines, levels, tcpdumpLines, tscapLines } from './compare.js';
import { ROOT, fixtureFiles } from './fixtures.js';

process.env.TZ = 'UTC';

function run(flags: string[], floor: number): void {
  const files = fixtureFiles();
  const opts = cliPrintOptions(flags);
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
  it('-n: at least 99% identical lines over all fixtures', () => run([], 99));
  it('-n -e: at least 99% identical lines', () => run(['-e'], 99));
  it('-n -v: at least 99% identical lines', () => run(['-v'], 99));
});

describe('option formats are tcpdump\'s', () => {
  const files = fixtureFiles().filter((f) => /(icmp|dns|http|nano|arp)\.pcap$/.test(f));
  const cases = levels(
    ['-t'], ['-tt'], ['-ttt'], ['-tttt'], ['-ttttt'], ['-#'], ['-x'], ['-xx'], ['-X'], ['-XX'], ['-A'],
    ['-q'], ['--time-stamp-precision', 'nano', '-tt'], ['--time-stamp-precision', 'nano'],
  );
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
  const cases: Array<[string, string[]]> = [
    ['crafted-print.pcap', []],
    ['crafted-print.pcap', ['-v']],
    ['crafted-print.pcap', ['-vv']],
    ['crafted-print.pcap', ['-vvv']],
    ['crafted-print.pcap', ['-e']],
    ['crafted-print.pcap', ['-q']],
    ['crafted-print.pcap', ['-S', '-vv']],
    ['crafted-force.pcap', []],
    ['crafted-force.pcap', ['-v']],
    ['crafted-force.pcap', ['-T', 'vxlan', '-vv']],
    ['crafted-force.pcap', ['-T', 'domain', '-vv']],
    ['crafted-delta-nano.pcap', ['-ttt']],
    ['crafted-delta-nano.pcap', ['-ttttt']],
    ['crafted-delta-nano.pcap', ['--nano', '-ttt']],
    // live ICMP and ICMPv6 errors: at -v tcpdump ends an ICMPv6 error message without its length
    ['sll.pcap', ['-v']],
    ['sll.pcap', ['-vv']],
    // redirect, MLDv1 and the MLDv2 query at -vv (their -v forms)
    ['decode/icmp6.pcap', ['-vv']],
    // SCTP at -vv: a line per chunk, DATA's payload dumped
    ['decode/sctp.pcap', ['-vv']],
  ];
  it('has the fixtures', () => expect(dir.length).toBe(6));
  for (const [name, flags] of cases) {
    it(`${name} ${flags.join(' ') || '(no flags)'}`, () => {
      const theirs = tcpdumpLines(file(name), flags);
      expect(theirs.length).toBeGreaterThan(1);
      expect(tscapLines(file(name), cliPrintOptions(flags))).toEqual(theirs);
    });
  }
});

/**
 * Captures outside the protocol tests' own (fixtures/proto, fixtures/real and fixtures/links have
 * theirs) that print every line as tcpdump does: a change that breaks one line fails here.
 */
const EXACT = [
  'arp.pcap',
  'crafted-decnet.pcap',
  'crafted-delta-nano.pcap',
  'crafted-force.pcap',
  'crafted-print.pcap',
  'crafted-protochain.pcap',
  'dns.pcap',
  'esp.pcap',
  'fragments.pcap',
  'http.pcap',
  'icmp.pcap',
  'icmp6.pcap',
  'iperf-tcp.pcap',
  'iperf-tcp6.pcap',
  'iperf-udp.pcap',
  'linktype-ieee80211.pcap',
  'linktype-ipv4.pcap',
  'linktype-ipv6.pcap',
  'linktype-loop.pcap',
  'linktype-mtp2-phdr.pcap',
  'linktype-mtp2.pcap',
  'linktype-null.pcap',
  'linktype-ppi.pcap',
  'linktype-raw.pcap',
  'mixed.pcap',
  'multicast.pcap',
  'sll.pcap',
  'sll2.pcap',
  'vlan.pcap',
  'decode/dhcp.pcap',
  'decode/gre.pcap',
  'decode/ipv4.pcap',
  'decode/ipv4lt.pcap',
  'decode/ipv6lt.pcap',
  'decode/live-any-sll.pcap',
  'decode/live-any-sll2.pcap',
  'decode/live-lo.pcap',
  'decode/live-veth.pcap',
  'decode/llc.pcap',
  'decode/loop.pcap',
  'decode/mpls.pcap',
  'decode/nano.pcap',
  'decode/ntp.pcap',
  'decode/null.pcap',
  'decode/pppoe.pcap',
  'decode/raw.pcap',
  'decode/sctp.pcap',
  'decode/sll2.pcap',
  'decode/tcp.pcap',
  'decode/vlan.pcap',
];

describe('captures printed exactly as tcpdump prints them', () => {
  const L = levels([], ['-v'], ['-e'], ['-x']);
  for (const name of EXACT) {
    it(`${name}: every line at -n, -v, -e, -x`, () => {
      const f = join(ROOT, 'fixtures', name);
      for (const [flags, opts] of L) {
        const c = compareLines(tscapLines(f, opts), tcpdumpLines(f, flags));
        expect(c.diffs.slice(0, 3), `${name} -n ${flags.join(' ')}`).toEqual([]);
        expect(c.same).toBe(c.total);
      }
    });
  }
});
