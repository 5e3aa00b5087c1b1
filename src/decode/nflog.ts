/**
 * LINKTYPE_NFLOG (239) records as libpcap writes them from nfnetlink_log: a 4-byte header (address
 * family, version 0, resource id = the NFLOG group, big-endian), then TLVs whose 16-bit length and
 * type are in the byte order of the host that wrote the file (little-endian on Linux x86_64/aarch64,
 * which is what this reads), each padded to 4 bytes. The packet is the value of TLV type 9
 * (NFULA_PAYLOAD).
 */

/** Offsets of the NFLOG header. */
export const NFLOG_HDR = { SIZE: 4, family: 0, version: 1, resourceId: 2 } as const;
/** TLV type of the packet bytes. */
export const NFLOG_TLV_PAYLOAD = 9;

/**
 * Where the logged packet starts in the record `bytes[offset, offset + capLen)`, or -1 when there is
 * no payload TLV within the captured bytes (or the record is cut or malformed). Allocates nothing.
 */
export function nflogPayloadOffset(bytes: Uint8Array, offset: number, capLen: number): number {
  const end = offset + capLen;
  if (capLen < NFLOG_HDR.SIZE || bytes[offset + NFLOG_HDR.version] !== 0) return -1;
  let p = offset + NFLOG_HDR.SIZE;
  while (p + 4 <= end) {
    const len = (bytes[p] as number) | ((bytes[p + 1] as number) << 8);
    const type = (bytes[p + 2] as number) | ((bytes[p + 3] as number) << 8);
    if (len < 4) return -1;
    if (type === NFLOG_TLV_PAYLOAD) return p + 4;
    p += (len + 3) & ~3;
  }
  return -1;
}
