/**
 * The Linux kernel accepts every program tscap compiles for the golden table (file and live forms,
 * optimized and not), and the validator agrees with the kernel on libpcap's programs and on programs
 * built to break each rule of the kernel's checker. The attach runs in one python3 subprocess
 * (test/filter/kernel-attach.py) reading all programs as JSON: SO_ATTACH_FILTER on an AF_PACKET socket.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BPF, insn, parseDecimalProgram, SKF_AD } from '../../src/filter/bpf.js';
import type { BpfProgram } from '../../src/filter/bpf.js';
import { compileFilter } from '../../src/filter/compile.js';
import { validateProgram } from '../../src/filter/validate.js';
import { fixtureGroups, groupsFor, loadExpressions, pool, requireTool, tcpdumpListing } from './oracle.js';

const SCRIPT = fileURLToPath(new URL('./kernel-attach.py', import.meta.url));

/** Attaches every program in one subprocess; 0 = accepted, else the errno. */
function kernelVerdicts(progs: readonly BpfProgram[]): number[] {
  requireTool('python3');
  if (process.getuid?.() !== 0) throw new Error('SO_ATTACH_FILTER on an AF_PACKET socket needs root');
  const input = JSON.stringify(progs.map((p) => p.map((i) => [i.code, i.jt, i.jf, i.k >>> 0])));
  const out = execFileSync('python3', [SCRIPT], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  const verdicts = JSON.parse(out) as number[];
  if (verdicts.length !== progs.length) throw new Error('kernel-attach.py returned the wrong number of verdicts');
  return verdicts;
}

const groups = fixtureGroups();
const exprs = loadExpressions();

describe('kernel accepts every compiled golden program', () => {
  const programs = new Map<string, { prog: BpfProgram; where: string }>();
  let verdicts: number[] = [];

  beforeAll(() => {
    const add = (prog: BpfProgram, where: string): void => {
      const key = JSON.stringify(prog);
      if (!programs.has(key)) programs.set(key, { prog, where });
    };
    for (const e of exprs) {
      for (const g of groupsFor(e, groups)) {
        for (const optimize of [true, false]) {
          try {
            add(compileFilter(e.expr, { linkType: g.linkType, optimize }), `${e.line} ${g.tag}${optimize ? '' : ' -O'}: ${e.expr}`);
          } catch {
            // refused expressions are the golden test's business
          }
        }
        if (g.tag === 'eth') {
          try {
            add(compileFilter(e.expr, { linkType: g.linkType, vlanAncillary: true }), `${e.line} live: ${e.expr}`);
          } catch {
            // as above
          }
        }
      }
    }
    verdicts = kernelVerdicts([...programs.values()].map((p) => p.prog));
  }, 600_000); // compiles the whole golden table: minutes on a loaded machine

  it('compiled a program for most of the table', () => {
    expect(programs.size).toBeGreaterThan(exprs.length);
  });

  it('attaches every program the validator accepts, and the validator accepts them all', () => {
    const failures: string[] = [];
    [...programs.values()].forEach(({ prog, where }, i) => {
      const problem = validateProgram(prog);
      const errno = verdicts[i];
      if (problem !== undefined) failures.push(`${where}: validator: ${problem}`);
      if (errno !== 0) failures.push(`${where}: kernel refused with errno ${errno}`);
    });
    expect(failures).toEqual([]);
  });
});

describe('validator agrees with the kernel', () => {
  const ret = insn(BPF.RET | BPF.K, 0xffff);
  const hand: [string, BpfProgram][] = [
    ['minimal', [ret]],
    ['empty', []],
    ['4096 instructions', [...Array.from({ length: 4095 }, () => insn(BPF.LD | BPF.IMM, 1)), ret]],
    ['4097 instructions', [...Array.from({ length: 4096 }, () => insn(BPF.LD | BPF.IMM, 1)), ret]],
    ['no final ret', [insn(BPF.LD | BPF.IMM, 1)]],
    ['final ret A', [insn(BPF.RET | BPF.A)]],
    ['ret X (not an opcode)', [{ code: BPF.RET | 0x08, jt: 0, jf: 0, k: 0 }]],
    ['unknown opcode 0xff', [{ code: 0xff, jt: 0, jf: 0, k: 0 }, ret]],
    ['LD IMM with size H', [{ code: BPF.LD | BPF.H | BPF.IMM, jt: 0, jf: 0, k: 0 }, ret]],
    ['div by constant 0', [insn(BPF.ALU | BPF.DIV | BPF.K, 0), ret]],
    ['mod by constant 0', [insn(BPF.ALU | BPF.MOD | BPF.K, 0), ret]],
    ['div by constant 1', [insn(BPF.ALU | BPF.DIV | BPF.K, 1), ret]],
    ['div by X', [insn(BPF.ALU | BPF.DIV | BPF.X), ret]],
    ['lsh 31', [insn(BPF.ALU | BPF.LSH | BPF.K, 31), ret]],
    ['lsh 32', [insn(BPF.ALU | BPF.LSH | BPF.K, 32), ret]],
    ['rsh 40', [insn(BPF.ALU | BPF.RSH | BPF.K, 40), ret]],
    ['st M[15]', [insn(BPF.ST, 15), ret]],
    ['st M[16]', [insn(BPF.ST, 16), ret]],
    ['ldx M[16]', [insn(BPF.ST, 0), insn(BPF.LDX | BPF.MEM, 16), ret]],
    ['load before store', [insn(BPF.LD | BPF.MEM, 3), ret]],
    ['load after store', [insn(BPF.ST, 3), insn(BPF.LD | BPF.MEM, 3), ret]],
    [
      'store on one path only',
      [insn(BPF.JMP | BPF.JEQ | BPF.K, 0, 0, 1), insn(BPF.ST, 2), insn(BPF.LD | BPF.MEM, 2), ret],
    ],
    [
      'store on both paths',
      [insn(BPF.ST, 2), insn(BPF.JMP | BPF.JEQ | BPF.K, 0, 0, 1), insn(BPF.ST, 3), insn(BPF.LD | BPF.MEM, 2), ret],
    ],
    ['jump to the end', [insn(BPF.JMP | BPF.JEQ | BPF.K, 0, 0, 1), ret]],
    ['jump past the end', [insn(BPF.JMP | BPF.JEQ | BPF.K, 0, 0, 2), ret, ret]],
    ['ja in range', [insn(BPF.JMP | BPF.JA, 1), ret, ret]],
    ['ja past the end', [insn(BPF.JMP | BPF.JA, 2), ret, ret]],
    ['ja backwards', [ret, insn(BPF.JMP | BPF.JA, 0xfffffffe), ret]],
    ['vlan tag present', [insn(BPF.LD | BPF.B | BPF.ABS, SKF_AD.OFF + SKF_AD.VLAN_TAG_PRESENT), ret]],
    ['vlan tpid (word)', [insn(BPF.LD | BPF.W | BPF.ABS, SKF_AD.OFF + SKF_AD.VLAN_TPID), ret]],
    ['random', [insn(BPF.LD | BPF.H | BPF.ABS, SKF_AD.OFF + SKF_AD.RANDOM), ret]],
    ['unknown ancillary 64', [insn(BPF.LD | BPF.W | BPF.ABS, SKF_AD.OFF + 64), ret]],
    ['unknown ancillary 2', [insn(BPF.LD | BPF.W | BPF.ABS, SKF_AD.OFF + 2), ret]],
    ['ll offset load', [insn(BPF.LD | BPF.B | BPF.ABS, 0xffe00000), ret]],
    ['indirect at ancillary offset', [insn(BPF.LD | BPF.B | BPF.IND, SKF_AD.OFF + 200), ret]],
    ['msh', [insn(BPF.LDX | BPF.B | BPF.MSH, 14), ret]],
    ['ldx len', [insn(BPF.LDX | BPF.W | BPF.LEN), ret]],
    ['ldx msh with size W (not an opcode)', [{ code: BPF.LDX | BPF.W | BPF.MSH, jt: 0, jf: 0, k: 14 }, ret]],
    ['neg', [insn(BPF.ALU | BPF.NEG), ret]],
    ['neg with X bit (not an opcode)', [{ code: BPF.ALU | BPF.NEG | BPF.X, jt: 0, jf: 0, k: 0 }, ret]],
    ['tax txa', [insn(BPF.MISC | BPF.TAX), insn(BPF.MISC | BPF.TXA), ret]],
  ];
  const libpcap: [string, BpfProgram][] = [];
  let verdicts: number[] = [];

  beforeAll(async () => {
    const eth = groups.find((g) => g.tag === 'eth')!;
    const some = exprs.filter((_, i) => i % 5 === 0).map((e) => e.expr);
    some.push('ip6 protochain 6', 'protochain 17', 'ip6 protochain 60');
    await pool(some, 2, async (expr) => {
      const l = await tcpdumpListing(expr, eth, 'ddd');
      if (l.ok) libpcap.push([`libpcap: ${expr}`, parseDecimalProgram(l.text)]);
    });
    verdicts = kernelVerdicts([...hand, ...libpcap].map(([, p]) => p));
  }, 120_000);

  it('accepts exactly what the kernel accepts', () => {
    const mismatches: string[] = [];
    [...hand, ...libpcap].forEach(([name, prog], i) => {
      const problem = validateProgram(prog);
      const kernelOk = verdicts[i] === 0;
      if (kernelOk !== (problem === undefined)) {
        mismatches.push(`${name}: kernel ${kernelOk ? 'accepts' : `refuses (errno ${verdicts[i]})`}, validator ${problem ?? 'accepts'}`);
      }
    });
    expect(mismatches).toEqual([]);
    expect(libpcap.length).toBeGreaterThan(50);
  });
});
