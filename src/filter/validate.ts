/**
 * The checks the Linux kernel applies to a classic BPF program before attaching it
 * (net/core/filter.c: bpf_check_basics_ok, bpf_check_classic, check_load_and_stores), so that a
 * program refused here would be refused by SO_ATTACH_FILTER and vice versa.
 */
import { BPF_MAXINSNS, BPF_MEMWORDS, SKF_AD } from './bpf.js';
import type { BpfProgram } from './bpf.js';

/** Opcodes the kernel accepts in a classic program (the codes_allowed table of net/core/filter.c). */
export const ALLOWED_OPCODES: ReadonlySet<number> = new Set([
  // ALU
  0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x94, 0x9c, 0x54, 0x5c, 0x44, 0x4c, 0xa4, 0xac, 0x64, 0x6c,
  0x74, 0x7c, 0x84,
  // LD: W/H/B ABS, W/H/B IND, W LEN, IMM, MEM
  0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x80, 0x00, 0x60,
  // LDX: W LEN, B MSH, IMM, MEM
  0x81, 0xb1, 0x01, 0x61,
  // ST, STX
  0x02, 0x03,
  // MISC: TAX, TXA
  0x07, 0x87,
  // RET K, RET A
  0x06, 0x16,
  // JMP
  0x05, 0x15, 0x1d, 0x35, 0x3d, 0x25, 0x2d, 0x45, 0x4d,
]);

/** Ancillary offsets (n in SKF_AD_OFF + n) the kernel knows. */
export const KNOWN_ANCILLARY: ReadonlySet<number> = new Set(
  Object.entries(SKF_AD)
    .filter(([name]) => name !== 'OFF')
    .map(([, v]) => v),
);

const isConditionalJump = (code: number): boolean => (code & 0x07) === 0x05 && (code & 0xf0) !== 0x00;

/**
 * Checks a program as the kernel's classic BPF checker does; returns undefined when it is valid,
 * otherwise a message naming the first offending instruction.
 * @example
 * const problem = validateProgram(prog);
 * if (problem !== undefined) throw new Error(`invalid filter program: ${problem}`);
 */
export function validateProgram(prog: BpfProgram): string | undefined {
  const n = prog.length;
  if (n === 0) return 'empty program';
  if (n > BPF_MAXINSNS) return `program has ${n} instructions, more than ${BPF_MAXINSNS}`;
  for (let pc = 0; pc < n; pc++) {
    const ins = prog[pc]!;
    const { code, jt, jf } = ins;
    const k = ins.k >>> 0;
    const where = `instruction ${pc}`;
    if (!Number.isInteger(code) || !ALLOWED_OPCODES.has(code)) return `${where}: unknown opcode 0x${code.toString(16)}`;
    if (!Number.isInteger(jt) || !Number.isInteger(jf) || jt < 0 || jt > 255 || jf < 0 || jf > 255) {
      return `${where}: jump offsets must be 0..255`;
    }
    switch (code) {
      case 0x34:
      case 0x94:
        if (k === 0) return `${where}: ${code === 0x34 ? 'division' : 'modulo'} by constant zero`;
        break;
      case 0x64:
      case 0x74:
        if (k >= 32) return `${where}: shift by ${k}, 32 or more`;
        break;
      case 0x60:
      case 0x61:
      case 0x02:
      case 0x03:
        if (k >= BPF_MEMWORDS) return `${where}: scratch memory index ${k} out of range 0..${BPF_MEMWORDS - 1}`;
        break;
      case 0x05:
        if (k >= n - pc - 1) return `${where}: jump out of range`;
        break;
      case 0x20:
      case 0x28:
      case 0x30:
        if (k >= SKF_AD.OFF && !KNOWN_ANCILLARY.has(k - SKF_AD.OFF)) {
          return `${where}: unknown ancillary load at SKF_AD_OFF+${k - SKF_AD.OFF}`;
        }
        break;
      default:
        if (isConditionalJump(code) && (pc + jt + 1 >= n || pc + jf + 1 >= n)) return `${where}: jump out of range`;
    }
  }
  const last = prog[n - 1]!.code;
  if (last !== 0x06 && last !== 0x16) return `instruction ${n - 1}: program does not end with RET`;
  return checkLoadsAfterStores(prog);
}

/** Every scratch slot must be stored on all paths before it is loaded (check_load_and_stores). */
function checkLoadsAfterStores(prog: BpfProgram): string | undefined {
  const n = prog.length;
  // The kernel keeps 16-bit masks; all ones means "not reached by a jump yet".
  const masks = new Uint16Array(n).fill(0xffff);
  let valid = 0;
  for (let pc = 0; pc < n; pc++) {
    const { code, jt, jf } = prog[pc]!;
    const k = prog[pc]!.k >>> 0;
    valid &= masks[pc]!;
    switch (code) {
      case 0x02:
      case 0x03:
        valid |= 1 << k;
        break;
      case 0x60:
      case 0x61:
        if ((valid & (1 << k)) === 0) return `instruction ${pc}: scratch memory M[${k}] read before it is written`;
        break;
      case 0x05:
        masks[pc + 1 + k] = masks[pc + 1 + k]! & valid;
        valid = 0xffff;
        break;
      default:
        if (isConditionalJump(code)) {
          masks[pc + 1 + jt] = masks[pc + 1 + jt]! & valid;
          masks[pc + 1 + jf] = masks[pc + 1 + jf]! & valid;
          valid = 0xffff;
        }
    }
  }
  return undefined;
}
