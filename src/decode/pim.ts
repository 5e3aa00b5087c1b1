/**
 * Protocol Independent Multicast version 2 (RFC 7761 PIM-SM, RFC 3973 PIM-DM, RFC 5059 bootstrap,
 * RFC 5015 bidir), IP protocol 103 over IPv4 and IPv6: a 4-byte header (version, type, reserved or
 * RFC 2117 address length, checksum) and the message; encoded unicast, group and source addresses
 * carry their family. A Register carries the multicast data packet, which the walk decodes on.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { Layer } from './layers.js';
import { l4Sum } from './ip.js';
import { onesSum } from './ipv4.js';
import { EtherType, IpProto } from '../numbers.js';
import { type Printer, relTime } from './print.js';
import { CheckedText } from './checked.js';

/** Field offsets of the common header. */
export const PimOffsets = { verType: 0, reserved: 1, checksum: 2, headerLen: 4, registerFlags: 4, registerPayload: 8 } as const;

/** PIMv2 message types. */
export const PimType = {
  HELLO: 0, REGISTER: 1, REGISTER_STOP: 2, JOIN_PRUNE: 3, BOOTSTRAP: 4, ASSERT: 5, GRAFT: 6, GRAFT_ACK: 7, CANDIDATE_RP: 8,
  PRUNE_REFRESH: 9, DF_ELECTION: 10,
} as const;

/** Zero-copy view of a PIM message. */
export class PimView extends ByteView {
  /**
   * Points at a PIM header; Truncated when not even the version byte was captured.
   * @example pim.reset(bytes, 34, bytes.length - 34);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, 1);
  }
  /** Version (upper nibble of the first byte). */
  get version(): number {
    return (this.bytes[this.offset] ?? 0) >> 4;
  }
  /** Message type (lower nibble). */
  get type(): number {
    return (this.bytes[this.offset] ?? 0) & 0x0f;
  }
  /** The reserved byte (RFC 5015 subtype, RFC 2117 address length). */
  get reserved(): number {
    return this.bytes[this.offset + PimOffsets.reserved] ?? 0;
  }
  /** Checksum as carried. */
  get checksum(): number {
    return u16(this.bytes, this.offset + PimOffsets.checksum);
  }
  /** The data packet of a Register starts with an IPv4 or IPv6 header (what the walk may decode). */
  get registersIp(): boolean {
    if (this.version !== 2 || this.type !== PimType.REGISTER || this.length <= PimOffsets.registerPayload) return false;
    const v = (this.bytes[this.offset + PimOffsets.registerPayload] ?? 0) >> 4;
    return v === 4 || v === 6;
  }
}

/** Parsed PIM header. */
export interface PimRepr {
  version: number;
  type: number;
  /** Absent when not captured. */
  checksum?: number;
}

/** Builds the sink representation. */
export function pimRepr(v: PimView): PimRepr {
  const r: PimRepr = { version: v.version, type: v.type };
  if (v.length >= PimOffsets.headerLen) r.checksum = v.checksum;
  return r;
}

const TYPES = [
  'Hello', 'Register', 'Register Stop', 'Join / Prune', 'Bootstrap', 'Assert', 'Graft', 'Graft Acknowledgement', 'Candidate RP Advertisement',
  'Prune Refresh', 'DF Election', 'ECMP Redirect',
];
const HELLO_OPTS: Readonly<Record<number, string>> = {
  1: 'Hold Time', 2: 'LAN Prune Delay', 18: 'DR Priority (Old)', 19: 'DR Priority', 20: 'Generation ID', 21: 'State Refresh Capability',
  22: 'Bi-Directional Capability', 24: 'Address List', 65001: 'Address List (Old)',
};
const DF: Readonly<Record<number, string>> = { 1: 'Offer', 2: 'Winner', 3: 'Backoff', 4: 'Pass' };

const T = new CheckedText();
const ADDR_UNICAST = 0;
const ADDR_GROUP = 1;
const ADDR_SOURCE = 2;

/**
 * pimv2_addr_print: an encoded address at `p` with `len` bytes left; its size, or -1 when it is not
 * one tcpdump knows or does not fit. `alen` is the RFC 2117 address length (0: encoded with a family).
 */
