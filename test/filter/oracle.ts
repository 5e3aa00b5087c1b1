/**
 * The tcpdump oracle for the filter tests: fixture groups (all fixtures of one link type merged into one
 * file whose record timestamps are the record numbers), tcpdump's selection and program for an
 * expression, the expression list, and a small pool so that at most two tcpdump processes run at once.
 *
 * Results are memoised on disk under the system temp directory, keyed by tcpdump's version, the
 * arguments and a hash of the input file, so a second run does not start tcpdump again for unchanged
 * inputs; the first run always asks tcpdump.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePcap, parsePcap, readPcap } from '../helpers/pcap-lite.js';
import type { LiteRecord } from '../helpers/pcap-lite.js';

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const EXPRESSIONS_FILE = fileURLToPath(new URL('./golden-expressions.txt', import.meta.url));

/** Throws when a tool the oracle needs is missing: these tests never skip silently. */
export function requireTool(name: string, versionArgs: string[] = ['--version']): string {
  try {
    return execFileSync(name, versionArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string };
    if (err.code === 'ENOENT') throw new Error(`${name} is not installed (apt-get install -y ${name})`);
    if (typeof err.stdout === 'string' && err.stdout !== '') return err.stdout;
    throw new Error(`${name} ${versionArgs.join(' ')} failed: ${String(e)}`);
  }
}

let tcpdumpVersion: string | undefined;
function version(): string {
  tcpdumpVersion ??= requireTool('tcpdump').trim();
  return tcpdumpVersion;
}

/** One fixture file. */
export interface Fixture {
  name: string;
  path: string;
  linkType: number;
  records: LiteRecord[];
}

/** All fixtures of one link type merged; record i has timestamp i so tcpdump's output maps back. */
export interface FixtureGroup {
  linkType: number;
  /** Short name used in messages and tags: eth, sll, sll2, raw, ipv4, ipv6, null, loop. */
  tag: string;
  path: string;
  /** Timestamp (seconds) of the group's first record: record numbers are unique across groups. */
  base: number;
  hash: string;
  records: LiteRecord[];
  origin: { file: string; index: number }[];
}

const TAGS: Readonly<Record<number, string>> = {
  1: 'eth', 113: 'sll', 276: 'sll2', 101: 'raw', 228: 'ipv4', 229: 'ipv6', 0: 'null', 108: 'loop',
  7: 'arcnet', 8: 'slip', 9: 'ppp', 50: 'ppphdlc', 104: 'chdlc', 105: 'wlan', 107: 'frelay', 127: 'radiotap',
  129: 'arcnetlinux', 139: 'mtp2phdr', 140: 'mtp2', 192: 'ppi', 239: 'nflog',
};

/** The top-level fixture pcaps (subdirectories belong to other areas). */
export function listFixtures(): Fixture[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.pcap'))
    .sort()
    .map((name) => {
      const path = join(FIXTURES_DIR, name);
      const p = readPcap(path);
      return { name, path, linkType: p.linkType, records: p.records };
    });
}

let groupsCache: FixtureGroup[] | undefined;

/** Seeded mutations of fixture frames appended to the Ethernet group: random packets with an oracle. */
export const RANDOM_FRAMES = 400;

/** mulberry32: a small seeded PRNG, so the random frames (and the oracle cache) are stable. */
function prng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** Frames made by changing bytes of (mostly the headers of) real frames and cutting them short. */
function mutatedFrames(src: readonly LiteRecord[], count: number, seed: number): LiteRecord[] {
  const rnd = prng(seed);
  const pick = (n: number): number => Math.floor(rnd() * n);
  const out: LiteRecord[] = [];
  for (let i = 0; i < count; i++) {
    const from = src[pick(src.length)]!;
    let data = Uint8Array.from(from.data);
    const edits = 1 + pick(4);
    for (let e = 0; e < edits && data.length > 0; e++) {
      const at = rnd() < 0.8 ? pick(Math.min(data.length, 80)) : pick(data.length);
      const what = pick(4);
      if (what === 0) data[at] = pick(256);
      else if (what === 1) data[at] = data[at]! ^ (1 << pick(8));
      else if (what === 2) data[at] = [0, 0xff, 0x06, 0x11, 0x2c, 0x3a, 0x81, 0x88, 0x08, 0x86][pick(10)]!;
      // at least one byte: tcpdump prints a caplen-0 record without its timestamp
      else data = data.subarray(0, 1 + pick(data.length));
    }
    out.push({ tsSec: 0, tsFrac: 0, data, wireLen: Math.max(from.wireLen, data.length) });
  }
  return out;
}

