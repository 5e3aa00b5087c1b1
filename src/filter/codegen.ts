/**
 * Code generation from the syntax tree to a condition tree of BPF tests, following the semantics of
 * libpcap 1.10's gencode.c: link-layer offsets per link type (gen-link.ts), the protocol checks each
 * primitive implies (gen-net.ts), and the offset shifts that `vlan`, `mpls`, `pppoes` and `geneve`
 * apply to everything after them in the expression (in source order, as libpcap does). This file holds
 * Geneve, arithmetic and the tree walk.
 */
import type { Arth, Expr } from './ast.js';
import { BPF } from './bpf.js';
import type { Cond, Stmt } from './cfg.js';
import { C } from './cfg.js';
import type { Off } from './gen-core.js';
import { ALU_OPS, alu, aluX, ETHERTYPE, foldAlu, imm, IPPROTO, ld, ldi, ldm, ldxm, st, TAX, TXA } from './gen-core.js';
import { NetGen } from './gen-net.js';

export { foldAlu, PCAP_NETMASK_UNKNOWN } from './gen-core.js';
export type { GenOptions } from './gen-core.js';
export { PROTOCHAIN_DEPTH } from './gen-net.js';

/** A value computed by an arithmetic expression: statements leaving it in A, plus protocol checks. */
interface Val {
  /** Emits statements leaving the value in A. */
  emit: () => Stmt[];
  /** Constant value when known at compile time. */
  konst?: number;
  checks: Cond[];
}

/** Generates conditions for one expression; create one per compile. */
export class CodeGen extends NetGen {
  /**
   * Geneve (RFC 8926) over UDP port 6081, IPv4 or IPv6. Everything after it looks inside the
   * tunnel: the inner protocol type (or inner Ethernet type for 0x6558) and payload offsets are
   * computed at run time into scratch registers, as libpcap's gen_geneve does.
   */
  protected geneve(vni: number | undefined): Cond {
    if (vni !== undefined && vni > 0xffffff) this.err(`Geneve VNI ${vni} greater than maximum 16777215`);
    const GENEVE_PORT = 6081;
    const vniTest = (base: 'tran4' | 'tran6'): Cond[] => (vni === undefined ? [] : [this.mcmp(base, 12, 4, (vni << 8) >>> 0, 0xffffff00)]);
    const v4 = C.and(
      this.linktype(ETHERTYPE.IP),
      this.cmp('linkpl', 9, 1, IPPROTO.UDP),
      this.ipfragOk(),
      this.portatom('tran4', 2, GENEVE_PORT),
      this.mcmp('tran4', 8, 1, 0, 0xc0),
      ...vniTest('tran4'),
      C.test([...this.loadxIpHdrLen(), TXA], BPF.JEQ, 0, true),
    );
    const v6 = C.and(
      this.linktype(ETHERTYPE.IPV6),
      this.cmp('linkpl', 6, 1, IPPROTO.UDP),
      this.portatom('tran6', 2, GENEVE_PORT),
      this.mcmp('tran6', 8, 1, 0, 0xc0),
      ...vniTest('tran6'),
      C.test([imm(40), TAX], BPF.JEQ, 0, true),
    );
    const rLt = this.allocReg();
    const rHdr = this.allocReg();
    const rPl = this.allocReg();
    // A holds the IP header length here; X becomes the Geneve header's offset.
    const hdr: Stmt[] = [
      alu(BPF.ADD, this.offLinkpl.c + this.offNl + 8), TAX, alu(BPF.ADD, 2), st(rLt),
      ldi(1, 0), alu(BPF.AND, 0x3f), alu(BPF.MUL, 4), alu(BPF.ADD, 8), aluX(BPF.ADD), st(rHdr),
      ldi(2, 2), ldxm(rHdr),
    ];
    if (this.offLinkpl.reg >= 0) hdr.unshift(ldxm(this.offLinkpl.reg), aluX(BPF.ADD));
    const done: Cond = { c: 'shared', a: { c: 'seq', stmts: [{ code: BPF.STX, k: rPl }], then: C.T } };
    const eth: Cond = { c: 'seq', stmts: [TXA, alu(BPF.ADD, 12), st(rLt), alu(BPF.ADD, 2), TAX], then: done };
    const offsets: Cond = { c: 'ite', cond: { c: 'test', stmts: hdr, code: BPF.JMP | BPF.JEQ | BPF.K, k: 0x6558 }, a: eth, b: done };
    this.offLinktype = { c: 0, reg: rLt };
    this.offLinkhdr = { c: 0, reg: rHdr };
    this.offLinkpl = { c: 0, reg: rPl };
    this.offNl = 0;
    this.offNlNosnap = 0;
    this.isGeneve = true;
    return C.and(C.or(v4, v6), offsets);
  }

