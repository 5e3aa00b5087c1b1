/** Shared by the oracle tests and the bench: run tcpdump and tscap's formatter on one file, compare lines. */
import { execFileSync } from 'node:child_process';
import { Command } from 'commander';
import { readPcap } from './pcap-read.js';
import { TextFormatter, DEFAULT_PRINT_OPTIONS, type PrintOptions } from '../../src/sinks/text.js';
import { addPrintOptions, preprocessArgv, printOptionsFrom } from '../../bin/print-options.js';
import { addTcpdumpOptions } from '../../bin/tcpdump-options.js';

/** Result of comparing tscap's text with tcpdump's on one file. */
export interface LineComparison {
  total: number;
  same: number;
  diffs: Array<{ ours: string; theirs: string }>;
}

/** tcpdump's output lines for a file (TZ=UTC). Throws when tcpdump is missing. */
export function tcpdumpLines(file: string, args: string[]): string[] {
  const out = execFileSync('tcpdump', ['-n', ...args, '-r', file], { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  const text = out.toString('latin1');
  return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
}

/** tcpdump flags and the print options tscap gives the same flags. */
export type Level = [string[], Partial<PrintOptions>];

/**
 * The print options tscap's command line makes of tcpdump flags (`['-vv', '-e']`), parsed by the CLI's
 * own option definitions: a test then runs both tools with the same flags, and a flag tscap's command
 * line lacks fails the test instead of being mistranslated by hand.
 */
export function cliPrintOptions(flags: string[]): PrintOptions {
  const argv = preprocessArgv(flags);
  // the precision is the capture's option (tscap.ts), handed to the printer as `nano`
  const k = argv.indexOf('--time-stamp-precision');
  const nano = k >= 0 && argv[k + 1] === 'nano';
  if (k >= 0) argv.splice(k, 2);
  const cmd = addTcpdumpOptions(addPrintOptions(new Command('tscap'))).exitOverride();
  cmd.parse(argv, { from: 'user' });
  return printOptionsFrom(cmd.opts(), nano);
}

/** One Level per tcpdump flag set: `levels([], ['-v'], ['-e', '-vv'])`. */
export function levels(...flagSets: string[][]): Level[] {
  return flagSets.map((flags) => [flags, cliPrintOptions(flags)]);
}

/** tscap's output lines for a file with the given options. */
export function tscapLines(file: string, opts: Partial<PrintOptions>): string[] {
  const f = readPcap(file);
  const fmt = new TextFormatter({ ...DEFAULT_PRINT_OPTIONS, ...opts });
  let s = '';
  for (const p of f.packets) s += fmt.format(p);
  return s.endsWith('\n') ? s.slice(0, -1).split('\n') : s.split('\n');
}

/** Groups output lines by packet: a packet starts at a line that begins with its timestamp (or -# number). */
function groups(lines: string[]): string[][] {
  const out: string[][] = [];
  for (const l of lines) {
    if (/^(\d\d:\d\d:\d\d\.\d{6}|\s+\d+ {2})/.test(l) || out.length === 0) out.push([l]);
    else out[out.length - 1]!.push(l);
  }
  return out;
}

/**
 * Line comparison packet by packet (so one packet with an extra dump line does not shift the rest):
 * within a packet lines are compared in order; missing or extra lines count as different.
 */
export function compareLines(ours: string[], theirs: string[]): LineComparison {
  const a = groups(ours);
  const b = groups(theirs);
  let total = 0;
  let same = 0;
  const diffs: LineComparison['diffs'] = [];
  const n = Math.max(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a[k] ?? [];
    const y = b[k] ?? [];
    const m = Math.max(x.length, y.length);
    for (let i = 0; i < m; i++) {
      total++;
      const l1 = x[i] ?? '<none>';
      const l2 = y[i] ?? '<none>';
      if (l1 === l2) same++;
      else diffs.push({ ours: l1, theirs: l2 });
    }
  }
  return { total, same, diffs };
}
