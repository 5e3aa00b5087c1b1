/**
 * The storage behind the traffic accounting (`flows.ts`): open-addressing tables of fixed-size
 * numeric keys to rows of counters, a distinct-count estimate for flows a full table refuses, the
 * dense io series, and the top-N selection the reports read. Nothing here knows packets or
 * protocols: keys are words, counters are floats, and text is made only by the readers in `flows.ts`.
 */

/**
 * A hash table of fixed-size keys (32-bit words) to rows of float counters, entries kept in insertion
 * order. Callers write the key into `key`, then call `find` (or `insert`); storage doubles when full,
 * so the only allocations happen when a new entry does not fit. Words, not bytes: an IPv6 5-tuple is
 * ten word compares instead of 37 byte compares.
 */
export class KeyTable {
  /** Scratch key the caller fills before `find`/`insert`. */
  readonly key: Uint32Array;
  /** Entries in use. */
  size = 0;
  /** Keys, `stride` words per entry. */
  keys: Uint32Array;
  /** Counters, `width` per entry. */
  vals: Float64Array;
  /** Hash of the key of the last `insert`, kept so a refused key can still be counted. */
  lastHash = 0;
  private index: Int32Array;
  private hashes: Uint32Array;
  private mask: number;

  /**
   * @param stride key words
   * @param width counters per entry
   * @param maxEntries entries beyond this are refused (`insert` returns -1)
   * @param budget entries shared with other tables: when `used` reaches `max`, inserts are refused
   */
  constructor(
    readonly stride: number,
    readonly width: number,
    readonly maxEntries = 1 << 22,
    initial = 256,
    private readonly budget: FlowBudget = { used: 0, max: Number.POSITIVE_INFINITY },
  ) {
    this.key = new Uint32Array(stride);
    this.keys = new Uint32Array(initial * stride);
    this.vals = new Float64Array(initial * width);
    this.index = new Int32Array(initial * 2);
    this.hashes = new Uint32Array(initial);
    this.mask = initial * 2 - 1;
  }

  /** Capacity before the next growth. */
  get capacity(): number {
    return this.hashes.length;
  }

  private hash(): number {
    // FNV-1a style over words, then murmur3's finalizer so the low bits (the slot) are well mixed
    const k = this.key;
    let h = 0x811c9dc5;
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k[i]!, 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }

  private same(entry: number): boolean {
    const k = this.key;
    const keys = this.keys;
    const base = entry * this.stride;
    for (let i = 0; i < k.length; i++) if (keys[base + i] !== k[i]) return false;
    return true;
  }

