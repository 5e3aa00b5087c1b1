/**
 * What a protocol home sees of the parser while it decodes: the packet's bytes, `push` to record the
 * header it just reset, and the dispatchers that find the next layer in the tables built from the
 * registry's `reach` declarations. A home decodes its own header and names what follows (an EtherType,
 * an IP protocol, ports, an LLC SAP or SNAP code, or a layer kind outright), as gopacket's layers do;
 * the parser itself knows no protocol. Types only, so homes import it without a cycle.
 */
import type { DecodeStatus } from './status.js';

/** The parser as the homes' `decode` functions drive it. */
export interface Walk {
  /** The current packet's bytes (borrowed). */
  readonly bytes: Uint8Array;
  /** Set when a layer was cut by the capture length. */
  truncated: boolean;
  /** 802.11 QoS data frames carry an 802.11s mesh control field (tcpdump's -H). */
  readonly wlanMesh: boolean;
  /** Where the frame starts in `bytes`. */
  readonly frameStart: number;
  /** The frame's length on the wire (its captured length when the caller did not say). */
  readonly wireLen: number;
  /** Start of the undecoded rest. */
  restOffset: number;
  /** Captured bytes from `restOffset`. */
  restLen: number;
  /** Records the layer of `kind` just reset; true when decoding may go on past its `headerLen` bytes. */
  push(kind: number, st: DecodeStatus, declared: number, headerLen: number): boolean;
  /** Decodes a layer of `kind` at `p` (its home's `decode` gets `arg`); nothing when the pool is spent. */
  next(kind: number, p: number, end: number, declared: number, arg: number): void;
  /** Dispatches on an EtherType (an 802.3 length is not one: the caller hands those to LLC). */
  etherType(t: number, p: number, end: number, declared: number): void;
  /** Dispatches on an IP protocol number. */
  ipProto(proto: number, p: number, end: number, declared: number): void;
  /** Dispatches a UDP (`carrier` 17) or TCP (6) payload on its ports; the lower layer kind wins. */
  ports(carrier: number, sport: number, dport: number, p: number, end: number, declared: number): void;
  /** Dispatches an LLC payload on its DSAP. */
  sap(dsap: number, p: number, end: number, declared: number): void;
  /** Dispatches a SNAP payload on `oui * 65536 + type`. */
  snap(code: number, p: number, end: number, declared: number): void;
  /** Dispatches on a PPP protocol number. */
  ppp(proto: number, p: number, end: number, declared: number): void;
  /** IPv4 or IPv6 by the version nibble at `p` (raw IP links, MPLS payloads); nothing for others. */
  ipByVersion(p: number, end: number): void;
}

/** How a protocol is reached: the numbers in its carrier's header that announce it. */
export interface Reach {
  /** LINKTYPE_* values whose link header this layer is. */
  readonly link?: readonly number[];
  /** EtherTypes (also used after VLAN tags, SNAP with OUI 0, GRE, Geneve, SLL). */
  readonly ether?: readonly number[];
  /** IP protocol numbers (IPv4 protocol, IPv6 upper-layer header). */
  readonly ip?: readonly number[];
  /** UDP ports, either side. */
  readonly udp?: readonly number[];
  /** TCP ports, either side. */
  readonly tcp?: readonly number[];
  /** LLC DSAP values. */
  readonly sap?: readonly number[];
  /** SNAP codes: `oui * 65536 + protocol id`. */
  readonly snap?: readonly number[];
  /** PPP protocol numbers. */
  readonly ppp?: readonly number[];
}

/** A protocol home's decoder: resets `v` at `p`, pushes it, and hands what follows to the walk. */
export type DecodeFn<V> = (w: Walk, v: V, p: number, end: number, declared: number, arg: number) => void;

/** A view whose reset takes only the bytes (most headers). */
export interface PlainReset {
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus;
}
