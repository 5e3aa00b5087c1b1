/**
 * VM semantics checked by hand against the kernel's rules (net/core/filter.c, linux/filter.h): each
 * program is tiny and its expected result is computed in the comment beside it. Both the interpreter
 * and the compiled function run every case.
 */
import { describe, expect, it } from 'vitest';
import { BPF, insn, SKF_AD } from '../../src/filter/bpf.js';
import type { BpfProgram } from '../../src/filter/bpf.js';
import { compileFilterFunction, runFilter, runFilterAt, SKF_LL_OFF } from '../../src/filter/vm.js';
import type { FilterAux } from '../../src/filter/vm.js';

const retA = insn(BPF.RET | BPF.A);
const pkt = Uint8Array.from([0x45, 0x00, 0x01, 0x02, 0xff, 0x80, 0x12, 0x34, 0x56, 0x78]);

/** Runs both forms and checks they agree. */
function run(prog: BpfProgram, bytes: Uint8Array = pkt, wireLen = bytes.length, aux?: FilterAux): number {
  const a = runFilter(prog, bytes, wireLen, aux);
  const b = compileFilterFunction(prog)(bytes, 0, bytes.length, wireLen, aux);
  expect(b).toBe(a);
  return a;
}

describe('loads', () => {
  it('reads big-endian words, halves and bytes', () => {
    expect(run([insn(BPF.LD | BPF.W | BPF.ABS, 6), retA])).toBe(0x12345678);
    expect(run([insn(BPF.LD | BPF.H | BPF.ABS, 4), retA])).toBe(0xff80);
    expect(run([insn(BPF.LD | BPF.B | BPF.ABS, 9), retA])).toBe(0x78);
  });
  it('drops on any load past the captured bytes', () => {
    expect(run([insn(BPF.LD | BPF.W | BPF.ABS, 7), retA])).toBe(0); // bytes 7..10, only 0..9 exist
    expect(run([insn(BPF.LD | BPF.B | BPF.ABS, 10), insn(BPF.RET | BPF.K, 1)])).toBe(0);
    expect(run([insn(BPF.LDX | BPF.IMM, 8), insn(BPF.LD | BPF.H | BPF.IND, 1), retA])).toBe(0); // 9..10
    expect(run([insn(BPF.LDX | BPF.IMM, 8), insn(BPF.LD | BPF.H | BPF.IND, 0), retA])).toBe(0x5678);
  });
  it('uses the wire length for LEN, not the captured length', () => {
    expect(run([insn(BPF.LD | BPF.W | BPF.LEN), retA], pkt, 1500)).toBe(1500);
    expect(run([insn(BPF.LDX | BPF.W | BPF.LEN), insn(BPF.MISC | BPF.TXA), retA], pkt, 60)).toBe(60);
  });
  it('computes 4*(P[k]&0xf) for MSH', () => {
    expect(run([insn(BPF.LDX | BPF.B | BPF.MSH, 0), insn(BPF.MISC | BPF.TXA), retA])).toBe(20); // 0x45 -> 5*4
    expect(run([insn(BPF.LDX | BPF.B | BPF.MSH, 10), insn(BPF.RET | BPF.K, 1)])).toBe(0);
  });
  it('reads link-layer relative offsets (SKF_LL_OFF) from the frame start', () => {
    expect(run([insn(BPF.LD | BPF.B | BPF.ABS, SKF_LL_OFF + 4), retA])).toBe(0xff);
  });
  it('respects the frame offset of runFilterAt', () => {
    const buf = new Uint8Array(20);
    buf.set(pkt, 7);
    expect(runFilterAt([insn(BPF.LD | BPF.H | BPF.ABS, 2), retA], buf, 7, pkt.length, 100)).toBe(0x0102);
    expect(runFilterAt([insn(BPF.LD | BPF.B | BPF.ABS, 10), retA], buf, 7, pkt.length, 100)).toBe(0);
  });
});

