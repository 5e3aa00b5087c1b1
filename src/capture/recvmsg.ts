/**
 * The recvmsg engine: packets from a plain AF_PACKET socket, up to 64 per recvmmsg(2), each with the
 * PACKET_AUXDATA control message for the original length and the VLAN tag and SCM_TIMESTAMPNS for the
 * time. Slower than the ring, but it works where mmap'd rings do not, and it is a second opinion in
 * tests.
 */
import type { PacketView } from '../packet.js';
import { PacketType } from '../packet.js';
import { LinkType } from '../pcap/linktype.js';
import {
  CMSGHDR,
  ERRNO,
  IOVEC,
  MMSGHDR,
  MSGHDR,
  MSG_DONTWAIT,
  MSG_TRUNC,
  PACKET,
  SCM_TIMESTAMPNS,
  SOCKADDR_LL,
  SOL_PACKET,
  SOL_SOCKET,
  SO,
  TIMESPEC,
  TPACKET_AUXDATA,
  TP_STATUS,
  SyscallError,
  allocNative,
  cmsgAlign,
  lastErrno,
  raw,
  type NativeBuffer,
} from '../syscalls/index.js';
import type { PktTypeFilter } from './ring.js';
import { VLAN_RESERVE, insertVlanTag } from './ring.js';
import { setIntOption } from './socket.js';

const CONTROL_SIZE = 128;
/** Messages per recvmmsg. */
const BATCH = 64;
// Each message's slot, after the mmsghdr array: its iovec, sockaddr_ll (padded to 8), control, data.
const SLOT_NAME = IOVEC.SIZE;
const SLOT_CONTROL = SLOT_NAME + 24;
const SLOT_DATA = SLOT_CONTROL + CONTROL_SIZE + VLAN_RESERVE;

/** Receives packets in batches of recvmmsg into one native buffer. */
export class RecvmsgReader {
  private readonly mem: NativeBuffer;
  private readonly dv: DataView;
  private readonly bytes: Uint8Array;
  private readonly dataSize: number;
  private readonly slotSize: number;
  private closed = false;
  /** Messages the last recvmmsg returned, and the next one to hand out. */
  private got = 0;
  private cursor = 0;
  /** Index of the next record. */
  index = 0;

  constructor(
    private readonly fd: number,
    snaplen: number,
    private readonly reinsertVlan: boolean,
    private readonly linkType: number,
    private readonly direction: PktTypeFilter,
    bufferBytes: number,
  ) {
    setIntOption(fd, SOL_PACKET, PACKET.AUXDATA, 1, 'PACKET_AUXDATA');
    setIntOption(fd, SOL_SOCKET, SO.TIMESTAMPNS, 1, 'SO_TIMESTAMPNS');
    if (bufferBytes > 0) {
      // SO_RCVBUFFORCE passes the rmem_max cap for root; fall back to the capped option.
      const buf = new Uint8Array(4);
      new DataView(buf.buffer).setInt32(0, bufferBytes, true);
      if (raw.setsockopt(fd, SOL_SOCKET, SO.RCVBUFFORCE, buf, 4) < 0) raw.setsockopt(fd, SOL_SOCKET, SO.RCVBUF, buf, 4);
    }
    this.dataSize = snaplen;
    // Slots a power of two apart would share cache sets: 256 KiB + a few lines apart they do not.
    this.slotSize = ((SLOT_DATA + snaplen + 63) & ~63) + 192;
    this.mem = allocNative(BATCH * (MMSGHDR.SIZE + this.slotSize));
    this.bytes = this.mem.bytes;
    this.dv = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const base = this.mem.ptr;
    for (let i = 0; i < BATCH; i++) {
      const m = i * MMSGHDR.SIZE + MMSGHDR.hdr;
      const slot = this.slotAt(i);
      this.dv.setBigUint64(m + MSGHDR.name, base + BigInt(slot + SLOT_NAME), true);
      this.dv.setBigUint64(m + MSGHDR.iov, base + BigInt(slot), true);
      this.dv.setBigUint64(m + MSGHDR.iovlen, 1n, true);
      this.dv.setBigUint64(m + MSGHDR.control, base + BigInt(slot + SLOT_CONTROL), true);
      this.dv.setBigUint64(slot + IOVEC.base, base + BigInt(slot + SLOT_DATA), true);
      this.dv.setBigUint64(slot + IOVEC.len, BigInt(snaplen), true);
      this.resetMessage(i);
    }
  }

  private slotAt(i: number): number {
    return BATCH * MMSGHDR.SIZE + i * this.slotSize;
  }

  /** Restores the lengths the kernel overwrote in message `i`. 64-bit fields as two 32-bit halves. */
  private resetMessage(i: number): void {
    const dv = this.dv;
    const m = i * MMSGHDR.SIZE + MMSGHDR.hdr;
    dv.setUint32(m + MSGHDR.namelen, SOCKADDR_LL.SIZE, true);
    dv.setUint32(m + MSGHDR.controllen, CONTROL_SIZE, true);
    dv.setUint32(m + MSGHDR.controllen + 4, 0, true);
    dv.setInt32(m + MSGHDR.flags, 0, true);
  }

  /** Always false: readiness comes from poll, and `next` is cheap to try. */
  ready(): boolean {
    return false;
  }

