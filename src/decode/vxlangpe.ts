/** VXLAN Generic Protocol Extension (draft-ietf-nvo3-vxlan-gpe): VXLAN with a next-protocol field. */
import { ByteView, DecodeStatus, u32 } from './status.js';
import { EtherType } from '../numbers.js';
import { Layer } from './layers.js';
import type { Printer } from './print.js';

/** Field offsets of the 8-byte header. */
export const VxlanGpeOffsets = { flags: 0, nextProtocol: 3, vni: 4, headerLen: 8 } as const;

/** Next-protocol values (draft section 3.2). */
export const VxlanGpeNext = { IPV4: 1, IPV6: 2, ETHERNET: 3, NSH: 4, MPLS: 5 } as const;

/** The EtherType each next-protocol value stands for (Ethernet and NSH: 0, handled apart). */
export const VXLAN_GPE_ETHERTYPE: Readonly<Record<number, number>> = { 1: EtherType.IPv4, 2: EtherType.IPv6, 5: EtherType.MPLS };

/** Zero-copy view of a VXLAN-GPE header. */
export class VxlanGpeView extends ByteView {
  /**
   * Points at a VXLAN-GPE header; Truncated below 8 bytes.
   * @example g.reset(bytes, 42, bytes.length - 42);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    this.point(bytes, offset, length);
    this.status = this.length < VxlanGpeOffsets.headerLen ? DecodeStatus.Truncated : DecodeStatus.Ok;
    return this.status;
  }
  /** Flags byte (0x08 I: VNI valid, 0x04 P: next protocol present, 0x02 B: BUM traffic, 0x01 O: OAM). */
  get flags(): number {
    return this.bytes[this.offset] ?? 0;
  }
  /** Next protocol. */
  get nextProtocol(): number {
    return this.bytes[this.offset + VxlanGpeOffsets.nextProtocol] ?? 0;
  }
  /** 24-bit network identifier. */
  get vni(): number {
    return Math.floor(u32(this.bytes, this.offset + VxlanGpeOffsets.vni) / 256);
  }
}

/** Parsed VXLAN-GPE header. */
export interface VxlanGpeRepr {
  flags: number;
  nextProtocol: number;
  vni: number;
}

/** Builds the sink representation. */
export function vxlanGpeRepr(v: VxlanGpeView): VxlanGpeRepr {
  return { flags: v.flags, nextProtocol: v.nextProtocol, vni: v.vni };
}

/** Flag letters in tcpdump's order. */
const FLAGS: ReadonlyArray<readonly [number, string]> = [[0x08, 'I'], [0x04, 'P'], [0x02, 'B'], [0x01, 'O']];

/** tcpdump's VXLAN-GPE text, then what it carries (on a new line at -v). */
export function printVxlanGpe(c: Printer, v: VxlanGpeView, i: number, n: number): void {
  const p = c.parser;
  c.s += 'VXLAN-GPE, ';
  if (n < VxlanGpeOffsets.headerLen) {
    c.s += ` (len ${n} < 8) (invalid)`;
    return;
  }
  if (p.status[i] !== DecodeStatus.Ok) {
    if (v.length >= 1) c.s += `flags [${flagText(v.flags)}], `;
    c.s += ' [|vxlan_gpe]';
    return;
  }
  c.s += `flags [${flagText(v.flags)}], vni ${v.vni}${c.opts.verbose ? '\n    ' : ': '}`;
  const next = v.nextProtocol;
  if (next === VxlanGpeNext.NSH) {
    if (p.kinds[i + 1] === Layer.Nsh) c.layer(i + 1, n - VxlanGpeOffsets.headerLen);
    return;
  }
  if (VXLAN_GPE_ETHERTYPE[next] === undefined && next !== VxlanGpeNext.ETHERNET) {
    c.s += 'ERROR: unknown-next-protocol (invalid)';
    return;
  }
  if (i + 1 >= p.count) return;
  if (p.kinds[i + 1] === Layer.Ethernet) c.ether(i + 1, n - VxlanGpeOffsets.headerLen);
  else c.network(i + 1, VXLAN_GPE_ETHERTYPE[next] ?? 0);
}

function flagText(f: number): string {
  let s = '';
  for (const [bit, name] of FLAGS) if (f & bit) s += name;
  return s || 'none';
}
