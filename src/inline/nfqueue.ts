/**
 * nfnetlink_queue messages (linux/netfilter/nfnetlink_queue.h): the config message that binds and
 * sets up a queue, verdicts (single and batch), and the packet message parsed into one reusable
 * record. Attribute values are network order.
 */
import { AttrTable, NFGENMSG, NFNL_ATTRS, NLMSGHDR, NLM_F, NFNL_SUBSYS, type NlBuilder } from './netlink.js';

/** Message types, as `(NFNL_SUBSYS_QUEUE << 8) | msg`. */
export const NFQNL_MSG = {
  PACKET: (NFNL_SUBSYS.QUEUE << 8) | 0,
  VERDICT: (NFNL_SUBSYS.QUEUE << 8) | 1,
  CONFIG: (NFNL_SUBSYS.QUEUE << 8) | 2,
  VERDICT_BATCH: (NFNL_SUBSYS.QUEUE << 8) | 3,
} as const;

/** Packet and verdict attributes (enum nfqnl_attr_type). */
export const NFQA = {
  PACKET_HDR: 1,
  VERDICT_HDR: 2,
  MARK: 3,
  TIMESTAMP: 4,
  IFINDEX_INDEV: 5,
  IFINDEX_OUTDEV: 6,
  IFINDEX_PHYSINDEV: 7,
  IFINDEX_PHYSOUTDEV: 8,
  HWADDR: 9,
  PAYLOAD: 10,
  CT: 11,
  CT_INFO: 12,
  CAP_LEN: 13,
  SKB_INFO: 14,
  EXP: 15,
  UID: 16,
  GID: 17,
  SECCTX: 18,
  VLAN: 19,
  L2HDR: 20,
  PRIORITY: 21,
  MAX: 21,
} as const;

/** Config attributes (enum nfqnl_attr_config). */
export const NFQA_CFG = { CMD: 1, PARAMS: 2, QUEUE_MAXLEN: 3, MASK: 4, FLAGS: 5 } as const;
/** Config commands (enum nfqnl_msg_config_cmds). */
export const NFQNL_CFG_CMD = { NONE: 0, BIND: 1, UNBIND: 2, PF_BIND: 3, PF_UNBIND: 4 } as const;
/** Copy modes (enum nfqnl_config_mode). */
export const NFQNL_COPY = { NONE: 0, META: 1, PACKET: 2 } as const;
/** Queue flags (NFQA_CFG_F_*). */
export const NFQA_CFG_F = { FAIL_OPEN: 1, CONNTRACK: 2, GSO: 4, UID_GID: 8, SECCTX: 16 } as const;
/** NFQA_SKB_INFO bits. */
export const NFQA_SKB = { CSUMNOTREADY: 1, GSO: 2, CSUM_NOTVERIFIED: 4 } as const;
/** Netfilter verdicts (linux/netfilter.h). */
export const NF_VERDICT = { DROP: 0, ACCEPT: 1, STOLEN: 2, QUEUE: 3, REPEAT: 4, STOP: 5 } as const;
/** The largest copy range the kernel accepts (0xffff minus an attribute header). */
export const NFQNL_MAX_COPY_RANGE = 0xffff - 4;

/** What the config message asks for. */
export interface QueueConfig {
  queue: number;
  copyMode: number;
  copyRange: number;
  maxLen: number;
  /** NFQA_CFG_F_* bits to set; `mask` says which bits are being changed. */
  flags: number;
  mask: number;
}

/**
 * One config message that binds the queue and sets copy mode, range, length and flags: the kernel
 * applies it as a whole before it queues the first packet to this socket.
 */
export function buildBindConfig(b: NlBuilder, seq: number, c: QueueConfig): void {
  b.begin(NFQNL_MSG.CONFIG, NLM_F.REQUEST | NLM_F.ACK, seq, 0, c.queue);
  const cmd = b.attr(NFQA_CFG.CMD, 4);
  b.buf[cmd] = NFQNL_CFG_CMD.BIND;
  b.buf[cmd + 1] = 0;
  b.buf[cmd + 2] = 0;
  b.buf[cmd + 3] = 0;
  const params = b.attr(NFQA_CFG.PARAMS, 5);
  new DataView(b.buf.buffer, b.buf.byteOffset).setUint32(params, c.copyRange >>> 0, false);
  b.buf[params + 4] = c.copyMode;
  b.attrU32be(NFQA_CFG.QUEUE_MAXLEN, c.maxLen);
  b.attrU32be(NFQA_CFG.MASK, c.mask);
  b.attrU32be(NFQA_CFG.FLAGS, c.flags);
  b.end();
}

