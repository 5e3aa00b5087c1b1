/**
 * Syntax tree of a pcap-filter(7) expression as libpcap's grammar (grammar.y) builds it: boolean
 * combinations of primitives, each primitive carrying the qualifiers it was written or inherited with.
 */

/** Protocol qualifiers (libpcap's Q_* protocol values); `default` when none was given. */
export type ProtoQual =
  | 'default' | 'link' | 'ip' | 'arp' | 'rarp' | 'sctp' | 'tcp' | 'udp' | 'icmp' | 'igmp' | 'igrp'
  | 'pim' | 'vrrp' | 'carp' | 'atalk' | 'aarp' | 'decnet' | 'lat' | 'sca' | 'moprc' | 'mopdl'
  | 'ip6' | 'icmp6' | 'ah' | 'esp' | 'iso' | 'esis' | 'isis' | 'l1' | 'l2' | 'iih' | 'lsp' | 'snp'
  | 'psnp' | 'csnp' | 'clnp' | 'stp' | 'ipx' | 'netbeui' | 'radio' | 'undef';

/** Direction qualifiers. `or` is `src or dst`, `and` is `src and dst`. */
export type DirQual = 'default' | 'src' | 'dst' | 'or' | 'and' | 'addr1' | 'addr2' | 'addr3' | 'addr4' | 'ra' | 'ta' | 'undef';

/** Address-type qualifiers. */
export type AddrQual = 'default' | 'host' | 'net' | 'port' | 'portrange' | 'gateway' | 'proto' | 'protochain' | 'undef';

/** The qualifiers in effect for one identifier. */
export interface Qual {
  proto: ProtoQual;
  dir: DirQual;
  addr: AddrQual;
}

/** libpcap's `qerr`: what primitives that are not qualified identifiers pass on to the next identifier. */
export const QERR: Qual = { proto: 'undef', dir: 'undef', addr: 'undef' };

/** Arithmetic expression (libpcap's `arth`). */
export type Arth =
  | { k: 'num'; v: number; pos: number }
  | { k: 'len'; pos: number }
  | { k: 'load'; proto: ProtoQual; index: Arth; size: number; pos: number }
  | { k: 'bin'; op: ArithOp; a: Arth; b: Arth; pos: number }
  | { k: 'neg'; a: Arth; pos: number };

/** Binary arithmetic operators. */
export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>';

/** Relational operators as written. */
export type RelOp = '>' | '>=' | '=' | '<=' | '<' | '!=';

/** The identifier forms of a qualified primitive (`host X`, `net X/N`, `port N`...). */
export type IdForm =
  | { form: 'name'; s: string } // ID: a name or a string to convert
  | { form: 'num'; v: number } // NUM (pnum)
  | { form: 'hid'; s: string } // dotted IPv4, possibly short
  | { form: 'hidlen'; s: string; len: number } // HID '/' NUM
  | { form: 'hidmask'; s: string; mask: string } // HID mask HID
  | { form: 'hid6'; s: string; len: number } // HID6 ['/' NUM]
  | { form: 'eid'; s: string } // MAC address
  | { form: 'aid'; s: string }; // ARCnet address ($xx)

/** Keyword primitives that take no qualifiers (libpcap's `other` rule) plus bare protocol names. */
export type OtherKind =
  | 'broadcast' | 'multicast' | 'less' | 'greater' | 'byte' | 'inbound' | 'outbound' | 'ifindex'
  | 'vlan' | 'mpls' | 'pppoed' | 'pppoes' | 'geneve' | 'llc' | 'wlantype' | 'wlandir' | 'unsupported';

/** Boolean expression nodes. */
export type Expr =
  | { k: 'and' | 'or'; items: Expr[]; pos: number }
  | { k: 'not'; e: Expr; pos: number }
  | { k: 'id'; q: Qual; id: IdForm; pos: number }
  | { k: 'proto'; proto: ProtoQual; pos: number }
  | { k: 'rel'; op: RelOp; a: Arth; b: Arth; pos: number }
  | { k: 'other'; kind: OtherKind; proto: ProtoQual; num?: number; mask?: number; byteop?: string; arg?: string; keyword?: string; pos: number };
