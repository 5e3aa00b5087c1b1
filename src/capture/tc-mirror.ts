/**
 * Mirroring in the kernel: tscap compiles the filter to classic BPF as for a capture, and asks the
 * kernel's traffic control (rtnetlink, linux/rtnetlink.h and linux/pkt_cls.h) to run it on every frame
 * where a capture would see it, with a mirred action copying each match out of the target interface.
 * No frame is copied to userspace, so the cost per frame is the kernel's clone and transmit, as for
 * `tc ... action mirred egress mirror`.
 *
 * Where the filters go: on an interface, its ingress and egress (a `clsact` qdisc, made when the
 * interface has none and removed at the end if tscap made it); on a bridge, the ingress of each of
 * its ports and the egress of the bridge itself, which between them see what a promiscuous capture
 * on the bridge sees, without the bridge passing every forwarded frame up to its own stack. Each
 * filter is `cls_bpf` with the classic program (`TCA_BPF_OPS`) at priority `TC_MIRROR_PRIO`, made
 * exclusively: an existing filter there is an error, never replaced.
 */
import { readdirSync } from 'node:fs';
import type { BpfProgram } from '../filter/bpf.js';
import { NLMSG, NLMSGHDR, NLM_F, NlBuilder, AttrTable, nlAlign } from '../inline/netlink.js';
import { AF_NETLINK, ERRNO, NETLINK_ROUTE, SOCKADDR_NL, SOCK_CLOEXEC, SOCK_RAW, SyscallError, lastErrno, raw } from '../syscalls/index.js';
import { CaptureOptionError } from './errors.js';
import { interfaceInfo } from './interfaces.js';
import { addPromiscuous, closeQuietly, openPacketSocket } from './socket.js';

/** rtnetlink message types (linux/rtnetlink.h). */
const RTM = { NEWQDISC: 36, DELQDISC: 37, NEWTFILTER: 44, DELTFILTER: 45, GETTFILTER: 46 } as const;
/** nlmsghdr flags beyond REQUEST and ACK (linux/netlink.h). */
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;
const NLM_F_DUMP = 0x300;
/** struct tcmsg (20 bytes). */
const TCMSG = { SIZE: 20, family: 0, ifindex: 4, handle: 8, parent: 12, info: 16 } as const;
/** Top-level tc attributes (TCA_*). */
const TCA = { KIND: 1, OPTIONS: 2 } as const;
/** The clsact qdisc: its parent and handle, and its two hooks' filter parents (linux/pkt_sched.h). */
const TC_H_CLSACT = 0xfffffff1;
const CLSACT_HANDLE = 0xffff0000;
const PARENT = { ingress: 0xfffffff2, egress: 0xfffffff3 } as const;
/** cls_bpf attributes (TCA_BPF_*). */
const TCA_BPF = { ACT: 1, OPS_LEN: 4, OPS: 5 } as const;
/** Action attributes (TCA_ACT_*) and the mirred action's (TCA_MIRRED_*). */
const TCA_ACT = { KIND: 1, OPTIONS: 2, STATS: 4 } as const;
const TCA_MIRRED_PARMS = 2;
/** struct tc_mirred: tc_gen (index, capab, action, refcnt, bindcnt), eaction, ifindex. */
const TC_MIRRED = { SIZE: 28, action: 8, eaction: 20, ifindex: 24 } as const;
/** TC_ACT_PIPE: go on after the copy, so the frame itself goes its way. */
const TC_ACT_PIPE = 3;
/** TCA_EGRESS_MIRROR: send a copy out of the target. */
const TCA_EGRESS_MIRROR = 2;
/** gen_stats attributes (TCA_STATS_*): basic (bytes u64, packets u32), queue (qlen, backlog, drops, ...), packets u64. */
const TCA_STATS = { BASIC: 1, QUEUE: 3, PKT64: 8 } as const;
/** ETH_P_ALL in network order, as tcm_info's protocol half. */
const ETH_P_ALL_BE = 0x0300;