/** A config message that sets only the queue length (no answer asked for). */
export function buildMaxLen(b: NlBuilder, queue: number, maxLen: number): void {
  b.begin(NFQNL_MSG.CONFIG, NLM_F.REQUEST, 0, 0, queue);
  b.attrU32be(NFQA_CFG.QUEUE_MAXLEN, maxLen);
  b.end();
}

/** A config message with only the unbind command. */
export function buildUnbind(b: NlBuilder, seq: number, queue: number): void {
  b.begin(NFQNL_MSG.CONFIG, NLM_F.REQUEST, seq, 0, queue);
  const cmd = b.attr(NFQA_CFG.CMD, 4);
  b.buf.fill(0, cmd, cmd + 4);
  b.buf[cmd] = NFQNL_CFG_CMD.UNBIND;
  b.end();
}

/**
 * A verdict for one packet (`batch` false) or for every packet of the queue with an id up to `id`
 * (`batch` true, NFQNL_MSG_VERDICT_BATCH); `mark` (>= 0) sets the packet mark; `payload` replaces the
 * packet (single verdicts only).
 */
export function buildVerdict(b: NlBuilder, queue: number, id: number, verdict: number, mark: number, batch: boolean, payload?: Uint8Array): void {
  b.begin(batch ? NFQNL_MSG.VERDICT_BATCH : NFQNL_MSG.VERDICT, NLM_F.REQUEST, 0, 0, queue);
  const hdr = b.attr(NFQA.VERDICT_HDR, 8);
  const dv = new DataView(b.buf.buffer, b.buf.byteOffset);
  dv.setUint32(hdr, verdict >>> 0, false);
  dv.setUint32(hdr + 4, id >>> 0, false);
  if (mark >= 0) b.attrU32be(NFQA.MARK, mark);
  if (payload !== undefined) b.attrBytes(NFQA.PAYLOAD, payload);
  b.end();
}

/** Bytes a verdict message takes (for sizing the send buffer). */
export function verdictSize(payloadLen: number): number {
  return NFNL_ATTRS + 12 + 8 + (payloadLen > 0 ? 4 + ((payloadLen + 3) & ~3) : 0);
}

/** A queued packet's metadata and where its bytes are, re-filled for each message. */
export interface PacketRecord {
  /** Packet id (unique per queue, increasing). */
  id: number;
  /** EtherType of the packet (0x0800 IPv4, 0x86dd IPv6). */
  hwProtocol: number;
  /** Netfilter hook (0 PREROUTING, 1 INPUT, 2 FORWARD, 3 OUTPUT, 4 POSTROUTING). */
  hook: number;
  /** Packet mark, 0 when absent. */
  mark: number;
  /** Input, output, bridge-port input and output interface indexes (0 when absent). */
  indev: number;
  outdev: number;
  physindev: number;
  physoutdev: number;
  /** Kernel timestamp when the packet had one (seconds, microseconds); `hasTime` false otherwise. */
  hasTime: boolean;
  tsSec: number;
  tsUsec: number;
  /** Where the payload is in the receive buffer (borrowed), and its length as copied. */
  payloadOffset: number;
  payloadLen: number;
  /** Length of the packet (NFQA_CAP_LEN when the copy was cut, else the payload length). */
  wireLen: number;
  /** NFQA_SKB_INFO bits (GSO, checksum not ready), 0 when absent. */
  skbInfo: number;
  /** Conntrack state (enum ip_conntrack_info) or -1; the NFQA_CT nest's place (-1 when absent). */
  ctInfo: number;
  ctOffset: number;
  ctLen: number;
  /** Socket owner's uid and gid when asked (`uidGid`) and known, else -1. */
  uid: number;
  gid: number;
}

