/**
 * Protocol Independent Multicast version 2 (RFC 7761 PIM-SM, RFC 3973 PIM-DM, RFC 5059 bootstrap,
 * RFC 5015 bidir), IP protocol 103 over IPv4 and IPv6: a 4-byte header (version, type, reserved or
 * RFC 2117 address length, checksum) and the message; encoded unicast, group and source addresses
 * carry their family. A Register carries the multicast data packet, which the walk decodes on.
 */
import { ByteView, DecodeStatus, u16 } from './status.js';
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
