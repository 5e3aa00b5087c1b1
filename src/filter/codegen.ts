/**
 * Code generation from the syntax tree to a condition tree of BPF tests, following the semantics of
 * libpcap 1.10's gencode.c: link-layer offsets per link type, the protocol checks each primitive
 * implies, and the offset shifts that `vlan`, `mpls` and `pppoes` apply to everything after them in
 * the expression (in source order, as libpcap does).
 */
import type { Arth, Expr, IdForm, ProtoQual, Qual } from './ast.js';
import { BPF, SKF_AD } from './bpf.js';
import type { Cond, Stmt } from './cfg.js';
import { C } from './cfg.js';
import { FilterError } from './errors.js';
import { LINK_TYPE_DESCRIPTIONS } from '../pcap/linktype.js';
import { EtherType, LinkType } from '../numbers.js';
import type { HostAddr } from './names.js';
import { ETHER_PROTO_NAMES, LLC_NAMES, lookupEther, lookupHost, lookupNetwork, lookupPort, lookupPortRange, lookupProtocol, parseIPv6, parseMac } from './names.js';

/** libpcap's PCAP_NETMASK_UNKNOWN: `ip broadcast` cannot be compiled with it. */
export const PCAP_NETMASK_UNKNOWN = 0xffffffff;

const ETHERTYPE = { ...EtherType, IP: EtherType.IPv4, IPV6: EtherType.IPv6, REVARP: EtherType.RARP, MPLS: EtherType.MPLS, PPPOED: EtherType.PPPOE_DISC, PPPOES: EtherType.PPPOE_SESS, QINQOLD: EtherType.VLAN9100 } as const;
const LLCSAP = { IP: 0x06, ISONS: 0xfe, NETBEUI: 0xf0, IPX: 0xe0, STP: 0x42, SNAP: 0xaa } as const;
const IPPROTO = { ICMP: 1, IGMP: 2, TCP: 6, IGRP: 9, UDP: 17, FRAGMENT: 44, ESP: 50, AH: 51, ICMPV6: 58, PIM: 103, VRRP: 112, SCTP: 132 } as const;
const ETHERMTU = 1500;

/** Where an offset is counted from (libpcap's offrel). */
type Base = 'pkt' | 'linkhdr' | 'linktype' | 'linkpl' | 'nosnap' | 'tran4' | 'tran6';

/** An offset with an optional variable part held in scratch register `reg` (libpcap's bpf_abs_offset). */
interface Off {
  c: number;
  reg: number;
}

/** Options the generator needs. */
export interface GenOptions {
  linkType: number;
  netmask: number;
  vlanAncillary: boolean;
}

const SIZE: Readonly<Record<number, number>> = { 1: BPF.B, 2: BPF.H, 4: BPF.W };
const ALU_OPS: Readonly<Record<string, number>> = { '+': BPF.ADD, '-': BPF.SUB, '*': BPF.MUL, '/': BPF.DIV, '%': BPF.MOD, '&': BPF.AND, '|': BPF.OR, '^': BPF.XOR, '<<': BPF.LSH, '>>': BPF.RSH };

const ld = (size: number, k: number): Stmt => ({ code: BPF.LD | (SIZE[size] as number) | BPF.ABS, k: k >>> 0 });
const ldi = (size: number, k: number): Stmt => ({ code: BPF.LD | (SIZE[size] as number) | BPF.IND, k: k >>> 0 });
const imm = (k: number): Stmt => ({ code: BPF.LD | BPF.IMM, k: k >>> 0 });
const alu = (op: number, k: number): Stmt => ({ code: BPF.ALU | op | BPF.K, k: k >>> 0 });
const aluX = (op: number): Stmt => ({ code: BPF.ALU | op | BPF.X, k: 0 });
const st = (r: number): Stmt => ({ code: BPF.ST, k: r });
const ldm = (r: number): Stmt => ({ code: BPF.LD | BPF.MEM, k: r });
const ldxm = (r: number): Stmt => ({ code: BPF.LDX | BPF.MEM, k: r });
const TAX: Stmt = { code: BPF.MISC | BPF.TAX, k: 0 };
const TXA: Stmt = { code: BPF.MISC | BPF.TXA, k: 0 };

/** A value computed by an arithmetic expression: statements leaving it in A, plus protocol checks. */
interface Val {
  /** Emits statements leaving the value in A. */
  emit: () => Stmt[];
  /** Constant value when known at compile time. */
  konst?: number;
  checks: Cond[];
}

const PROTO_TEXT: Partial<Record<ProtoQual, string>> = { link: 'link' };
const protoName = (p: ProtoQual): string => PROTO_TEXT[p] ?? p;

/** Generates conditions for one expression; create one per compile. */
export class CodeGen {
  private readonly lt: number;
  private linkType: number;
  private offLinkhdr: Off = { c: 0, reg: -1 };
  private offLinktype: Off | null;
  private offLinkpl: Off;
  private offNl = 0;
  private offNlNosnap = 0;
  private labelStackDepth = 0;
  private vlanStackDepth = 0;
  private isPppoes = false;
  private isGeneve = false;
  private regsUsed = 0;
  private pos = 0;
  /** Statements that must run first in the program (initial values of offset registers). */
  readonly entryStmts: Stmt[] = [];
  /** Set by `protochain`: libpcap then skips its optimizer (the program has a backward loop). */
  noOptimize = false;
  private readonly desc: string;

  constructor(private readonly opts: GenOptions) {
    this.lt = opts.linkType;
    this.linkType = opts.linkType;
    this.desc = LINK_TYPE_DESCRIPTIONS[opts.linkType] ?? `DLT ${opts.linkType}`;
    switch (opts.linkType) {
      case LinkType.EN10MB:
        this.offLinktype = { c: 12, reg: -1 };
        this.offLinkpl = { c: 14, reg: -1 };
        this.offNlNosnap = 3;
        break;
      case LinkType.LINUX_SLL:
        this.offLinktype = { c: 14, reg: -1 };
        this.offLinkpl = { c: 16, reg: -1 };
        break;
      case LinkType.LINUX_SLL2:
        this.offLinktype = { c: 0, reg: -1 };
        this.offLinkpl = { c: 20, reg: -1 };
        break;
      case LinkType.NULL:
      case LinkType.LOOP:
        this.offLinktype = { c: 0, reg: -1 };
        this.offLinkpl = { c: 4, reg: -1 };
        break;
      case LinkType.RAW:
      case LinkType.IPV4:
      case LinkType.IPV6:
        this.offLinktype = null;
        this.offLinkpl = { c: 0, reg: -1 };
        break;
      default:
        throw new FilterError(`unknown data link type ${opts.linkType}`);
    }
  }

