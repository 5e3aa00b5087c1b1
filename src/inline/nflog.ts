/**
 * `openLog`: packets logged by NFLOG rules (`iptables ... -j NFLOG --nflog-group N`, nft `log group N`)
 * through nfnetlink_log (linux/netfilter/nfnetlink_log.h). Each message is handed over as libpcap
 * records it for LINKTYPE_NFLOG: the nfgenmsg header (family, version, group) and the message's
 * attributes as the kernel wrote them, TLV lengths and types in host order.
 */
import type { AbortSignalLike } from '../streams.js';
import { performance } from 'node:perf_hooks';
import { ERRNO, SyscallError } from '../syscalls/index.js';
import { AttrTable, NFNL_ATTRS, NFNL_SUBSYS, NLMSG, NLMSGHDR, NLM_F, NlBuilder, nlAlign } from './netlink.js';
import { errorOf } from './nfqueue.js';
import { QueueError } from './queue.js';
import { NetlinkSocket, ReadableWaiters, RecvResult, hasNetAdmin } from './socket.js';

/** Message types, as `(NFNL_SUBSYS_ULOG << 8) | msg`. */
export const NFULNL_MSG = { PACKET: (NFNL_SUBSYS.ULOG << 8) | 0, CONFIG: (NFNL_SUBSYS.ULOG << 8) | 1 } as const;
/** Packet attributes (enum nfulnl_attr_type). */
export const NFULA = {
  PACKET_HDR: 1, MARK: 2, TIMESTAMP: 3, IFINDEX_INDEV: 4, IFINDEX_OUTDEV: 5, IFINDEX_PHYSINDEV: 6, IFINDEX_PHYSOUTDEV: 7,
  HWADDR: 8, PAYLOAD: 9, PREFIX: 10, UID: 11, SEQ: 12, SEQ_GLOBAL: 13, GID: 14, HWTYPE: 15, HWHEADER: 16, HWLEN: 17, CT: 18,
  CT_INFO: 19, VLAN: 20, L2HDR: 21, MAX: 21,
} as const;
/** Config attributes (enum nfulnl_attr_config). */
export const NFULA_CFG = { CMD: 1, MODE: 2, NLBUFSIZ: 3, TIMEOUT: 4, QTHRESH: 5, FLAGS: 6 } as const;
/** Config commands (enum nfulnl_msg_config_cmds). */
export const NFULNL_CFG_CMD = { NONE: 0, BIND: 1, UNBIND: 2, PF_BIND: 3, PF_UNBIND: 4 } as const;
/** Copy modes (NFULNL_COPY_*). */
export const NFULNL_COPY = { NONE: 0, META: 1, PACKET: 2 } as const;

/** Options of `openLog`. */
export interface LogOptions {
  /** NFLOG group, 0..65535 (`--nflog-group`). */
  group: number;
  /** Bytes of each packet copied (default 0xffff). */
  copyRange?: number;
  /** How long the kernel may hold log messages to batch them, in ms (default 10; the kernel's own is 1 s). */
  flushMs?: number;
  /** Socket receive buffer (default 16 MiB). */
  rcvbuf?: number;
  /** Closes the log when aborted. */
  signal?: AbortSignalLike;
}

/** A logged packet as handed to `dispatch`: borrowed until the visitor returns. */
export interface LoggedPacket {
  /** The receive buffer. */
  buf: Uint8Array;
  /** The LINKTYPE_NFLOG record (nfgenmsg + attributes) is `buf[recordOffset, recordOffset + recordLen)`. */
  recordOffset: number;
  recordLen: number;
  /** The logged packet's bytes (NFULA_PAYLOAD), -1 offset when the message has none. */
  payloadOffset: number;
  payloadLen: number;
  /** Address family of the packet (2 IPv4, 10 IPv6). */
  family: number;
  /** Kernel timestamp when present; `hasTime` false otherwise. */
  hasTime: boolean;
  tsSec: number;
  tsUsec: number;
  /** Rule prefix (`--nflog-prefix`) offset and length without the NUL, -1 when absent. */
  prefixOffset: number;
  prefixLen: number;
}

