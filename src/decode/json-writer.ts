/**
 * The byte buffer NDJSON lines are built in (RFC 8259 text, UTF-8): protocol homes append their
 * layer's object field by field (`writeIpv4Json` and the like, named in the registry), numbers as
 * ASCII digits and addresses straight from the packet bytes, so a line costs no object graph and no
 * `JSON.stringify`. The buffer is reused and grows only when a line does not fit. Output must equal
 * `JSON.stringify` of the protocol's Repr byte for byte (`test/sinks/json-fast.test.ts` checks it).
 */
import { ipv6Text } from './addr.js';

const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const utf8 = new TextEncoder();
const Q = 0x22; // "
/** ASCII of 00..99, two bytes each. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/** ASCII bytes of `s` (for `JsonWriter.copy`). */
export function asciiBytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/**
 * Each text of `t` as ASCII bytes, under the same name: the keys and punctuation of a hot writer,
 * encoded once, so writing one copies bytes and reads no string.
 * @example const K = jsonKeys({ ttl: ',"ttl":' }); w.key(K.ttl, 64);
 */
export function jsonKeys<N extends string>(t: Record<N, string>): Record<N, JsonKey> {
  const out = {} as Record<N, JsonKey>;
  for (const n of Object.keys(t) as N[]) out[n] = new JsonKey(t[n]);
  return out;
}

/** ASCII text encoded once, also as little-endian 32-bit words: `JsonWriter` copies it four bytes a store. */
export class JsonKey {
  /** Bytes of the text. */
  readonly length: number;
  /** The text's bytes in words, the last one padded with zeros. */
  readonly words: Uint32Array;
  /** `text`: ASCII text, or bytes already encoded. */
  constructor(text: string | Uint8Array) {
    this.length = text.length;
    const b = new Uint8Array((text.length + 3) & ~3);
    b.set(typeof text === 'string' ? asciiBytes(text) : text);
    this.words = new Uint32Array(b.buffer);
  }
}

/**
 * Appends JSON text to a growable byte buffer. `raw` takes text that needs no escaping (keys,
 * punctuation); `str` quotes and escapes as `JSON.stringify` does.
 * @example
 * const w = new JsonWriter();
 * w.raw('{"ttl":'); w.num(64); w.raw('}');
 * new TextDecoder().decode(w.bytes()) // '{"ttl":64}'
 */
