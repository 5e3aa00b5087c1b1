/**
 * The generator's core, shared by every layer of code generation: the offset state that libpcap's
 * gencode.c keeps per compile (link header, link-layer type field, link-layer payload, network-layer
 * shifts), scratch registers, and loads and comparisons relative to those offsets.
 */
import { BPF } from './bpf.js';
import type { Cond, Stmt } from './cfg.js';
import { C } from './cfg.js';
import { FilterError } from './errors.js';
import type { Qual } from './ast.js';
import { EtherType } from '../numbers.js';

/** libpcap's PCAP_NETMASK_UNKNOWN: `ip broadcast` cannot be compiled with it. */
export const PCAP_NETMASK_UNKNOWN = 0xffffffff;

export const ETHERTYPE = { ...EtherType, IP: EtherType.IPv4, IPV6: EtherType.IPv6, REVARP: EtherType.RARP, MPLS: EtherType.MPLS, PPPOED: EtherType.PPPOE_DISC, PPPOES: EtherType.PPPOE_SESS, QINQOLD: EtherType.VLAN9100 } as const;
export const LLCSAP = { IP: 0x06, ISONS: 0xfe, NETBEUI: 0xf0, IPX: 0xe0, STP: 0x42, SNAP: 0xaa } as const;
export const IPPROTO = { ICMP: 1, IGMP: 2, TCP: 6, IGRP: 9, UDP: 17, FRAGMENT: 44, ESP: 50, AH: 51, ICMPV6: 58, PIM: 103, VRRP: 112, SCTP: 132 } as const;
export const ETHERMTU = 1500;

/** Where an offset is counted from (libpcap's offrel). */
export type Base = 'pkt' | 'linkhdr' | 'linktype' | 'llc' | 'linkpl' | 'nosnap' | 'tran4' | 'tran6';

/** An offset with an optional variable part held in scratch register `reg` (libpcap's bpf_abs_offset). */
export interface Off {
  c: number;
  reg: number;
}

/** Options the generator needs. */
export interface GenOptions {
  linkType: number;
  netmask: number;
  vlanAncillary: boolean;
  /** Headers `protochain` follows (unrolled); default PROTOCHAIN_DEPTH. */
  protochainDepth?: number;
}

const SIZE: Readonly<Record<number, number>> = { 1: BPF.B, 2: BPF.H, 4: BPF.W };
export const ALU_OPS: Readonly<Record<string, number>> = { '+': BPF.ADD, '-': BPF.SUB, '*': BPF.MUL, '/': BPF.DIV, '%': BPF.MOD, '&': BPF.AND, '|': BPF.OR, '^': BPF.XOR, '<<': BPF.LSH, '>>': BPF.RSH };

/** BPF statement builders. */
export const ld = (size: number, k: number): Stmt => ({ code: BPF.LD | (SIZE[size] as number) | BPF.ABS, k: k >>> 0 });
export const ldi = (size: number, k: number): Stmt => ({ code: BPF.LD | (SIZE[size] as number) | BPF.IND, k: k >>> 0 });
export const imm = (k: number): Stmt => ({ code: BPF.LD | BPF.IMM, k: k >>> 0 });
export const alu = (op: number, k: number): Stmt => ({ code: BPF.ALU | op | BPF.K, k: k >>> 0 });
export const aluX = (op: number): Stmt => ({ code: BPF.ALU | op | BPF.X, k: 0 });
export const st = (r: number): Stmt => ({ code: BPF.ST, k: r });
export const ldm = (r: number): Stmt => ({ code: BPF.LD | BPF.MEM, k: r });
export const ldxm = (r: number): Stmt => ({ code: BPF.LDX | BPF.MEM, k: r });
export const TAX: Stmt = { code: BPF.MISC | BPF.TAX, k: 0 };
export const TXA: Stmt = { code: BPF.MISC | BPF.TXA, k: 0 };

/** Offsets, registers and loads; the link-layer, network and expression layers build on it. */
export abstract class GenCore {
  protected readonly lt: number;
  protected offLinkhdr: Off = { c: 0, reg: -1 };
  protected offLinktype: Off | null = null;
  protected offLinkpl: Off = { c: 0, reg: -1 };
  protected offNl = 0;
  protected offNlNosnap = 0;
  protected labelStackDepth = 0;
  protected vlanStackDepth = 0;
  protected isPppoes = false;
  protected isGeneve = false;
  protected regsUsed = 0;
  protected pos = 0;
  /** Statements that must run first in the program (initial values of offset registers). */
  readonly entryStmts: Stmt[] = [];
  /** Set by `protochain`: libpcap then skips its optimizer (the program has a backward loop). */
  noOptimize = false;

  constructor(protected readonly opts: GenOptions) {
    this.lt = opts.linkType;
  }

  /** Throws a FilterError positioned at the primitive being compiled. */
  err(msg: string): never {
    throw new FilterError(msg, this.pos);
  }

  protected allocReg(): number {
    for (let i = 0; i < 16; i++) {
      if (!(this.regsUsed & (1 << i))) {
        this.regsUsed |= 1 << i;
        return i;
      }
    }
    this.err('too many registers needed to evaluate expression');
  }
  protected freeReg(r: number): void {
    this.regsUsed &= ~(1 << r);
  }

