/**
 * Netlink and nfnetlink framing (linux/netlink.h, linux/netfilter/nfnetlink.h) over plain bytes: a
 * builder that writes messages into one reusable buffer, and an attribute table that a parser fills
 * per message without allocating. Netlink fields are host order (little-endian on every Linux
 * target tscap runs on); nfnetlink payload fields inside attributes are network order.
 */

/** struct nlmsghdr (16 bytes). */
export const NLMSGHDR = { SIZE: 16, len: 0, type: 4, flags: 6, seq: 8, pid: 12 } as const;
/** struct nfgenmsg (4 bytes): family, version, res_id (big-endian: queue or group number). */
export const NFGENMSG = { SIZE: 4, family: 0, version: 1, resId: 2 } as const;
/** struct nlattr (4 bytes): len, type. */
export const NLATTR = { SIZE: 4, len: 0, type: 2 } as const;
/** Where the first attribute of an nfnetlink message starts. */
export const NFNL_ATTRS = NLMSGHDR.SIZE + NFGENMSG.SIZE;

/** Netlink control message types (linux/netlink.h). */
export const NLMSG = { NOOP: 1, ERROR: 2, DONE: 3, OVERRUN: 4, MIN_TYPE: 0x10 } as const;
/** nlmsghdr.flags bits (linux/netlink.h). */
export const NLM_F = { REQUEST: 0x01, MULTI: 0x02, ACK: 0x04 } as const;
/** nlattr.type without its two flag bits (nested, network byte order). */
export const NLA_TYPE_MASK = 0x3fff;
/** nlattr.type flag: the value is a list of attributes. */
export const NLA_F_NESTED = 0x8000;

/** nfnetlink subsystems (linux/netfilter/nfnetlink.h). */
export const NFNL_SUBSYS = { QUEUE: 3, ULOG: 4 } as const;
/** nfgenmsg.version of every nfnetlink message. */
export const NFNETLINK_V0 = 0;

/** NLMSG_ALIGN / NLA_ALIGN: 4 bytes. */
export function nlAlign(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Writes nfnetlink messages back to back into one buffer made once; `bytes()` is a view of what was
 * written since `reset()`. Several messages in one buffer go to the kernel in one send, which handles
 * each in turn.
 */
export class NlBuilder {
  readonly buf: Uint8Array;
  private readonly dv: DataView;
  /** Bytes written. */
  length = 0;
  private msgStart = 0;

  constructor(capacity = 65536) {
    this.buf = new Uint8Array(capacity);
    this.dv = new DataView(this.buf.buffer);
  }

  /** Forgets everything written. */
  reset(): void {
    this.length = 0;
  }

  /** Room left, in bytes. */
  get free(): number {
    return this.buf.length - this.length;
  }

  /** Starts a message: nlmsghdr (length filled by `end`) and nfgenmsg. */
  begin(type: number, flags: number, seq: number, family: number, resId: number): void {
    const h = this.beginWith(type, flags, seq, NFGENMSG.SIZE);
    this.buf[h + NFGENMSG.family] = family;
    this.buf[h + NFGENMSG.version] = NFNETLINK_V0;
    this.dv.setUint16(h + NFGENMSG.resId, resId, false);
  }

  /**
   * Starts a message whose fixed header is `hdrLen` bytes (nfgenmsg, rtnetlink's tcmsg): nlmsghdr
   * (length filled by `end`), then the header zeroed; returns where the header starts.
   */
  beginWith(type: number, flags: number, seq: number, hdrLen: number): number {
    const o = this.length;
    this.msgStart = o;
    const dv = this.dv;
    dv.setUint32(o + NLMSGHDR.len, 0, true);
    dv.setUint16(o + NLMSGHDR.type, type, true);
    dv.setUint16(o + NLMSGHDR.flags, flags, true);
    dv.setUint32(o + NLMSGHDR.seq, seq >>> 0, true);
    dv.setUint32(o + NLMSGHDR.pid, 0, true);
    const end = o + NLMSGHDR.SIZE + nlAlign(hdrLen);
    for (let i = o + NLMSGHDR.SIZE; i < end; i++) this.buf[i] = 0;
    this.length = end;
    return o + NLMSGHDR.SIZE;
  }

  /** Starts a nested attribute; `endNest` with the returned offset writes its length. */
  nest(type: number): number {
    const o = this.length;
    this.dv.setUint16(o + NLATTR.type, type | NLA_F_NESTED, true);
    this.length = o + NLATTR.SIZE;
    return o;
  }

  /** Ends the nested attribute begun at `at`. */
  endNest(at: number): void {
    this.dv.setUint16(at + NLATTR.len, this.length - at, true);
  }

  /** A host-order u16 attribute. */
  attrU16(type: number, v: number): void {
    this.dv.setUint16(this.attr(type, 2), v, true);
  }

  /** A NUL-terminated string attribute. */
  attrString(type: number, v: string): void {
    const bytes = new TextEncoder().encode(v);
    const at = this.attr(type, bytes.length + 1);
    this.buf.set(bytes, at);
    this.buf[at + bytes.length] = 0;
  }

  /** Starts an attribute with `len` bytes of value and returns where the value goes; pads to 4. */
  attr(type: number, len: number): number {
    const o = this.length;
    this.dv.setUint16(o + NLATTR.len, NLATTR.SIZE + len, true);
    this.dv.setUint16(o + NLATTR.type, type, true);
    const end = o + nlAlign(NLATTR.SIZE + len);
    this.buf.fill(0, o + NLATTR.SIZE + len, end);
    this.length = end;
    return o + NLATTR.SIZE;
  }

  /** A big-endian u32 attribute. */
  attrU32be(type: number, v: number): void {
    this.dv.setUint32(this.attr(type, 4), v >>> 0, false);
  }

  /** An attribute holding `src[from, from + len)`. */
  attrBytes(type: number, src: Uint8Array, from = 0, len = src.length - from): void {
    this.buf.set(src.subarray(from, from + len), this.attr(type, len));
  }

  /** Ends the message begun last: writes its length. */
  end(): void {
    this.dv.setUint32(this.msgStart + NLMSGHDR.len, this.length - this.msgStart, true);
  }

  /** A view of everything written since `reset` (valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/**
 * The attributes of one message, by type: offset of the value and its length (-1 when absent). One
 * table is made per reader and refilled per message.
 */
export class AttrTable {
  readonly off: Int32Array;
  readonly len: Int32Array;
  constructor(readonly maxType: number) {
    this.off = new Int32Array(maxType + 1);
    this.len = new Int32Array(maxType + 1);
  }

  /**
   * Fills the table from the attributes in `buf[from, end)`. Returns false when an attribute's length
   * is impossible (the message is malformed); unknown types are skipped.
   */
  parse(dv: DataView, from: number, end: number): boolean {
    this.off.fill(-1);
    this.len.fill(-1);
    let o = from;
    while (o + NLATTR.SIZE <= end) {
      const alen = dv.getUint16(o + NLATTR.len, true);
      if (alen < NLATTR.SIZE || o + alen > end) return false;
      const type = dv.getUint16(o + NLATTR.type, true) & NLA_TYPE_MASK;
      if (type <= this.maxType) {
        this.off[type] = o + NLATTR.SIZE;
        this.len[type] = alen - NLATTR.SIZE;
      }
      o += nlAlign(alen);
    }
    return true;
  }

  /** Whether attribute `type` is present with at least `min` bytes. */
  has(type: number, min = 0): boolean {
    return (this.len[type] ?? -1) >= min;
  }
}
