/**
 * Timestamp types, tcpdump's `-j`/`-J`: what an interface offers (ETHTOOL_GET_TS_INFO, as libpcap asks
 * it) and switching a packet socket to the NIC's clock (SIOCSHWTSTAMP, then PACKET_TIMESTAMP).
 * `host` is the kernel's own timestamp on arrival, the default of every socket.
 */
import { ERRNO, PACKET, SOL_PACKET, TSTAMP, allocNative, lastErrno, raw } from '../syscalls/index.js';

/** libpcap's names of the timestamp types that exist on Linux. */
export type TimestampType = 'host' | 'adapter' | 'adapter_unsynced';

/** pcap_tstamp_type_val_to_description's words, for `-J`. */
export const TIMESTAMP_TYPE_DESCRIPTIONS: Readonly<Record<TimestampType, string>> = {
  host: 'Host',
  adapter: 'Adapter',
  adapter_unsynced: 'Adapter, not synced with system time',
};

const ALL_TYPES: readonly TimestampType[] = ['host', 'adapter', 'adapter_unsynced'];

/** Runs an ioctl whose argument is an ifreq naming `ifname` with `data` (native) in its union. */
function ifreqIoctl(fd: number, req: number, ifname: string, data: bigint): number {
  const ifr = allocNative(40);
  try {
    ifr.bytes.set(new TextEncoder().encode(ifname).subarray(0, 15));
    new DataView(ifr.bytes.buffer, ifr.bytes.byteOffset, 40).setBigUint64(16, data, true);
    return raw.ioctl(fd, req, ifr.ptr) === 0 ? 0 : lastErrno();
  } finally {
    ifr.free();
  }
}

/**
 * The timestamp types `ifname` offers, in libpcap's order: from the driver's SO_TIMESTAMPING
 * capabilities; all of them when the driver cannot be asked (as libpcap assumes); `host` on `any`.
 * @example
 * timestampTypes('eth0'); // ['host'] on most virtual NICs
 */
export function timestampTypes(ifname: string): TimestampType[] {
  if (ifname === 'any') return ['host'];
  const fd = raw.socket(2, 2, 0); // AF_INET, SOCK_DGRAM: enough to ask a driver, needs no capability
  if (fd < 0) return ['host'];
  const info = allocNative(44);
  try {
    new DataView(info.bytes.buffer, info.bytes.byteOffset, 44).setUint32(0, TSTAMP.ETHTOOL_GET_TS_INFO, true);
    const err = ifreqIoctl(fd, TSTAMP.SIOCETHTOOL, ifname, info.ptr);
    if (err === ERRNO.EOPNOTSUPP || err === ERRNO.EINVAL) return [...ALL_TYPES];
    if (err !== 0) return ['host'];
    const caps = new DataView(info.bytes.buffer, info.bytes.byteOffset, 44).getUint32(4, true);
    const out: TimestampType[] = [];
    if (caps & TSTAMP.SOF_SOFTWARE) out.push('host');
    if (caps & TSTAMP.SOF_SYS_HARDWARE) out.push('adapter');
    if (caps & TSTAMP.SOF_RAW_HARDWARE) out.push('adapter_unsynced');
    return out;
  } finally {
    info.free();
    raw.close(fd);
  }
}

/**
 * Switches socket `fd` on `ifname` to `type`; returns warnings in tcpdump's words (the capture goes
 * on with host timestamps), empty when it worked or nothing was to be done.
 */
export function applyTimestampType(fd: number, ifname: string, type: TimestampType): string[] {
  if (type === 'host') return [];
  if (!timestampTypes(ifname).includes(type)) {
    return [`When trying to set timestamp type '${type}' on ${ifname}: That type of time stamp is not supported by that device`];
  }
  const warnings: string[] = [];
  // Ask the NIC to stamp every received packet (needs CAP_NET_ADMIN); then the socket to report it.
  const cfg = allocNative(12);
  try {
    const dv = new DataView(cfg.bytes.buffer, cfg.bytes.byteOffset, 12);
    dv.setInt32(4, TSTAMP.HWTSTAMP_TX_OFF, true);
    dv.setInt32(8, TSTAMP.HWTSTAMP_FILTER_ALL, true);
    const err = ifreqIoctl(fd, TSTAMP.SIOCSHWTSTAMP, ifname, cfg.ptr);
    if (err === ERRNO.EPERM) warnings.push(`${ifname}: enabling hardware time stamping needs CAP_NET_ADMIN; the adapter may not stamp packets`);
    else if (err !== 0) warnings.push(`${ifname}: SIOCSHWTSTAMP failed (errno ${err}); the adapter may not stamp packets`);
  } finally {
    cfg.free();
  }
  const source = new Uint8Array(4);
  new DataView(source.buffer).setUint32(0, type === 'adapter' ? TSTAMP.SOF_SYS_HARDWARE : TSTAMP.SOF_RAW_HARDWARE, true);
  if (raw.setsockopt(fd, SOL_PACKET, PACKET.TIMESTAMP, source, 4) !== 0) warnings.push(`${ifname}: setsockopt(PACKET_TIMESTAMP) failed; host time stamps are used`);
  return warnings;
}