/** A zeroed record. */
export function emptyRecord(): PacketRecord {
  return {
    id: 0, hwProtocol: 0, hook: 0, mark: 0, indev: 0, outdev: 0, physindev: 0, physoutdev: 0, hasTime: false, tsSec: 0, tsUsec: 0,
    payloadOffset: 0, payloadLen: 0, wireLen: 0, skbInfo: 0, ctInfo: -1, ctOffset: -1, ctLen: 0, uid: -1, gid: -1,
  };
}

/** Reads a big-endian u32 attribute, or `dflt` when absent or short. */
function u32(t: AttrTable, dv: DataView, type: number, dflt: number): number {
  return t.has(type, 4) ? dv.getUint32(t.off[type] as number, false) : dflt;
}

/**
 * Parses the NFQNL_MSG_PACKET at `at` (its nlmsghdr) of length `len` into `r`; false when malformed
 * (no packet header, a bad attribute). `t` is the caller's reusable table.
 */
export function parsePacket(dv: DataView, at: number, len: number, t: AttrTable, r: PacketRecord): boolean {
  if (len < NFNL_ATTRS || !t.parse(dv, at + NFNL_ATTRS, at + len)) return false;
  if (!t.has(NFQA.PACKET_HDR, 7)) return false;
  const h = t.off[NFQA.PACKET_HDR] as number;
  r.id = dv.getUint32(h, false);
  r.hwProtocol = dv.getUint16(h + 4, false);
  r.hook = dv.getUint8(h + 6);
  r.mark = u32(t, dv, NFQA.MARK, 0);
  r.indev = u32(t, dv, NFQA.IFINDEX_INDEV, 0);
  r.outdev = u32(t, dv, NFQA.IFINDEX_OUTDEV, 0);
  r.physindev = u32(t, dv, NFQA.IFINDEX_PHYSINDEV, 0);
  r.physoutdev = u32(t, dv, NFQA.IFINDEX_PHYSOUTDEV, 0);
  r.hasTime = t.has(NFQA.TIMESTAMP, 16);
  if (r.hasTime) {
    const ts = t.off[NFQA.TIMESTAMP] as number;
    // be64 seconds and microseconds; the high halves are zero for any real time.
    r.tsSec = dv.getUint32(ts + 4, false) + dv.getUint32(ts, false) * 2 ** 32;
    r.tsUsec = dv.getUint32(ts + 12, false);
  }
  if (t.has(NFQA.PAYLOAD)) {
    r.payloadOffset = t.off[NFQA.PAYLOAD] as number;
    r.payloadLen = t.len[NFQA.PAYLOAD] as number;
  } else {
    r.payloadOffset = at + len;
    r.payloadLen = 0;
  }
  r.wireLen = u32(t, dv, NFQA.CAP_LEN, r.payloadLen);
  r.skbInfo = u32(t, dv, NFQA.SKB_INFO, 0);
  r.ctInfo = u32(t, dv, NFQA.CT_INFO, -1);
  r.ctOffset = t.has(NFQA.CT) ? (t.off[NFQA.CT] as number) : -1;
  r.ctLen = t.has(NFQA.CT) ? (t.len[NFQA.CT] as number) : 0;
  r.uid = u32(t, dv, NFQA.UID, -1);
  r.gid = u32(t, dv, NFQA.GID, -1);
  return true;
}

/** The errno of an NLMSG_ERROR message at `at` (0 for an ack), and the sequence number it answers. */
export function errorOf(dv: DataView, at: number, len: number): { errno: number; seq: number } {
  if (len < NLMSGHDR.SIZE + 4) return { errno: 0, seq: -1 };
  const err = dv.getInt32(at + NLMSGHDR.SIZE, true);
  // struct nlmsgerr: int error, then the offending request's nlmsghdr.
  const seq = len >= NLMSGHDR.SIZE + 4 + NLMSGHDR.SIZE ? dv.getUint32(at + NLMSGHDR.SIZE + 4 + NLMSGHDR.seq, true) : -1;
  return { errno: -err, seq };
}

/** The queue or group number an nfnetlink message is about. */
export function resIdOf(dv: DataView, at: number): number {
  return dv.getUint16(at + NLMSGHDR.SIZE + NFGENMSG.resId, false);
}
