/**
 * Hand-built pcapng blocks (draft-ietf-opsawg-pcapng) for the block types that capture tools rarely
 * write: Simple and obsolete Packet Blocks, Name Resolution, custom and Decryption Secrets blocks,
 * binary timestamp resolutions, if_tsoffset, several sections. tshark reads the result as the oracle.
 */

/** One option: code and raw value. */
export type Opt = [code: number, value: Uint8Array];

/** Builder for one section in a chosen byte order. */
export class NgBuilder {
  private readonly parts: Uint8Array[] = [];
  constructor(readonly le = true) {}

  u16(v: number): Uint8Array {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, this.le);
    return b;
  }

  u32(v: number): Uint8Array {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, this.le);
    return b;
  }

  u64(v: bigint): Uint8Array {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), this.le);
    return b;
  }

  str(s: string): Uint8Array {
    return new TextEncoder().encode(s);
  }

  /** Appends a block: type, fixed body, options (with opt_endofopt when any). */
  block(type: number, body: Uint8Array[], opts: Opt[] = []): this {
    const chunks: Uint8Array[] = [];
    for (const c of body) chunks.push(c);
    const bodyLen = chunks.reduce((n, c) => n + c.length, 0);
    const padBody = (4 - (bodyLen % 4)) % 4;
    if (padBody) chunks.push(new Uint8Array(padBody));
    for (const [code, v] of opts) {
      chunks.push(this.u16(code), this.u16(v.length), v, new Uint8Array((4 - (v.length % 4)) % 4));
    }
    if (opts.length > 0) chunks.push(new Uint8Array(4));
    const inner = chunks.reduce((n, c) => n + c.length, 0);
    const total = 12 + inner;
    this.parts.push(this.u32(type), this.u32(total), ...chunks, this.u32(total));
    return this;
  }

  shb(opts: Opt[] = []): this {
    return this.block(0x0a0d0d0a, [this.u32(0x1a2b3c4d), this.u16(1), this.u16(0), this.u64(-1n)], opts);
  }

  idb(linkType: number, snaplen: number, opts: Opt[] = []): this {
    return this.block(1, [this.u16(linkType), this.u16(0), this.u32(snaplen)], opts);
  }

  epb(ifid: number, ts: bigint, data: Uint8Array, wireLen = data.length, opts: Opt[] = []): this {
    const hi = Number(ts >> 32n);
    const lo = Number(ts & 0xffffffffn);
    return this.block(6, [this.u32(ifid), this.u32(hi), this.u32(lo), this.u32(data.length), this.u32(wireLen), data], opts);
  }

  pb(ifid: number, drops: number, ts: bigint, data: Uint8Array, opts: Opt[] = []): this {
    const hi = Number(ts >> 32n);
    const lo = Number(ts & 0xffffffffn);
    return this.block(2, [this.u16(ifid), this.u16(drops), this.u32(hi), this.u32(lo), this.u32(data.length), this.u32(data.length), data], opts);
  }

  spb(data: Uint8Array, wireLen = data.length): this {
    return this.block(3, [this.u32(wireLen), data]);
  }

  isb(ifid: number, ts: bigint, opts: Opt[]): this {
    return this.block(5, [this.u32(ifid), this.u32(Number(ts >> 32n)), this.u32(Number(ts & 0xffffffffn))], opts);
  }

  /** Name Resolution Block with one IPv4 record. */
  nrbIpv4(addr: [number, number, number, number], name: string): this {
    const value = new Uint8Array([...addr, ...this.str(name), 0]);
    const rec = [this.u16(1), this.u16(value.length), value, new Uint8Array((4 - (value.length % 4)) % 4)];
    const end = [this.u16(0), this.u16(0)];
    return this.block(4, [...rec, ...end]);
  }

  custom(pen: number, data: Uint8Array): this {
    return this.block(0x00000bad, [this.u32(pen), data]);
  }

  dsb(data: Uint8Array): this {
    // secrets type 0x544c534b = TLS key log
    return this.block(0x0000000a, [this.u32(0x544c534b), this.u32(data.length), data]);
  }

  /** An unknown block type (must be skipped). */
  unknown(type: number, data: Uint8Array): this {
    return this.block(type, [data]);
  }

  bytes(): Uint8Array {
    const n = this.parts.reduce((s, c) => s + c.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.parts) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** A small valid Ethernet/IPv4/UDP frame (checksums not needed by readers), `n` payload bytes of `fill`. */
export function udpFrame(n: number, fill: number): Uint8Array {
  const f = new Uint8Array(42 + n);
  f.set([0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00], 0);
  const ipLen = 28 + n;
  f.set([0x45, 0, ipLen >> 8, ipLen & 0xff, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  const udpLen = 8 + n;
  f.set([0x30, 0x39, 0x00, 0x35, udpLen >> 8, udpLen & 0xff, 0, 0], 34);
  f.fill(fill, 42);
  return f;
}