/** Builds (once per process) one merged file per link type in a fresh temp directory. */
export function fixtureGroups(): FixtureGroup[] {
  if (groupsCache) return groupsCache;
  const byType = new Map<number, Fixture[]>();
  for (const f of listFixtures()) {
    const list = byType.get(f.linkType) ?? [];
    list.push(f);
    byType.set(f.linkType, list);
  }
  const built: { linkType: number; tag: string; bytes: Uint8Array; base: number; records: LiteRecord[]; origin: { file: string; index: number }[] }[] = [];
  let base = 0;
  // Ethernet first: nearly every expression compiles there, which keeps tcpdump -V runs unbroken
  const order = (lt: number): number => (lt === 1 ? -1 : lt);
  for (const [linkType, files] of [...byType].sort((a, b) => order(a[0]) - order(b[0]))) {
    const tag = TAGS[linkType] ?? `lt${linkType}`;
    const records: LiteRecord[] = [];
    const origin: { file: string; index: number }[] = [];
    for (const f of files) {
      f.records.forEach((r, index) => {
        records.push({ tsSec: base + records.length, tsFrac: 0, data: r.data, wireLen: r.wireLen });
        origin.push({ file: f.name, index });
      });
    }
    if (linkType === 1) {
      mutatedFrames(records, RANDOM_FRAMES, 0x7c5a).forEach((r, index) => {
        origin.push({ file: 'random', index });
        records.push({ ...r, tsSec: base + records.length });
      });
    }
    built.push({ linkType, tag, bytes: encodePcap(linkType, records), base, records, origin });
    base += records.length;
  }
  // One directory per content, shared by test processes and reused by later runs.
  const all = createHash('sha256');
  for (const b of built) all.update(b.bytes);
  const dir = join(tmpdir(), `tscap-groups-${all.digest('hex').slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  // tcpdump started as root drops to its own user after opening the first file; -V opens the others later
  chmodSync(dir, 0o755);
  const groups: FixtureGroup[] = built.map((b) => {
    const path = join(dir, `${b.tag}.pcap`);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, b.bytes, { mode: 0o644 });
    renameSync(tmp, path);
    const { bytes, ...rest } = b;
    return { ...rest, path, hash: createHash('sha256').update(bytes).digest('hex') };
  });
  groupsCache = groups;
  return groups;
}

/** What tcpdump said: the selected record numbers, or its error message. */
export type Selection = { ok: true; indices: number[] } | { ok: false; error: string };
/** A program listing from tcpdump (-d, -dd or -ddd output), or its error message. */
export type Listing = { ok: true; text: string } | { ok: false; error: string };

const CACHE_DIR = join(tmpdir(), 'tscap-oracle-cache');

function cacheKey(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify([version(), ...parts])).digest('hex');
}

function cacheGet<T>(key: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(CACHE_DIR, `${key}.json`), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function cachePut(key: string, value: unknown): void {
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = join(CACHE_DIR, `${key}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, join(CACHE_DIR, `${key}.json`));
}

function tcpdumpError(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('reading from file') && !l.startsWith('Warning'))
    .map((l) => l.replace(/^tcpdump: /, ''))
    .join('\n');
}

function run(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('tcpdump', args, { encoding: 'buffer', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('tcpdump is not installed (apt-get install -y tcpdump)'));
        return;
      }
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr.toString('utf8') });
    });
  });
}

/** The records of `group` that `tcpdump -r FILE -w - EXPR` keeps. */
export async function tcpdumpSelect(expr: string, group: FixtureGroup): Promise<Selection> {
  const key = cacheKey(['select2', expr, group.hash]);
  const hit = cacheGet<Selection>(key);
  if (hit) return hit;
  const r = await run(['-r', group.path, '-w', '-', '--', expr]);
  let sel: Selection;
  if (r.code !== 0) {
    sel = { ok: false, error: tcpdumpError(r.stderr) || `tcpdump exited with ${r.code}` };
  } else {
    const out = parsePcap(new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength));
    sel = { ok: true, indices: out.records.map((rec) => rec.tsSec - group.base) };
  }
  cachePut(key, sel);
  return sel;
}

let listSeq = 0;

/**
 * tcpdump's selection for one expression over several groups in as few tcpdump runs as possible:
 * `tcpdump -V LIST -tt -n -q EXPR` reads the groups' files in turn and recompiles the filter whenever
 * the link type changes; each printed line starts with the record's timestamp, which is its unique
 * record number. When tcpdump refuses the expression for one file it stops there (the last "reading from
 * file" line names it), and the run resumes with the files after it.
 */