function addr(p: number, len: number, kind: number, alen: number): number {
  let v6: boolean;
  let hdr = 0;
  if (alen === 0) {
    if (len < 2) return -1;
    const fam = T.g1(p);
    if (fam !== 1 && fam !== 2) return -1;
    if (T.g1(p + 1) !== 0) return -1;
    v6 = fam === 2;
    alen = v6 ? 16 : 4;
    hdr = 2;
  } else if (alen === 4 || alen === 16) v6 = alen === 16;
  else return -1;
  p += hdr;
  len -= hdr;
  if (kind === ADDR_UNICAST) {
    if (len < alen || !T.test(p, alen)) return -1;
    T.emit(v6 ? T.ip6(p) : T.ip4(p));
    return hdr + alen;
  }
  if (len < alen + 2 || !T.test(p, alen + 2)) return -1;
  const ml = T.g1(p + 1);
  T.emit((v6 ? T.ip6(p + 2) : T.ip4(p + 2)) + (ml !== (v6 ? 128 : 32) ? `/${ml}` : ''));
  const f = T.g1(p);
  if (f) {
    if (kind === ADDR_GROUP) T.emit(`(0x${f.toString(16).padStart(2, '0')})`);
    else T.emit(`(${f & 4 ? 'S' : ''}${f & 2 ? 'W' : ''}${f & 1 ? 'R' : ''}${f & 0xf8 ? `+0x${(f & 0xf8).toString(16).padStart(2, '0')}` : ''})`);
  }
  return hdr + 2 + alen;
}

/** Whether the checksum over `n` bytes is right (undefined: not all captured). */
function checksumOk(c: Printer, v: PimView, n: number): boolean | undefined {
  if (v.length < n) return undefined;
  const p = c.parser;
  if (p.at(c.ipIdx, Layer.Ipv6)) return l4Sum(p, c.ipIdx, IpProto.PIM, v.offset, n) === 0xffff;
  if (p.at(c.ipIdx, Layer.Ipv4)) return onesSum(v.bytes, v.offset, n, 0) === 0xffff;
  return undefined;
}

/** tcpdump's PIM text (`len`: the IP payload length); at -v the message in full. */
export function printPim(c: Printer, v: PimView, i: number, len: number): void {
  if (v.status !== DecodeStatus.Ok) {
    c.s += ' [|pim]';
    return;
  }
  const ver = v.version;
  const type = v.type;
  if (ver !== 2) {
    c.s += `PIMv${ver}, length ${len}`;
    return;
  }
  if (c.opts.verbose === 0) {
    c.s += `PIMv2, ${TYPES[type] ?? 'Unknown Type'}, length ${len}`;
    return;
  }
  c.s += `PIMv2, length ${len}\n\t${TYPES[type] ?? 'Unknown Type'}`;
  T.begin(v.bytes, v.offset + v.length, c.opts.verbose);
  const inner = body(c, v, len);
  c.s += T.out + (T.aborted ? ' [|pimv2]' : '');
  if (inner && !T.aborted) {
    // the Register's data packet, printed as tcpdump's ip_print/ip6_print would
    const k = c.parser.kinds[i + 1];
    if (i + 1 < c.parser.count) c.network(i + 1, k === Layer.Ipv6 ? EtherType.IPv6 : EtherType.IPv4);
  }
}

