/**
 * Link-layer code generation (libpcap's gencode.c): per-link-type offsets and the test that the link
 * layer carries a given protocol (gen_linktype), MAC address tests, and the primitives that look at or
 * shift the link layer: `vlan`, `mpls`, `pppoes`, `llc`, `inbound`/`outbound`, `ifindex`, link-level
 * `broadcast`/`multicast` and `byte`.
 */
import type { Qual, ProtoQual } from './ast.js';
import { BPF, SKF_AD } from './bpf.js';
import type { Cond, Stmt } from './cfg.js';
import { C } from './cfg.js';
import { FilterError } from './errors.js';
import { LINK_TYPE_DESCRIPTIONS } from '../pcap/linktype.js';
import { LinkType } from '../numbers.js';
import type { GenOptions, Off } from './gen-core.js';
import type { LinkLayer } from './gen-linktypes.js';
import { LINK_LAYERS } from './gen-linktypes.js';
import { dataFrame, ppiIs80211, usesReg, wlanHost, wlanPrologue } from './gen-wlan.js';
import { alu, ETHERMTU, ETHERTYPE, GenCore, imm, ld, ldm, LLCSAP, PCAP_NETMASK_UNKNOWN, st } from './gen-core.js';

/** The link-layer part of the generator. */
export abstract class LinkGen extends GenCore {
  protected readonly desc: string;
  protected readonly ll: LinkLayer;

  constructor(opts: GenOptions) {
    super(opts);
    this.desc = LINK_TYPE_DESCRIPTIONS[opts.linkType] ?? `DLT ${opts.linkType}`;
    const ll = LINK_LAYERS[opts.linkType];
    if (!ll) throw new FilterError(`unknown data link type ${opts.linkType}`);
    this.ll = ll;
    this.offLinktype = ll.linktype === null ? null : { c: ll.linktype, reg: -1 };
    this.offNl = ll.nl;
    this.offNlNosnap = ll.nlNosnap;
    // 802.11: the header (after a radio header of variable length) has a variable length too; both
    // offsets live in scratch registers filled by the program's prologue (finish()).
    if (ll.prefix) this.offLinkhdr = { c: 0, reg: this.allocReg() };
    this.offLinkpl = ll.linkpl === 'variable' ? { c: 0, reg: this.allocReg() } : { c: ll.linkpl, reg: -1 };
  }

  /** Wraps the compiled expression with what must run before it: offset registers, the PPI check. */
  finish(body: Cond): Cond {
    let c = body;
    if (this.ll.family === 'wlan') {
      const pl = usesReg(c, this.offLinkpl.reg) ? this.offLinkpl.reg : -1;
      const hdr = this.offLinkhdr.reg >= 0 && (pl >= 0 || usesReg(c, this.offLinkhdr.reg)) ? this.offLinkhdr.reg : -1;
      // libpcap skips its optimizer once the 802.11 header length is computed at run time.
      if (pl >= 0) this.noOptimize = true;
      c = wlanPrologue(c, hdr, pl, this.ll.prefix === 'radiotap');
      if (this.ll.prefix === 'ppi') c = C.and(ppiIs80211(), c);
    }
    if (this.entryStmts.length > 0) c = { c: 'seq', stmts: this.entryStmts, then: c };
    return c;
  }

  protected notLen8023(): Cond {
    return C.not(this.cmp('linktype', 0, 2, ETHERMTU, BPF.JGT));
  }

  protected snap(orgcode: number, ptype: number): Cond {
    const b = new Uint8Array([LLCSAP.SNAP, LLCSAP.SNAP, 0x03, (orgcode >>> 16) & 0xff, (orgcode >>> 8) & 0xff, orgcode & 0xff, (ptype >>> 8) & 0xff, ptype & 0xff]);
    return this.bcmp('llc', 0, b);
  }