  /** Fills the batch; false when nothing is queued. Throws SyscallError on socket errors. */
  private receive(flags: number): boolean {
    for (let i = 0; i < this.got; i++) this.resetMessage(i);
    this.got = 0;
    this.cursor = 0;
    for (;;) {
      const n = raw.recvmmsg(this.fd, this.mem.ptr, BATCH, flags, null);
      if (n >= 0) {
        this.got = n;
        return n > 0;
      }
      const errno = lastErrno();
      if (errno === ERRNO.EAGAIN) return false;
      if (errno !== ERRNO.EINTR) throw new SyscallError('recvmmsg', errno);
    }
  }

  /** Points `p` at the next packet; false when none is queued. Throws SyscallError on socket errors. */
  next(p: PacketView): boolean {
    if (this.closed) return false;
    for (;;) {
      if (this.cursor === this.got && !this.receive(MSG_DONTWAIT | MSG_TRUNC)) return false;
      const i = this.cursor++;
      const slot = this.slotAt(i);
      const pktType = this.bytes[slot + SLOT_NAME + SOCKADDR_LL.pkttype] ?? 0;
      if (this.direction !== 0 && (pktType === PacketType.OUTGOING) !== (this.direction === 2)) continue;
      this.fill(p, i, slot, this.dv.getUint32(i * MMSGHDR.SIZE + MMSGHDR.len, true), pktType);
      return true;
    }
  }

  private fill(p: PacketView, i: number, slot: number, n: number, pktType: number): void {
    const dv = this.dv;
    const m = i * MMSGHDR.SIZE + MMSGHDR.hdr;
    let capLen = Math.min(n, this.dataSize);
    let wireLen = n;
    let tsSec = -1;
    let tsNsec = 0;
    let status = 0;
    let tci = 0;
    let tpid = 0;
    const controlLen = dv.getUint32(m + MSGHDR.controllen, true);
    let c = 0;
    while (c + CMSGHDR.SIZE <= controlLen) {
      const at = slot + SLOT_CONTROL + c;
      const len = dv.getUint32(at + CMSGHDR.len, true);
      if (len < CMSGHDR.SIZE) break;
      const level = dv.getInt32(at + CMSGHDR.level, true);
      const type = dv.getInt32(at + CMSGHDR.type, true);
      const d = at + CMSGHDR.data;
      if (level === SOL_PACKET && type === PACKET.AUXDATA && len >= CMSGHDR.SIZE + TPACKET_AUXDATA.SIZE) {
        status = dv.getUint32(d + TPACKET_AUXDATA.tpStatus, true);
        wireLen = dv.getUint32(d + TPACKET_AUXDATA.tpLen, true);
        tci = dv.getUint16(d + TPACKET_AUXDATA.tpVlanTci, true);
        tpid = dv.getUint16(d + TPACKET_AUXDATA.tpVlanTpid, true);
      } else if (level === SOL_SOCKET && type === SCM_TIMESTAMPNS && len >= CMSGHDR.SIZE + TIMESPEC.SIZE) {
        tsSec = dv.getUint32(d + TIMESPEC.sec, true) + dv.getUint32(d + TIMESPEC.sec + 4, true) * 2 ** 32;
        tsNsec = dv.getUint32(d + TIMESPEC.nsec, true);
      }
      c += cmsgAlign(len);
    }
    if (tsSec < 0) {
      const now = Date.now();
      tsSec = Math.floor(now / 1000);
      tsNsec = (now % 1000) * 1e6;
    }
    const vlanValid = (status & TP_STATUS.VLAN_VALID) !== 0 || tci !== 0;
    if (vlanValid && (status & TP_STATUS.VLAN_TPID_VALID) === 0) tpid = 0x8100;
    let offset = slot + SLOT_DATA;
    let inBytes = false;
    if (vlanValid && this.reinsertVlan && this.linkType === LinkType.EN10MB && capLen >= 12) {
      offset = insertVlanTag(this.bytes, offset, tpid, tci);
      capLen += 4;
      wireLen += 4;
      inBytes = true;
    }
    p.buf = this.bytes;
    p.offset = offset;
    p.capLen = capLen;
    p.wireLen = wireLen;
    p.tsSec = tsSec;
    p.tsNsec = tsNsec;
    p.linkType = this.linkType;
    p.ifindex = dv.getInt32(slot + SLOT_NAME + SOCKADDR_LL.ifindex, true);
    p.pktType = pktType;
    p.vlanValid = vlanValid;
    p.vlanTci = vlanValid ? tci : 0;
    p.vlanTpid = vlanValid ? tpid : 0;
    p.vlanInBytes = inBytes;
    p.index = this.index++;
  }

  /** Drops every queued packet; returns how many. */
  discardReady(): number {
    let n = this.got - this.cursor;
    while (this.receive(MSG_DONTWAIT)) n += this.got;
    this.cursor = this.got;
    return n;
  }

  /** Frees the receive buffer; the last packet's bytes are invalid afterwards. */
  release(): void {
    if (this.closed) return;
    this.closed = true;
    // The packet view may still point at the buffer: keep the memory (a few KiB) rather than free it
    // under a live view; it goes with the process.
  }
}