/** The message after the type name; true when a Register's IP packet is to be printed next. */
function body(c: Printer, v: PimView, len: number): boolean {
  const alen = v.reserved & 0x0f;
  let p = v.offset;
  if (len < 2) {
    T.emit(`[length ${len} < 2] (invalid)`);
    return false;
  }
  T.g1(p + 1);
  if (alen !== 0) T.emit(', RFC2117-encoding');
  if (len < 4) {
    T.emit(`[length ${len} < 4] (invalid)`);
    return false;
  }
  const ck = T.g2(p + 2);
  T.emit(`, cksum 0x${ck.toString(16).padStart(4, '0')} `);
  if (ck === 0) T.emit('(unverified)');
  else {
    let ok = checksumOk(c, v, v.type === PimType.REGISTER ? 8 : len);
    // RFC 7761 4.9: a Register's checksum over the whole message is accepted too
    if (v.type === PimType.REGISTER && ok === false) ok = checksumOk(c, v, len);
    T.emit(ok === undefined ? '(unverified)' : ok ? '(correct)' : '(incorrect)');
  }
  p += 4;
  len -= 4;
  const trunc = (): false => {
    T.emit(' [|pimv2]');
    return false;
  };
  /** An encoded address, advancing p and len; false: truncated. */
  const a = (kind: number): boolean => {
    const n = addr(p, len, kind, alen);
    if (n < 0) return false;
    p += n;
    len -= n;
    return true;
  };
  switch (v.type) {
    case PimType.HELLO:
      while (len > 0 && !T.aborted) {
        if (len < 4) return trunc();
        const ot = T.g2(p);
        const ol = T.g2(p + 2);
        T.emit(`\n\t  ${HELLO_OPTS[ot] ?? 'Unknown'} Option (${ot}), length ${ol}, Value: `);
        p += 4;
        len -= 4;
        if (len < ol || !T.test(p, ol)) return trunc();
        switch (ot) {
          case 1:
            if (ol !== 2) return bad(ol, 2);
            T.emit(relTime(T.g2(p)));
            break;
          case 2: {
            if (ol !== 4) return bad(ol, 4);
            const d = T.g2(p);
            T.emit(`\n\t    T-bit=${d & 0x8000 ? 1 : 0}, LAN delay ${d & 0x7fff}ms, Override interval ${T.g2(p + 2)}ms`);
            break;
          }
          case 18:
          case 19:
            if (ol === 0) T.emit('Bi-Directional Capability (Old)');
            else if (ol === 4) T.emit(String(T.g4(p)));
            else return bad(ol, 4);
            break;
          case 20:
            if (ol !== 4) return bad(ol, 4);
            T.emit(`0x${T.g4(p).toString(16).padStart(8, '0')}`);
            break;
          case 21:
            if (ol !== 4) return bad(ol, 4);
            T.emit(`v${T.g1(p)}`);
            if (T.g1(p + 1) !== 0) T.emit(`, interval ${relTime(T.g1(p + 1))}`);
            if (T.g2(p + 2) !== 0) T.emit(` ?0x${T.g2(p + 2).toString(16).padStart(4, '0')}?`);
            break;
          case 22:
            break;
          case 24:
          case 65001:
            if (T.verbose > 1) {
              let q = p;
              let ql = len;
              while (q < p + ol && !T.aborted) {
                T.emit('\n\t    ');
                const n = addr(q, ql, ADDR_UNICAST, alen);
                if (n < 0) return trunc();
                q += n;
                ql -= n;
              }
            }
            break;
          default:
            if (T.verbose <= 1) T.unknown(p, '\n\t    ', ol);
        }
        if (T.verbose > 1) T.unknown(p, '\n\t    ', ol);
        p += ol;
        len -= ol;
      }
      return false;
    case PimType.REGISTER: {
      if (len < 4 || !T.test(p, 4)) return trunc();
      const f = T.g4(p);
      T.emit(`, Flags [ ${f === 0x80000000 ? 'Border' : f === 0x40000000 ? 'Null' : 'none'} ]\n\t`);
      p += 4;
      len -= 4;
      if (len === 0) return trunc();
      const ipv = T.g1(p) >> 4;
      if (ipv === 0) T.emit(`IP-Null-header ${T.ip4(p + 12)} > ${T.ip4(p + 16)}`);
      else if (ipv === 4 || ipv === 6) return v.registersIp;
      else T.emit(`IP ver ${ipv}`);
      return false;
    }
    case PimType.REGISTER_STOP:
      T.emit(' group=');
      if (!a(ADDR_GROUP)) return trunc();
      T.emit(' source=');
      if (!a(ADDR_UNICAST)) return trunc();
      return false;
    case PimType.JOIN_PRUNE:
    case PimType.GRAFT:
    case PimType.GRAFT_ACK: {
      const ack = v.type === PimType.GRAFT_ACK;
      if (!ack) {
        T.emit(', upstream-neighbor: ');
        if (!a(ADDR_UNICAST)) return trunc();
      }
      if (len < 4 || !T.test(p, 4)) return trunc();
      const ng = T.g1(p + 1);
      const hold = T.g2(p + 2);
      T.emit(`\n\t  ${ng} group(s)`);
      if (!ack) T.emit(`, holdtime: ${hold === 0xffff ? 'infinite' : relTime(hold)}`);
      p += 4;
      len -= 4;
      for (let g = 0; g < ng && !T.aborted; g++) {
        T.emit(`\n\t    group #${g + 1}: `);
        if (!a(ADDR_GROUP)) return trunc();
        if (len < 4 || !T.test(p, 4)) return trunc();
        const nj = T.g2(p);
        const np = T.g2(p + 2);
        T.emit(`, joined sources: ${nj}, pruned sources: ${np}`);
        p += 4;
        len -= 4;
        for (let j = 0; j < nj && !T.aborted; j++) {
          T.emit(`\n\t      joined source #${j + 1}: `);
          if (!a(ADDR_SOURCE)) return trunc();
        }
        for (let j = 0; j < np && !T.aborted; j++) {
          T.emit(`\n\t      pruned source #${j + 1}: `);
          if (!a(ADDR_SOURCE)) return trunc();
        }
      }
      return false;
    }
    case PimType.BOOTSTRAP: {
      if (len < 2) return trunc();
      T.emit(` tag=${T.g2(p).toString(16)}`);
      p += 2;
      len -= 2;
      if (len < 1) return trunc();
      T.emit(` hashmlen=${T.g1(p)}`);
      if (len < 2 || !T.test(p + 2, 1)) return trunc();
      T.emit(` BSRprio=${T.g1(p + 1)}`);
      p += 2;
      len -= 2;
      T.emit(' BSR=');
      if (!a(ADDR_UNICAST)) return trunc();
      for (let g = 0; len > 0 && !T.aborted; g++) {
        T.emit(` (group${g}: `);
        if (!a(ADDR_GROUP)) return trunc();
        if (len < 1) return trunc();
        T.emit(` RPcnt=${T.g1(p)}`);
        if (len < 2) return trunc();
        const frp = T.g1(p + 1);
        T.emit(` FRPcnt=${frp}`);
        if (len < 4) return trunc();
        p += 4;
        len -= 4;
        for (let j = 0; j < frp && len > 0 && !T.aborted; j++) {
          T.emit(` RP${j}=`);
          if (!a(ADDR_UNICAST)) return trunc();
          if (len < 2) return trunc();
          T.emit(`,holdtime=${relTime(T.g2(p))}`);
          if (len < 3) return trunc();
          T.emit(`,prio=${T.g1(p + 2)}`);
          if (len < 4) return trunc();
          p += 4;
          len -= 4;
        }
        T.emit(')');
      }
      return false;
    }
    case PimType.ASSERT:
      T.emit(' group=');
      if (!a(ADDR_GROUP)) return trunc();
      T.emit(' src=');
      if (!a(ADDR_UNICAST)) return trunc();
      if (len < 8 || !T.test(p, 8)) return trunc();
      if (T.g1(p) & 0x80) T.emit(' RPT');
      T.emit(` pref=${T.g4(p) & 0x7fffffff} metric=${T.g4(p + 4)}`);
      return false;
    case PimType.CANDIDATE_RP: {
      if (len < 1) return trunc();
      const n = T.g1(p);
      T.emit(` prefix-cnt=${n}`);
      if (len < 2) return trunc();
      T.emit(` prio=${T.g1(p + 1)}`);
      if (len < 4) return trunc();
      T.emit(` holdtime=${relTime(T.g2(p + 2))}`);
      p += 4;
      len -= 4;
      T.emit(' RP=');
      if (!a(ADDR_UNICAST)) return trunc();
      for (let g = 0; g < n && len > 0 && !T.aborted; g++) {
        T.emit(` Group${g}=`);
        if (!a(ADDR_GROUP)) return trunc();
      }
      return false;
    }
    case PimType.PRUNE_REFRESH:
      T.emit(' src=');
      if (!a(ADDR_UNICAST)) return trunc();
      T.emit(' grp=');
      if (!a(ADDR_GROUP)) return trunc();
      T.emit(' forwarder=');
      if (!a(ADDR_UNICAST)) return trunc();
      if (len < 2) return trunc();
      T.emit(` TUNR ${relTime(T.g2(p))}`);
      return false;
    case PimType.DF_ELECTION: {
      const sub = v.reserved >> 4;
      T.emit(`\n\t  ${DF[sub] ?? 'Unknown'}, rpa=`);
      if (!a(ADDR_UNICAST)) return trunc();
      T.emit(` sender pref=${T.g4(p)} sender metric=${T.g4(p + 4)}`);
      p += 8;
      len -= 8;
      if (sub === 3 || sub === 4) {
        const w = sub === 3 ? 'offer' : 'new winner';
        T.emit(`\n\t  ${w} addr=`);
        if (!a(ADDR_UNICAST)) return trunc();
        T.emit(` ${w} pref=${T.g4(p)} ${w} metric=${T.g4(p + 4)}`);
        p += 8;
        len -= 8;
        if (sub === 3) T.emit(` interval ${T.g2(p)}ms`);
      }
      return false;
    }
    default:
      T.emit(` [type ${v.type}]`);
      return false;
  }
}

