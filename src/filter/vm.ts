/**
 * Classic BPF virtual machine with the semantics of the Linux kernel (net/core/filter.c, the classic
 * to eBPF conversion, and the ancillary loads of linux/filter.h): an out-of-bounds packet load or a
 * division/modulo by a zero X ends the program with 0, shifts use the low 5 bits of the count, `LEN`
 * is the wire length, and absolute loads at SKF_AD_OFF + n read packet metadata instead of bytes.
 *
 * Two forms: `runFilter`/`runFilterAt` interpret a program (decoded once per program object and cached),
 * `compileFilterFunction` turns a program into a JavaScript function once, for hot loops.
 */
import { SKF_AD } from './bpf.js';
import type { BpfProgram } from './bpf.js';

/** Packet metadata read by the Linux ancillary loads; absent fields read as 0. */
export interface FilterAux {
  /** skb->protocol in host order (an EtherType such as 0x0800). */
  protocol?: number;
  /** PACKET_HOST 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3, OUTGOING 4. */
  pktType?: number;
  ifindex?: number;
  /** ARPHRD_* of the device (1 for Ethernet). */
  hatype?: number;
  /** The stripped VLAN TCI (PCP, DEI and VID). */
  vlanTci?: number;
  /** Whether a VLAN tag was stripped into the metadata (SKF_AD_VLAN_TAG_PRESENT). */
  vlanPresent?: boolean | number;
  /** TPID of the stripped tag (0x8100, 0x88a8). */
  vlanTpid?: number;
  mark?: number;
  queue?: number;
  rxhash?: number;
  cpu?: number;
  /** Offset of the transport payload (SKF_AD_PAY_OFFSET). */
  payOffset?: number;
  /** Offset of the network header, the base of SKF_NET_OFF loads; loads there drop when absent. */
  netOffset?: number;
  /** Source of SKF_AD_RANDOM; defaults to Math.random. */
  random?: () => number;
}

/** Base of loads relative to the link-layer header (SKF_LL_OFF, -0x200000 as unsigned). */
export const SKF_LL_OFF = 0xffe00000;
/** Base of loads relative to the network header (SKF_NET_OFF, -0x100000 as unsigned). */
export const SKF_NET_OFF = 0xfff00000;

interface Decoded {
  code: Uint16Array;
  jt: Uint8Array;
  jf: Uint8Array;
  k: Uint32Array;
}

const decodedCache = new WeakMap<BpfProgram, Decoded>();

let lastProg: BpfProgram | undefined;
let lastDecoded: Decoded | undefined;

function decode(prog: BpfProgram): Decoded {
  // the same program runs over many packets in a row: skip the WeakMap lookup then
  if (prog === lastProg) return lastDecoded!;
  let d = decodedCache.get(prog);
  if (d === undefined) {
    const n = prog.length;
    d = { code: new Uint16Array(n), jt: new Uint8Array(n), jf: new Uint8Array(n), k: new Uint32Array(n) };
    for (let i = 0; i < n; i++) {
      const ins = prog[i]!;
      d.code[i] = ins.code;
      d.jt[i] = ins.jt;
      d.jf[i] = ins.jf;
      d.k[i] = ins.k >>> 0;
    }
    decodedCache.set(prog, d);
  }
  lastProg = prog;
  lastDecoded = d;
  return d;
}

/** Backward jumps allowed per run before the packet is dropped: bounds any program's running time. */
export const BACKWARD_JUMP_BUDGET = 4096;

/** Scratch memory shared by all interpreter calls: runs are synchronous, so one set suffices. */
const MEM = new Uint32Array(16);

function randomU32(aux: FilterAux | undefined): number {
  const r = aux?.random ? aux.random() : Math.random();
  return (r * 0x100000000) >>> 0;
}