/** The tc priority of tscap's filters. */
export const TC_MIRROR_PRIO = 49151;

/** Options of `startKernelMirror`. */
export interface KernelMirrorOptions {
  /** The interface whose traffic is mirrored (a bridge: its ports' ingress and its own egress). */
  iface: string;
  /** The interface the copies go out of. */
  to: string;
  /** The compiled filter, for the interface's link type (Ethernet); none mirrors everything. */
  program?: BpfProgram;
  /** Put `iface` in promiscuous mode while mirroring (default true; a bridge's ports already are). */
  promiscuous?: boolean;
}

/** Counts of a kernel mirror, from its filters' actions. */
export interface KernelMirrorStats {
  /** Frames that passed the filter and went out of the target. */
  packets: number;
  /** Bytes of the frames that passed the filter. */
  bytes: number;
  /** Frames that passed the filter but could not be sent (the target down, a frame over its MTU, ...). */
  dropped: number;
}

/** Where one filter sits. */
interface Hook {
  dev: string;
  ifindex: number;
  dir: 'ingress' | 'egress';
}

/** A running kernel mirror. */
export interface KernelMirror {
  /** Where the filters are, as `ingress of IF` / `egress of IF`. */
  readonly hooks: readonly string[];
  /** The counts so far. */
  stats(): KernelMirrorStats;
  /** Removes the filters (and the clsact qdiscs tscap made); returns the last counts. Safe to call twice. */
  close(): KernelMirrorStats;
}

/** A blocking rtnetlink socket for requests and their answers. */
class RtNetlink {
  private readonly fd: number;
  private seq = 1;
  private readonly rx = new Uint8Array(1 << 16);
  private readonly rxDv = new DataView(this.rx.buffer);
  readonly b = new NlBuilder(1 << 16);

  constructor() {
    const fd = raw.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) throw new SyscallError('socket', lastErrno(), 'socket(AF_NETLINK, NETLINK_ROUTE)');
    const nl = new Uint8Array(SOCKADDR_NL.SIZE);
    new DataView(nl.buffer).setUint16(SOCKADDR_NL.family, AF_NETLINK, true);
    if (raw.bind(fd, nl, SOCKADDR_NL.SIZE) < 0) {
      const errno = lastErrno();
      raw.close(fd);
      throw new SyscallError('bind', errno, 'bind(AF_NETLINK)');
    }
    this.fd = fd;
  }

  /** Starts a tc message with its tcmsg; returns the sequence number. */
  tcBegin(type: number, flags: number, ifindex: number, handle: number, parent: number, info: number): number {
    const seq = this.seq++;
    this.b.reset();
    const h = this.b.beginWith(type, NLM_F.REQUEST | flags, seq, TCMSG.SIZE);
    const dv = new DataView(this.b.buf.buffer);
    dv.setInt32(h + TCMSG.ifindex, ifindex, true);
    dv.setUint32(h + TCMSG.handle, handle >>> 0, true);
    dv.setUint32(h + TCMSG.parent, parent >>> 0, true);
    dv.setUint32(h + TCMSG.info, info >>> 0, true);
    return seq;
  }

  /**
   * Sends the message built and reads the answers up to the ACK (or DONE for a dump); `each` sees
   * every other message. Returns 0 or the errno the kernel answered.
   */
  exchange(seq: number, each?: (dv: DataView, at: number, len: number, type: number) => void): number {
    this.b.end();
    const out = this.b.bytes();
    if (raw.send(this.fd, out, out.length, 0) < 0) return lastErrno();
    for (;;) {
      const n = raw.recv(this.fd, this.rx, this.rx.length, 0);
      if (n < 0) {
        const errno = lastErrno();
        if (errno === ERRNO.EINTR) continue;
        return errno;
      }
      let o = 0;
      while (o + NLMSGHDR.SIZE <= n) {
        const len = this.rxDv.getUint32(o + NLMSGHDR.len, true);
        if (len < NLMSGHDR.SIZE || o + len > n) return ERRNO.EIO;
        const type = this.rxDv.getUint16(o + NLMSGHDR.type, true);
        const mseq = this.rxDv.getUint32(o + NLMSGHDR.seq, true);
        if (mseq === seq) {
          if (type === NLMSG.ERROR) return -this.rxDv.getInt32(o + NLMSGHDR.SIZE, true);
          if (type === NLMSG.DONE) return 0;
          each?.(this.rxDv, o, len, type);
        }
        o += nlAlign(len);
      }
    }
  }

  close(): void {
    raw.close(this.fd);
  }
}