/** A hello option of the wrong length: tcpdump's note, and the message ends. */
function bad(got: number, want: number): false {
  T.emit(`[option length ${got} != ${want}] (invalid)`);
  return false;
}

/*
 * PIM version 1 (draft-ietf-idmr-pim-sm-spec-09 era, Cisco's "PIMv1"): carried as IGMP message type
 * 0x14, an 8-byte header (IGMP type, PIM code, checksum, version in the upper nibble of byte 4) and the
 * message; addresses are plain IPv4 with 32-bit masks.
 */

/** PIMv1 codes (the IGMP message's second byte). */
export const Pimv1Type = { QUERY: 0, REGISTER: 1, REGISTER_STOP: 2, JOIN_PRUNE: 3, RP_REACHABILITY: 4, ASSERT: 5, GRAFT: 6, GRAFT_ACK: 7 } as const;

const V1_TYPES = ['Query', 'Register', 'Register-Stop', 'Join/Prune', 'RP-reachable', 'Assert', 'Graft', 'Graft-ACK'];
const V1_MODES = ['Dense-mode', 'Sparse-mode', 'Sparse-Dense-mode'];

/** One group of a PIMv1 join/prune, graft or graft-ack. */
export interface Pimv1Group {
  group: string;
  mask: string;
  joins: number;
  prunes: number;
}