/** Value of ancillary load SKF_AD_OFF + `n`, or -1 for an offset the kernel does not know. */
export function ancillaryValue(n: number, aux: FilterAux | undefined, x: number, a: number): number {
  switch (n) {
    case SKF_AD.PROTOCOL:
      return (aux?.protocol ?? 0) & 0xffff;
    case SKF_AD.PKTTYPE:
      return (aux?.pktType ?? 0) & 0x7;
    case SKF_AD.IFINDEX:
      return (aux?.ifindex ?? 0) >>> 0;
    case SKF_AD.NLATTR:
    case SKF_AD.NLATTR_NEST:
      return 0; // netlink attribute search: packet sockets carry no netlink messages
    case SKF_AD.MARK:
      return (aux?.mark ?? 0) >>> 0;
    case SKF_AD.QUEUE:
      return (aux?.queue ?? 0) & 0xffff;
    case SKF_AD.HATYPE:
      return (aux?.hatype ?? 0) & 0xffff;
    case SKF_AD.RXHASH:
      return (aux?.rxhash ?? 0) >>> 0;
    case SKF_AD.CPU:
      return (aux?.cpu ?? 0) >>> 0;
    case SKF_AD.ALU_XOR_X:
      return (a ^ x) >>> 0;
    case SKF_AD.VLAN_TAG:
      return (aux?.vlanTci ?? 0) & 0xffff;
    case SKF_AD.VLAN_TAG_PRESENT:
      return aux?.vlanPresent ? 1 : 0;
    case SKF_AD.PAY_OFFSET:
      return (aux?.payOffset ?? 0) >>> 0;
    case SKF_AD.RANDOM:
      return randomU32(aux);
    case SKF_AD.VLAN_TPID:
      return (aux?.vlanTpid ?? 0) & 0xffff;
    default:
      return -1;
  }
}

function readBytes(buf: Uint8Array, at: number, size: number): number {
  if (size === 4) return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
  if (size === 2) return (buf[at]! << 8) | buf[at + 1]!;
  return buf[at]!;
}

/**
 * Load of `size` bytes at signed offset `off` below 0 (SKF_NET_OFF / SKF_LL_OFF bases), or -1 to drop.
 */
function negativeLoad(buf: Uint8Array, offset: number, capLen: number, off: number, size: number, aux: FilterAux | undefined): number {
  let at: number;
  if (off >= (SKF_NET_OFF | 0)) {
    if (aux?.netOffset === undefined) return -1;
    at = aux.netOffset + (off - (SKF_NET_OFF | 0));
  } else if (off >= (SKF_LL_OFF | 0)) {
    at = off - (SKF_LL_OFF | 0);
  } else {
    return -1;
  }
  if (at < 0 || at + size > capLen) return -1;
  return readBytes(buf, offset + at, size);
}

/** Absolute load: packet bytes, ancillary data, or -1 to drop. `k` is unsigned. */
function absLoad(buf: Uint8Array, offset: number, capLen: number, k: number, size: number, aux: FilterAux | undefined, a: number, x: number): number {
  if (k + size <= capLen) return readBytes(buf, offset + k, size);
  if (k >= SKF_AD.OFF) return ancillaryValue(k - SKF_AD.OFF, aux, x, a);
  if (k >= SKF_LL_OFF) return negativeLoad(buf, offset, capLen, k | 0, size, aux);
  return -1;
}

/** Indirect load at X + k, computed as a signed 32-bit sum like the kernel's `int offset`. */
function indLoad(buf: Uint8Array, offset: number, capLen: number, off: number, size: number, aux: FilterAux | undefined): number {
  if (off >= 0) return off + size <= capLen ? readBytes(buf, offset + off, size) : -1;
  return negativeLoad(buf, offset, capLen, off, size, aux);
}

/**
 * Runs a classic BPF program over the frame `buf[offset, offset + capLen)`; returns the number of
 * bytes to accept (0 = drop). No allocation per call.
 * @example
 * const keep = runFilterAt(prog, pkt.buf, pkt.offset, pkt.capLen, pkt.wireLen) !== 0;
 */
