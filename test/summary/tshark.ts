/**
 * tshark as the oracle for the summary tables: runs `tshark -r FILE -q -z ...` at test time and
 * parses its text tables (Wireshark 4.0 layout). Reassembly is off, the semantics tscap documents.
 */
import { execFileSync } from 'node:child_process';

/** Fails loudly when tshark is missing. */
export function requireTshark(): void {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('tshark is required for the summary tests: apt-get install -y tshark');
  }
}

const PREFS = ['-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE', '-o', 'tcp.desegment_tcp_streams:FALSE'];

/** Every statistic the tests compare, in the order tshark prints them. */
export const STATS = ['conv,ip', 'conv,ipv6', 'conv,tcp', 'conv,udp', 'endpoints,ip', 'endpoints,ipv6', 'io,phs', 'io,stat,1'] as const;

/** One of `STATS`. */
export type Stat = (typeof STATS)[number];

/**
 * Runs every statistic of `STATS` in ONE tshark pass (tshark's start-up dominates) and splits the
 * output into one text per statistic by the titles tshark prints.
 */
export function tsharkStats(file: string): Record<Stat, string> {
  const args = ['-n', '-r', file, '-q', ...PREFS];
  for (const s of STATS) args.push('-z', s);
  const text = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const titles: Array<[RegExp, Stat]> = [
    [/^IPv4 Conversations/, 'conv,ip'],
    [/^IPv6 Conversations/, 'conv,ipv6'],
    [/^TCP Conversations/, 'conv,tcp'],
    [/^UDP Conversations/, 'conv,udp'],
    [/^IPv4 Endpoints/, 'endpoints,ip'],
    [/^IPv6 Endpoints/, 'endpoints,ipv6'],
    [/^Protocol Hierarchy Statistics/, 'io,phs'],
    [/^\| IO Statistics/, 'io,stat,1'],
  ];
  const out = Object.fromEntries(STATS.map((s) => [s, ''])) as Record<Stat, string>;
  let cur: Stat | undefined;
  for (const line of text.split('\n')) {
    const hit = titles.find(([re]) => re.test(line));
    if (hit) cur = hit[1];
    if (cur !== undefined) out[cur] += `${line}\n`;
  }
  for (const s of STATS) if (out[s] === '') throw new Error(`tshark printed no ${s} table for ${file}`);
  return out;
}

/** A conversation row: A and B as tshark prints them, with ports split off for tcp/udp. */
export interface TsharkConv {
  a: string;
  aPort?: number;
  b: string;
  bPort?: number;
  /** "->" columns: A to B. */
  abFrames: number;
  abBytes: string;
  /** "<-" columns: B to A. */
  baFrames: number;
  baBytes: string;
  frames: number;
  bytes: string;
  start: number;
}

function splitPort(s: string): [string, number] {
  const i = s.lastIndexOf(':');
  return [s.slice(0, i), Number(s.slice(i + 1))];
}

/** Parses `-z conv,ip|ipv6|tcp|udp` (bytes stay in tshark's rounded text, e.g. "37 kB"). */
export function parseConv(text: string, withPorts: boolean): TsharkConv[] {
  const out: TsharkConv[] = [];
  const re = /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+ \w+)\s+(\d+)\s+(\d+ \w+)\s+(\d+)\s+(\d+ \w+)\s+([\d.]+)\s+([\d.]+)\s*$/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const row: TsharkConv = {
      a: m[1]!,
      b: m[2]!,
      baFrames: Number(m[3]),
      baBytes: m[4]!,
      abFrames: Number(m[5]),
      abBytes: m[6]!,
      frames: Number(m[7]),
      bytes: m[8]!,
      start: Number(m[9]),
    };
    if (withPorts) {
      [row.a, row.aPort] = splitPort(row.a);
      [row.b, row.bPort] = splitPort(row.b);
    }
    out.push(row);
  }
  return out;
}

/**
 * tshark's byte text (wsutil format_size, SI units, integer division): "N bytes" below 10000, then
 * "N kB", "N MB", "N GB".
 */
export function tsharkSize(n: number): string {
  if (Math.floor(n / 1e9) >= 10) return `${Math.floor(n / 1e9)} GB`;
  if (Math.floor(n / 1e6) >= 10) return `${Math.floor(n / 1e6)} MB`;
  if (Math.floor(n / 1e3) >= 10) return `${Math.floor(n / 1e3)} kB`;
  return `${n} bytes`;
}

/** An endpoints row. */
export interface TsharkEndpoint {
  address: string;
  frames: number;
  bytes: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

/** Parses `-z endpoints,ip|ipv6`. */
export function parseEndpoints(text: string): TsharkEndpoint[] {
  const out: TsharkEndpoint[] = [];
  const re = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    out.push({
      address: m[1]!,
      frames: Number(m[2]),
      bytes: Number(m[3]),
      txFrames: Number(m[4]),
      txBytes: Number(m[5]),
      rxFrames: Number(m[6]),
      rxBytes: Number(m[7]),
    });
  }
  return out;
}

/** One `io,phs` line as a path of protocol names. */
export interface TsharkPhsRow {
  path: string[];
  frames: number;
  bytes: number;
}

/** Parses `-z io,phs`: two spaces of indent per level. */
export function parsePhs(text: string): TsharkPhsRow[] {
  const out: TsharkPhsRow[] = [];
  const stack: string[] = [];
  const re = /^( *)(\S+)\s+frames:(\d+) bytes:(\d+)\s*$/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 2;
    stack.length = depth;
    stack.push(m[2]!);
    out.push({ path: [...stack], frames: Number(m[3]), bytes: Number(m[4]) });
  }
  return out;
}

/** One `io,stat` interval row. */
export interface TsharkIoRow {
  start: number;
  frames: number;
  bytes: number;
}

/** Parses `-z io,stat,N` rows (`| 0 <> 1 | 11 | 1240 |`, the last ending in `Dur`). */
export function parseIoStat(text: string): TsharkIoRow[] {
  const out: TsharkIoRow[] = [];
  const re = /^\|\s*([\d.]+)\s*<>\s*([\d.]+|Dur)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*$/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (m) out.push({ start: Number(m[1]), frames: Number(m[3]), bytes: Number(m[4]) });
  }
  return out;
}