/** Parsed PIMv1 message (inside `igmp` as `pimv1`): the fields present for its code, as captured. */
export interface Pimv1Repr {
  /** PIM code: 0 query .. 7 graft-ack. */
  type: number;
  /** Version (upper nibble of byte 4; 1). */
  version: number;
  /** Query: 0 dense, 1 sparse, 2 sparse-dense. */
  mode?: number;
  /** Query, join/prune: holdtime in seconds. */
  holdtime?: number;
  /** Register-stop, RP-reachability, assert, join/prune (first group). */
  group?: string;
  /** RP-reachability, assert: the group mask. */
  groupMask?: string;
  /** Register-stop, assert: the source. */
  source?: string;
  /** RP-reachability: the RP. */
  rp?: string;
  /** Assert: the RP-tree bit, preference and metric. */
  rpt?: boolean;
  pref?: number;
  metric?: number;
  /** Join/prune, graft, graft-ack: the upstream neighbour, the group count as carried and the groups captured. */
  upstream?: string;
  numGroups?: number;
  groups?: Pimv1Group[];
}

/** The PIMv1 message at `o` (IGMP type 0x14) of `cap` captured bytes. */
export function pimv1Repr(b: Uint8Array, o: number, cap: number): Pimv1Repr {
  const has = (k: number, n: number): boolean => k + n <= cap;
  const ip = (k: number): string => `${b[o + k]}.${b[o + k + 1]}.${b[o + k + 2]}.${b[o + k + 3]}`;
  const r: Pimv1Repr = { type: b[o + 1] ?? 0, version: (b[o + 4] ?? 0) >> 4 };
  switch (r.type) {
    case Pimv1Type.QUERY:
      if (has(8, 1)) r.mode = b[o + 8]! >> 4;
      if (has(10, 2)) r.holdtime = u16(b, o + 10);
      break;
    case Pimv1Type.REGISTER_STOP:
      if (has(8, 4)) r.group = ip(8);
      if (has(12, 4)) r.source = ip(12);
      break;
    case Pimv1Type.RP_REACHABILITY:
      if (has(8, 4)) r.group = ip(8);
      if (has(12, 4)) r.groupMask = ip(12);
      if (has(16, 4)) r.rp = ip(16);
      if (has(22, 2)) r.holdtime = u16(b, o + 22);
      break;
    case Pimv1Type.ASSERT:
      if (has(8, 4)) r.group = ip(8);
      if (has(12, 4)) r.groupMask = ip(12);
      if (has(16, 4)) r.source = ip(16);
      if (has(20, 4)) Object.assign(r, { rpt: (b[o + 20]! & 0x80) !== 0, pref: u32(b, o + 20) & 0x7fffffff });
      if (has(24, 4)) r.metric = u32(b, o + 24);
      break;
    case Pimv1Type.JOIN_PRUNE:
    case Pimv1Type.GRAFT:
    case Pimv1Type.GRAFT_ACK: {
      if (has(8, 4)) r.upstream = ip(8);
      if (has(14, 2)) r.holdtime = u16(b, o + 14);
      if (!has(19, 1)) break;
      const groups: Pimv1Group[] = [];
      let k = 20;
      r.numGroups = b[o + 19]!;
      for (let n = r.numGroups; n > 0 && has(k, 12); n--) {
        const g: Pimv1Group = { group: ip(k), mask: ip(k + 4), joins: u16(b, o + k + 8), prunes: u16(b, o + k + 10) };
        groups.push(g);
        k += 12 + 6 * (g.joins + g.prunes);
      }
      r.groups = groups;
      if (groups[0]) r.group = groups[0].group;
      break;
    }
  }
  return r;
}