function tcError(errno: number, what: string): SyscallError {
  const hint =
    errno === ERRNO.EPERM
      ? ': tc needs root or the CAP_NET_ADMIN capability'
      : errno === ERRNO.ENOENT || errno === ERRNO.EOPNOTSUPP
        ? ': this kernel may lack clsact, cls_bpf or act_mirred (CONFIG_NET_SCH_INGRESS, CONFIG_NET_CLS_BPF, CONFIG_NET_ACT_MIRRED)'
        : '';
  return new SyscallError('rtnetlink', errno, `${what}${hint}`);
}

/** The ports of a bridge, or undefined when `name` is not one. */
function bridgePorts(name: string): string[] | undefined {
  try {
    return readdirSync(`/sys/class/net/${name}/brif`).sort();
  } catch {
    return undefined;
  }
}

/**
 * Starts mirroring `iface`'s frames that pass `program` out of `to`, in the kernel. Throws
 * SyscallError for a missing interface, missing privileges or a kernel without the tc parts, and
 * CaptureOptionError when tscap's filter priority is taken; whatever it had set up is removed first.
 * @example
 * const m = startKernelMirror({ iface: 'br0', to: 'veth-ids', program: compileFilter('not port 22', { linkType: 1, vlanAncillary: true }) });
 * process.once('SIGINT', () => console.error(m.close().packets, 'mirrored'));
 */
