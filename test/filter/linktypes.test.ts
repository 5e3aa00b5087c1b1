/**
 * Link types beyond Ethernet, cooked and raw IP (PPP, PPP in HDLC framing, Cisco HDLC, Frame Relay,
 * SLIP, 802.11 plain/radiotap/PPI, ARCNET, MTP2, NFLOG): every golden expression plus a list of
 * primitives libpcap refuses on some of them, compiled by tscap and run over fixtures/linktype-*.pcap,
 * selects what tcpdump selects from the same file at test time, and where tcpdump refuses, tscap
 * refuses with tcpdump's exact message. Prints the agreement per link type (expressions × packets).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, FilterError } from '../../src/filter/compile.js';
import { runFilter } from '../../src/filter/vm.js';
import { fixtureGroups, groupsFor, loadExpressions, pool, tcpdumpSelect, tcpdumpSelectGroups } from './oracle.js';
import type { FixtureGroup, Selection } from './oracle.js';

const TAGS = ['ppp', 'ppphdlc', 'chdlc', 'frelay', 'slip', 'wlan', 'radiotap', 'ppi', 'arcnet', 'arcnetlinux', 'mtp2', 'mtp2phdr', 'nflog'];

/** Primitives that some of these link types refuse (the message must be libpcap's). */
const REFUSALS = String.raw`
vlan
vlan 10 and ip
llc
llc u
ether host 02:00:00:00:00:01
ether src 02:00:00:00:00:01
ether broadcast
ether multicast
type mgt
type data subtype null
subtype beacon
dir fromds
type foo
type mgt subtype foo
subtype foo
dir sideways
type 3
type mgt subtype 3
radio[0] = 1
mpls
pppoes
pppoed
geneve
ip
tcp port 80
arp
link host $01
link src $0a
host $01
wlan addr1 02:00:00:00:00:01
wlan ra 02:00:00:00:00:01
wlan ta 02:00:00:00:00:01
wlan addr4 02:00:00:00:00:01
ip6 protochain 6
protochain 17
inbound
outbound
ifindex 1
broadcast
multicast
ip broadcast
link proto 0x0800
ether proto \ip
iso proto 0x83
decnet host 1.2
lat
`.split('\n').filter((l) => l.trim() !== '');

const groups = fixtureGroups().filter((g) => TAGS.includes(g.tag));
const all = fixtureGroups();
const golden = loadExpressions();
const oracle = new Map<string, Selection>();
const key = (expr: string, g: FixtureGroup): string => `${g.tag}\u0000${expr}`;

beforeAll(async () => {
  expect(groups.map((g) => g.tag).sort()).toEqual([...TAGS].sort());
  // The same tcpdump runs as the golden table (cached on disk), so they are not repeated.
  await pool(golden, 2, async (e) => {
    const sel = await tcpdumpSelectGroups(e.expr, groupsFor(e, all));
    for (const g of groups) {
      const s = sel.get(g.tag);
      if (s) oracle.set(key(e.expr, g), s);
    }
  });
  const jobs = REFUSALS.flatMap((expr) => groups.map((g) => [expr, g] as const));
  await pool(jobs, 2, async ([expr, g]) => {
    oracle.set(key(expr, g), await tcpdumpSelect(expr, g));
  });
}, 600_000);

interface Tally {
  exprs: number;
  refused: number;
  verdicts: number;
  equal: number;
  failures: string[];
}

function check(expr: string, g: FixtureGroup, want: Selection, t: Tally): void {
  t.exprs++;
  let prog;
  try {
    prog = compileFilter(expr, { linkType: g.linkType });
  } catch (err) {
    if (!(err instanceof FilterError)) t.failures.push(`${g.tag} ${expr}: threw ${String(err)}`);
    else if (want.ok) t.failures.push(`${g.tag} ${expr}: tscap refuses (${err.message}), tcpdump accepts`);
    else if (err.message !== want.error) t.failures.push(`${g.tag} ${expr}: tscap "${err.message}", tcpdump "${want.error}"`);
    else t.refused++;
    return;
  }
  if (!want.ok) {
    t.failures.push(`${g.tag} ${expr}: tscap accepts, tcpdump says "${want.error}"`);
    return;
  }
  const w = new Set(want.indices);
  g.records.forEach((r, i) => {
    t.verdicts++;
    if ((runFilter(prog, r.data, r.wireLen) !== 0) === w.has(i)) t.equal++;
    else t.failures.push(`${g.tag} ${expr}: record ${g.origin[i]!.file}#${g.origin[i]!.index + 1} differs`);
  });
}

describe('filters on non-Ethernet link types against libpcap', () => {
  it('agree with tcpdump on every expression, packet and message', () => {
    const table: string[] = [];
    const failures: string[] = [];
    for (const g of groups) {
      const t: Tally = { exprs: 0, refused: 0, verdicts: 0, equal: 0, failures: [] };
      for (const e of golden) {
        const want = oracle.get(key(e.expr, g));
        if (want) check(e.expr, g, want, t);
      }
      for (const expr of REFUSALS) check(expr, g, oracle.get(key(expr, g))!, t);
      const pct = t.verdicts === 0 ? 100 : (100 * t.equal) / t.verdicts;
      table.push(`${g.tag.padEnd(12)} ${String(t.exprs).padStart(4)} expressions (${t.refused} refused alike), ${String(g.records.length).padStart(3)} packets, ${t.equal}/${t.verdicts} verdicts equal (${pct.toFixed(2)}%)`);
      failures.push(...t.failures);
    }
    console.log(`filter agreement with libpcap per link type:\n${table.join('\n')}`);
    expect(failures.slice(0, 40)).toEqual([]);
  });
});