/**
 * tcpdump's PIMv1 text after `igmp pimv1` (`len`: the IGMP length), for the message at `o` captured up
 * to `cap`; false when a read ran past the capture (the packet's text ends with ` [|pimv1]` there).
 */
export function printPimv1(c: Printer, b: Uint8Array, o: number, len: number, cap: number): boolean {
  T.begin(b, cap, c.opts.verbose);
  const type = T.g1(o + 1);
  T.emit(` ${V1_TYPES[type] ?? `[type ${type}]`}`);
  if (pimv1Body(o, type, len)) {
    const ver = T.g1(o + 4) >> 4;
    if (ver !== 1) T.emit(` [v${ver}]`);
  }
  c.s += T.out + (T.aborted ? ' [|pimv1]' : '');
  // tcpdump longjmps out on a read past the capture: its -x dump then starts at the link header
  if (T.aborted) c.earlyEnd = true;
  return !T.aborted;
}

/** The message after its name; false after tcpdump's `goto trunc` (no version note follows). */
function pimv1Body(o: number, type: number, len: number): boolean {
  const ipm = (k: number): string => (T.g4(o + k) !== 0xffffffff ? `/${T.ip4(o + k)}` : '');
  switch (type) {
    case Pimv1Type.QUERY:
      if (T.test(o + 8, 1)) {
        const m = T.g1(o + 8) >> 4;
        T.emit(` ${V1_MODES[m] ?? `mode-${m}`}`);
      }
      if (T.verbose) {
        T.emit(' (Hold-time ');
        T.emit(`${relTime(T.g2(o + 10))})`);
      }
      return true;
    case Pimv1Type.REGISTER:
      // the data packet's IP header must be there (tcpdump's ND_TCHECK)
      if (!T.test(o + 8, 20)) {
        T.emit(' [|pimv1]');
        return false;
      }
      T.emit(` for ${T.ip4(o + 20)} > ${T.ip4(o + 24)}`);
      return true;
    case Pimv1Type.REGISTER_STOP:
      T.emit(` for ${T.ip4(o + 8)} > ${T.ip4(o + 12)}`);
      return true;
    case Pimv1Type.RP_REACHABILITY:
      if (T.verbose) {
        T.emit(` group ${T.ip4(o + 8)}`);
        T.emit(ipm(12));
        T.emit(` RP ${T.ip4(o + 16)} hold `);
        T.emit(relTime(T.g2(o + 22)));
      }
      return true;
    case Pimv1Type.ASSERT:
      T.emit(` for ${T.ip4(o + 16)} > ${T.ip4(o + 8)}`);
      T.emit(ipm(12));
      T.emit(` ${T.g1(o + 20) & 0x80 ? 'RP-tree' : 'SPT'} pref ${T.g4(o + 20) & 0x7fffffff} metric ${T.g4(o + 24)}`);
      return true;
    case Pimv1Type.JOIN_PRUNE:
    case Pimv1Type.GRAFT:
    case Pimv1Type.GRAFT_ACK:
      if (T.verbose) {
        if (len < 8) {
          T.emit(' [|pimv1]');
          return false;
        }
        joinPrune(o + 8, len - 8);
      }
      return true;
    default:
      return true;
  }
}