export function startKernelMirror(opts: KernelMirrorOptions): KernelMirror {
  const src = interfaceInfo(opts.iface);
  const dst = interfaceInfo(opts.to);
  if (src.index === dst.index) throw new CaptureOptionError(`mirror ${opts.to}: the same interface as the one mirrored`, 'mirror');
  const ports = bridgePorts(src.name);
  const hooks: Hook[] =
    ports === undefined
      ? [
          { dev: src.name, ifindex: src.index, dir: 'ingress' },
          { dev: src.name, ifindex: src.index, dir: 'egress' },
        ]
      : [...ports.map((p): Hook => ({ dev: p, ifindex: interfaceInfo(p).index, dir: 'ingress' })), { dev: src.name, ifindex: src.index, dir: 'egress' }];
  const program: BpfProgram = opts.program ?? [{ code: 0x06, jt: 0, jf: 0, k: 0xffffffff }];
  const nl = new RtNetlink();
  const madeQdisc = new Set<number>();
  const withQdisc = new Set<number>();
  const filtered: Hook[] = [];
  let promiscFd = -1;
  let closed = false;
  let last: KernelMirrorStats = { packets: 0, bytes: 0, dropped: 0 };

  const removeAll = (): void => {
    // Best effort: an interface that went away took its filters and qdisc with it.
    for (const h of filtered) nl.exchange(nl.tcBegin(RTM.DELTFILTER, NLM_F.ACK, h.ifindex, 0, PARENT[h.dir], (TC_MIRROR_PRIO << 16) | ETH_P_ALL_BE));
    filtered.length = 0;
    for (const ifindex of madeQdisc) {
      const seq = nl.tcBegin(RTM.DELQDISC, NLM_F.ACK, ifindex, CLSACT_HANDLE, TC_H_CLSACT, 0);
      nl.b.attrString(TCA.KIND, 'clsact');
      nl.exchange(seq);
    }
    madeQdisc.clear();
    if (promiscFd >= 0) closeQuietly(promiscFd);
    promiscFd = -1;
  };

  const read = (): KernelMirrorStats => {
    const total: KernelMirrorStats = { packets: 0, bytes: 0, dropped: 0 };
    for (const h of filtered) {
      const seq = nl.tcBegin(RTM.GETTFILTER, NLM_F_DUMP, h.ifindex, 0, PARENT[h.dir], 0);
      const errno = nl.exchange(seq, (dv, at, len) => addFilterStats(dv, at, len, total));
      if (errno !== 0) throw tcError(errno, `tc filter show dev ${h.dev} ${h.dir}`);
    }
    return total;
  };

  try {
    for (const h of hooks) {
      if (!withQdisc.has(h.ifindex)) {
        const seq = nl.tcBegin(RTM.NEWQDISC, NLM_F.ACK | NLM_F_CREATE | NLM_F_EXCL, h.ifindex, CLSACT_HANDLE, TC_H_CLSACT, 0);
        nl.b.attrString(TCA.KIND, 'clsact');
        const errno = nl.exchange(seq);
        if (errno === 0) madeQdisc.add(h.ifindex);
        else if (errno !== ERRNO.EEXIST) throw tcError(errno, `tc qdisc add dev ${h.dev} clsact`);
        withQdisc.add(h.ifindex);
      }
      const seq = nl.tcBegin(RTM.NEWTFILTER, NLM_F.ACK | NLM_F_CREATE | NLM_F_EXCL, h.ifindex, 1, PARENT[h.dir], (TC_MIRROR_PRIO << 16) | ETH_P_ALL_BE);
      writeMirrorFilter(nl.b, program, dst.index);
      const errno = nl.exchange(seq);
      // Another filter at the priority: EEXIST when it is cls_bpf too, EINVAL when of another kind.
      if (errno === ERRNO.EEXIST || (errno === ERRNO.EINVAL && prioTaken(nl, h))) {
        throw new CaptureOptionError(
          `mirror ${opts.to}: a tc filter at priority ${TC_MIRROR_PRIO} is already on ${h.dev} ${h.dir} (another tscap, or one that was killed: tc filter del dev ${h.dev} ${h.dir} prio ${TC_MIRROR_PRIO})`,
          'mirror',
        );
      }
      if (errno !== 0) throw tcError(errno, `tc filter add dev ${h.dev} ${h.dir} bpf action mirred egress mirror dev ${dst.name}`);
      filtered.push(h);
    }
    if (ports === undefined && opts.promiscuous !== false) {
      promiscFd = openPacketSocket();
      addPromiscuous(promiscFd, src.index);
    }
  } catch (err) {
    removeAll();
    nl.close();
    throw err;
  }

  return {
    hooks: hooks.map((h) => `${h.dir} of ${h.dev}`),
    stats(): KernelMirrorStats {
      if (!closed) last = read();
      return last;
    },
    close(): KernelMirrorStats {
      if (closed) return last;
      try {
        last = read();
      } finally {
        closed = true;
        removeAll();
        nl.close();
      }
      return last;
    },
  };
}

/** Whether a filter of any kind sits at `TC_MIRROR_PRIO` on the hook. */
function prioTaken(nl: RtNetlink, h: Hook): boolean {
  let taken = false;
  const seq = nl.tcBegin(RTM.GETTFILTER, NLM_F_DUMP, h.ifindex, 0, PARENT[h.dir], 0);
  nl.exchange(seq, (dv, at) => {
    if (dv.getUint32(at + NLMSGHDR.SIZE + TCMSG.info, true) >>> 16 === TC_MIRROR_PRIO) taken = true;
  });
  return taken;
}

