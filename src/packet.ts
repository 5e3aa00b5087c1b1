/**
 * The packet record shared by every source (live ring, recvmsg, files) and every sink (printer, JSON,
 * pcap writers). It is a view: sources re-point one object per packet instead of allocating, so a
 * record and the bytes it points at are borrowed and valid only until the source moves on (the next
 * packet, or the end of the current ring block for sinks called inside a batch).
 */

/** `sll_pkttype` values from linux/if_packet.h. */
export const PacketType = {
  HOST: 0,
  BROADCAST: 1,
  MULTICAST: 2,
  OTHERHOST: 3,
  OUTGOING: 4,
  LOOPBACK: 5,
  UNKNOWN: -1,
} as const;

/** Names used in text and JSON output, indexed by `PacketType` value. */
export const PACKET_TYPE_NAMES: readonly string[] = ['host', 'broadcast', 'multicast', 'otherhost', 'outgoing', 'loopback'];

/** A borrowed packet: the frame is `buf[offset, offset + capLen)`. */
export interface PacketView {
  /** Backing bytes (a ring block or a file chunk); borrowed, never keep it past the callback. */
  buf: Uint8Array;
  /** Start of the frame in `buf`. */
  offset: number;
  /** Bytes captured. */
  capLen: number;
  /** Length of the frame on the wire. */
  wireLen: number;
  /** Timestamp, whole seconds since the epoch. */
  tsSec: number;
  /** Timestamp, nanoseconds within the second. */
  tsNsec: number;
  /** LINKTYPE_* of the frame. */
  linkType: number;
  /** Interface index the frame was seen on (0 when unknown, e.g. pcap files). */
  ifindex: number;
  /** `PacketType` value, or -1 when the source does not know it. */
  pktType: number;
  /** True when the kernel reported a VLAN tag for this frame (stripped by the NIC or veth). */
  vlanValid: boolean;
  /** Tag control information (PCP, DEI, VID) when `vlanValid`. */
  vlanTci: number;
  /** Tag protocol identifier (0x8100, 0x88a8) when `vlanValid`. */
  vlanTpid: number;
  /** True when the tag is already in the bytes (re-inserted); false when it is metadata only. */
  vlanInBytes: boolean;
  /** Record number from 0, in source order. */
  index: number;
}

/** A packet that owns its bytes; made by `copyPacket`. */
export interface OwnedPacket extends PacketView {
  readonly data: Uint8Array;
}

/** A fresh, reusable record with every field zeroed. */
export function emptyPacket(): PacketView {
  return {
    buf: new Uint8Array(0),
    offset: 0,
    capLen: 0,
    wireLen: 0,
    tsSec: 0,
    tsNsec: 0,
    linkType: 1,
    ifindex: 0,
    pktType: -1,
    vlanValid: false,
    vlanTci: 0,
    vlanTpid: 0,
    vlanInBytes: false,
    index: 0,
  };
}

/** The frame's bytes as a view into the borrowed buffer (allocates a view object, not the bytes). */
export function packetBytes(p: PacketView): Uint8Array {
  return p.buf.subarray(p.offset, p.offset + p.capLen);
}

/**
 * Copies a borrowed packet so it may be kept.
 * @example
 * for await (const p of capture) kept.push(copyPacket(p));
 */
export function copyPacket(p: PacketView): OwnedPacket {
  const data = p.buf.slice(p.offset, p.offset + p.capLen);
  return { ...p, buf: data, offset: 0, data };
}

/**
 * Where packets go: a printer, a JSON stream, a pcap writer. `write` is synchronous and must not keep
 * `pkt` or its bytes; `flush` ends a batch (one ring block, one file chunk) and may wait for the output
 * to drain; `close` flushes and releases.
 */
export interface PacketSink {
  write(pkt: PacketView): void;
  /**
   * True when `write` reads only `buf`, `offset`, `capLen`, `wireLen`, `tsSec`, `tsNsec`, `linkType` and
   * `ifindex` (the traffic accounting of `--stats` and `--summary`): a live ring walk may then hand it a
   * view it fills with those alone, beside a file gathering from the ring.
   */
  readonly framesOnly?: boolean;
  /** A `framesOnly` sink's `write` for a frame given by those fields: a ring walk then fills no view. */
  writeFrame?(buf: Uint8Array, offset: number, capLen: number, wireLen: number, tsSec: number, tsNsec: number, ifindex: number, linkType: number): void;
  flush(): void | Promise<void>;
  close(): Promise<void>;
}