export function runFilterAt(
  prog: BpfProgram,
  buf: Uint8Array,
  offset: number,
  capLen: number,
  wireLen: number,
  aux?: FilterAux,
): number {
  const d = decode(prog);
  const codes = d.code;
  const jts = d.jt;
  const jfs = d.jf;
  const ks = d.k;
  const n = codes.length;
  const mem = MEM;
  mem.fill(0);
  let a = 0;
  let x = 0;
  let pc = 0;
  let v = 0;
  let budget = BACKWARD_JUMP_BUDGET;
  while (pc < n) {
    const k = ks[pc]!;
    switch (codes[pc]!) {
      // RET
      case 0x06:
        return k;
      case 0x16:
        return a;
      // LD
      case 0x20:
        if (k + 4 <= capLen) a = ((buf[offset + k]! << 24) | (buf[offset + k + 1]! << 16) | (buf[offset + k + 2]! << 8) | buf[offset + k + 3]!) >>> 0;
        else if ((v = absLoad(buf, offset, capLen, k, 4, aux, a, x)) < 0) return 0;
        else a = v;
        break;
      case 0x28:
        if (k + 2 <= capLen) a = (buf[offset + k]! << 8) | buf[offset + k + 1]!;
        else if ((v = absLoad(buf, offset, capLen, k, 2, aux, a, x)) < 0) return 0;
        else a = v;
        break;
      case 0x30:
        if (k + 1 <= capLen) a = buf[offset + k]!;
        else if ((v = absLoad(buf, offset, capLen, k, 1, aux, a, x)) < 0) return 0;
        else a = v;
        break;
      case 0x40:
        if ((v = indLoad(buf, offset, capLen, (x + k) | 0, 4, aux)) < 0) return 0;
        a = v;
        break;
      case 0x48:
        if ((v = indLoad(buf, offset, capLen, (x + k) | 0, 2, aux)) < 0) return 0;
        a = v;
        break;
      case 0x50:
        if ((v = indLoad(buf, offset, capLen, (x + k) | 0, 1, aux)) < 0) return 0;
        a = v;
        break;
      case 0x80:
        a = wireLen >>> 0;
        break;
      case 0x00:
        a = k;
        break;
      case 0x60:
        a = mem[k & 15]!;
        break;
      // LDX
      case 0x01:
        x = k;
        break;
      case 0x61:
        x = mem[k & 15]!;
        break;
      case 0x81:
        x = wireLen >>> 0;
        break;
      case 0xb1:
        if (k >= capLen) {
          // MSH reads a byte like an absolute load, so the negative bases apply
          if (k < SKF_LL_OFF || (v = negativeLoad(buf, offset, capLen, k | 0, 1, aux)) < 0) return 0;
        } else {
          v = buf[offset + k]!;
        }
        x = (v & 0xf) << 2;
        break;
      // ST / STX
      case 0x02:
        mem[k & 15] = a;
        break;
      case 0x03:
        mem[k & 15] = x;
        break;
      // ALU with K
      case 0x04:
        a = (a + k) >>> 0;
        break;
      case 0x14:
        a = (a - k) >>> 0;
        break;
      case 0x24:
        a = Math.imul(a, k) >>> 0;
        break;
      case 0x34:
        if (k === 0) return 0;
        a = Math.floor(a / k) >>> 0;
        break;
      case 0x94:
        if (k === 0) return 0;
        a = a % k;
        break;
      case 0x44:
        a = (a | k) >>> 0;
        break;
      case 0x54:
        a = (a & k) >>> 0;
        break;
      case 0xa4:
        a = (a ^ k) >>> 0;
        break;
      case 0x64:
        a = (a << (k & 31)) >>> 0;
        break;
      case 0x74:
        a = a >>> (k & 31);
        break;
      case 0x84:
        a = -a >>> 0;
        break;
      // ALU with X
      case 0x0c:
        a = (a + x) >>> 0;
        break;
      case 0x1c:
        a = (a - x) >>> 0;
        break;
      case 0x2c:
        a = Math.imul(a, x) >>> 0;
        break;
      case 0x3c:
        if (x === 0) return 0;
        a = Math.floor(a / x) >>> 0;
        break;
      case 0x9c:
        if (x === 0) return 0;
        a = a % x;
        break;
      case 0x4c:
        a = (a | x) >>> 0;
        break;
      case 0x5c:
        a = (a & x) >>> 0;
        break;
      case 0xac:
        a = (a ^ x) >>> 0;
        break;
      case 0x6c:
        a = (a << (x & 31)) >>> 0;
        break;
      case 0x7c:
        a = a >>> (x & 31);
        break;
      // JMP
      case 0x05:
        // libpcap's protochain loops with a backward `ja` (k read as signed); the kernel refuses such
        // programs, libpcap's userland VM runs them, so this one does too, within a budget
        if ((k | 0) < 0 && --budget < 0) return 0;
        pc += 1 + (k | 0);
        if (pc < 0) return 0;
        continue;
      case 0x15:
        pc += 1 + (a === k ? jts[pc]! : jfs[pc]!);
        continue;
      case 0x25:
        pc += 1 + (a > k ? jts[pc]! : jfs[pc]!);
        continue;
      case 0x35:
        pc += 1 + (a >= k ? jts[pc]! : jfs[pc]!);
        continue;
      case 0x45:
        pc += 1 + ((a & k) !== 0 ? jts[pc]! : jfs[pc]!);
        continue;
      case 0x1d:
        pc += 1 + (a === x ? jts[pc]! : jfs[pc]!);
        continue;
      case 0x2d:
        pc += 1 + (a > x ? jts[pc]! : jfs[pc]!);
        continue;
      case 0x3d:
        pc += 1 + (a >= x ? jts[pc]! : jfs[pc]!);
        continue;
      case 0x4d:
        pc += 1 + ((a & x) !== 0 ? jts[pc]! : jfs[pc]!);
        continue;
      // MISC
      case 0x07:
        x = a;
        break;
      case 0x87:
        a = x;
        break;
      default:
        return 0; // an opcode the kernel would have refused: never accept on it
    }
    pc++;
  }
  return 0;
}