export async function tcpdumpSelectGroups(expr: string, groups: readonly FixtureGroup[]): Promise<Map<string, Selection>> {
  const key = cacheKey(['selectV2', expr, groups.map((g) => g.hash)]);
  const hit = cacheGet<[string, Selection][]>(key);
  if (hit) return new Map(hit);
  const result = new Map<string, Selection>();
  let remaining = [...groups];
  while (remaining.length > 0) {
    const list = join(tmpdir(), `tscap-oracle-list-${process.pid}-${listSeq++}.txt`);
    writeFileSync(list, remaining.map((g) => g.path).join('\n') + '\n', { mode: 0o644 });
    const r = await run(['-V', list, '-tt', '-n', '-q', '--', expr]);
    rmSync(list, { force: true });
    const selected: number[] = [];
    // Not anchored at line starts: a printer cut short by a truncated packet can omit its newline.
    for (const m of r.stdout.toString('latin1').matchAll(/(?<![\d.])(\d+)\.000000 /g)) {
      const t = Number(m[1]);
      if (selected.length > 0 && t <= selected.at(-1)!) throw new Error(`tcpdump -V output out of order at ${t} for ${expr}`);
      selected.push(t);
    }
    const read = r.stderr
      .split('\n')
      .map((l) => /^reading from file (.*), link-type /.exec(l)?.[1])
      .filter((p): p is string => p !== undefined);
    let failedAt = remaining.length;
    let error = tcpdumpError(r.stderr) || `tcpdump exited with ${r.code}`;
    if (r.code !== 0) {
      if (remaining.some((g) => error.includes(g.path))) throw new Error(`tcpdump could not read a fixture group: ${r.stderr}`);
      // tcpdump announces the first file before compiling for it, later files only after recompiling:
      // n announcements mean file n failed, except that n = 1 can also mean the first one did
      failedAt = read.length;
      if (read.length <= 1) {
        const first = await run(['-r', remaining[0]!.path, '-w', '/dev/null', '--', expr]);
        if (first.code !== 0) {
          failedAt = 0;
          error = tcpdumpError(first.stderr) || `tcpdump exited with ${first.code}`;
        } else {
          failedAt = 1;
        }
      }
    }
    for (const [i, g] of remaining.entries()) {
      if (i > failedAt) break;
      if (i === failedAt) {
        result.set(g.tag, { ok: false, error });
        continue;
      }
      const end = g.base + g.records.length;
      result.set(g.tag, { ok: true, indices: selected.filter((t) => t >= g.base && t < end).map((t) => t - g.base) });
    }
    remaining = remaining.slice(failedAt + 1);
  }
  cachePut(key, [...result]);
  return result;
}

/** libpcap's program for `expr` on the group's link type, as `tcpdump -d/-dd/-ddd -r FILE` prints it. */
export async function tcpdumpListing(expr: string, group: FixtureGroup, form: 'd' | 'dd' | 'ddd', extra: string[] = []): Promise<Listing> {
  const key = cacheKey(['listing2', form, extra, expr, group.hash]);
  const hit = cacheGet<Listing>(key);
  if (hit) return hit;
  const r = await run([`-${form}`, ...extra, '-r', group.path, '--', expr]);
  const res: Listing = r.code === 0 ? { ok: true, text: r.stdout.toString('utf8') } : { ok: false, error: tcpdumpError(r.stderr) };
  cachePut(key, res);
  return res;
}

/** Maps `items` through `fn` with at most `limit` calls in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** One line of the expression list. */
export interface GoldenExpr {
  expr: string;
  line: number;
  /** Group tags this expression is limited to; empty means every group. */
  tags: string[];
}

/**
 * Reads test/filter/golden-expressions.txt: one expression per line, `#` starts a comment line, and
 * trailing ` @tag` words (eth, sll, sll2, raw, ipv4, ipv6, null, loop) limit the groups it runs on.
 */
export function loadExpressions(): GoldenExpr[] {
  const out: GoldenExpr[] = [];
  readFileSync(EXPRESSIONS_FILE, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const tags: string[] = [];
      let expr = line;
      const m = /((?:\s+@[a-z0-9]+)+)\s*$/.exec(line);
      if (m) {
        expr = line.slice(0, m.index).trim();
        tags.push(...m[1]!.trim().split(/\s+/).map((t) => t.slice(1)));
      }
      out.push({ expr, line: i + 1, tags });
    });
  return out;
}

/** The groups an expression applies to. */
export function groupsFor(e: GoldenExpr, groups: readonly FixtureGroup[]): FixtureGroup[] {
  return e.tags.length === 0 ? [...groups] : groups.filter((g) => e.tags.includes(g.tag));
}
