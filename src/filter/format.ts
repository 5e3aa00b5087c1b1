/**
 * The three program listings of `tcpdump -d`, `-dd` and `-ddd`, character for character as libpcap
 * 1.10 prints them (bpf_image and bpf_dump), including its symbolic names for Linux ancillary loads.
 */
import { SKF_AD } from './bpf.js';
import type { BpfInsn, BpfProgram } from './bpf.js';

/** libpcap's names for SKF_AD_OFF + n in `-d` listings, indexed by n. */
export const ANCILLARY_NAMES: Readonly<Record<number, string>> = {
  [SKF_AD.PROTOCOL]: 'proto',
  [SKF_AD.PKTTYPE]: 'type',
  [SKF_AD.IFINDEX]: 'ifidx',
  [SKF_AD.NLATTR]: 'nla',
  [SKF_AD.NLATTR_NEST]: 'nlan',
  [SKF_AD.MARK]: 'mark',
  [SKF_AD.QUEUE]: 'queue',
  [SKF_AD.HATYPE]: 'hatype',
  [SKF_AD.RXHASH]: 'rxhash',
  [SKF_AD.CPU]: 'cpu',
  [SKF_AD.ALU_XOR_X]: 'xor_x',
  [SKF_AD.VLAN_TAG]: 'vlan_tci',
  [SKF_AD.VLAN_TAG_PRESENT]: 'vlanp',
  [SKF_AD.PAY_OFFSET]: 'poff',
  [SKF_AD.RANDOM]: 'random',
  [SKF_AD.VLAN_TPID]: 'vlan_tpid',
};

/** SKF_AD_MAX: libpcap looks names up only below it. */
const SKF_AD_MAX = 64;

/** printf("%d") of an unsigned 32-bit value. */
const dec = (k: number): string => String(k | 0);
/** printf("0x%x"). */
const hex = (k: number): string => `0x${(k >>> 0).toString(16)}`;

function absOperand(k: number): string {
  const n = k - SKF_AD.OFF;
  if (k >= SKF_AD.OFF && n < SKF_AD_MAX) {
    const name = ANCILLARY_NAMES[n];
    if (name !== undefined) return `[${name}]`;
  }
  return `[${dec(k)}]`;
}

const JUMP_NAMES: Readonly<Record<number, string>> = { 0x10: 'jeq', 0x20: 'jgt', 0x30: 'jge', 0x40: 'jset' };
const ALU_NAMES: Readonly<Record<number, string>> = {
  0x00: 'add', 0x10: 'sub', 0x20: 'mul', 0x30: 'div', 0x40: 'or', 0x50: 'and', 0x60: 'lsh', 0x70: 'rsh', 0x90: 'mod', 0xa0: 'xor',
};
/** ALU operations whose constant libpcap prints in hex; the others print in decimal. */
const ALU_HEX = new Set([0x40, 0x50, 0xa0]);

/** Mnemonic and operand of one instruction as bpf_image writes them. */
function image(ins: BpfInsn, n: number): [op: string, operand: string] {
  const k = ins.k >>> 0;
  const code = ins.code;
  switch (code) {
    case 0x06: return ['ret', `#${dec(k)}`];
    case 0x16: return ['ret', ''];
    case 0x20: return ['ld', absOperand(k)];
    case 0x28: return ['ldh', absOperand(k)];
    case 0x30: return ['ldb', absOperand(k)];
    case 0x80: return ['ld', '#pktlen'];
    case 0x40: return ['ld', `[x + ${dec(k)}]`];
    case 0x48: return ['ldh', `[x + ${dec(k)}]`];
    case 0x50: return ['ldb', `[x + ${dec(k)}]`];
    case 0x00: return ['ld', `#${hex(k)}`];
    case 0x01: return ['ldx', `#${hex(k)}`];
    case 0xb1: return ['ldxb', `4*([${dec(k)}]&0xf)`];
    case 0x60: return ['ld', `M[${dec(k)}]`];
    case 0x61: return ['ldx', `M[${dec(k)}]`];
    case 0x02: return ['st', `M[${dec(k)}]`];
    case 0x03: return ['stx', `M[${dec(k)}]`];
    case 0x05: return ['ja', dec(n + 1 + k)];
    case 0x84: return ['neg', ''];
    case 0x07: return ['tax', ''];
    case 0x87: return ['txa', ''];
    default:
      break;
  }
  const cls = code & 0x07;
  const op = code & 0xf0;
  const x = (code & 0x08) !== 0;
  if (cls === 0x05 && JUMP_NAMES[op] !== undefined && (code & ~0xf8) === 0x05) {
    return [JUMP_NAMES[op]!, x ? 'x' : `#${hex(k)}`];
  }
  if (cls === 0x04 && ALU_NAMES[op] !== undefined && (code & ~0xf8) === 0x04) {
    return [ALU_NAMES[op]!, x ? 'x' : ALU_HEX.has(op) ? `#${hex(k)}` : `#${dec(k)}`];
  }
  return ['unimp', hex(code)];
}

/** One line of `tcpdump -d` for instruction number `n` (libpcap's bpf_image). */
export function formatInstruction(ins: BpfInsn, n: number): string {
  const [op, operand] = image(ins, n);
  const num = String(n).padStart(3, '0');
  const code = ins.code;
  if ((code & 0x07) === 0x05 && (code & 0xf0) !== 0x00) {
    return `(${num}) ${op.padEnd(8)} ${operand.padEnd(16)} jt ${n + 1 + ins.jt}\tjf ${n + 1 + ins.jf}`;
  }
  return `(${num}) ${op.padEnd(8)} ${operand}`;
}

/**
 * Formats a program as `tcpdump -d` (readable listing), `-dd` (C array initialisers) or `-ddd`
 * (decimal: the count, then `code jt jf k` per line). Every line ends with a newline.
 * @example
 * process.stdout.write(formatProgram(compileFilter('tcp', { linkType: 1 }), 'd'));
 */
export function formatProgram(prog: BpfProgram, form: 'd' | 'dd' | 'ddd'): string {
  let out = '';
  if (form === 'ddd') {
    out = `${prog.length}\n`;
    for (const ins of prog) out += `${ins.code >>> 0} ${ins.jt} ${ins.jf} ${ins.k >>> 0}\n`;
    return out;
  }
  if (form === 'dd') {
    for (const ins of prog) {
      out += `{ ${hex(ins.code)}, ${ins.jt}, ${ins.jf}, 0x${(ins.k >>> 0).toString(16).padStart(8, '0')} },\n`;
    }
    return out;
  }
  prog.forEach((ins, n) => {
    out += `${formatInstruction(ins, n)}\n`;
  });
  return out;
}