  /** Throws a FilterError positioned at the primitive being compiled. */
  err(msg: string): never {
    throw new FilterError(msg, this.pos);
  }

  private allocReg(): number {
    for (let i = 0; i < 16; i++) {
      if (!(this.regsUsed & (1 << i))) {
        this.regsUsed |= 1 << i;
        return i;
      }
    }
    this.err('too many registers needed to evaluate expression');
  }
  private freeReg(r: number): void {
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
      case 'nosnap':
        return rel(this.offLinkpl, this.offNlNosnap + off);
      case 'tran4':
        return [...this.loadxIpHdrLen(), ldi(size, this.offLinkpl.c + this.offNl + off)];
      case 'tran6':
        return rel(this.offLinkpl, this.offNl + 40 + off);
    }
  }

  /** X = IPv4 header length (plus the variable part of the link-layer payload offset). */
  private loadxIpHdrLen(): Stmt[] {
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

  // ---- link layer -----------------------------------------------------------------------------

  private notLen8023(): Cond {
    return C.not(this.cmp('linktype', 0, 2, ETHERMTU, BPF.JGT));
  }

  private snap(orgcode: number, ptype: number): Cond {
    const b = new Uint8Array([LLCSAP.SNAP, LLCSAP.SNAP, 0x03, (orgcode >>> 16) & 0xff, (orgcode >>> 8) & 0xff, orgcode & 0xff, (ptype >>> 8) & 0xff, ptype & 0xff]);
    return this.bcmp('linkpl', 0, b);
  }

  /** Tests that the link layer carries protocol `p` (an EtherType or an LLC SAP), as gen_linktype does. */
  linktype(p: number): Cond {
    if (this.labelStackDepth > 0) return this.mplsLinktype(p);
    if (this.isPppoes) return this.pppLinktype(p);
    if (this.isGeneve) return this.etherLinktype(p);
    switch (this.lt) {
      case LinkType.EN10MB:
        return this.etherLinktype(p);
      case LinkType.LINUX_SLL:
        return this.sllLinktype(p);
      case LinkType.LINUX_SLL2:
        return this.cmp('linktype', 0, 2, p);
      case LinkType.RAW:
        if (p === ETHERTYPE.IP) return this.mcmp('linkhdr', 0, 1, 0x40, 0xf0);
        if (p === ETHERTYPE.IPV6) return this.mcmp('linkhdr', 0, 1, 0x60, 0xf0);
        return C.F;
      case LinkType.IPV4:
        return p === ETHERTYPE.IP ? C.T : C.F;
      case LinkType.IPV6:
        return p === ETHERTYPE.IPV6 ? C.T : C.F;
      case LinkType.NULL:
      case LinkType.LOOP: {
        const swap = (v: number): number => (this.lt === LinkType.NULL ? (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0 : v);
        if (p === ETHERTYPE.IP) return this.cmp('linktype', 0, 4, swap(2));
        if (p === ETHERTYPE.IPV6) return C.or(this.cmp('linktype', 0, 4, swap(24)), this.cmp('linktype', 0, 4, swap(28)), this.cmp('linktype', 0, 4, swap(30)));
        return C.F;
      }
      default:
        return C.F;
    }
  }

  private etherLinktype(p: number): Cond {
    switch (p) {
      case LLCSAP.ISONS:
      case LLCSAP.IP:
      case LLCSAP.NETBEUI:
        return C.and(this.notLen8023(), this.cmp('linkpl', 0, 2, (p << 8) | p));
      case LLCSAP.IPX:
        return C.or(
          this.cmp('linktype', 0, 2, ETHERTYPE.IPX),
          C.and(this.notLen8023(), C.or(this.snap(0x000000, ETHERTYPE.IPX), this.cmp('linkpl', 0, 1, LLCSAP.IPX), this.cmp('linkpl', 0, 2, 0xffff))),
        );
      case ETHERTYPE.ATALK:
      case ETHERTYPE.AARP:
        return C.or(this.cmp('linktype', 0, 2, p), C.and(this.notLen8023(), p === ETHERTYPE.ATALK ? this.snap(0x080007, ETHERTYPE.ATALK) : this.snap(0x000000, ETHERTYPE.AARP)));
      default:
        if (p <= ETHERMTU) return C.and(this.notLen8023(), this.cmp('linktype', 2, 1, p));
        return this.cmp('linktype', 0, 2, p);
    }
  }

  private sllLinktype(p: number): Cond {
    const P_802_2 = 4;
    const P_802_3 = 1;
    switch (p) {
      case LLCSAP.ISONS:
      case LLCSAP.IP:
      case LLCSAP.NETBEUI:
        return C.and(this.cmp('linktype', 0, 2, P_802_2), this.cmp('linkpl', 0, 2, (p << 8) | p));
      case LLCSAP.IPX:
        return C.or(
          this.cmp('linktype', 0, 2, ETHERTYPE.IPX),
          this.cmp('linktype', 0, 2, P_802_3),
          C.and(this.cmp('linktype', 0, 2, P_802_2), C.or(this.cmp('linkpl', 0, 1, LLCSAP.IPX), this.snap(0, ETHERTYPE.IPX))),
        );
      case ETHERTYPE.ATALK:
      case ETHERTYPE.AARP:
        return C.or(this.cmp('linktype', 0, 2, p), C.and(this.cmp('linktype', 0, 2, P_802_2), p === ETHERTYPE.ATALK ? this.snap(0x080007, ETHERTYPE.ATALK) : this.snap(0, ETHERTYPE.AARP)));
      default:
        if (p <= ETHERMTU) return C.and(this.cmp('linktype', 0, 2, P_802_2), this.cmp('linkhdr', this.offLinkpl.c, 1, p));
        return this.cmp('linktype', 0, 2, p);
    }
  }

  private pppLinktype(p: number): Cond {
    const map: Readonly<Record<number, number>> = { [ETHERTYPE.IP]: 0x21, [ETHERTYPE.IPV6]: 0x57, [ETHERTYPE.DN]: 0x27, [ETHERTYPE.ATALK]: 0x29, [LLCSAP.ISONS]: 0x23, [LLCSAP.IPX]: 0x2b, 0x0600: 0x25 };
    return this.cmp('linktype', 0, 2, map[p] ?? p);
  }

  private mplsLinktype(p: number): Cond {
    if (p === ETHERTYPE.IP || p === ETHERTYPE.IPV6) {
      return C.and(this.mcmp('linkpl', -2, 1, 0x01, 0x01), this.mcmp('linkpl', 0, 1, p === ETHERTYPE.IP ? 0x40 : 0x60, 0xf0));
    }
    this.err('unsupported protocol over mpls');
  }

  private needEthernet(): void {
    if (this.lt !== LinkType.EN10MB) this.err('ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel');
  }

  /** gen_ehostop: Ethernet source/destination address tests. */
  private ehost(mac: Uint8Array, dir: Qual['dir']): Cond {
    switch (dir) {
      case 'src':
        return this.bcmp('linkhdr', 6, mac);
      case 'dst':
        return this.bcmp('linkhdr', 0, mac);
      case 'and':
        return C.and(this.ehost(mac, 'src'), this.ehost(mac, 'dst'));
      case 'default':
      case 'or':
        return C.or(this.ehost(mac, 'src'), this.ehost(mac, 'dst'));
      default:
        return this.err80211(dir);
    }
  }

  private err80211(dir: Qual['dir']): never {
    const long: Record<string, string> = { addr1: 'address1', addr2: 'address2', addr3: 'address3', addr4: 'address4' };
    if (dir === 'ra' || dir === 'ta') this.err(`'${dir}' is only supported on 802.11 with 802.11 headers`);
    this.err(`'${dir}' and '${long[dir] ?? dir}' are only supported on 802.11 with 802.11 headers`);
  }

  // ---- IPv4/IPv6 hosts and networks -----------------------------------------------------------

  private hostop(addr: number, mask: number, dir: Qual['dir'], proto: number, srcOff: number, dstOff: number): Cond {
    switch (dir) {
      case 'src':
      case 'dst':
        return C.and(this.linktype(proto), this.mcmp('linkpl', dir === 'src' ? srcOff : dstOff, 4, addr & mask, mask));
      case 'and':
        return C.and(this.hostop(addr, mask, 'src', proto, srcOff, dstOff), this.hostop(addr, mask, 'dst', proto, srcOff, dstOff));
      case 'default':
      case 'or':
        return C.or(this.hostop(addr, mask, 'src', proto, srcOff, dstOff), this.hostop(addr, mask, 'dst', proto, srcOff, dstOff));
      default:
        this.errAddrQual(dir);
    }
  }

  private errAddrQual(dir: Qual['dir']): never {
    const long: Record<string, string> = { addr1: 'address1', addr2: 'address2', addr3: 'address3', addr4: 'address4' };
    if (dir === 'ra' || dir === 'ta') this.err(`'${dir}' is not a valid qualifier for addresses other than 802.11 MAC addresses`);
    this.err(`'${dir}' and '${long[dir] ?? dir}' are not valid qualifiers for addresses other than 802.11 MAC addresses`);
  }

  private hostop6(addr: number[], mask: number[], dir: Qual['dir'], srcOff: number, dstOff: number): Cond {
    switch (dir) {
      case 'src':
      case 'dst': {
        const o = dir === 'src' ? srcOff : dstOff;
        // Words with an all-zero mask always match; libpcap's optimizer removes them, so never load them.
        const words = [0, 1, 2, 3].filter((i) => mask[i] !== 0).map((i) => this.mcmp('linkpl', o + 4 * i, 4, ((addr[i] as number) & (mask[i] as number)) >>> 0, mask[i] as number));
        return C.and(this.linktype(ETHERTYPE.IPV6), ...words);
      }
      case 'and':
        return C.and(this.hostop6(addr, mask, 'src', srcOff, dstOff), this.hostop6(addr, mask, 'dst', srcOff, dstOff));
      case 'default':
      case 'or':
        return C.or(this.hostop6(addr, mask, 'src', srcOff, dstOff), this.hostop6(addr, mask, 'dst', srcOff, dstOff));
      default:
        this.errAddrQual(dir);
    }
  }

  /** gen_host: IPv4 address/mask for a protocol qualifier. */
  host(addr: number, mask: number, proto: ProtoQual, dir: Qual['dir'], type: 'host' | 'net'): Cond {
    const typestr = type === 'net' ? 'net' : 'host';
    switch (proto) {
      case 'default':
        // Inside MPLS only IPv4 can be meant (libpcap skips ARP and RARP there).
        if (this.labelStackDepth > 0) return this.host(addr, mask, 'ip', dir, type);
        return C.or(this.host(addr, mask, 'ip', dir, type), this.host(addr, mask, 'arp', dir, type), this.host(addr, mask, 'rarp', dir, type));
      case 'link':
        this.err(`link-layer modifier applied to ${typestr}`);
      // eslint-disable-next-line no-fallthrough
      case 'ip':
        return this.hostop(addr, mask, dir, ETHERTYPE.IP, 12, 16);
      case 'arp':
        return this.hostop(addr, mask, dir, ETHERTYPE.ARP, 14, 24);
      case 'rarp':
        return this.hostop(addr, mask, dir, ETHERTYPE.REVARP, 14, 24);
      case 'decnet':
        return this.dnhost(addr, dir);
      case 'atalk':
        this.err('AppleTalk host filtering not implemented');
      // eslint-disable-next-line no-fallthrough
      case 'aarp': case 'sca': case 'lat': case 'moprc': case 'mopdl': case 'iso': case 'ipx':
        this.err(`${proto.toUpperCase()} host filtering not implemented`);
      // eslint-disable-next-line no-fallthrough
      case 'ip6':
        this.err("'ip6' modifier applied to ip host");
      // eslint-disable-next-line no-fallthrough
      default:
        this.err(`'${protoName(proto)}' modifier applied to ${typestr}`);
    }
  }

  private host6(addr: number[], mask: number[], proto: ProtoQual, dir: Qual['dir'], type: 'host' | 'net'): Cond {
    const typestr = type === 'net' ? 'net' : 'host';
    switch (proto) {
      case 'default':
      case 'ip6':
        return this.hostop6(addr, mask, dir, 8, 24);
      case 'link':
        this.err(`link-layer modifier applied to ip6 ${typestr}`);
      // eslint-disable-next-line no-fallthrough
      case 'atalk':
        this.err(`AppleTalk modifier applied to ip6 ${typestr}`);
      // eslint-disable-next-line no-fallthrough
      default:
        this.err(`'${protoName(proto)}' modifier applied to ip6 ${typestr}`);
    }
  }

  /** DECnet host test (gen_dnhostop): four header layouts, with and without padding. */
  private dnhost(addr: number, dir: Qual['dir']): Cond {
    let offSrc = 0;
    switch (dir) {
      case 'dst':
        offSrc = 0;
        break;
      case 'src':
        offSrc = 2;
        break;
      case 'and':
        return C.and(this.dnhost(addr, 'src'), this.dnhost(addr, 'dst'));
      case 'default':
      case 'or':
        return C.or(this.dnhost(addr, 'src'), this.dnhost(addr, 'dst'));
      default:
        this.errAddrQual(dir);
    }
    const dstOff = 1 + offSrc;
    const swapped = ((addr & 0xff) << 8) | ((addr >>> 8) & 0xff);
    const addrOff = (base: number): Cond => this.cmp('linkpl', base, 2, swapped);
    const b = C.or(
      C.and(this.mcmp('linkpl', 2, 1, 0x02, 0x07), addrOff(2 + 1 + 2 + dstOff)),
      C.and(this.mcmp('linkpl', 2, 2, 0x8102, 0xff07), addrOff(2 + 1 + 1 + 2 + dstOff)),
      C.and(this.mcmp('linkpl', 2, 1, 0x06, 0x07), addrOff(2 + 1 + 2 + 8 + 1 + dstOff + (offSrc ? 4 : 0))),
      C.and(this.mcmp('linkpl', 2, 2, 0x8106, 0xff07), addrOff(2 + 1 + 1 + 2 + 8 + 1 + dstOff + (offSrc ? 4 : 0))),
    );
    return C.and(this.linktype(ETHERTYPE.DN), b);
  }

  // ---- transport ports ------------------------------------------------------------------------

  private ipfragOk(): Cond {
    return C.not(C.test(this.load('linkpl', 6, 2), BPF.JSET, 0x1fff));
  }

  private portatom(base: 'tran4' | 'tran6', off: number, v: number): Cond {
    return this.cmp(base, off, 2, v);
  }
  private portrangeatom(base: 'tran4' | 'tran6', off: number, v1: number, v2: number): Cond {
    const lo = Math.min(v1, v2);
    const hi = Math.max(v1, v2);
    return C.and(this.cmp(base, off, 2, lo, BPF.JGE), C.not(this.cmp(base, off, 2, hi, BPF.JGT)));
  }

  private dirOf(dir: Qual['dir'], atom: (off: number) => Cond): Cond {
    switch (dir) {
      case 'src':
        return atom(0);
      case 'dst':
        return atom(2);
      case 'and':
        return C.and(atom(0), atom(2));
      case 'default':
      case 'or':
        return C.or(atom(0), atom(2));
      default:
        this.errAddrQual(dir);
    }
  }

  /** `port`/`portrange` over IPv4 and IPv6 for protocol `ipProto` (undefined: tcp, udp and sctp). */
  private portExpr(ipProto: number | undefined, dir: Qual['dir'], atom4: (off: number) => Cond, atom6: (off: number) => Cond): Cond {
    const protos = ipProto === undefined ? [IPPROTO.SCTP, IPPROTO.TCP, IPPROTO.UDP] : [ipProto];
    const v6 = C.and(this.linktype(ETHERTYPE.IPV6), C.or(...protos.map((p) => C.and(this.cmp('linkpl', 6, 1, p), this.dirOf(dir, atom6)))));
    const v4 = C.and(this.linktype(ETHERTYPE.IP), C.or(...protos.map((p) => C.and(this.cmp('linkpl', 9, 1, p), this.ipfragOk(), this.dirOf(dir, atom4)))));
    return C.or(v6, v4);
  }

  port(v: number, ipProto: number | undefined, dir: Qual['dir']): Cond {
    return this.portExpr(ipProto, dir, (o) => this.portatom('tran4', o, v), (o) => this.portatom('tran6', o, v));
  }
  portrange(v1: number, v2: number, ipProto: number | undefined, dir: Qual['dir']): Cond {
    return this.portExpr(ipProto, dir, (o) => this.portrangeatom('tran4', o, v1, v2), (o) => this.portrangeatom('tran6', o, v1, v2));
  }

  // ---- protocols ------------------------------------------------------------------------------

  /** gen_proto: `PROTO proto N`. */
  proto(v: number, proto: ProtoQual, dir: Qual['dir']): Cond {
    if (dir !== 'default') this.err("direction applied to 'proto'");
    switch (proto) {
      case 'default':
        return C.or(this.proto(v, 'ip', dir), this.proto(v, 'ip6', dir));
      case 'link':
        return this.linktype(v);
      case 'ip':
        return C.and(this.linktype(ETHERTYPE.IP), this.cmp('linkpl', 9, 1, v));
      case 'ip6':
        return C.and(this.linktype(ETHERTYPE.IPV6), C.or(this.cmp('linkpl', 6, 1, v), C.and(this.cmp('linkpl', 6, 1, IPPROTO.FRAGMENT), this.cmp('linkpl', 40, 1, v))));
      case 'iso':
        return C.and(this.linktype(LLCSAP.ISONS), this.cmp('nosnap', 0, 1, v));
      case 'isis':
        return C.and(this.proto(0x83, 'iso', dir), this.cmp('nosnap', 4, 1, v));
      case 'arp':
      case 'rarp':
        this.err(`${proto} does not encapsulate another protocol`);
      // eslint-disable-next-line no-fallthrough
      case 'sca': case 'lat': case 'moprc': case 'mopdl':
        this.err(`${proto.toUpperCase()} does not encapsulate another protocol`);
      // eslint-disable-next-line no-fallthrough
      case 'atalk':
        this.err('AppleTalk encapsulation is not specifiable');
      // eslint-disable-next-line no-fallthrough
      case 'decnet':
        this.err('DECNET encapsulation is not specifiable');
      // eslint-disable-next-line no-fallthrough
      case 'clnp':
        this.err("'clnp proto' is not supported");
      // eslint-disable-next-line no-fallthrough
      default:
        this.err(`'${protoName(proto)} proto' is bogus`);
    }
  }

  /** gen_proto_abbrev: a bare protocol keyword. */
  protoAbbrev(p: ProtoQual): Cond {
    const d = 'default' as const;
    switch (p) {
      case 'sctp': return this.proto(IPPROTO.SCTP, d, d);
      case 'tcp': return this.proto(IPPROTO.TCP, d, d);
      case 'udp': return this.proto(IPPROTO.UDP, d, d);
      case 'icmp': return this.proto(IPPROTO.ICMP, 'ip', d);
      case 'igmp': return this.proto(IPPROTO.IGMP, 'ip', d);
      case 'igrp': return this.proto(IPPROTO.IGRP, 'ip', d);
      case 'pim': return this.proto(IPPROTO.PIM, d, d);
      case 'vrrp': case 'carp': return this.proto(IPPROTO.VRRP, 'ip', d);
      case 'ip': return this.linktype(ETHERTYPE.IP);
      case 'arp': return this.linktype(ETHERTYPE.ARP);
      case 'rarp': return this.linktype(ETHERTYPE.REVARP);
      case 'link': this.err('link layer applied in wrong context');
      // eslint-disable-next-line no-fallthrough
      case 'atalk': return this.linktype(ETHERTYPE.ATALK);
      case 'aarp': return this.linktype(ETHERTYPE.AARP);
      case 'decnet': return this.linktype(ETHERTYPE.DN);
      case 'sca': return this.linktype(ETHERTYPE.SCA);
      case 'lat': return this.linktype(ETHERTYPE.LAT);
      case 'mopdl': return this.linktype(ETHERTYPE.MOPDL);
      case 'moprc': return this.linktype(ETHERTYPE.MOPRC);
      case 'ip6': return this.linktype(ETHERTYPE.IPV6);
      case 'icmp6': return this.proto(IPPROTO.ICMPV6, 'ip6', d);
      case 'ah': return this.proto(IPPROTO.AH, d, d);
      case 'esp': return this.proto(IPPROTO.ESP, d, d);
      case 'iso': return this.linktype(LLCSAP.ISONS);
      case 'esis': return this.proto(0x82, 'iso', d);
      case 'isis': return this.proto(0x83, 'iso', d);
      case 'clnp': return this.proto(0x81, 'iso', d);
      case 'l1': return C.or(...[15, 17, 18, 24, 26].map((v) => this.proto(v, 'isis', d)));
      case 'l2': return C.or(...[16, 17, 20, 25, 27].map((v) => this.proto(v, 'isis', d)));
      case 'iih': return C.or(...[15, 16, 17].map((v) => this.proto(v, 'isis', d)));
      case 'lsp': return C.or(...[18, 20].map((v) => this.proto(v, 'isis', d)));
      case 'snp': return C.or(...[24, 25, 26, 27].map((v) => this.proto(v, 'isis', d)));
      case 'csnp': return C.or(...[24, 25].map((v) => this.proto(v, 'isis', d)));
      case 'psnp': return C.or(...[26, 27].map((v) => this.proto(v, 'isis', d)));
      case 'stp': return this.linktype(LLCSAP.STP);
      case 'ipx': return this.linktype(LLCSAP.IPX);
      case 'netbeui': return this.linktype(LLCSAP.NETBEUI);
      case 'radio': this.err("'radio' is not a valid protocol type");
      // eslint-disable-next-line no-fallthrough
      default: this.err(`unknown protocol: ${p}`);
    }
  }

  /** lookup_proto: a protocol name for `PROTO proto NAME`. */
  private lookupProto(name: string, proto: ProtoQual): number {
    switch (proto) {
      case 'default':
      case 'ip':
      case 'ip6': {
        const v = lookupProtocol(name);
        if (v === undefined) this.err(`unknown ip proto '${name}'`);
        return v;
      }
      case 'link': {
        const v = ETHER_PROTO_NAMES[name] ?? LLC_NAMES[name];
        if (v === undefined) this.err(`unknown ether proto '${name}'`);
        return v;
      }
      case 'iso': {
        const osi: Record<string, number> = { clnp: 0x81, esis: 0x82, isis: 0x83 };
        const v = osi[name];
        if (v === undefined) this.err(`unknown osi proto '${name}'`);
        return v;
      }
      default:
        return -1;
    }
  }

  // ---- identifiers ----------------------------------------------------------------------------

  /** Compiles a qualified identifier (libpcap's gen_scode, gen_ncode, gen_mcode, gen_mcode6, gen_ecode). */
  id(q: Qual, id: IdForm): Cond {
    if (q.addr === 'undef') this.err('syntax error in filter expression');
    switch (id.form) {
      case 'num':
        return this.ncode(undefined, id.v, q);
      case 'hid': {
        if (q.addr === 'port' || q.addr === 'portrange' || q.addr === 'proto' || q.addr === 'protochain') this.err(`'${q.addr}' modifier applied to ip host`);
        return this.ncode(id.s, 0, q);
      }
      case 'hidlen':
      case 'hidmask':
        return this.mcode(id, q);
      case 'hid6':
        return this.mcode6(id.s, id.len, q);
      case 'eid': {
        const mac = parseMac(id.s);
        if (!mac) this.err(`bogus ethernet address ${id.s}`);
        if ((q.addr === 'host' || q.addr === 'default') && q.proto === 'link') {
          this.needEthernet();
          return this.ehost(mac, q.dir);
        }
        this.err('ethernet address used in non-ether expression');
      }
      // eslint-disable-next-line no-fallthrough
      case 'aid':
        this.err('aid supported only on ARCnet');
      // eslint-disable-next-line no-fallthrough
      case 'name':
        return this.scode(id.s, q);
    }
  }

  private atoin(s: string): { v: number; len: number } {
    const parts = s.split('.');
    let v = 0;
    for (const p of parts) {
      const n = /^0[xX]/.test(p) ? parseInt(p, 16) : /^0[0-7]+$/.test(p) ? parseInt(p, 8) : Number(p);
      if (!Number.isFinite(n) || n > 255) this.err(`invalid IPv4 address '${s}'`);
      v = v * 256 + n;
    }
    return { v: v >>> 0, len: parts.length * 8 };
  }

  private ncode(s: string | undefined, v: number, q: Qual): Cond {
    let vlen = 32;
    if (s !== undefined) {
      if (q.proto === 'decnet') {
        // __pcap_atodn reads "area.node" and ignores anything after it.
        const m = /^(\d+)\.(\d+)/.exec(s);
        if (!m) this.err(`malformed decnet address '${s}'`);
        v = (((Number(m[1]) << 10) | (Number(m[2]) & 0x3ff)) & 0xffff) >>> 0;
        return this.host(v, 0, 'decnet', q.dir, 'host');
      }
      const r = this.atoin(s);
      v = r.v;
      vlen = r.len;
    }
    switch (q.addr) {
      case 'default':
      case 'host':
      case 'net': {
        if (q.proto === 'decnet') return this.host(v, 0, 'decnet', q.dir, 'host');
        if (q.proto === 'link') this.err('illegal link layer address');
        let mask = 0xffffffff;
        if (s === undefined && q.addr === 'net') {
          while (v && (v & 0xff000000) === 0) {
            v = (v << 8) >>> 0;
            mask = (mask << 8) >>> 0;
          }
        } else {
          v = vlen === 32 ? v : (v << (32 - vlen)) >>> 0;
          mask = vlen === 32 ? mask : (mask << (32 - vlen)) >>> 0;
        }
        return this.host(v, mask, q.proto, q.dir, q.addr === 'net' ? 'net' : 'host');
      }
      case 'port':
      case 'portrange': {
        const ipProto = this.portProto(q.proto, q.addr);
        if (v > 65535) this.err(`illegal port number ${v} > 65535`);
        return q.addr === 'port' ? this.port(v, ipProto, q.dir) : this.portrange(v, v, ipProto, q.dir);
      }
      case 'gateway':
        this.err("'gateway' requires a name");
      // eslint-disable-next-line no-fallthrough
      case 'proto':
        return this.proto(v, q.proto, q.dir);
      case 'protochain':
        return this.protochain(v, q.proto);
      default:
        this.err('syntax error in filter expression');
    }
  }

  private portProto(p: ProtoQual, addr: 'port' | 'portrange'): number | undefined {
    switch (p) {
      case 'udp': return IPPROTO.UDP;
      case 'tcp': return IPPROTO.TCP;
      case 'sctp': return IPPROTO.SCTP;
      case 'default': return undefined;
      default: this.err(`illegal qualifier of '${addr}'`);
    }
  }

  private mcode(id: IdForm & { form: 'hidlen' | 'hidmask' }, q: Qual): Cond {
    const n = this.atoin(id.s);
    const addr = (n.v << (32 - n.len)) >>> 0;
    let m: number;
    if (id.form === 'hidmask') {
      const mm = this.atoin(id.mask);
      m = (mm.v << (32 - mm.len)) >>> 0;
      if ((addr & ~m) >>> 0) this.err(`non-network bits set in "${id.s} mask ${id.mask}"`);
    } else {
      if (id.len > 32) this.err('mask length must be <= 32');
      m = id.len === 0 ? 0 : (0xffffffff << (32 - id.len)) >>> 0;
      if ((addr & ~m) >>> 0) this.err(`non-network bits set in "${id.s}/${id.len}"`);
    }
    if (q.addr === 'net') return this.host(addr, m, q.proto, q.dir, 'net');
    this.err('Mask syntax for networks only');
  }

  private mcode6(s: string, len: number, q: Qual): Cond {
    const a = parseIPv6(s);
    if (!a) this.err(`invalid ip6 address ${s}`);
    const masklen = len < 0 ? 128 : len;
    if (masklen > 128) this.err('mask length must be <= 128');
    const mask = [0, 1, 2, 3].map((i) => {
      const bits = Math.max(0, Math.min(32, masklen - 32 * i));
      return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    });
    if (a.some((w, i) => (w & ~(mask[i] as number)) >>> 0)) this.err(`non-network bits set in "${s}/${masklen}"`);
    switch (q.addr) {
      case 'default':
      case 'host':
      case 'net':
        if (q.addr !== 'net' && masklen !== 128) this.err('Mask syntax for networks only');
        return this.host6(a, mask, q.proto, q.dir, q.addr === 'net' ? 'net' : 'host');
      default:
        this.err('invalid qualifier against IPv6 address');
    }
  }

  private scode(name: string, q: Qual): Cond {
    switch (q.addr) {
      case 'net': {
        let addr = lookupNetwork(name);
        if (addr === undefined || addr === 0) this.err(`unknown network '${name}'`);
        let mask = 0xffffffff;
        while (addr && (addr & 0xff000000) === 0) {
          addr = (addr << 8) >>> 0;
          mask = (mask << 8) >>> 0;
        }
        return this.host(addr, mask, q.proto, q.dir, 'net');
      }
      case 'default':
      case 'host': {
        if (q.proto === 'link') {
          if (this.lt !== LinkType.EN10MB) this.err('only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name');
          const mac = lookupEther(name);
          if (!mac) this.err(`unknown ether host '${name}'`);
          return this.ehost(mac, q.dir);
        }
        if (q.proto === 'decnet') this.err(`decnet name support not included, '${name}' cannot be translated`);
        const addrs = lookupHost(name);
        if (addrs.length === 0) this.err(`unknown host '${name}'`);
        const conds: Cond[] = [];
        for (const a of addrs as HostAddr[]) {
          if (a.family === 4) {
            if (q.proto === 'ip6') continue;
            conds.push(this.host(a.addr, 0xffffffff, q.proto, q.dir, 'host'));
          } else {
            if (q.proto === 'ip' || q.proto === 'arp' || q.proto === 'rarp') continue;
            conds.push(this.host6(a.words, [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], q.proto, q.dir, 'host'));
          }
        }
        if (conds.length === 0) this.err(`unknown host '${name}' for specified address family`);
        return C.or(...conds);
      }
      case 'port': {
        if (q.proto !== 'default' && q.proto !== 'udp' && q.proto !== 'tcp' && q.proto !== 'sctp') this.err("illegal qualifier of 'port'");
        const sp = lookupPort(name);
        if (!sp) this.err(`unknown port '${name}'`);
        const ipProto = this.resolvePortProto(q.proto, sp.proto, name);
        return this.port(sp.port, ipProto, q.dir);
      }
      case 'portrange': {
        if (q.proto !== 'default' && q.proto !== 'udp' && q.proto !== 'tcp' && q.proto !== 'sctp') this.err("illegal qualifier of 'portrange'");
        const r = lookupPortRange(name);
        if (!r) this.err(`unknown port in range '${name}'`);
        if (r.p1 > 65535 || r.p2 > 65535) this.err(`illegal port number ${Math.max(r.p1, r.p2)} > 65535`);
        const ipProto = this.resolvePortProto(q.proto, r.proto, name);
        return this.portrange(r.p1, r.p2, ipProto, q.dir);
      }
      case 'gateway':
        this.err("'gateway' not supported in this configuration");
      // eslint-disable-next-line no-fallthrough
      case 'proto': {
        const v = this.lookupProto(name, q.proto);
        if (v < 0) this.err('syntax error in filter expression');
        return this.proto(v, q.proto, q.dir);
      }
      case 'protochain': {
        const v = this.lookupProto(name, q.proto);
        if (v < 0) this.err('syntax error in filter expression');
        return this.protochain(v, q.proto);
      }
      default:
        this.err('syntax error in filter expression');
    }
  }

  private resolvePortProto(q: ProtoQual, real: 'tcp' | 'udp' | undefined, name: string): number | undefined {
    if (q === 'udp') {
      if (real === 'tcp') this.err(`port '${name}' is tcp`);
      return IPPROTO.UDP;
    }
    if (q === 'tcp') {
      if (real === 'udp') this.err(`port '${name}' is udp`);
      return IPPROTO.TCP;
    }
    if (q === 'sctp') {
      if (real === 'tcp') this.err(`port '${name}' is tcp`);
      if (real === 'udp') this.err(`port '${name}' is udp`);
      return IPPROTO.SCTP;
    }
    return real === 'tcp' ? IPPROTO.TCP : real === 'udp' ? IPPROTO.UDP : undefined;
  }

  /**
   * `protochain`: follows IPv6 extension headers (and AH) to find protocol `v`. libpcap emits a
   * backward-jumping loop, which classic BPF cannot express; this unrolls the walk for up to
   * PROTOCHAIN_DEPTH headers, which covers every real packet.
   */
  protochain(v: number, proto: ProtoQual): Cond {
    switch (proto) {
      case 'default':
        return C.or(this.protochain(v, 'ip'), this.protochain(v, 'ip6'));
      case 'ip':
      case 'ip6':
        break;
      default:
        this.err("bad protocol applied for 'protochain'");
    }
    if (this.offLinkpl.reg >= 0) this.err("'protochain' not supported with variable length headers");
    this.noOptimize = true;
    const v6 = proto === 'ip6';
    const base = this.offLinkpl.c + this.offNl;
    // Walk: M[r] = current next-header value, X = offset of the current header from base.
    const rNh = this.allocReg();
    const rX = this.allocReg();
    this.freeReg(rNh);
    this.freeReg(rX);
    const start: Stmt[] = v6
      ? [ld(1, base + 6), st(rNh), imm(40), st(rX)]
      : [ld(1, base + 9), st(rNh), { code: BPF.LDX | BPF.B | BPF.MSH, k: base }, { code: BPF.STX, k: rX }];
    const nh = (): Stmt[] => [ldm(rNh)];
    const EXT6 = [0, 60, 43, 44];
    // Built from the innermost level outwards; both ways of advancing share the next level.
    const ite = (cond: Cond, a: Cond, b: Cond): Cond => ({ c: 'ite', cond, a, b });
    const eq = (k: number): Cond => C.test(nh(), BPF.JEQ, k);
    let chain: Cond = eq(v);
    for (let i = PROTOCHAIN_DEPTH - 1; i >= 0; i--) {
      const next: Cond = { c: 'shared', a: chain };
      const adv: Stmt[] = [ldxm(rX), ldi(1, base), st(rNh), ldi(1, base + 1), alu(BPF.ADD, 1), alu(BPF.MUL, 8), aluX(BPF.ADD), st(rX)];
      // libpcap sets the offset to the AH length instead of adding it; kept for identical matches.
      const ahStep: Stmt[] = [ldxm(rX), ldi(1, base), st(rNh), ldi(1, base + 1), alu(BPF.ADD, 2), alu(BPF.MUL, 4), st(rX)];
      const viaAh = ite(eq(IPPROTO.AH), { c: 'seq', stmts: ahStep, then: next }, C.F);
      const ext = v6 ? ite(C.or(...EXT6.map(eq)), { c: 'seq', stmts: adv, then: next }, viaAh) : viaAh;
      chain = ite(eq(v), C.T, ite(eq(59), C.F, ext));
    }
    return C.and(this.linktype(v6 ? ETHERTYPE.IPV6 : ETHERTYPE.IP), { c: 'seq', stmts: start, then: chain });
  }

  // ---- keyword primitives ---------------------------------------------------------------------

  broadcast(proto: ProtoQual): Cond {
    switch (proto) {
      case 'default':
      case 'link':
        if (this.lt !== LinkType.EN10MB) this.err('not a broadcast link');
        return this.ehost(new Uint8Array([255, 255, 255, 255, 255, 255]), 'dst');
      case 'ip': {
        if (this.opts.netmask >>> 0 === PCAP_NETMASK_UNKNOWN) this.err("netmask not known, so 'ip broadcast' not supported");
        const hostmask = ~this.opts.netmask >>> 0;
        return C.and(this.linktype(ETHERTYPE.IP), C.or(this.mcmp('linkpl', 16, 4, 0, hostmask), this.mcmp('linkpl', 16, 4, hostmask, hostmask)));
      }
      default:
        this.err('only link-layer/IP broadcast filters supported');
    }
  }

  multicast(proto: ProtoQual): Cond {
    switch (proto) {
      case 'default':
      case 'link':
        if (this.lt !== LinkType.EN10MB) this.err('link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel');
        return C.test(this.load('linkhdr', 0, 1), BPF.JSET, 1);
      case 'ip':
        return C.and(this.linktype(ETHERTYPE.IP), this.cmp('linkpl', 16, 1, 224, BPF.JGE));
      case 'ip6':
        return C.and(this.linktype(ETHERTYPE.IPV6), this.cmp('linkpl', 24, 1, 255));
      default:
        this.err('link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel');
    }
  }

  private inbound(outbound: boolean): Cond {
    let c: Cond;
    switch (this.lt) {
      case LinkType.LINUX_SLL:
        c = this.cmp('linkhdr', 0, 2, 4);
        break;
      case LinkType.LINUX_SLL2:
        c = this.cmp('linkhdr', 10, 1, 4);
        break;
      default:
        if (!this.opts.vlanAncillary) this.err(`inbound/outbound not supported on ${this.desc} when reading savefiles`);
        c = C.test([ld(2, SKF_AD.OFF + SKF_AD.PKTTYPE)], BPF.JEQ, 4);
    }
    return outbound ? c : C.not(c);
  }

  private ifindex(n: number): Cond {
    if (this.lt === LinkType.LINUX_SLL2) return this.cmp('linkhdr', 4, 4, n);
    if (!this.opts.vlanAncillary) this.err(`ifindex not supported on ${this.desc} when reading savefiles`);
    return C.test([ld(4, SKF_AD.OFF + SKF_AD.IFINDEX)], BPF.JEQ, n);
  }

  private vlan(vid: number | undefined): Cond {
    if (this.labelStackDepth > 0) this.err('no VLAN match after MPLS');
    // After pppoes libpcap treats the rest as PPP, which has no VLANs.
    if (this.isPppoes) this.err('no VLAN support for PPP');
    if (this.lt !== LinkType.EN10MB) this.err(`no VLAN support for ${this.desc}`);
    if (vid !== undefined && vid > 0x0fff) this.err(`VLAN tag ${vid} greater than maximum 4095`);
    const tpid = (): Cond => C.or(this.cmp('linktype', 0, 2, ETHERTYPE.VLAN), this.cmp('linktype', 0, 2, ETHERTYPE.QINQ), this.cmp('linktype', 0, 2, ETHERTYPE.QINQOLD));
    let c: Cond;
    if (this.vlanStackDepth === 0 && this.opts.vlanAncillary && this.offLinkpl.reg < 0) {
      // Live socket: the kernel strips the outer tag into metadata; a tag still in the bytes shifts
      // every later offset by 4, which is kept in two scratch registers (linkpl and linktype parts).
      const rPl = this.allocReg();
      const rLt = this.allocReg();
      const present = (): Cond => C.test([ld(1, SKF_AD.OFF + SKF_AD.VLAN_TAG_PRESENT)], BPF.JEQ, 1);
      const shift: Stmt[] = [ldm(rPl), alu(BPF.ADD, 4), st(rPl), ldm(rLt), alu(BPF.ADD, 4), st(rLt)];
      const tagged: Cond = C.or(present(), { c: 'seq', stmts: shift, then: tpid() });
      // The shift registers start at 0 at program entry (whatever path reaches later primitives).
      this.entryStmts.push(imm(0), st(rPl), st(rLt));
      c = tagged;
      if (vid !== undefined) {
        const viaMeta = C.and(present(), C.test([ld(1, SKF_AD.OFF + SKF_AD.VLAN_TAG), alu(BPF.AND, 0x0fff)], BPF.JEQ, vid));
        const viaBytes = C.and(C.not(present()), this.mcmp('linkpl', 0, 2, vid, 0x0fff));
        c = C.and(c, C.or(viaMeta, viaBytes));
      }
      this.offLinkpl = { c: this.offLinkpl.c, reg: rPl };
      this.offLinktype = { c: (this.offLinktype as Off).c, reg: rLt };
    } else {
      c = tpid();
      if (vid !== undefined) c = C.and(c, this.mcmp('linkpl', 0, 2, vid, 0x0fff));
      this.offLinkpl = { c: this.offLinkpl.c + 4, reg: this.offLinkpl.reg };
      const olt = this.offLinktype as Off;
      this.offLinktype = { c: olt.c + 4, reg: olt.reg };
    }
    this.vlanStackDepth++;
    return c;
  }

  private mpls(label: number | undefined): Cond {
    let c: Cond;
    if (this.labelStackDepth > 0) c = this.mcmp('linkpl', -2, 1, 0, 0x01);
    else {
      if (this.lt !== LinkType.EN10MB) this.err(`no MPLS support for ${this.desc}`);
      c = this.linktype(ETHERTYPE.MPLS);
    }
    if (label !== undefined) {
      if (label > 0xfffff) this.err(`MPLS label ${label} greater than maximum 1048575`);
      c = C.and(c, this.mcmp('linkpl', 0, 4, (label << 12) >>> 0, 0xfffff000));
    }
    this.offNlNosnap += 4;
    this.offNl += 4;
    this.labelStackDepth++;
    return c;
  }

  private pppoes(sess: number | undefined): Cond {
    let c = this.linktype(ETHERTYPE.PPPOES);
    if (sess !== undefined) {
      if (sess > 0xffff) this.err(`PPPoE session number ${sess} greater than maximum 65535`);
      c = C.and(c, this.mcmp('linkpl', 0, 4, sess, 0xffff));
    }
    // Everything after this is PPP inside PPPoE: the PPP protocol field follows the 6-byte header.
    const pl = this.offLinkpl;
    this.offLinktype = { c: pl.c + 6, reg: pl.reg };
    this.offLinkpl = { c: pl.c + 8, reg: pl.reg };
    this.offNl = 0;
    this.offNlNosnap = 0;
    this.isPppoes = true;
    return c;
  }

  private llc(arg: string | undefined): Cond {
    if (this.lt !== LinkType.EN10MB) this.err(`'llc' not supported for ${this.desc}`);
    const base = C.not(C.or(this.cmp('linktype', 0, 2, ETHERMTU, BPF.JGT), this.cmp('linkpl', 0, 2, 0xffff)));
    return arg === undefined ? base : C.and(base, this.llcSub(arg));
  }

  private llcSub(arg: string): Cond {
    const a = arg.toLowerCase();
    if (a === 'i') return C.not(C.test(this.load('linkpl', 2, 1), BPF.JSET, 0x01));
    if (a === 's') return this.mcmp('linkpl', 2, 1, 0x01, 0x03);
    if (a === 'u') return this.mcmp('linkpl', 2, 1, 0x03, 0x03);
    const sTypes: Record<string, number> = { rr: 0x01, rnr: 0x05, rej: 0x09 };
    const uTypes: Record<string, number> = { ui: 0x03, ua: 0x63, disc: 0x43, dm: 0x0f, sabme: 0x6f, test: 0xe3, xid: 0xaf, frmr: 0x87 };
    if (sTypes[a] !== undefined) return this.mcmp('linkpl', 2, 1, sTypes[a] as number, 0x0f);
    if (uTypes[a] !== undefined) return this.mcmp('linkpl', 2, 1, uTypes[a] as number, 0xef);
    this.err(`unknown LLC type name "${arg}"`);
  }

  private lenCmp(n: number, greater: boolean): Cond {
    const s: Stmt[] = [{ code: BPF.LD | BPF.W | BPF.LEN, k: 0 }];
    return greater ? C.test(s, BPF.JGE, n) : C.not(C.test(s, BPF.JGT, n));
  }

  private byteop(idx: number, op: string, v: number): Cond {
    switch (op) {
      case '=':
        return this.cmp('linkhdr', idx, 1, v);
      case '<':
        return C.not(this.cmp('linkhdr', idx, 1, v, BPF.JGE));
      case '>':
        return this.cmp('linkhdr', idx, 1, v, BPF.JGT);
      // libpcap never loads the byte for '&' and '|' (it applies the operation to A as it is, 0 at the
      // start of the program); tscap keeps that so the same packets match.
      case '|':
        return C.not(C.test([alu(BPF.OR, v)], BPF.JEQ, 0));
      default:
        return C.not(C.test([alu(BPF.AND, v)], BPF.JEQ, 0));
    }
  }

  /**
   * Geneve (RFC 8926) over UDP port 6081, IPv4 or IPv6. Everything after it looks inside the
   * tunnel: the inner protocol type (or inner Ethernet type for 0x6558) and payload offsets are
   * computed at run time into scratch registers, as libpcap's gen_geneve does.
   */
  private geneve(vni: number | undefined): Cond {
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

  private loadExpr(a: Arth & { k: 'load' }): Val {
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

  private relation(op: string, a: Arth, b: Arth): Cond {
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
          case 'unsupported':
            return this.unsupportedKw(e.keyword ?? '');
        }
        return this.err('syntax error in filter expression');
      default:
        this.err('syntax error in filter expression');
    }
  }

  private unsupportedKw(kw: string): never {
    const pf: Record<string, string> = { ifname: 'ifname', rset: 'ruleset', rnr: 'rnr', srnr: 'srnr', reason: 'reason', action: 'action' };
    if (pf[kw]) this.err(`${pf[kw]} supported only on PF linktype`);
    if (kw === 'dir') this.err('frame direction supported only with 802.11 headers');
    if (kw === 'p80211') this.err('802.11 link-layer types supported only on 802.11');
    if (['sio', 'opc', 'dpc', 'sls', 'hsio', 'hopc', 'hdpc', 'hsls'].includes(kw)) this.err(`'${kw.replace(/^h/, '')}' supported only on SS7`);
    if (['hfisu', 'hlssu', 'hmsu'].includes(kw)) this.err(`'${kw}' supported only on MTP2_HSL`);
    if (['vpi', 'vci', 'lane', 'metac', 'bcc', 'oamf4ec', 'oamf4sc', 'sc', 'ilmic', 'oam', 'oamf4', 'connectmsg', 'metaconnect'].includes(kw)) this.err(`'${kw}' supported only on raw ATM`);
    this.err(`'${kw}' supported only on MTP2`);
  }
}

/** How many extension headers `protochain` follows. */
export const PROTOCHAIN_DEPTH = 8;

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