  // ---- arithmetic -----------------------------------------------------------------------------

  /**
   * Compiles an arithmetic expression; constant subexpressions are folded at compile time. Code is
   * emitted later (emit) so that scratch registers are allocated in execution order and nest.
   */
  arth(a: Arth): Val {
    switch (a.k) {
      case 'num':
        return { konst: a.v >>> 0, emit: () => [imm(a.v)], checks: [] };
      case 'len':
        return { emit: () => [{ code: BPF.LD | BPF.W | BPF.LEN, k: 0 }], checks: [] };
      case 'neg': {
        const v = this.arth(a.a);
        if (v.konst !== undefined) {
          const k = -v.konst >>> 0;
          return { konst: k, emit: () => [imm(k)], checks: v.checks };
        }
        return { emit: () => [...v.emit(), { code: BPF.ALU | BPF.NEG, k: 0 }], checks: v.checks };
      }
      case 'bin': {
        const x = this.arth(a.a);
        const y = this.arth(a.b);
        const op = ALU_OPS[a.op] as number;
        // gen_arth returns the left operand, so only its protocol checks survive (libpcap behaviour).
        const checks = x.checks;
        if ((op === BPF.DIV || op === BPF.MOD) && y.konst === 0) this.err(op === BPF.DIV ? 'division by zero' : 'modulus by zero');
        if ((op === BPF.LSH || op === BPF.RSH) && y.konst !== undefined && y.konst > 31) this.err('shift by more than 31 bits');
        if (x.konst !== undefined && y.konst !== undefined) {
          const k = foldAlu(op, x.konst, y.konst);
          return { konst: k, emit: () => [imm(k)], checks };
        }
        const yk = y.konst;
        if (yk !== undefined) return { emit: () => [...x.emit(), alu(op, yk)], checks };
        return {
          emit: () => {
            const xs = x.emit();
            const r = this.allocReg();
            const ys = y.emit();
            this.freeReg(r);
            return [...xs, st(r), ...ys, TAX, ldm(r), aluX(op)];
          },
          checks,
        };
      }
      case 'load':
        return this.loadExpr(a);
    }
  }

  protected loadExpr(a: Arth & { k: 'load' }): Val {
    const size = a.size;
    const savedPos = this.pos;
    if (size !== 1 && size !== 2 && size !== 4) this.err('data size must be 1, 2, or 4');
    const idx = this.arth(a.index);
    this.pos = savedPos;
    const checks = [...idx.checks];
    const ik = idx.konst;
    const indexed = (base: Off, extra: number): (() => Stmt[]) => {
      if (ik !== undefined && base.reg < 0) return () => [ld(size, base.c + extra + ik)];
      if (base.reg >= 0) {
        if (ik !== undefined) return () => [ldxm(base.reg), ldi(size, base.c + extra + ik)];
        return () => [...idx.emit(), ldxm(base.reg), aluX(BPF.ADD), TAX, ldi(size, base.c + extra)];
      }
      return () => [...idx.emit(), TAX, ldi(size, base.c + extra)];
    };
    switch (a.proto) {
      case 'radio':
        // Relative to the start of the packet, where the radio header is (radiotap only here).
        if (this.ll.prefix === 'radiotap') return { emit: indexed({ c: 0, reg: -1 }, 0), checks };
        this.err('radio information not present in capture');
      // eslint-disable-next-line no-fallthrough
      case 'link':
        return { emit: indexed(this.offLinkhdr, 0), checks };
      case 'ip': case 'arp': case 'rarp': case 'atalk': case 'decnet': case 'sca': case 'lat': case 'moprc': case 'mopdl': case 'ip6': {
        const e = indexed(this.offLinkpl, this.offNl);
        checks.push(this.protoAbbrev(a.proto));
        return { emit: e, checks };
      }
      case 'sctp': case 'tcp': case 'udp': case 'icmp': case 'igmp': case 'igrp': case 'pim': case 'vrrp': case 'carp': {
        const ip = this.protoAbbrev('ip');
        const pc = this.protoAbbrev(a.proto);
        const frag = this.ipfragOk();
        const hl = this.loadxIpHdrLen();
        const k = this.offLinkpl.c + this.offNl;
        const emit = (): Stmt[] => {
          if (ik !== undefined) return [...hl, ldi(size, k + ik)];
          const is = idx.emit();
          const r = this.allocReg();
          this.freeReg(r);
          return [...is, st(r), ...hl, ldm(r), aluX(BPF.ADD), TAX, ldi(size, k)];
        };
        return { emit, checks: [ip, ...checks, pc, frag] };
      }
      case 'icmp6': {
        const c6 = this.protoAbbrev('ip6');
        const nh = this.cmp('linkpl', 6, 1, IPPROTO.ICMPV6);
        return { emit: indexed(this.offLinkpl, this.offNl + 40), checks: [...checks, c6, nh] };
      }
      default:
        this.err('unsupported index operation');
    }
  }