/**
 * Runs a classic BPF program over a whole frame; returns the number of bytes to accept (0 = drop).
 * @example
 * const prog = compileFilter('udp port 53', { linkType: LinkType.EN10MB });
 * if (runFilter(prog, frame, frame.length) !== 0) console.log('DNS');
 */
export function runFilter(prog: BpfProgram, bytes: Uint8Array, wireLen: number, aux?: FilterAux): number {
  return runFilterAt(prog, bytes, 0, bytes.length, wireLen, aux);
}

/** A program turned into a JavaScript function: same arguments and result as `runFilterAt` minus the program. */
export type CompiledFilter = (buf: Uint8Array, offset: number, capLen: number, wireLen: number, aux?: FilterAux) => number;

function loadExpr(size: number, at: string): string {
  if (size === 4) return `((b[${at}] << 24) | (b[${at} + 1] << 16) | (b[${at} + 2] << 8) | b[${at} + 3]) >>> 0`;
  if (size === 2) return `((b[${at}] << 8) | b[${at} + 1])`;
  return `b[${at}]`;
}

/**
 * Translates a program into a JavaScript function once (a `switch` over the program counter with
 * scratch memory in locals), for loops over many packets; same semantics as `runFilterAt`.
 * @example
 * const match = compileFilterFunction(prog);
 * for (const p of packets) if (match(p.buf, p.offset, p.capLen, p.wireLen)) keep(p);
 */