/**
 * A bound NFLOG group.
 * @example
 * const log = openLog({ group: 5 });
 * await log.wait(); log.dispatch((p) => console.log(p.payloadLen));
 */
export class NfLog {
  readonly group: number;
  private readonly sock: NetlinkSocket;
  private readonly attrs = new AttrTable(NFULA.MAX);
  private readonly rec: LoggedPacket;
  private closedFlag = false;
  private readonly ready: ReadableWaiters;
  private early: Uint8Array[] = [];
  private readonly abortSignal: AbortSignalLike | undefined;
  private readonly onAbort = (): void => this.close();
  /** Packets handed out. */
  logged = 0;
  /** Messages skipped as malformed. */
  malformed = 0;

  /** Use `openLog`. */
  constructor(opts: LogOptions) {
    const g = opts.group;
    if (!Number.isInteger(g) || g < 0 || g > 0xffff) throw new QueueError(`nflog group ${String(g)}: must be 0..65535`);
    this.group = g;
    const range = opts.copyRange ?? 0xffff;
    this.sock = new NetlinkSocket({ rcvbuf: opts.rcvbuf ?? 16 << 20, noEnobufs: false, batch: 32, slotSize: 128 * 1024 });
    this.ready = new ReadableWaiters(this.sock);
    this.rec = { buf: this.sock.bytes, recordOffset: 0, recordLen: 0, payloadOffset: -1, payloadLen: 0, family: 0, hasTime: false, tsSec: 0, tsUsec: 0, prefixOffset: -1, prefixLen: 0 };
    try {
      this.bind(range, Math.max(1, Math.round((opts.flushMs ?? 10) / 10)));
    } catch (err) {
      this.sock.close();
      throw err;
    }
    if (opts.signal) {
      this.abortSignal = opts.signal;
      if (opts.signal.aborted) this.close();
      else opts.signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  private bind(range: number, timeoutCs: number): void {
    const b = new NlBuilder(256);
    const seq = 1;
    b.begin(NFULNL_MSG.CONFIG, NLM_F.REQUEST | NLM_F.ACK, seq, 0, this.group);
    b.buf[b.attr(NFULA_CFG.CMD, 1)] = NFULNL_CFG_CMD.BIND;
    const mode = b.attr(NFULA_CFG.MODE, 6);
    new DataView(b.buf.buffer).setUint32(mode, range >>> 0, false);
    b.buf[mode + 4] = NFULNL_COPY.PACKET;
    b.buf[mode + 5] = 0;
    b.attrU32be(NFULA_CFG.TIMEOUT, timeoutCs);
    b.end();
    const err = this.sock.send(b.buf, b.length);
    if (err !== 0) throw new SyscallError('send', err, `nflog group ${this.group}: sending the bind request`);
    for (let tries = 0; tries < 1000; tries++) {
      if (this.sock.receive() !== RecvResult.Got) continue;
      for (let i = 0; i < this.sock.count; i++) {
        const start = this.sock.slotOffset(i);
        const len = this.sock.length(i);
        const dv = this.sock.dv;
        const type = len >= NLMSGHDR.SIZE ? dv.getUint16(start + NLMSGHDR.type, true) : -1;
        if (type !== NLMSG.ERROR) {
          this.early.push(this.sock.bytes.slice(start, start + len));
          continue;
        }
        const e = errorOf(dv, start, dv.getUint32(start, true));
        if (e.seq !== seq) continue;
        if (e.errno === 0) return;
        const q = `nflog group ${this.group}`;
        if (e.errno === ERRNO.EPERM && !hasNetAdmin()) throw new QueueError(`${q}: binding needs root or the CAP_NET_ADMIN capability`, e.errno);
        if (e.errno === ERRNO.EPERM || e.errno === ERRNO.EBUSY) throw new QueueError(`${q}: already bound by another process`, e.errno);
        throw new QueueError(`${q}: the kernel refused the bind (${new SyscallError('bind', e.errno).reason})`, e.errno);
      }
    }
    throw new QueueError(`nflog group ${this.group}: the kernel did not answer the bind request`);
  }

  /** True once closed. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** Calls `visit` for every logged packet ready now (up to `max`); never waits. */
  dispatch(visit: (p: LoggedPacket) => void, max = 4096): number {
    let n = 0;
    while (n < max && !this.closedFlag) {
      if (this.early.length > 0) {
        const early = this.early;
        this.early = [];
        for (const d of early) n += this.datagram(d, new DataView(d.buffer, d.byteOffset, d.byteLength), 0, d.length, visit);
        continue;
      }
      const r = this.sock.receive();
      if (r === RecvResult.Overrun) continue;
      if (r === RecvResult.Empty) break;
      for (let i = 0; i < this.sock.count; i++) n += this.datagram(this.sock.bytes, this.sock.dv, this.sock.slotOffset(i), this.sock.length(i), visit);
    }
    return n;
  }

  private datagram(bytes: Uint8Array, dv: DataView, start: number, len: number, visit: (p: LoggedPacket) => void): number {
    const end = start + len;
    const r = this.rec;
    const t = this.attrs;
    r.buf = bytes;
    let n = 0;
    let at = start;
    // One datagram may carry several log messages (NLM_F_MULTI, ended by NLMSG_DONE).
    while (at + NLMSGHDR.SIZE <= end) {
      const mlen = dv.getUint32(at + NLMSGHDR.len, true);
      if (mlen < NLMSGHDR.SIZE || at + mlen > end) {
        this.malformed++;
        break;
      }
      const type = dv.getUint16(at + NLMSGHDR.type, true);
      if (type === NFULNL_MSG.PACKET) {
        if (mlen < NFNL_ATTRS || !t.parse(dv, at + NFNL_ATTRS, at + mlen)) this.malformed++;
        else {
          r.recordOffset = at + NLMSGHDR.SIZE;
          r.recordLen = mlen - NLMSGHDR.SIZE;
          r.family = bytes[at + NLMSGHDR.SIZE] ?? 0;
          r.payloadOffset = t.has(NFULA.PAYLOAD) ? (t.off[NFULA.PAYLOAD] as number) : -1;
          r.payloadLen = t.has(NFULA.PAYLOAD) ? (t.len[NFULA.PAYLOAD] as number) : 0;
          r.hasTime = t.has(NFULA.TIMESTAMP, 16);
          if (r.hasTime) {
            const ts = t.off[NFULA.TIMESTAMP] as number;
            r.tsSec = dv.getUint32(ts + 4, false) + dv.getUint32(ts, false) * 2 ** 32;
            r.tsUsec = dv.getUint32(ts + 12, false);
          }
          const pl = t.len[NFULA.PREFIX] as number;
          r.prefixOffset = pl > 0 ? (t.off[NFULA.PREFIX] as number) : -1;
          r.prefixLen = pl > 0 ? pl - 1 : 0;
          n++;
          this.logged++;
          visit(r);
        }
      } else if (type !== NLMSG.DONE && type !== NLMSG.NOOP && type !== NLMSG.ERROR) this.malformed++;
      at += nlAlign(mlen);
    }
    return n;
  }

  /** Resolves when messages may be ready or the log closed. */
  wait(): Promise<void> {
    if (this.closedFlag || this.early.length > 0) return Promise.resolve();
    return this.ready.wait();
  }


  /** Counters: packets handed out, malformed messages skipped, socket overruns. */
  stats(): { logged: number; malformed: number; enobufs: number } {
    return { logged: this.logged, malformed: this.malformed + this.sock.truncated, enobufs: this.sock.overruns };
  }

  /** Closes the socket (the kernel unbinds the group). */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.abortSignal?.removeEventListener('abort', this.onAbort);
    this.sock.close();
    this.ready.wake();
  }
}

/** Time now as seconds and microseconds, for messages without a kernel timestamp. */
export function nowSecUsec(): { sec: number; usec: number } {
  const ms = performance.timeOrigin + performance.now();
  const sec = Math.floor(ms / 1000);
  return { sec, usec: Math.floor((ms - sec * 1000) * 1000) };
}

/**
 * Binds an NFLOG group with packet copy mode. Throws `QueueError` or `SyscallError`.
 * @example
 * const log = openLog({ group: 5, signal: AbortSignal.timeout(10_000) });
 */
export function openLog(opts: LogOptions): NfLog {
  return new NfLog(opts);
}
