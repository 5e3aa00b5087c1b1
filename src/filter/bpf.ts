/**
 * Classic BPF instructions (linux/filter.h, linux/bpf_common.h): the shape shared by the compiler, the
 * VM, the validator, the text formats and the kernel attach.
 */

/** One `struct sock_filter`: 16-bit opcode, two 8-bit jump offsets, 32-bit constant. */
export interface BpfInsn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** A program is its instructions in order. */
export type BpfProgram = readonly BpfInsn[];

/** The kernel's limit on a classic BPF program (BPF_MAXINSNS). */
export const BPF_MAXINSNS = 4096;

/** Thrown for a program text that is not valid `tcpdump -ddd` output; `line` is 1-based. */
export class BpfTextError extends Error {
  override readonly name = 'BpfTextError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * Parses a program in `tcpdump -ddd` form: a first line with the instruction count, then one line per
 * instruction of four decimal numbers `code jt jf k`.
 * @example
 * const prog = parseDecimalProgram(fs.readFileSync('udp.bpf', 'utf8'));
 */
export function parseDecimalProgram(text: string): BpfInsn[] {
  const lines = text.split('\n');
  let lineNo = 0;
  let count = -1;
  const prog: BpfInsn[] = [];
  for (const raw of lines) {
    lineNo++;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/[\s,]+/);
    if (count < 0) {
      if (fields.length !== 1 || !/^\d+$/.test(fields[0] ?? '')) throw new BpfTextError('expected the instruction count', lineNo);
      count = Number(fields[0]);
      if (count < 1 || count > BPF_MAXINSNS) throw new BpfTextError(`instruction count ${count} out of range 1..${BPF_MAXINSNS}`, lineNo);
      continue;
    }
    if (fields.length !== 4 || !fields.every((f) => /^\d+$/.test(f))) {
      throw new BpfTextError(`expected four decimal numbers "code jt jf k", got "${line}"`, lineNo);
    }
    const [code, jt, jf, k] = fields.map(Number) as [number, number, number, number];
    if (code > 0xffff) throw new BpfTextError(`opcode ${code} does not fit 16 bits`, lineNo);
    if (jt > 255 || jf > 255) throw new BpfTextError('jump offset does not fit 8 bits', lineNo);
    if (k > 0xffffffff) throw new BpfTextError(`constant ${k} does not fit 32 bits`, lineNo);
    if (prog.length === count) throw new BpfTextError(`more instructions than the count ${count}`, lineNo);
    prog.push({ code, jt, jf, k });
  }
  if (count < 0) throw new BpfTextError('empty program', lineNo);
  if (prog.length !== count) throw new BpfTextError(`count says ${count} instructions, found ${prog.length}`, lineNo);
  return prog;
}

/** Opcode parts (linux/bpf_common.h): class, size, mode, ALU op, jump op, source, RET value, MISC op. */
export const BPF = {
  // classes
  LD: 0x00,
  LDX: 0x01,
  ST: 0x02,
  STX: 0x03,
  ALU: 0x04,
  JMP: 0x05,
  RET: 0x06,
  MISC: 0x07,
  // sizes
  W: 0x00,
  H: 0x08,
  B: 0x10,
  // modes
  IMM: 0x00,
  ABS: 0x20,
  IND: 0x40,
  MEM: 0x60,
  LEN: 0x80,
  MSH: 0xa0,
  // ALU operations
  ADD: 0x00,
  SUB: 0x10,
  MUL: 0x20,
  DIV: 0x30,
  OR: 0x40,
  AND: 0x50,
  LSH: 0x60,
  RSH: 0x70,
  NEG: 0x80,
  MOD: 0x90,
  XOR: 0xa0,
  // jumps
  JA: 0x00,
  JEQ: 0x10,
  JGT: 0x20,
  JGE: 0x30,
  JSET: 0x40,
  // sources
  K: 0x00,
  X: 0x08,
  // RET value source (A)
  A: 0x10,
  // MISC operations
  TAX: 0x00,
  TXA: 0x80,
} as const;

/** Extracts the class of an opcode. */
export const bpfClass = (code: number): number => code & 0x07;
/** Extracts the size of a load/store opcode. */
export const bpfSize = (code: number): number => code & 0x18;
/** Extracts the addressing mode of a load/store opcode. */
export const bpfMode = (code: number): number => code & 0xe0;
/** Extracts the ALU or jump operation. */
export const bpfOp = (code: number): number => code & 0xf0;
/** Extracts the operand source (K or X). */
export const bpfSrc = (code: number): number => code & 0x08;

/** Scratch memory slots (BPF_MEMWORDS). */
export const BPF_MEMWORDS = 16;

/**
 * Linux ancillary data loads (linux/filter.h): an absolute load at SKF_AD_OFF + n reads skb metadata
 * instead of packet bytes. Offsets are given as unsigned 32-bit values as they appear in `k`.
 */
export const SKF_AD = {
  OFF: 0xfffff000,
  PROTOCOL: 0,
  PKTTYPE: 4,
  IFINDEX: 8,
  NLATTR: 12,
  NLATTR_NEST: 16,
  MARK: 20,
  QUEUE: 24,
  HATYPE: 28,
  RXHASH: 32,
  CPU: 36,
  ALU_XOR_X: 40,
  VLAN_TAG: 44,
  VLAN_TAG_PRESENT: 48,
  PAY_OFFSET: 52,
  RANDOM: 56,
  VLAN_TPID: 60,
} as const;

/** Builds an instruction. */
export function insn(code: number, k = 0, jt = 0, jf = 0): BpfInsn {
  return { code, jt, jf, k: k >>> 0 };
}