/** pimv1_join_prune_print: one line for a single group and source, else the upstream and holdtime (-vv: the groups). */
function joinPrune(p: number, len: number): void {
  const trunc = (): void => T.emit(' [|pimv1]');
  if (T.test(p, 30) && T.g1(p + 11) === 1 && T.g2(p + 20) + T.g2(p + 22) === 1) {
    T.emit(` RPF ${T.ip4(p)} `);
    const hold = T.g2(p + 6);
    if (hold !== 180) T.emit(`Hold ${relTime(hold)}`);
    T.emit(`${T.g2(p + 20) ? 'Join' : 'Prune'} (${T.ip4(p + 26)}/${T.g1(p + 25) & 0x3f}, ${T.ip4(p + 12)}`);
    if (T.g4(p + 16) !== 0xffffffff) T.emit(`/${T.ip4(p + 16)}`);
    const f = T.g1(p + 25);
    T.emit(`) ${T.g1(p + 24) & 1 ? 'Sparse' : 'Dense'}${f & 0x80 ? ' WC' : ''} ${f & 0x40 ? 'RP' : 'SPT'}`);
    return;
  }
  const nl = T.verbose > 1 ? '\n' : '';
  if (len < 4) return trunc();
  T.emit(`${nl} Upstream Nbr: ${T.ip4(p)}`);
  p += 4;
  len -= 4;
  if (len < 4) return trunc();
  T.emit(`${nl} Hold time: ${relTime(T.g2(p + 2))}`);
  if (T.verbose < 2) return;
  p += 4;
  len -= 4;
  if (len < 4) return trunc();
  let ngroups = T.g1(p + 3);
  p += 4;
  len -= 4;
  for (; ngroups > 0 && !T.aborted; ngroups--) {
    if (len < 4) return trunc();
    T.emit(`\n\tGroup: ${T.ip4(p)}`);
    p += 4;
    len -= 4;
    if (len < 4) return trunc();
    if (T.g4(p) !== 0xffffffff) T.emit(`/${T.ip4(p)}`);
    p += 4;
    len -= 4;
    if (len < 4) return trunc();
    const nj = T.g2(p);
    const np = T.g2(p + 2);
    T.emit(` joined: ${nj} pruned: ${np}`);
    p += 4;
    len -= 4;
    for (let k = 0; k < nj + np && !T.aborted; k++) {
      if (len < 6) return trunc();
      const f = T.g1(p + 1);
      T.emit(`\n\t${k < nj ? 'Join ' : 'Prune'} ${T.g1(p) & 1 ? 'Sparse ' : 'Dense '}${f & 0x80 ? 'WC ' : ''}${f & 0x40 ? 'RP ' : 'SPT '}${T.ip4(p + 2)}/${f & 0x3f}`);
      p += 6;
      len -= 6;
    }
  }
}

/*
 * Cisco auto-RP (pim-autorp-spec01, version 1+), UDP port 496: an 8-byte header (version and type,
 * RP count, holdtime, reserved) and per RP its address, PIM versions and group prefixes.
 */

/** Field offsets of the auto-RP header. */
export const AutoRpOffsets = { verType: 0, rpCount: 1, holdtime: 2, reserved: 4, headerLen: 8 } as const;