describe('ALU', () => {
  const alu = (op: number, a: number, k: number): number =>
    run([insn(BPF.LD | BPF.IMM, a), insn(BPF.ALU | op | BPF.K, k), retA]);
  const aluX = (op: number, a: number, x: number): number =>
    run([insn(BPF.LDX | BPF.IMM, x), insn(BPF.LD | BPF.IMM, a), insn(BPF.ALU | op | BPF.X), retA]);
  it('wraps to 32 bits unsigned', () => {
    expect(alu(BPF.ADD, 0xffffffff, 2)).toBe(1);
    expect(alu(BPF.SUB, 1, 2)).toBe(0xffffffff);
    expect(alu(BPF.MUL, 0x10000, 0x10001)).toBe(0x10000); // 0x100010000 mod 2^32
    expect(run([insn(BPF.LD | BPF.IMM, 5), insn(BPF.ALU | BPF.NEG), retA])).toBe(0xfffffffb);
  });
  it('divides and takes remainders unsigned', () => {
    expect(alu(BPF.DIV, 0xfffffffe, 2)).toBe(0x7fffffff);
    expect(alu(BPF.MOD, 0xffffffff, 10)).toBe(5); // 4294967295 = 429496729*10 + 5
    expect(aluX(BPF.DIV, 100, 7)).toBe(14);
    expect(aluX(BPF.MOD, 100, 7)).toBe(2);
  });
  it('ends the program with 0 on division or modulo by a zero X', () => {
    expect(aluX(BPF.DIV, 100, 0)).toBe(0);
    expect(run([insn(BPF.LD | BPF.IMM, 1), insn(BPF.ALU | BPF.MOD | BPF.X), insn(BPF.RET | BPF.K, 9)])).toBe(0);
  });
  it('does bitwise operations and shifts with the count taken mod 32', () => {
    expect(alu(BPF.AND, 0xf0f0, 0xff00)).toBe(0xf000);
    expect(alu(BPF.OR, 0xf0f0, 0x0f00)).toBe(0xfff0);
    expect(alu(BPF.XOR, 0xffffffff, 0xffff)).toBe(0xffff0000);
    expect(alu(BPF.LSH, 1, 31)).toBe(0x80000000);
    expect(alu(BPF.RSH, 0x80000000, 31)).toBe(1);
    expect(aluX(BPF.LSH, 3, 33)).toBe(6); // 33 & 31 = 1
    expect(aluX(BPF.RSH, 8, 35)).toBe(1); // 35 & 31 = 3
  });
});

describe('jumps, scratch memory and returns', () => {
  const cond = (op: number, a: number, k: number): number =>
    run([insn(BPF.LD | BPF.IMM, a), insn(BPF.JMP | op | BPF.K, k, 0, 1), insn(BPF.RET | BPF.K, 1), insn(BPF.RET | BPF.K, 2)]);
  it('compares unsigned', () => {
    expect(cond(BPF.JEQ, 5, 5)).toBe(1);
    expect(cond(BPF.JEQ, 5, 6)).toBe(2);
    expect(cond(BPF.JGT, 0x80000000, 1)).toBe(1);
    expect(cond(BPF.JGE, 7, 7)).toBe(1);
    expect(cond(BPF.JGE, 6, 7)).toBe(2);
    expect(cond(BPF.JSET, 6, 1)).toBe(2);
    expect(cond(BPF.JSET, 6, 2)).toBe(1);
  });
  it('compares against X', () => {
    const prog = [insn(BPF.LDX | BPF.IMM, 9), insn(BPF.LD | BPF.IMM, 10), insn(BPF.JMP | BPF.JGT | BPF.X, 0, 0, 1), insn(BPF.RET | BPF.K, 1), insn(BPF.RET | BPF.K, 2)];
    expect(run(prog)).toBe(1);
  });
  it('jumps unconditionally by k', () => {
    expect(run([insn(BPF.JMP | BPF.JA, 1), insn(BPF.RET | BPF.K, 1), insn(BPF.RET | BPF.K, 2)])).toBe(2);
  });
  it('stores and loads the 16 scratch words', () => {
    const prog = [
      insn(BPF.LD | BPF.IMM, 7), insn(BPF.ST, 15),
      insn(BPF.LDX | BPF.IMM, 9), insn(BPF.STX, 0),
      insn(BPF.LD | BPF.MEM, 0), insn(BPF.LDX | BPF.MEM, 15),
      insn(BPF.ALU | BPF.SUB | BPF.X), retA,
    ];
    expect(run(prog)).toBe(2); // 9 - 7
  });
  it('returns the snap length given by K or A', () => {
    expect(run([insn(BPF.RET | BPF.K, 0xffffffff)])).toBe(0xffffffff);
    expect(run([insn(BPF.LD | BPF.IMM, 96), retA])).toBe(96);
  });
  it('drops when a program runs off its end or uses an unknown opcode', () => {
    expect(run([insn(BPF.LD | BPF.IMM, 1)])).toBe(0);
    expect(run([{ code: 0xff, jt: 0, jf: 0, k: 0 }, insn(BPF.RET | BPF.K, 1)])).toBe(0);
  });
  it('runs backward jumps like libpcap but within a budget', () => {
    // A counts down from 3 and leaves the loop when it reaches 0
    const loop = [
      insn(BPF.LD | BPF.IMM, 3),
      insn(BPF.JMP | BPF.JEQ | BPF.K, 0, 2, 0),
      insn(BPF.ALU | BPF.SUB | BPF.K, 1),
      insn(BPF.JMP | BPF.JA, 0xfffffffd), // back to 1
      insn(BPF.RET | BPF.K, 42),
    ];
    expect(run(loop)).toBe(42);
    const forever = [insn(BPF.LD | BPF.IMM, 1), insn(BPF.JMP | BPF.JA, 0xffffffff), insn(BPF.RET | BPF.K, 1)];
    expect(run(forever)).toBe(0);
  });
});

