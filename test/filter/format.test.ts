/**
 * formatProgram against libpcap: for each expression, tcpdump's `-ddd` program is parsed and printed
 * by formatProgram in all three forms, and must equal tcpdump's own `-d`, `-dd` and `-ddd` output byte
 * for byte. Programs with Linux ancillary loads come from `tcpdump -i VETH -d` on a veth in a network
 * namespace made for the test.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BPF, insn, parseDecimalProgram } from '../../src/filter/bpf.js';
import { formatInstruction, formatProgram } from '../../src/filter/format.js';
import { fixtureGroups, loadExpressions, pool, requireTool, tcpdumpListing } from './oracle.js';
import type { Listing } from './oracle.js';

const groups = fixtureGroups();
const eth = groups.find((g) => g.tag === 'eth')!;
const exprs = loadExpressions()
  .filter((_, i) => i % 3 === 0)
  .map((e) => e.expr);
const offline = new Map<string, [Listing, Listing, Listing]>();

beforeAll(async () => {
  await pool(exprs, 2, async (expr) => {
    const d = await tcpdumpListing(expr, eth, 'd');
    if (!d.ok) return;
    offline.set(expr, [d, await tcpdumpListing(expr, eth, 'dd'), await tcpdumpListing(expr, eth, 'ddd')]);
  });
}, 120_000);

describe('formatProgram matches tcpdump -d/-dd/-ddd on files', () => {
  it('covers enough programs', () => {
    expect(offline.size).toBeGreaterThan(100);
  });
  it.each(exprs)('%s', (expr) => {
    const r = offline.get(expr);
    if (!r) return; // tcpdump refuses this one on Ethernet: nothing to print
    const [d, dd, ddd] = r.map((l) => (l.ok ? l.text : `error: ${l.error}`)) as [string, string, string];
    const prog = parseDecimalProgram(ddd);
    expect(formatProgram(prog, 'd')).toBe(d);
    expect(formatProgram(prog, 'dd')).toBe(dd);
    expect(formatProgram(prog, 'ddd')).toBe(ddd);
  });
});

const LIVE_EXPRS = [
  'vlan',
  'vlan 42',
  'vlan 42 and udp',
  'vlan and vlan 100',
  'vlan 100 and vlan 42 and ip',
  'not vlan',
  'inbound',
  'outbound',
  'ifindex 2',
  'vlan and mpls 16',
  'vlan and pppoes 7',
  'tcp port 80 or vlan',
];

describe('formatProgram matches tcpdump -d on a live interface (ancillary loads)', () => {
  const suffix = randomBytes(3).toString('hex');
  const ns = `tf${suffix}f`;
  const veth = `tf${suffix}x`;
  const live = new Map<string, [string, string, string]>();
  const inNs = (args: string[]): string =>
    execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(() => {
    requireTool('tcpdump');
    if (process.getuid?.() !== 0) throw new Error('this test needs root to create a network namespace');
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['-n', ns, 'link', 'add', veth, 'type', 'veth', 'peer', 'name', `${veth}p`]);
    execFileSync('ip', ['-n', ns, 'link', 'set', veth, 'up']);
    execFileSync('ip', ['-n', ns, 'link', 'set', `${veth}p`, 'up']);
    for (const expr of LIVE_EXPRS) {
      live.set(expr, [
        inNs(['tcpdump', '-i', veth, '-d', '--', expr]),
        inNs(['tcpdump', '-i', veth, '-dd', '--', expr]),
        inNs(['tcpdump', '-i', veth, '-ddd', '--', expr]),
      ]);
    }
  });
  afterAll(() => {
    try {
      execFileSync('ip', ['netns', 'del', ns]);
    } catch {
      // already gone
    }
  });

  it.each(LIVE_EXPRS)('%s', (expr) => {
    const [d, dd, ddd] = live.get(expr)!;
    const prog = parseDecimalProgram(ddd);
    expect(formatProgram(prog, 'd')).toBe(d);
    expect(formatProgram(prog, 'dd')).toBe(dd);
    expect(formatProgram(prog, 'ddd')).toBe(ddd);
  });

  it('live programs use the ancillary loads', () => {
    expect(live.get('vlan 42')![0]).toContain('[vlanp]');
    expect(live.get('inbound')![0]).toContain('[type]');
  });
});

describe('formatInstruction on instructions libpcap does not emit', () => {
  // Expected strings follow libpcap's bpf_image format strings (printf %d / 0x%x, %-8s, %-16s).
  it('prints the remaining ancillary names and raw negative offsets', () => {
    expect(formatInstruction(insn(BPF.LD | BPF.W | BPF.ABS, 0xfffff000 + 28), 0)).toBe('(000) ld       [hatype]');
    expect(formatInstruction(insn(BPF.LD | BPF.H | BPF.ABS, 0xfffff000 + 0), 1)).toBe('(001) ldh      [proto]');
    expect(formatInstruction(insn(BPF.LD | BPF.W | BPF.ABS, 0xfffff000 + 2), 2)).toBe('(002) ld       [-4094]');
    expect(formatInstruction(insn(BPF.LD | BPF.B | BPF.ABS, 0xffe00000), 3)).toBe('(003) ldb      [-2097152]');
  });
  it('prints unknown opcodes as unimp', () => {
    expect(formatInstruction({ code: 0xff, jt: 0, jf: 0, k: 0 }, 7)).toBe('(007) unimp    0xff');
  });
  it('prints jumps with absolute targets and a tab before jf', () => {
    expect(formatInstruction(insn(BPF.JMP | BPF.JGE | BPF.X, 0, 2, 0), 10)).toBe('(010) jge      x                jt 13\tjf 11');
    expect(formatInstruction(insn(BPF.JMP | BPF.JA, 5), 4)).toBe('(004) ja       10');
  });
  it('prints ALU constants in decimal or hex as libpcap does', () => {
    expect(formatInstruction(insn(BPF.ALU | BPF.ADD | BPF.K, 0xffffffff), 0)).toBe('(000) add      #-1');
    expect(formatInstruction(insn(BPF.ALU | BPF.XOR | BPF.K, 0xffffffff), 0)).toBe('(000) xor      #0xffffffff');
    expect(formatInstruction(insn(BPF.ALU | BPF.LSH | BPF.X), 0)).toBe('(000) lsh      x');
  });
});