  protected relation(op: string, a: Arth, b: Arth): Cond {
    const x = this.arth(a);
    const y = this.arth(b);
    const codes: Record<string, [number, boolean]> = { '>': [BPF.JGT, false], '>=': [BPF.JGE, false], '=': [BPF.JEQ, false], '<=': [BPF.JGT, true], '<': [BPF.JGE, true], '!=': [BPF.JEQ, true] };
    const [jop, rev] = codes[op] as [number, boolean];
    let t: Cond;
    const xk = x.konst;
    if (xk !== undefined && y.konst !== undefined) {
      const v = jop === BPF.JEQ ? xk === y.konst : jop === BPF.JGT ? xk > y.konst : xk >= y.konst;
      t = v ? C.T : C.F;
    } else if (y.konst !== undefined) t = C.test(x.emit(), jop, y.konst);
    else {
      const xs = x.emit();
      const r = this.allocReg();
      const ys = y.emit();
      this.freeReg(r);
      t = C.test([...xs, st(r), ...ys, TAX, ldm(r)], jop, 0, true);
    }
    if (rev) t = C.not(t);
    return x.checks.length || y.checks.length ? C.and(...x.checks, ...y.checks, t) : t;
  }

  // ---- tree walk ------------------------------------------------------------------------------

  /** Compiles a whole expression tree in source order (offset-shifting primitives affect what follows). */
  expr(e: Expr): Cond {
    switch (e.k) {
      case 'and':
      case 'or': {
        const items: Cond[] = [];
        for (const it of e.items) items.push(this.expr(it));
        return e.k === 'and' ? C.and(...items) : C.or(...items);
      }
      case 'not':
        return C.not(this.expr(e.e));
      default:
        return this.primitive(e);
    }
  }

  /** Compiles one primitive (anything but and/or/not). */
  primitive(e: Expr): Cond {
    this.pos = e.pos;
    switch (e.k) {
      case 'id':
        return this.id(e.q, e.id);
      case 'proto':
        return this.protoAbbrev(e.proto);
      case 'rel':
        return this.relation(e.op, e.a, e.b);
      case 'other':
        switch (e.kind) {
          case 'broadcast':
            return this.broadcast(e.proto);
          case 'multicast':
            return this.multicast(e.proto);
          case 'less':
            return this.lenCmp(e.num ?? 0, false);
          case 'greater':
            return this.lenCmp(e.num ?? 0, true);
          case 'byte':
            return this.byteop(e.num ?? 0, e.byteop ?? '=', Number(e.arg));
          case 'inbound':
            return this.inbound(false);
          case 'outbound':
            return this.inbound(true);
          case 'ifindex':
            return this.ifindex(e.num ?? 0);
          case 'vlan':
            return this.vlan(e.num);
          case 'mpls':
            return this.mpls(e.num);
          case 'pppoed':
            return this.linktype(ETHERTYPE.PPPOED);
          case 'pppoes':
            return this.pppoes(e.num);
          case 'geneve':
            return this.geneve(e.num);
          case 'llc':
            return this.llc(e.arg);
          case 'wlantype':
            return this.p80211('type', e.num ?? 0, e.mask ?? 0);
          case 'wlandir':
            return this.p80211('dir', e.num ?? 0, 0x03);
          case 'unsupported':
            return this.unsupportedKw(e.keyword ?? '');
        }
        return this.err('syntax error in filter expression');
      default:
        this.err('syntax error in filter expression');
    }
  }

  protected unsupportedKw(kw: string): never {
    const pf: Record<string, string> = { ifname: 'ifname', rset: 'ruleset', rnr: 'rnr', srnr: 'srnr', reason: 'reason', action: 'action' };
    if (pf[kw]) this.err(`${pf[kw]} supported only on PF linktype`);
    if (['sio', 'opc', 'dpc', 'sls', 'hsio', 'hopc', 'hdpc', 'hsls'].includes(kw)) this.err(`'${kw.replace(/^h/, '')}' supported only on SS7`);
    if (['hfisu', 'hlssu', 'hmsu'].includes(kw)) this.err(`'${kw}' supported only on MTP2_HSL`);
    if (['vpi', 'vci', 'lane', 'metac', 'bcc', 'oamf4ec', 'oamf4sc', 'sc', 'ilmic', 'oam', 'oamf4', 'connectmsg', 'metaconnect'].includes(kw)) this.err(`'${kw}' supported only on raw ATM`);
    this.err(`'${kw}' supported only on MTP2`);
  }
}