  /** Entry of the scratch key, or -1. */
  find(): number {
    const h = this.hash();
    let slot = h & this.mask;
    for (;;) {
      const e = this.index[slot]!;
      if (e === 0) return -1;
      // the stored hash settles most mismatches without touching the key words
      if (this.hashes[e - 1] === h && this.same(e - 1)) return e - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Entry of the scratch key, added with zeroed counters when new; -1 when the table is full. */
  insert(): number {
    const h = this.hash();
    this.lastHash = h;
    let slot = h & this.mask;
    for (;;) {
      const e = this.index[slot]!;
      if (e === 0) break;
      if (this.hashes[e - 1] === h && this.same(e - 1)) return e - 1;
      slot = (slot + 1) & this.mask;
    }
    if (this.size >= this.maxEntries || this.budget.used >= this.budget.max) return -1;
    if (this.size >= this.capacity) {
      this.grow();
      slot = h & this.mask;
      while (this.index[slot] !== 0) slot = (slot + 1) & this.mask;
    }
    const entry = this.size++;
    this.budget.used++;
    this.keys.set(this.key, entry * this.stride);
    this.hashes[entry] = h;
    this.index[slot] = entry + 1;
    return entry;
  }

  /** Forgets every entry (storage is kept). */
  clear(): void {
    this.budget.used -= this.size;
    this.size = 0;
    this.index.fill(0);
    this.vals.fill(0);
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const keys = new Uint32Array(cap * this.stride);
    keys.set(this.keys);
    const vals = new Float64Array(cap * this.width);
    vals.set(this.vals);
    const hashes = new Uint32Array(cap);
    hashes.set(this.hashes);
    this.keys = keys;
    this.vals = vals;
    this.hashes = hashes;
    this.index = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
    for (let e = 0; e < this.size; e++) {
      let slot = hashes[e]! & this.mask;
      while (this.index[slot] !== 0) slot = (slot + 1) & this.mask;
      this.index[slot] = e + 1;
    }
  }
}

/** Entries shared by several tables: a table refuses new keys once `used` reaches `max`. */
export interface FlowBudget {
  used: number;
  max: number;
}

/**
 * Estimates how many distinct 32-bit hashes it was given, in 4 KiB (HyperLogLog with 4096 one-byte
 * registers: about 1.6% standard error). Counts the flows a full table could not keep, which cannot
 * be remembered one by one.
 */
export class DistinctEstimate {
  private readonly reg = new Uint8Array(4096);

  /** The registers, for `merge` in another thread. */
  get registers(): Uint8Array {
    return this.reg;
  }

  /** Adds the distinct hashes another estimate was given (register by register, the larger rank). */
  merge(registers: Uint8Array): void {
    const n = Math.min(registers.length, this.reg.length);
    for (let i = 0; i < n; i++) if (registers[i]! > this.reg[i]!) this.reg[i] = registers[i]!;
  }

  /** Forgets every hash. */
  clear(): void {
    this.reg.fill(0);
  }

  /** Adds a well-mixed 32-bit hash. */
  add(h: number): void {
    const i = h >>> 20;
    const rest = (h << 12) | 0x800; // a guard bit so an all-zero remainder stops the count at 21
    const rank = Math.clz32(rest) + 1;
    if (rank > this.reg[i]!) this.reg[i] = rank;
  }

  /** The estimate (0 when nothing was added). */
  get count(): number {
    const m = this.reg.length;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      const r = this.reg[i]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    if (zeros === m) return 0;
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    // small ranges: linear counting is the better estimate while registers are still empty
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }
}

const MAX_IO = 1 << 20;

/** Frames and bytes of one io interval. */
export interface IoInterval {
  /** Start, seconds from the first packet. */
  start: number;
  /** End, seconds from the first packet (the last one ends at the capture's duration). */
  end: number;
  /** Frames in the interval. */
  frames: number;
  /** Bytes in the interval. */
  bytes: number;
}

/**
 * Frames and bytes per fixed interval from the first packet (tshark's `io,stat`), in growable dense
 * arrays: a long idle gap costs 16 bytes per empty interval, up to a cap of 2^20 intervals (later packets count in the last).
 */
export class IoSeries {
  private frames = new Float64Array(64);
  private bytes = new Float64Array(64);
  private count = 0;
  private readonly stepNs: number;

  /** @param interval seconds per interval (> 0) */
  constructor(readonly interval: number) {
    this.stepNs = Math.max(1, Math.round(interval * 1e9));
  }

  /** Forgets every interval. */
  clear(): void {
    this.frames.fill(0);
    this.bytes.fill(0);
    this.count = 0;
  }

  /** Counts `len` bytes at `relNs` nanoseconds after the first packet. */
  add(relNs: number, len: number): void {
    // packets stamped before the first one count in the first interval
    let slot = relNs <= 0 ? 0 : Math.floor(relNs / this.stepNs);
    if (slot >= MAX_IO) slot = MAX_IO - 1;
    if (slot >= this.frames.length) {
      let cap = this.frames.length;
      while (cap <= slot) cap *= 2;
      const fr = new Float64Array(cap);
      fr.set(this.frames);
      const by = new Float64Array(cap);
      by.set(this.bytes);
      this.frames = fr;
      this.bytes = by;
    }
    if (slot >= this.count) this.count = slot + 1;
    this.frames[slot]! += 1;
    this.bytes[slot]! += len;
  }

  /** The intervals so far; the last one ends at `duration` seconds, as tshark's `<> Dur` row. */
  intervals(duration: number): IoInterval[] {
    const out: IoInterval[] = [];
    const step = this.interval;
    for (let i = 0; i < this.count; i++) {
      const start = +(i * step).toFixed(9);
      out.push({
        start,
        end: i === this.count - 1 ? Math.max(start, +duration.toFixed(9)) : +((i + 1) * step).toFixed(9),
        frames: this.frames[i]!,
        bytes: this.bytes[i]!,
      });
    }
    return out;
  }
}

/**
 * Entries of `t` ordered by the sum of counter columns `c1` and `c2` (descending, first-seen order on
 * ties), at most `limit`. Columns, not a callback: the live report scans every flow once a second.
 */
export function topEntries(t: KeyTable, c1: number, c2: number, limit: number): number[] {
  const v = t.vals;
  const w = t.width;
  const n = t.size;
  if (limit >= n) {
    const all: number[] = [];
    for (let e = 0; e < n; e++) all.push(e);
    return all.sort((x, y) => v[y * w + c1]! + v[y * w + c2]! - (v[x * w + c1]! + v[x * w + c2]!) || x - y);
  }
  // bounded insertion into a small sorted list: the live report asks for 10 of possibly millions
  const k = Math.max(0, limit);
  const best = new Int32Array(k + 1);
  const bestScore = new Float64Array(k + 1);
  let size = 0;
  for (let e = 0; e < n; e++) {
    const s = v[e * w + c1]! + v[e * w + c2]!;
    if (size === k && (k === 0 || s <= bestScore[k - 1]!)) continue;
    let j = size < k ? size++ : k - 1;
    while (j > 0 && bestScore[j - 1]! < s) {
      best[j] = best[j - 1]!;
      bestScore[j] = bestScore[j - 1]!;
      j--;
    }
    best[j] = e;
    bestScore[j] = s;
  }
  return Array.from(best.subarray(0, size));
}
