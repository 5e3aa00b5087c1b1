/**
 * The live form of VLAN filters: on a live Linux socket the kernel strips the outer 802.1Q/802.1ad tag
 * into packet metadata before the filter runs, so libpcap builds programs with ancillary loads
 * (`tcpdump -i VETH -ddd`). Here every Ethernet fixture frame is turned into what that filter would see
 * (outer 0x8100/0x88a8 tag removed, TCI/TPID in FilterAux) and:
 *  - libpcap's live program, run in tscap's VM on that view, selects what tcpdump selects from the file;
 *  - tscap's live program (compileFilter with vlanAncillary) selects the same.
 * Needs root for the network namespace and the veth whose link type tcpdump compiles for.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDecimalProgram } from '../../src/filter/bpf.js';
import type { BpfProgram } from '../../src/filter/bpf.js';
import { compileFilter } from '../../src/filter/compile.js';
import { runFilter } from '../../src/filter/vm.js';
import type { FilterAux } from '../../src/filter/vm.js';
import { fixtureGroups, pool, requireTool, tcpdumpSelect } from './oracle.js';
import type { Selection } from './oracle.js';

/** Expressions whose live program must select what the file program selects. */
const SAME_AS_FILE = [
  'vlan',
  'vlan 42',
  'vlan 100',
  'vlan 0',
  'vlan 42 and udp',
  'vlan 42 and ip6',
  'vlan and arp',
  'vlan and tcp port 80',
  'vlan 100 and vlan 42',
  'vlan 100 and vlan 42 and ip',
  'vlan and vlan',
  'vlan 42 or vlan 100',
  'not vlan',
  'vlan and not vlan 42',
  'vlan and mpls',
  'vlan 300 and pppoes 0x42',
];
/**
 * Expressions where libpcap's live and file programs differ by design: without `vlan` the kernel has
 * already removed the tag, so tagged frames match live (`udp port 53` sees tagged DNS); and libpcap's
 * file form shifts offsets after `vlan` for every later test, its live form only for tagged frames.
 */
const LIVE_DIFFERS = ['ip or vlan and ip', 'udp port 53', 'tcp or icmp6', 'ip and vlan', 'arp or vlan 42'];
const EXPRS = [...SAME_AS_FILE, ...LIVE_DIFFERS];

/** What a classic BPF filter on a live Linux packet socket sees of a frame. */
interface KernelView {
  bytes: Uint8Array;
  wireLen: number;
  aux: FilterAux;
}

function kernelView(data: Uint8Array, wireLen: number): KernelView {
  const tpid = data.length >= 18 ? (data[12]! << 8) | data[13]! : 0;
  // __netif_receive_skb_core untags 802.1Q and 802.1ad only (skb_vlan_untag)
  if (tpid !== 0x8100 && tpid !== 0x88a8) return { bytes: data, wireLen, aux: { vlanPresent: false } };
  const bytes = new Uint8Array(data.length - 4);
  bytes.set(data.subarray(0, 12), 0);
  bytes.set(data.subarray(16), 12);
  return { bytes, wireLen: wireLen - 4, aux: { vlanPresent: true, vlanTci: (data[14]! << 8) | data[15]!, vlanTpid: tpid } };
}

describe('live VLAN programs on kernel-stripped frames select what tcpdump selects from the file', () => {
  const eth = fixtureGroups().find((g) => g.tag === 'eth')!;
  const views = eth.records.map((r) => kernelView(r.data, r.wireLen));
  const suffix = randomBytes(3).toString('hex');
  const ns = `tf${suffix}l`;
  const veth = `tf${suffix}y`;
  const live = new Map<string, BpfProgram>();
  /** libpcap's unoptimized live programs (`tcpdump -O -i IF -ddd`): the semantics without its optimizer. */
  const liveUnoptimized = new Map<string, BpfProgram>();
  const file = new Map<string, Selection>();

  beforeAll(async () => {
    requireTool('tcpdump');
    if (process.getuid?.() !== 0) throw new Error('this test needs root to create a network namespace');
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['-n', ns, 'link', 'add', veth, 'type', 'veth', 'peer', 'name', `${veth}p`]);
    execFileSync('ip', ['-n', ns, 'link', 'set', veth, 'up']);
    for (const expr of EXPRS) {
      const text = execFileSync('ip', ['netns', 'exec', ns, 'tcpdump', '-i', veth, '-ddd', '--', expr], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      live.set(expr, parseDecimalProgram(text));
      const unopt = execFileSync('ip', ['netns', 'exec', ns, 'tcpdump', '-O', '-i', veth, '-ddd', '--', expr], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      liveUnoptimized.set(expr, parseDecimalProgram(unopt));
    }
    await pool(EXPRS, 2, async (expr) => {
      file.set(expr, await tcpdumpSelect(expr, eth));
    });
  }, 120_000);

  afterAll(() => {
    try {
      execFileSync('ip', ['netns', 'del', ns]);
    } catch {
      // already gone
    }
  });

  const select = (prog: BpfProgram): number[] => {
    const out: number[] = [];
    views.forEach((v, i) => {
      if (runFilter(prog, v.bytes, v.wireLen, v.aux) !== 0) out.push(i);
    });
    return out;
  };
  const name = (i: number): string => `${eth.origin[i]!.file}#${eth.origin[i]!.index + 1}`;
  const diff = (got: number[], want: number[]): string => {
    const w = new Set(want);
    const g = new Set(got);
    return `extra [${got.filter((i) => !w.has(i)).slice(0, 6).map(name).join(', ')}] missing [${want.filter((i) => !g.has(i)).slice(0, 6).map(name).join(', ')}]`;
  };

  it.each(SAME_AS_FILE)("libpcap's live program in the VM selects the file selection: %s", (expr) => {
    const want = file.get(expr)!;
    if (!want.ok) throw new Error(`tcpdump refused ${expr}: ${want.error}`);
    const prog = live.get(expr)!;
    expect(prog.some((i) => i.k >>> 0 >= 0xfffff000)).toBe(true); // it does use the ancillary loads
    const got = select(prog);
    if (got.join() !== want.indices.join()) expect.fail(diff(got, want.indices));
  });

  it.each(SAME_AS_FILE)("tscap's live program selects the file selection: %s", (expr) => {
    const want = file.get(expr)!;
    if (!want.ok) throw new Error(`tcpdump refused ${expr}: ${want.error}`);
    const got = select(compileFilter(expr, { linkType: 1, vlanAncillary: true }));
    if (got.join() !== want.indices.join()) expect.fail(diff(got, want.indices));
  });

  // Against libpcap's unoptimized live program: for `ip or vlan and ip` libpcap's optimizer hoists the
  // offset store above the tag-present test and so tests untagged offsets differently from its own
  // unoptimized program; tscap keeps the unoptimized semantics.
  it.each(EXPRS)("tscap's live program selects what libpcap's unoptimized live program selects: %s", (expr) => {
    const want = select(liveUnoptimized.get(expr)!);
    const got = select(compileFilter(expr, { linkType: 1, vlanAncillary: true }));
    if (got.join() !== want.join()) expect.fail(diff(got, want));
  });
});