  /** Tests that the link layer carries protocol `p` (an EtherType or an LLC SAP), as gen_linktype does. */
  linktype(p: number): Cond {
    if (this.labelStackDepth > 0) return this.mplsLinktype(p);
    if (this.isPppoes) return this.pppLinktype(p);
    if (this.isGeneve) return this.etherLinktype(p);
    switch (this.ll.family) {
      case 'ether':
        return this.etherLinktype(p);
      case 'sll':
        return this.sllLinktype(p);
      case 'sll2':
        return this.cmp('linktype', 0, 2, p);
      case 'raw':
        if (p === ETHERTYPE.IP) return this.mcmp('linkhdr', 0, 1, 0x40, 0xf0);
        if (p === ETHERTYPE.IPV6) return this.mcmp('linkhdr', 0, 1, 0x60, 0xf0);
        return C.F;
      case 'ipv4':
        return p === ETHERTYPE.IP ? C.T : C.F;
      case 'ipv6':
        return p === ETHERTYPE.IPV6 ? C.T : C.F;
      case 'bsdloop': {
        const swap = (v: number): number => (this.lt === LinkType.NULL ? (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0 : v);
        if (p === ETHERTYPE.IP) return this.cmp('linktype', 0, 4, swap(2));
        if (p === ETHERTYPE.IPV6) return C.or(this.cmp('linktype', 0, 4, swap(24)), this.cmp('linktype', 0, 4, swap(28)), this.cmp('linktype', 0, 4, swap(30)));
        return C.F;
      }
      case 'ppp':
        return this.pppLinktype(p);
      case 'chdlc':
        // Cisco HDLC carries EtherTypes; OSI is the look-alike 0xfefe.
        return this.cmp('linktype', 0, 2, p === LLCSAP.ISONS ? 0xfefe : p);
      case 'frelay':
        return this.frelayLinktype(p);
      case 'wlan':
        return C.and(dataFrame(this), this.llcLinktype(p));
      case 'arcnet':
        return this.arcnetLinktype(p);
      case 'ltalk':
        // every LocalTalk frame is AppleTalk, and nothing else
        return p === ETHERTYPE.ATALK ? C.T : C.F;
      case 'mfr':
        this.err('Multi-link Frame Relay link-layer type filtering not implemented');
      // eslint-disable-next-line no-fallthrough
      case 'mtp2':
        this.err('MTP2 link-layer type filtering not implemented');
      // eslint-disable-next-line no-fallthrough
      case 'nflog':
        this.err('NFLOG link-layer type filtering not implemented');
    }
  }

  /** Frame Relay (RFC 2427): UI control byte then the NLPID, after a 2-byte address. */
  private frelayLinktype(p: number): Cond {
    const nlpid = (v: number): Cond => this.cmp('linkhdr', 2, 2, (0x03 << 8) | v);
    if (p === ETHERTYPE.IP) return nlpid(0xcc);
    if (p === ETHERTYPE.IPV6) return nlpid(0x8e);
    if (p === LLCSAP.ISONS) return C.or(nlpid(0x81), nlpid(0x82), nlpid(0x83));
    return C.F;
  }

  /** ARCNET protocol IDs (RFC 1201 and the older RFC 1051 ones). */
  private arcnetLinktype(p: number): Cond {
    const t = (v: number): Cond => this.cmp('linktype', 0, 1, v);
    switch (p) {
      case ETHERTYPE.IPV6: return t(0xc4);
      case ETHERTYPE.IP: return C.or(t(0xd4), t(0xf0));
      case ETHERTYPE.ARP: return C.or(t(0xd5), t(0xf1));
      case ETHERTYPE.REVARP: return t(0xd6);
      case ETHERTYPE.ATALK: return t(0xdd);
      default: return C.F;
    }
  }

  /** gen_llc_linktype: protocol `p` in an 802.2 LLC header (SNAP for EtherTypes), as on 802.11. */
  private llcLinktype(p: number): Cond {
    switch (p) {
      case LLCSAP.IP:
      case LLCSAP.ISONS:
      case LLCSAP.NETBEUI:
        return this.cmp('llc', 0, 2, (p << 8) | p);
      case LLCSAP.IPX:
        return this.cmp('llc', 0, 1, LLCSAP.IPX);
      case ETHERTYPE.ATALK:
        return this.snap(0x080007, ETHERTYPE.ATALK);
      default:
        return p <= ETHERMTU ? this.cmp('llc', 0, 1, p) : this.cmp('llc', 6, 2, p);
    }
  }

  protected etherLinktype(p: number): Cond {
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

  protected sllLinktype(p: number): Cond {
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

  protected pppLinktype(p: number): Cond {
    const map: Readonly<Record<number, number>> = { [ETHERTYPE.IP]: 0x21, [ETHERTYPE.IPV6]: 0x57, [ETHERTYPE.DN]: 0x27, [ETHERTYPE.ATALK]: 0x29, [LLCSAP.ISONS]: 0x23, [LLCSAP.STP]: 0x31, [LLCSAP.IPX]: 0x2b, 0x0600: 0x25 };
    return this.cmp('linktype', 0, 2, map[p] ?? p);
  }

  protected mplsLinktype(p: number): Cond {
    if (p === ETHERTYPE.IP || p === ETHERTYPE.IPV6) {
      return C.and(this.mcmp('linkpl', -2, 1, 0x01, 0x01), this.mcmp('linkpl', 0, 1, p === ETHERTYPE.IP ? 0x40 : 0x60, 0xf0));
    }
    this.err('unsupported protocol over mpls');
  }

  protected needEthernet(): void {
    if (this.ll.family !== 'ether' && this.ll.family !== 'wlan') this.err('ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel');
  }

  /** gen_ehostop (gen_wlanhostop on 802.11): MAC source/destination address tests. */
  protected ehost(mac: Uint8Array, dir: Qual['dir']): Cond {
    if (this.ll.family === 'wlan') return wlanHost(this, dir, (off) => this.bcmp('linkhdr', off, mac), (d) => this.err80211(d));
    return this.macHost(dir, (src) => this.bcmp('linkhdr', src ? 6 : 0, mac), (d) => this.err80211(d, ' with 802.11 headers'));
  }

  /** gen_ahostop: ARCNET addresses are one byte, source first. */
  protected ahost(addr: number, dir: Qual['dir']): Cond {
    const b = new Uint8Array([addr]);
    return this.macHost(dir, (src) => this.bcmp('linkhdr', src ? 0 : 1, b), (d) => this.err80211(d, ''));
  }

  /** Source, destination, either or both of a link-layer address (`test(true)` is the source). */
  private macHost(dir: Qual['dir'], test: (src: boolean) => Cond, fail: (dir: Qual['dir']) => never): Cond {
    switch (dir) {
      case 'src':
        return test(true);
      case 'dst':
        return test(false);
      case 'and':
        return C.and(test(true), test(false));
      case 'default':
      case 'or':
        return C.or(test(true), test(false));
      default:
        return fail(dir);
    }
  }

  /** gen_acode: an ARCNET address `$XX`, as libpcap reads it (the '$' becomes the high nibble 0xd). */
  protected acode(s: string, q: Qual): Cond {
    if (this.ll.family !== 'arcnet') this.err('aid supported only on ARCnet');
    if ((q.addr !== 'host' && q.addr !== 'default') || q.proto !== 'link') this.err('ARCnet address used in non-arc expression');
    const xd = (c: string): number => (/[0-9]/.test(c) ? c.charCodeAt(0) - 48 : /[a-z]/.test(c) ? c.charCodeAt(0) - 87 : c.charCodeAt(0) - 55);
    let v = xd(s[0] ?? '$');
    if (s.length > 1 && /[0-9a-fA-F]/.test(s[1] as string)) v = (v << 4) | xd(s[1] as string);
    return this.ahost(v & 0xff, q.dir);
  }

  /** `type`/`subtype` (value and mask of the first frame control byte) and `dir` on 802.11. */
  protected p80211(kind: 'type' | 'dir', v: number, mask: number): Cond {
    const hdr = this.ll.family === 'wlan' && this.ll.prefix !== 'ppi';
    if (kind === 'type') {
      if (!hdr) this.err('802.11 link-layer types supported only on 802.11');
      return this.mcmp('linkhdr', 0, 1, v, mask);
    }
    if (!hdr) this.err('frame direction supported only with 802.11 headers');
    return this.mcmp('linkhdr', 1, 1, v, 0x03);
  }

  protected err80211(dir: Qual['dir'], tail = ' with 802.11 headers'): never {
    const long: Record<string, string> = { addr1: 'address1', addr2: 'address2', addr3: 'address3', addr4: 'address4' };
    if (dir === 'ra' || dir === 'ta') this.err(`'${dir}' is only supported on 802.11${tail}`);
    this.err(`'${dir}' and '${long[dir] ?? dir}' are only supported on 802.11${tail}`);
  }


  broadcast(proto: ProtoQual): Cond {
    switch (proto) {
      case 'default':
      case 'link':
        if (this.ll.family === 'arcnet') return this.ahost(0, 'dst');
        if (this.ll.family !== 'ether' && this.ll.family !== 'wlan') this.err('not a broadcast link');
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
        // ARCNET multicasts all use the broadcast address.
        if (this.ll.family === 'arcnet') return this.ahost(0, 'dst');
        if (this.ll.family === 'wlan') return wlanHost(this, 'dst', (off) => C.test(this.load('linkhdr', off, 1), BPF.JSET, 1), (d) => this.err80211(d));
        if (this.ll.family !== 'ether') this.err('link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel');
        return C.test(this.load('linkhdr', 0, 1), BPF.JSET, 1);
      case 'ip':
        return C.and(this.linktype(ETHERTYPE.IP), this.cmp('linkpl', 16, 1, 224, BPF.JGE));
      case 'ip6':
        return C.and(this.linktype(ETHERTYPE.IPV6), this.cmp('linkpl', 24, 1, 255));
      default:
        this.err('link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel');
    }
  }

  protected inbound(outbound: boolean): Cond {
    let c: Cond;
    switch (this.lt) {
      case LinkType.LINUX_SLL:
        c = this.cmp('linkhdr', 0, 2, 4);
        break;
      case LinkType.LINUX_SLL2:
        c = this.cmp('linkhdr', 10, 1, 4);
        break;
      case LinkType.SLIP:
        // The pseudo-header's first byte is 0 for received packets.
        c = C.not(this.cmp('linkhdr', 0, 1, 0));
        break;
      default:
        if (!this.opts.vlanAncillary) this.err(`inbound/outbound not supported on ${this.desc} when reading savefiles`);
        c = C.test([ld(2, SKF_AD.OFF + SKF_AD.PKTTYPE)], BPF.JEQ, 4);
    }
    return outbound ? c : C.not(c);
  }

  protected ifindex(n: number): Cond {
    if (this.lt === LinkType.LINUX_SLL2) return this.cmp('linkhdr', 4, 4, n);
    if (!this.opts.vlanAncillary) this.err(`ifindex not supported on ${this.desc} when reading savefiles`);
    return C.test([ld(4, SKF_AD.OFF + SKF_AD.IFINDEX)], BPF.JEQ, n);
  }

  protected vlan(vid: number | undefined): Cond {
    if (this.labelStackDepth > 0) this.err('no VLAN match after MPLS');
    // After pppoes libpcap treats the rest as PPP, which has no VLANs.
    if (this.isPppoes) this.err('no VLAN support for PPP');
    const wlanHdr = this.ll.family === 'wlan' && this.ll.prefix !== 'ppi';
    if (this.ll.family !== 'ether' && !wlanHdr) this.err(`no VLAN support for ${this.desc}`);
    if (vid !== undefined && vid > 0x0fff) this.err(`VLAN tag ${vid} greater than maximum 4095`);
    const tpid = (): Cond => C.or(this.cmp('linktype', 0, 2, ETHERTYPE.VLAN), this.cmp('linktype', 0, 2, ETHERTYPE.QINQ), this.cmp('linktype', 0, 2, ETHERTYPE.QINQOLD));
    let c: Cond;
    if (this.vlanStackDepth === 0 && this.opts.vlanAncillary && this.ll.family === 'ether' && this.offLinkpl.reg < 0) {
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

  protected mpls(label: number | undefined): Cond {
    let c: Cond;
    if (this.labelStackDepth > 0) c = this.mcmp('linkpl', -2, 1, 0, 0x01);
    else {
      // Cisco HDLC carries the MPLS EtherType; PPP (not PPP in HDLC framing) its own protocol number.
      if (this.ll.family !== 'ether' && this.ll.family !== 'chdlc' && this.lt !== LinkType.PPP) this.err(`no MPLS support for ${this.desc}`);
      c = this.linktype(this.lt === LinkType.PPP ? 0x0281 : ETHERTYPE.MPLS);
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

  protected pppoes(sess: number | undefined): Cond {
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

  protected llc(arg: string | undefined): Cond {
    if (this.ll.family === 'wlan') return arg === undefined ? dataFrame(this) : C.and(dataFrame(this), this.llcSub(arg));
    if (this.ll.family !== 'ether') this.err(`'llc' not supported for ${this.desc}`);
    const base = C.not(C.or(this.cmp('linktype', 0, 2, ETHERMTU, BPF.JGT), this.cmp('linkpl', 0, 2, 0xffff)));
    return arg === undefined ? base : C.and(base, this.llcSub(arg));
  }

  protected llcSub(arg: string): Cond {
    const a = arg.toLowerCase();
    if (a === 'i') return C.not(C.test(this.load('llc', 2, 1), BPF.JSET, 0x01));
    if (a === 's') return this.mcmp('llc', 2, 1, 0x01, 0x03);
    if (a === 'u') return this.mcmp('llc', 2, 1, 0x03, 0x03);
    const sTypes: Record<string, number> = { rr: 0x01, rnr: 0x05, rej: 0x09 };
    const uTypes: Record<string, number> = { ui: 0x03, ua: 0x63, disc: 0x43, dm: 0x0f, sabme: 0x6f, test: 0xe3, xid: 0xaf, frmr: 0x87 };
    if (sTypes[a] !== undefined) return this.mcmp('llc', 2, 1, sTypes[a] as number, 0x0f);
    if (uTypes[a] !== undefined) return this.mcmp('llc', 2, 1, uTypes[a] as number, 0xef);
    this.err(`unknown LLC type name "${arg}"`);
  }

  protected byteop(idx: number, op: string, v: number): Cond {
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

}