export class JsonWriter {
  /** The buffer; bytes `[0, len)` are written. */
  buf = new Uint8Array(1 << 16);
  private dv = new DataView(this.buf.buffer);
  /** Bytes written. */
  len = 0;

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** Room for `n` more bytes. */
  ensure(n: number): void {
    if (this.len + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
    this.dv = new DataView(b.buffer);
  }

  /** ASCII text that needs no escaping: keys with their quotes, colons, commas, brackets, address text. */
  raw(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let at = this.len;
    for (let i = 0; i < n; i++) b[at++] = s.charCodeAt(i);
    this.len = at;
  }

  /** A key (with its quotes, colon and any leading comma) and a number: `,"ttl":64`. */
  field(key: string, v: number): void {
    // one room check for the key and a whole number (10 digits at most); the hot path of every writer
    const n = key.length;
    this.ensure(n + 10);
    const b = this.buf;
    let at = this.len;
    for (let i = 0; i < n; i++) b[at++] = key.charCodeAt(i);
    if (v >= 0 && v < 10 && v === (v | 0)) {
      b[at++] = 48 + v;
      this.len = at;
      return;
    }
    this.len = at;
    this.num(v);
  }

  /** `field` with a key encoded once (`jsonKeys`): the hot writers' way, a byte copy and the number. */
  key(k: JsonKey, v: number): void {
    this.keyText(k);
    this.num(v);
  }

  /** Text encoded once (`jsonKeys`): whole words stored, the bytes past its end overwritten later. */
  keyText(k: JsonKey): void {
    const words = k.words;
    const n = words.length;
    this.ensure(4 * n + 10);
    const dv = this.dv;
    const at = this.len;
    for (let i = 0; i < n; i++) dv.setUint32(at + 4 * i, words[i]!, true);
    this.len = at + k.length;
  }

  /** Pre-encoded ASCII (keys and names computed once): a byte copy. */
  copy(k: Uint8Array): void {
    const n = k.length;
    this.ensure(n);
    const b = this.buf;
    let at = this.len;
    for (let i = 0; i < n; i++) b[at++] = k[i]!;
    this.len = at;
  }

  /** A number as `JSON.stringify` writes it (integers as digits, the rest through `String`). */
  num(v: number): void {
    if (v >= 0 && v <= 0xffffffff && v === Math.floor(v)) {
      this.uint(v);
      return;
    }
    this.raw(Number.isFinite(v) ? String(v) : 'null');
  }

  /** A whole number 0..2^32-1 as digits, two at a time from a table. */
  uint(v: number): void {
    this.ensure(10);
    const b = this.buf;
    if (v < 10) {
      b[this.len++] = 48 + v;
      return;
    }
    const digits = v < 100 ? 2 : v < 1000 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10;
    let at = this.len + digits;
    this.len = at;
    let t = v;
    while (t >= 100) {
      // integer division by 100 with `| 0` while the value fits 31 bits
      const q = t >= 0x80000000 ? Math.floor(t / 100) : (t / 100) | 0;
      const r = 2 * (t - q * 100);
      b[--at] = DIGIT_PAIRS[r + 1]!;
      b[--at] = DIGIT_PAIRS[r]!;
      t = q;
    }
    if (t >= 10) {
      b[--at] = DIGIT_PAIRS[2 * t + 1]!;
      b[--at] = DIGIT_PAIRS[2 * t]!;
    } else b[--at] = 48 + t;
  }

  /**
   * `v` (a whole number below 10^width) as exactly `width` digits, zero-padded, as `padStart` pads a
   * timestamp's fraction.
   */
  fixed(v: number, width: number): void {
    this.ensure(width);
    const b = this.buf;
    let at = this.len + width;
    this.len = at;
    let t = v;
    for (let i = 0; i < width; i++) {
      const q = Math.floor(t / 10);
      b[--at] = 48 + t - q * 10;
      t = q;
    }
  }

  /** `true` or `false`. */
  bool(v: boolean): void {
    this.raw(v ? 'true' : 'false');
  }

  /** A JSON string, escaped as `JSON.stringify` escapes it. */
  str(s: string): void {
    let plain = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === Q || c === 0x5c || c > 0x7e) {
        plain = false;
        break;
      }
    }
    if (plain) {
      this.ensure(s.length + 2);
      this.buf[this.len++] = Q;
      this.raw(s);
      this.buf[this.len++] = Q;
    } else {
      this.text(JSON.stringify(s));
    }
  }

  /** Any text, UTF-8 encoded (JSON already formed, e.g. a `JSON.stringify` result). */
  text(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit
    this.ensure(s.length * 3);
    this.len += utf8.encodeInto(s, this.buf.subarray(this.len)).written;
  }

  /** `"aa:bb:cc:dd:ee:ff"` for the 6 bytes at `o`. */
  mac(b: Uint8Array, o: number): void {
    this.ensure(19);
    const d = this.buf;
    let at = this.len;
    d[at++] = Q;
    for (let i = 0; i < 6; i++) {
      if (i > 0) d[at++] = 0x3a;
      const x = b[o + i] ?? 0;
      d[at++] = HEX[x >> 4]!;
      d[at++] = HEX[x & 15]!;
    }
    d[at++] = Q;
    this.len = at;
  }

  /** `"a.b.c.d"` for the 4 bytes at `o`. */
  ipv4(b: Uint8Array, o: number): void {
    this.ensure(17);
    this.buf[this.len++] = Q;
    for (let i = 0; i < 4; i++) {
      if (i > 0) this.buf[this.len++] = 0x2e;
      this.uint(b[o + i] ?? 0);
    }
    this.buf[this.len++] = Q;
  }

  /** The RFC 5952 text of the 16 bytes at `o`, quoted. */
  ipv6(b: Uint8Array, o: number): void {
    this.ensure(2);
    this.buf[this.len++] = Q;
    this.raw(ipv6Text(b, o));
    this.ensure(1);
    this.buf[this.len++] = Q;
  }
}
