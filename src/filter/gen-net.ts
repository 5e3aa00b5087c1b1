/**
 * Network and transport code generation (libpcap's gencode.c): IPv4, IPv6, ARP and DECnet host and
 * network tests, ports and port ranges, `proto` and `protochain`, and the qualified identifiers that
 * lead to them (gen_scode, gen_ncode, gen_mcode, gen_mcode6, gen_ecode).
 */
import type { IdForm, ProtoQual, Qual } from './ast.js';
import { BPF } from './bpf.js';
import type { Cond, Stmt } from './cfg.js';
import { C } from './cfg.js';
import { LinkType } from '../numbers.js';
import type { HostAddr } from './names.js';
import { ETHER_PROTO_NAMES, LLC_NAMES, lookupEther, lookupHost, lookupNetwork, lookupPort, lookupPortRange, lookupProtocol, parseIPv6, parseMac } from './names.js';
import { alu, aluX, ETHERTYPE, imm, IPPROTO, ld, ldi, ldm, ldxm, LLCSAP, st } from './gen-core.js';
import { LinkGen } from './gen-link.js';

const PROTO_TEXT: Partial<Record<ProtoQual, string>> = { link: 'link' };
const protoName = (p: ProtoQual): string => PROTO_TEXT[p] ?? p;

/**
 * How many headers `protochain` follows at most: libpcap loops over the whole chain, classic BPF
 * cannot loop, so the walk is unrolled this many times (a smaller depth is used when the program
 * would exceed the kernel's 4096 instructions).
 */
export const PROTOCHAIN_DEPTH = 64;

/** Hosts, networks, ports and protocols. */
export abstract class NetGen extends LinkGen {
  protected hostop(addr: number, mask: number, dir: Qual['dir'], proto: number, srcOff: number, dstOff: number): Cond {
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

  protected hostop6(addr: number[], mask: number[], dir: Qual['dir'], srcOff: number, dstOff: number): Cond {
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

  protected host6(addr: number[], mask: number[], proto: ProtoQual, dir: Qual['dir'], type: 'host' | 'net'): Cond {
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
  protected dnhost(addr: number, dir: Qual['dir']): Cond {
    // Where the address sits after the flags byte: short header (destination, source node) and
    // long header (area, subarea, HIORD prefix before each node address).
    let sh: number;
    let lh: number;
    switch (dir) {
      case 'dst':
        sh = 1;
        lh = 7;
        break;
      case 'src':
        sh = 3;
        lh = 15;
        break;
      case 'and':
        return C.and(this.dnhost(addr, 'src'), this.dnhost(addr, 'dst'));
      case 'default':
      case 'or':
        return C.or(this.dnhost(addr, 'src'), this.dnhost(addr, 'dst'));
      default:
        this.errAddrQual(dir);
    }
    // The header is little-endian; libpcap compares the byte-swapped address.
    const swapped = ((addr & 0xff) << 8) | ((addr >>> 8) & 0xff);
    const at = (off: number): Cond => this.cmp('linkpl', off, 2, swapped);
    const b = C.or(
      C.and(this.mcmp('linkpl', 2, 1, 0x02, 0x07), at(2 + sh)),
      C.and(this.mcmp('linkpl', 2, 2, 0x8102, 0xff07), at(2 + 1 + sh)),
      C.and(this.mcmp('linkpl', 2, 1, 0x06, 0x07), at(2 + lh)),
      C.and(this.mcmp('linkpl', 2, 2, 0x8106, 0xff07), at(2 + 1 + lh)),
    );
    return C.and(this.linktype(ETHERTYPE.DN), b);
  }

  protected portatom(base: 'tran4' | 'tran6', off: number, v: number): Cond {
    return this.cmp(base, off, 2, v);
  }
  protected portrangeatom(base: 'tran4' | 'tran6', off: number, v1: number, v2: number): Cond {
    const lo = Math.min(v1, v2);
    const hi = Math.max(v1, v2);
    return C.and(this.cmp(base, off, 2, lo, BPF.JGE), C.not(this.cmp(base, off, 2, hi, BPF.JGT)));
  }

  protected dirOf(dir: Qual['dir'], atom: (off: number) => Cond): Cond {
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
  protected portExpr(ipProto: number | undefined, dir: Qual['dir'], atom4: (off: number) => Cond, atom6: (off: number) => Cond): Cond {
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
        // Frame Relay: the NLPID itself after the UI byte; Cisco HDLC: 0xfefe, then a pad byte.
        if (this.ll.family === 'frelay') return this.cmp('linkhdr', 2, 2, (0x03 << 8) | v);
        if (this.ll.family === 'chdlc') return C.and(this.linktype(0xfefe), this.cmp('nosnap', 1, 1, v));
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
  protected lookupProto(name: string, proto: ProtoQual): number {
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
        return this.acode(id.s, q);
      // eslint-disable-next-line no-fallthrough
      case 'name':
        return this.scode(id.s, q);
    }
  }

  protected atoin(s: string): { v: number; len: number } {
    const parts = s.split('.');
    let v = 0;
    for (const p of parts) {
      const n = /^0[xX]/.test(p) ? parseInt(p, 16) : /^0[0-7]+$/.test(p) ? parseInt(p, 8) : Number(p);
      if (!Number.isFinite(n) || n > 255) this.err(`invalid IPv4 address '${s}'`);
      v = v * 256 + n;
    }
    return { v: v >>> 0, len: parts.length * 8 };
  }

  protected ncode(s: string | undefined, v: number, q: Qual): Cond {
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

  protected portProto(p: ProtoQual, addr: 'port' | 'portrange'): number | undefined {
    switch (p) {
      case 'udp': return IPPROTO.UDP;
      case 'tcp': return IPPROTO.TCP;
      case 'sctp': return IPPROTO.SCTP;
      case 'default': return undefined;
      default: this.err(`illegal qualifier of '${addr}'`);
    }
  }

  protected mcode(id: IdForm & { form: 'hidlen' | 'hidmask' }, q: Qual): Cond {
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

  protected mcode6(s: string, len: number, q: Qual): Cond {
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

  protected scode(name: string, q: Qual): Cond {
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
          if (this.ll.family !== 'ether' && this.ll.family !== 'wlan') this.err('only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name');
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

  protected resolvePortProto(q: ProtoQual, real: 'tcp' | 'udp' | undefined, name: string): number | undefined {
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
   * `opts.protochainDepth` (default PROTOCHAIN_DEPTH) headers; longer chains are not followed.
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
    for (let i = (this.opts.protochainDepth ?? PROTOCHAIN_DEPTH) - 1; i >= 0; i--) {
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

}