export function compileFilterFunction(prog: BpfProgram): CompiledFilter {
  const n = prog.length;
  const lines: string[] = [];
  const sizeOf = (code: number): number => (code & 0x18) === 0x00 ? 4 : (code & 0x18) === 0x08 ? 2 : 1;
  const target = (pc: number, off: number): number => pc + 1 + off;
  const jump = (pc: number, cond: string, jt: number, jf: number): string => {
    const t = target(pc, jt);
    const f = target(pc, jf);
    if (t === f) return `pc = ${t}; continue;`;
    if (f === pc + 1) return `if (${cond}) { pc = ${t}; continue; }`;
    if (t === pc + 1) return `if (!(${cond})) { pc = ${f}; continue; }`;
    return `pc = (${cond}) ? ${t} : ${f}; continue;`;
  };
  for (let pc = 0; pc < n; pc++) {
    const { code, jt, jf } = prog[pc]!;
    const k = prog[pc]!.k >>> 0;
    let s: string;
    switch (code) {
      case 0x06: s = `return ${k};`; break;
      case 0x16: s = 'return a;'; break;
      case 0x20: case 0x28: case 0x30: {
        const size = sizeOf(code);
        if (k + size <= 0xffff) s = `if (len < ${k + size}) return 0; a = ${loadExpr(size, `o + ${k}`)};`;
        else s = `v = absLoad(b, o, len, ${k}, ${size}, aux, a, x); if (v < 0) return 0; a = v;`;
        break;
      }
      case 0x40: case 0x48: case 0x50: {
        const size = sizeOf(code);
        s = `i = (x + ${k}) | 0; if (i >= 0 && i + ${size} <= len) a = ${loadExpr(size, 'o + i')}; ` +
          `else { v = indLoad(b, o, len, i, ${size}, aux); if (v < 0) return 0; a = v; }`;
        break;
      }
      case 0x80: s = 'a = wlen >>> 0;'; break;
      case 0x00: s = `a = ${k};`; break;
      case 0x60: s = `a = m${k & 15};`; break;
      case 0x01: s = `x = ${k};`; break;
      case 0x61: s = `x = m${k & 15};`; break;
      case 0x81: s = 'x = wlen >>> 0;'; break;
      case 0xb1:
        s = k <= 0xffff
          ? `if (len <= ${k}) return 0; x = (b[o + ${k}] & 15) << 2;`
          : `v = ${k} >= ${SKF_LL_OFF} ? negativeLoad(b, o, len, ${k | 0}, 1, aux) : -1; if (v < 0) return 0; x = (v & 15) << 2;`;
        break;
      case 0x02: s = `m${k & 15} = a;`; break;
      case 0x03: s = `m${k & 15} = x;`; break;
      case 0x04: s = `a = (a + ${k}) >>> 0;`; break;
      case 0x14: s = `a = (a - ${k}) >>> 0;`; break;
      case 0x24: s = `a = Math.imul(a, ${k}) >>> 0;`; break;
      case 0x34: s = k === 0 ? 'return 0;' : `a = Math.floor(a / ${k}) >>> 0;`; break;
      case 0x94: s = k === 0 ? 'return 0;' : `a = a % ${k};`; break;
      case 0x44: s = `a = (a | ${k}) >>> 0;`; break;
      case 0x54: s = `a = (a & ${k}) >>> 0;`; break;
      case 0xa4: s = `a = (a ^ ${k}) >>> 0;`; break;
      case 0x64: s = `a = (a << ${k & 31}) >>> 0;`; break;
      case 0x74: s = `a = a >>> ${k & 31};`; break;
      case 0x84: s = 'a = -a >>> 0;'; break;
      case 0x0c: s = 'a = (a + x) >>> 0;'; break;
      case 0x1c: s = 'a = (a - x) >>> 0;'; break;
      case 0x2c: s = 'a = Math.imul(a, x) >>> 0;'; break;
      case 0x3c: s = 'if (x === 0) return 0; a = Math.floor(a / x) >>> 0;'; break;
      case 0x9c: s = 'if (x === 0) return 0; a = a % x;'; break;
      case 0x4c: s = 'a = (a | x) >>> 0;'; break;
      case 0x5c: s = 'a = (a & x) >>> 0;'; break;
      case 0xac: s = 'a = (a ^ x) >>> 0;'; break;
      case 0x6c: s = 'a = (a << (x & 31)) >>> 0;'; break;
      case 0x7c: s = 'a = a >>> (x & 31);'; break;
      case 0x05: {
        const t = target(pc, k | 0);
        if (t < 0 || t >= n) s = 'return 0;';
        else if (t <= pc) s = `if (--budget < 0) return 0; pc = ${t}; continue;`;
        else s = `pc = ${t}; continue;`;
        break;
      }
      case 0x15: s = jump(pc, `a === ${k}`, jt, jf); break;
      case 0x25: s = jump(pc, `a > ${k}`, jt, jf); break;
      case 0x35: s = jump(pc, `a >= ${k}`, jt, jf); break;
      case 0x45: s = jump(pc, `(a & ${k}) !== 0`, jt, jf); break;
      case 0x1d: s = jump(pc, 'a === x', jt, jf); break;
      case 0x2d: s = jump(pc, 'a > x', jt, jf); break;
      case 0x3d: s = jump(pc, 'a >= x', jt, jf); break;
      case 0x4d: s = jump(pc, '(a & x) !== 0', jt, jf); break;
      case 0x07: s = 'x = a;'; break;
      case 0x87: s = 'a = x;'; break;
      default: s = 'return 0;';
    }
    lines.push(`case ${pc}: ${s}`);
  }
  const mems = Array.from({ length: 16 }, (_, i) => `m${i} = 0`).join(', ');
  const body =
    `return function bpf(b, o, len, wlen, aux) {\n` +
    `let a = 0, x = 0, v = 0, i = 0, pc = 0, budget = ${BACKWARD_JUMP_BUDGET}, ${mems};\n` +
    `for (;;) switch (pc) {\n${lines.join('\n')}\ndefault: return 0;\n}\n};`;
  const factory = new Function('absLoad', 'indLoad', 'negativeLoad', body) as (
    abs: typeof absLoad,
    ind: typeof indLoad,
    neg: typeof negativeLoad,
  ) => CompiledFilter;
  return factory(absLoad, indLoad, negativeLoad);
}
