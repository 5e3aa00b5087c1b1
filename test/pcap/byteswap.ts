/**
 * Byte-order converters for test fixtures: editcap cannot write big-endian files, so these rewrite a
 * pcap or pcapng file with every header field in the opposite byte order (frame bytes untouched),
 * following the field layouts of draft-ietf-opsawg-pcap and draft-ietf-opsawg-pcapng.
 */

function swap16(b: Uint8Array, o: number): void {
  const t = b[o]!;
  b[o] = b[o + 1]!;
  b[o + 1] = t;
}

function swap32(b: Uint8Array, o: number): void {
  swap16(b, o);
  swap16(b, o + 2);
  const t0 = b[o]!;
  const t1 = b[o + 1]!;
  b[o] = b[o + 2]!;
  b[o + 1] = b[o + 3]!;
  b[o + 2] = t0;
  b[o + 3] = t1;
}

function swap64(b: Uint8Array, o: number): void {
  for (let i = 0; i < 4; i++) {
    const t = b[o + i]!;
    b[o + i] = b[o + 7 - i]!;
    b[o + 7 - i] = t;
  }
}

/** Returns a copy of a pcap file with its file and record headers in the other byte order. */
export function swapPcap(src: Uint8Array): Uint8Array {
  const b = Uint8Array.from(src);
  const dv = new DataView(b.buffer);
  const magic = dv.getUint32(0, true);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  swap32(b, 0);
  swap16(b, 4);
  swap16(b, 6);
  for (const o of [8, 12, 16, 20]) swap32(b, o);
  let p = 24;
  while (p + 16 <= b.length) {
    const cap = dv.getUint32(p + 8, le);
    for (let i = 0; i < 16; i += 4) swap32(b, p + i);
    p += 16 + cap;
  }
  return b;
}

/** Option value layout per block type and code: 'u32', 'u64', 'ts' (two u32 halves), 'pen' or bytes. */
function optionKind(block: number, code: number): string {
  if (code === 2988 || code === 2989 || code === 19372 || code === 19373) return 'pen';
  switch (block) {
    case 1: // IDB
      if (code === 8) return 'u64'; // if_speed
      if (code === 10) return 'u32'; // if_tzone
      if (code === 14) return 'u64'; // if_tsoffset
      return 'bytes';
    case 2: // PB
    case 6: // EPB
      if (code === 2 || code === 6) return 'u32'; // flags, queue
      if (code === 4 || code === 5) return 'u64'; // dropcount, packetid
      return 'bytes';
    case 5: // ISB
      if (code === 2 || code === 3) return 'ts';
      if (code >= 4 && code <= 8) return 'u64';
      return 'bytes';
    default:
      return 'bytes';
  }
}

function swapOptions(b: Uint8Array, dv: DataView, block: number, start: number, end: number, le: boolean): void {
  let o = start;
  while (o + 4 <= end) {
    const code = dv.getUint16(o, le);
    const len = dv.getUint16(o + 2, le);
    swap16(b, o);
    swap16(b, o + 2);
    if (code === 0) return;
    const v = o + 4;
    const kind = optionKind(block, code);
    if (kind === 'u32' && len >= 4) swap32(b, v);
    else if (kind === 'u64' && len >= 8) swap64(b, v);
    else if (kind === 'ts' && len >= 8) {
      swap32(b, v);
      swap32(b, v + 4);
    } else if (kind === 'pen' && len >= 4) swap32(b, v);
    o += 4 + ((len + 3) & ~3);
  }
}

/** Returns a copy of a pcapng file with every section in the other byte order. */
export function swapPcapng(src: Uint8Array): Uint8Array {
  const b = Uint8Array.from(src);
  const dv = new DataView(b.buffer);
  let le = true;
  let p = 0;
  while (p + 12 <= b.length) {
    let type = dv.getUint32(p, true);
    if (type === 0x0a0d0d0a) le = dv.getUint32(p + 8, true) === 0x1a2b3c4d;
    type = dv.getUint32(p, le);
    const len = dv.getUint32(p + 4, le);
    if (len < 12 || p + len > b.length) break;
    const body = p + 8;
    const end = p + len - 4;
    switch (type) {
      case 0x0a0d0d0a: // SHB
        swap32(b, body);
        swap16(b, body + 4);
        swap16(b, body + 6);
        swap64(b, body + 8);
        swapOptions(b, dv, type, body + 16, end, le);
        break;
      case 1: // IDB
        swap16(b, body);
        swap16(b, body + 2);
        swap32(b, body + 4);
        swapOptions(b, dv, type, body + 8, end, le);
        break;
      case 6: {
        // EPB
        const cap = dv.getUint32(body + 12, le);
        for (let i = 0; i < 20; i += 4) swap32(b, body + i);
        swapOptions(b, dv, type, body + 20 + ((cap + 3) & ~3), end, le);
        break;
      }
      case 2: {
        // PB
        const cap = dv.getUint32(body + 12, le);
        swap16(b, body);
        swap16(b, body + 2);
        for (let i = 4; i < 20; i += 4) swap32(b, body + i);
        swapOptions(b, dv, type, body + 20 + ((cap + 3) & ~3), end, le);
        break;
      }
      case 3: // SPB
        swap32(b, body);
        break;
      case 5: // ISB
        for (let i = 0; i < 12; i += 4) swap32(b, body + i);
        swapOptions(b, dv, type, body + 12, end, le);
        break;
      case 4: {
        // NRB: record headers swap, addresses and names are byte strings
        let o = body;
        while (o + 4 <= end) {
          const rt = dv.getUint16(o, le);
          const rl = dv.getUint16(o + 2, le);
          swap16(b, o);
          swap16(b, o + 2);
          o += 4 + ((rl + 3) & ~3);
          if (rt === 0) break;
        }
        swapOptions(b, dv, type, o, end, le);
        break;
      }
      case 0x00000bad:
      case 0x40000bad:
        swap32(b, body); // PEN
        break;
      default:
        break;
    }
    swap32(b, p);
    swap32(b, p + 4);
    swap32(b, p + len - 4);
    p += len;
  }
  return b;
}