describe('ancillary loads', () => {
  const anc = (n: number, aux?: FilterAux, size: number = BPF.W): number =>
    run([insn(BPF.LD | size | BPF.ABS, SKF_AD.OFF + n), retA], pkt, pkt.length, aux);
  it('reads packet metadata at SKF_AD_OFF + n, whatever the load size', () => {
    const aux: FilterAux = { protocol: 0x86dd, pktType: 4, ifindex: 7, hatype: 1, vlanTci: 0xa02a, vlanPresent: true, vlanTpid: 0x88a8, mark: 5, queue: 3, rxhash: 0xdeadbeef, cpu: 1 };
    expect(anc(SKF_AD.PROTOCOL, aux, BPF.H)).toBe(0x86dd);
    expect(anc(SKF_AD.PKTTYPE, aux, BPF.B)).toBe(4);
    expect(anc(SKF_AD.IFINDEX, aux)).toBe(7);
    expect(anc(SKF_AD.HATYPE, aux)).toBe(1);
    expect(anc(SKF_AD.VLAN_TAG, aux, BPF.B)).toBe(0xa02a);
    expect(anc(SKF_AD.VLAN_TAG_PRESENT, aux, BPF.B)).toBe(1);
    expect(anc(SKF_AD.VLAN_TPID, aux)).toBe(0x88a8);
    expect(anc(SKF_AD.MARK, aux)).toBe(5);
    expect(anc(SKF_AD.QUEUE, aux)).toBe(3);
    expect(anc(SKF_AD.RXHASH, aux)).toBe(0xdeadbeef);
    expect(anc(SKF_AD.CPU, aux)).toBe(1);
    expect(anc(SKF_AD.RANDOM, { random: () => 0.5 })).toBe(0x80000000);
  });
  it('reads absent metadata as 0 and unknown offsets as a drop', () => {
    expect(anc(SKF_AD.VLAN_TAG_PRESENT)).toBe(0);
    expect(run([insn(BPF.LD | BPF.W | BPF.ABS, SKF_AD.OFF + 2), insn(BPF.RET | BPF.K, 1)])).toBe(0);
  });
  it('xors A with X for SKF_AD_ALU_XOR_X', () => {
    expect(run([insn(BPF.LDX | BPF.IMM, 0xff), insn(BPF.LD | BPF.IMM, 0x0f), insn(BPF.LD | BPF.W | BPF.ABS, SKF_AD.OFF + SKF_AD.ALU_XOR_X), retA])).toBe(0xf0);
  });
});