/** Zero-copy view of an auto-RP message (the whole UDP payload; any length). */
export class AutoRpView extends ByteView {
  /**
   * Points at an auto-RP message; Truncated below the 8-byte header.
   * @example autoRp.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, AutoRpOffsets.headerLen);
  }
}

/** One group prefix an RP serves. */
export interface AutoRpGroup {
  negative: boolean;
  bidir: boolean;
  maskLen: number;
  prefix: string;
}

/** One RP of an announcement or mapping. */
export interface AutoRpRp {
  addr: string;
  /** PIM versions: 1 v1, 2 v2, 3 both, 0 unknown. */
  pimVersion: number;
  groups: AutoRpGroup[];
}

/** Parsed auto-RP message: the header, and the RPs as far as captured. */
export interface AutoRpRepr {
  version: number;
  /** 1 RP announcement, 2 RP mapping. */
  type: number;
  rpCount: number;
  holdtime: number;
  rps: AutoRpRp[];
}

/** Builds the sink representation. */
export function autoRpRepr(v: AutoRpView): AutoRpRepr {
  const b = v.bytes;
  const o = v.offset;
  const end = o + v.length;
  if (v.status !== DecodeStatus.Ok) return { version: 0, type: 0, rpCount: 0, holdtime: 0, rps: [] };
  const ip = (k: number): string => `${b[k]}.${b[k + 1]}.${b[k + 2]}.${b[k + 3]}`;
  const r: AutoRpRepr = { version: b[o]! >> 4, type: b[o]! & 15, rpCount: b[o + 1]!, holdtime: u16(b, o + 2), rps: [] };
  let p = o + 8;
  for (let n = r.rpCount; n > 0 && p + 6 <= end; n--) {
    const rp: AutoRpRp = { addr: ip(p), pimVersion: b[p + 4]! & 3, groups: [] };
    let ng = b[p + 5]!;
    p += 6;
    for (; ng > 0 && p + 6 <= end; ng--, p += 6) rp.groups.push({ negative: (b[p]! & 1) !== 0, bidir: (b[p]! & 2) !== 0, maskLen: b[p + 1]!, prefix: ip(p + 2) });
    r.rps.push(rp);
  }
  return r;
}

const AUTORP_PIM = [' PIMv?', ' PIMv1', ' PIMv2', ' PIMv1+2'];

/** tcpdump's auto-RP text (`len`: the UDP payload length), on the UDP line. */
export function printAutoRp(c: Printer, v: AutoRpView, _i: number, len: number): void {
  T.begin(v.bytes, v.offset + v.length, c.opts.verbose);
  autoRpBody(v.offset, len);
  c.s += T.out + (T.aborted ? ' [|cisco_autorp]' : '');
  if (T.aborted) c.earlyEnd = true;
}

/** cisco_autorp_print from the header on; a length too short for what follows ends with ` [|cisco_autorp]`. */
function autoRpBody(p: number, len: number): void {
  const trunc = (): void => T.emit(' [|cisco_autorp]');
  if (len < 8) return trunc();
  T.emit(' auto-rp ');
  const type = T.g1(p);
  T.emit(type === 0x11 ? 'candidate-advert' : type === 0x12 ? 'mapping' : `type-0x${type.toString(16).padStart(2, '0')}`);
  let numrps = T.g1(p + 1);
  const hold = T.g2(p + 2);
  T.emit(` Hold ${hold ? relTime(hold) : 'FOREVER'}`);
  p += 8;
  len -= 8;
  for (; numrps > 0 && !T.aborted; numrps--) {
    if (len < 4) return trunc();
    T.emit(` RP ${T.ip4(p)}`);
    p += 4;
    len -= 4;
    if (len < 1) return trunc();
    const f = T.g1(p);
    T.emit(AUTORP_PIM[f & 3]!);
    if (f & 0xfc) T.emit(` [rsvd=0x${(f & 0xfc).toString(16).padStart(2, '0')}]`);
    p += 1;
    len -= 1;
    if (len < 1) return trunc();
    let n = T.g1(p);
    p += 1;
    len -= 1;
    for (let s = ' '; n > 0 && !T.aborted; n--, s = ',') {
      if (len < 6) return trunc();
      const e = T.g1(p);
      T.emit(`${s}${e & 1 ? '!' : ''}${T.ip4(p + 2)}/${T.g1(p + 1)}`);
      if (e & 2) T.emit(' bidir');
      if (e & 0xfc) T.emit(`[rsvd=0x${(e & 0xfc).toString(16).padStart(2, '0')}]`);
      p += 6;
      len -= 6;
    }
  }
}
