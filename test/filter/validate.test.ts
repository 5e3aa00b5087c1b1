/**
 * Validator rules one by one (the kernel's bpf_check_classic and check_load_and_stores); agreement with
 * the real kernel on these and more is checked in test/filter/kernel-accept.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { BPF, insn, SKF_AD } from '../../src/filter/bpf.js';
import { validateProgram } from '../../src/filter/validate.js';

const ret = insn(BPF.RET | BPF.K, 1);

describe('validateProgram', () => {
  it('accepts small valid programs', () => {
    expect(validateProgram([ret])).toBeUndefined();
    expect(validateProgram([insn(BPF.LD | BPF.H | BPF.ABS, 12), insn(BPF.JMP | BPF.JEQ | BPF.K, 0x800, 0, 1), ret, insn(BPF.RET | BPF.K, 0)])).toBeUndefined();
  });
  it('checks the length', () => {
    expect(validateProgram([])).toMatch(/empty/);
    expect(validateProgram(Array.from({ length: 4097 }, () => ret))).toMatch(/4096/);
    expect(validateProgram(Array.from({ length: 4096 }, () => ret))).toBeUndefined();
  });
  it('refuses unknown opcodes and a last instruction other than RET', () => {
    expect(validateProgram([{ code: 0x0e, jt: 0, jf: 0, k: 0 }, ret])).toMatch(/instruction 0: unknown opcode 0xe/);
    expect(validateProgram([insn(BPF.LD | BPF.IMM, 1)])).toMatch(/RET/);
  });
  it('refuses jumps past the end and backward jumps', () => {
    expect(validateProgram([insn(BPF.JMP | BPF.JEQ | BPF.K, 0, 1, 0), ret])).toMatch(/jump out of range/);
    expect(validateProgram([insn(BPF.JMP | BPF.JA, 1), ret])).toMatch(/jump out of range/);
    expect(validateProgram([ret, insn(BPF.JMP | BPF.JA, 0xffffffff), ret])).toMatch(/instruction 1: jump out of range/);
  });
  it('refuses constant division by zero and shifts of 32 or more', () => {
    expect(validateProgram([insn(BPF.ALU | BPF.DIV | BPF.K, 0), ret])).toMatch(/division/);
    expect(validateProgram([insn(BPF.ALU | BPF.MOD | BPF.K, 0), ret])).toMatch(/modulo/);
    expect(validateProgram([insn(BPF.ALU | BPF.LSH | BPF.K, 32), ret])).toMatch(/shift/);
  });
  it('checks scratch memory indexes and reads before writes', () => {
    expect(validateProgram([insn(BPF.ST, 16), ret])).toMatch(/scratch memory index 16/);
    expect(validateProgram([insn(BPF.LD | BPF.MEM, 0), ret])).toMatch(/M\[0\] read before/);
    const onePath = [insn(BPF.JMP | BPF.JEQ | BPF.K, 0, 0, 1), insn(BPF.ST, 2), insn(BPF.LD | BPF.MEM, 2), ret];
    expect(validateProgram(onePath)).toMatch(/instruction 2/);
  });
  it('knows the ancillary offsets', () => {
    expect(validateProgram([insn(BPF.LD | BPF.B | BPF.ABS, SKF_AD.OFF + SKF_AD.VLAN_TAG_PRESENT), ret])).toBeUndefined();
    expect(validateProgram([insn(BPF.LD | BPF.B | BPF.ABS, SKF_AD.OFF + 1), ret])).toMatch(/ancillary/);
  });
});