  // ---- loads and comparisons ------------------------------------------------------------------

  /** Statements loading `size` bytes at `off` relative to `base` into A (libpcap's gen_load_a). */
  load(base: Base, off: number, size: number): Stmt[] {
    const rel = (o: Off, extra: number): Stmt[] => (o.reg >= 0 ? [ldxm(o.reg), ldi(size, o.c + extra)] : [ld(size, o.c + extra)]);
    switch (base) {
      case 'pkt':
        return [ld(size, off)];
      case 'linkhdr':
        return rel(this.offLinkhdr, off);
      case 'linktype':
        return rel(this.offLinktype ?? { c: 0, reg: -1 }, off);
      case 'linkpl':
        return rel(this.offLinkpl, this.offNl + off);
      case 'llc':
        return rel(this.offLinkpl, off);
      case 'nosnap':
        return rel(this.offLinkpl, this.offNlNosnap + off);
      case 'tran4':
        return [...this.loadxIpHdrLen(), ldi(size, this.offLinkpl.c + this.offNl + off)];
      case 'tran6':
        return rel(this.offLinkpl, this.offNl + 40 + off);
    }
  }

  /** X = IPv4 header length (plus the variable part of the link-layer payload offset). */
  protected loadxIpHdrLen(): Stmt[] {
    if (this.offLinkpl.reg >= 0) {
      return [ldxm(this.offLinkpl.reg), ldi(1, this.offLinkpl.c + this.offNl), alu(BPF.AND, 0xf), alu(BPF.LSH, 2), aluX(BPF.ADD), TAX];
    }
    return [{ code: BPF.LDX | BPF.B | BPF.MSH, k: this.offLinkpl.c + this.offNl }];
  }

  cmp(base: Base, off: number, size: number, v: number, op: number = BPF.JEQ, mask = 0xffffffff): Cond {
    // A zero mask makes the comparison constant; libpcap's optimizer drops the load, and so do we.
    if (mask >>> 0 === 0 && op === BPF.JEQ) return v === 0 ? C.T : C.F;
    const s = this.load(base, off, size);
    if (mask >>> 0 !== 0xffffffff) s.push(alu(BPF.AND, mask));
    return C.test(s, op, v);
  }
  mcmp(base: Base, off: number, size: number, v: number, mask: number): Cond {
    return this.cmp(base, off, size, v, BPF.JEQ, mask);
  }
  /** Compares `bytes` at `off` from the end in words, then a half word, then a byte (gen_bcmp). */
  bcmp(base: Base, off: number, bytes: Uint8Array): Cond {
    const tests: Cond[] = [];
    let size = bytes.length;
    while (size >= 4) {
      const p = size - 4;
      const w = (((bytes[p] as number) << 24) | ((bytes[p + 1] as number) << 16) | ((bytes[p + 2] as number) << 8) | (bytes[p + 3] as number)) >>> 0;
      tests.push(this.cmp(base, off + p, 4, w));
      size -= 4;
    }
    while (size >= 2) {
      const p = size - 2;
      tests.push(this.cmp(base, off + p, 2, ((bytes[p] as number) << 8) | (bytes[p + 1] as number)));
      size -= 2;
    }
    if (size > 0) tests.push(this.cmp(base, off, 1, bytes[0] as number));
    return C.and(...tests);
  }


  protected ipfragOk(): Cond {
    return C.not(C.test(this.load('linkpl', 6, 2), BPF.JSET, 0x1fff));
  }

  protected errAddrQual(dir: Qual['dir']): never {
    const long: Record<string, string> = { addr1: 'address1', addr2: 'address2', addr3: 'address3', addr4: 'address4' };
    if (dir === 'ra' || dir === 'ta') this.err(`'${dir}' is not a valid qualifier for addresses other than 802.11 MAC addresses`);
    this.err(`'${dir}' and '${long[dir] ?? dir}' are not valid qualifiers for addresses other than 802.11 MAC addresses`);
  }

  protected lenCmp(n: number, greater: boolean): Cond {
    const s: Stmt[] = [{ code: BPF.LD | BPF.W | BPF.LEN, k: 0 }];
    return greater ? C.test(s, BPF.JGE, n) : C.not(C.test(s, BPF.JGT, n));
  }
}

/** Evaluates a BPF ALU operation on 32-bit unsigned values (libpcap's constant folding). */
export function foldAlu(op: number, a: number, b: number): number {
  switch (op) {
    case BPF.ADD: return (a + b) >>> 0;
    case BPF.SUB: return (a - b) >>> 0;
    case BPF.MUL: return Math.imul(a, b) >>> 0;
    case BPF.DIV: return b === 0 ? 0 : Math.floor(a / b) >>> 0;
    case BPF.MOD: return b === 0 ? 0 : (a % b) >>> 0;
    case BPF.AND: return (a & b) >>> 0;
    case BPF.OR: return (a | b) >>> 0;
    case BPF.XOR: return (a ^ b) >>> 0;
    case BPF.LSH: return b >= 32 ? 0 : (a << b) >>> 0;
    case BPF.RSH: return b >= 32 ? 0 : a >>> b;
    default: return a;
  }
}