/** TCA_KIND "bpf" and TCA_OPTIONS: the classic program and one mirred action. */
function writeMirrorFilter(b: NlBuilder, program: BpfProgram, target: number): void {
  b.attrString(TCA.KIND, 'bpf');
  const opts = b.nest(TCA.OPTIONS);
  b.attrU16(TCA_BPF.OPS_LEN, program.length);
  const ops = b.attr(TCA_BPF.OPS, program.length * 8);
  const dv = new DataView(b.buf.buffer);
  program.forEach((ins, i) => {
    dv.setUint16(ops + i * 8, ins.code, true);
    dv.setUint8(ops + i * 8 + 2, ins.jt);
    dv.setUint8(ops + i * 8 + 3, ins.jf);
    dv.setUint32(ops + i * 8 + 4, ins.k >>> 0, true);
  });
  const acts = b.nest(TCA_BPF.ACT);
  const act = b.nest(1);
  b.attrString(TCA_ACT.KIND, 'mirred');
  const aopts = b.nest(TCA_ACT.OPTIONS);
  const parms = b.attr(TCA_MIRRED_PARMS, TC_MIRRED.SIZE);
  dv.setInt32(parms + TC_MIRRED.action, TC_ACT_PIPE, true);
  dv.setInt32(parms + TC_MIRRED.eaction, TCA_EGRESS_MIRROR, true);
  dv.setUint32(parms + TC_MIRRED.ifindex, target, true);
  b.endNest(aopts);
  b.endNest(act);
  b.endNest(acts);
  b.endNest(opts);
}

/** Adds the action counts of one RTM_NEWTFILTER message of a dump, if it is tscap's filter. */
function addFilterStats(dv: DataView, at: number, len: number, total: KernelMirrorStats): void {
  const h = at + NLMSGHDR.SIZE;
  const info = dv.getUint32(h + TCMSG.info, true);
  if (info >>> 16 !== TC_MIRROR_PRIO || dv.getUint32(h + TCMSG.handle, true) === 0) return;
  const top = new AttrTable(TCA.OPTIONS);
  if (!top.parse(dv, h + TCMSG.SIZE, at + len) || !top.has(TCA.OPTIONS)) return;
  const bpf = new AttrTable(TCA_BPF.OPS);
  if (!bpf.parse(dv, top.off[TCA.OPTIONS]!, top.off[TCA.OPTIONS]! + top.len[TCA.OPTIONS]!) || !bpf.has(TCA_BPF.ACT)) return;
  const acts = new AttrTable(1);
  if (!acts.parse(dv, bpf.off[TCA_BPF.ACT]!, bpf.off[TCA_BPF.ACT]! + bpf.len[TCA_BPF.ACT]!) || !acts.has(1)) return;
  const act = new AttrTable(TCA_ACT.STATS);
  if (!act.parse(dv, acts.off[1]!, acts.off[1]! + acts.len[1]!) || !act.has(TCA_ACT.STATS)) return;
  const st = new AttrTable(TCA_STATS.PKT64);
  if (!st.parse(dv, act.off[TCA_ACT.STATS]!, act.off[TCA_ACT.STATS]! + act.len[TCA_ACT.STATS]!)) return;
  // The action counts every frame it runs on; one it cannot send counts as a drop or an overlimit.
  let failed = 0;
  if (st.has(TCA_STATS.QUEUE, 20)) failed = dv.getUint32(st.off[TCA_STATS.QUEUE]! + 8, true) + dv.getUint32(st.off[TCA_STATS.QUEUE]! + 16, true);
  if (st.has(TCA_STATS.BASIC, 12)) {
    total.bytes += Number(dv.getBigUint64(st.off[TCA_STATS.BASIC]!, true));
    const ran = st.has(TCA_STATS.PKT64, 8) ? Number(dv.getBigUint64(st.off[TCA_STATS.PKT64]!, true)) : dv.getUint32(st.off[TCA_STATS.BASIC]! + 8, true);
    total.packets += ran - failed;
  }
  total.dropped += failed;
}
