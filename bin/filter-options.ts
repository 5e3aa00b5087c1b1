/**
 * The filter part of the command line, tcpdump style: `-f EXPR` or `-F FILE` or the expression as
 * trailing arguments, `-d`/`-dd`/`-ddd` to print the program, `-O` to skip the optimizer and `-y` to
 * choose the link type when there is no interface.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { BpfProgram } from '../src/filter/bpf.js';
import { formatProgram } from '../src/filter/format.js';
import { parseLinkType } from '../src/pcap/linktype.js';

/** The option values addFilterOptions adds, as commander stores them. */
export interface FilterCliOptions {
  filter?: string;
  /** `-F FILE` */
  F?: string;
  /** How many times `-d` was given (0 = do not print). */
  d: number;
  optimize: boolean;
  linktype?: string;
}

/** A usage error in the filter options (exit status 2). */
export class FilterOptionsError extends Error {
  override readonly name = 'FilterOptionsError';
}

/**
 * Adds the filter options to a command.
 * @example
 * const program = addFilterOptions(new Command('tscap')).argument('[expression...]');
 */
export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('-f, --filter <expr>', 'filter expression (pcap-filter(7) syntax)')
    .option('-F <file>', 'read the filter expression from FILE (# starts a comment)')
    .option('-d', 'print the compiled filter and exit: -d readable, -dd as C, -ddd as decimal', (_: string, prev: number) => prev + 1, 0)
    .option('-O, --no-optimize', 'do not run the filter optimizer')
    .option('-y, --linktype <name>', 'link type: live, one that -L lists (LINUX_SLL or LINUX_SLL2 on any); for -d without an interface, EN10MB, LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6, NULL or LOOP');
}

/** tcpdump's -F reading: the file's text with `#` comments blanked out to the end of their line. */
export function readFilterFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FilterOptionsError(`can't read filter file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return text.replace(/#[^\n]*/g, (c) => ' '.repeat(c.length));
}

/**
 * The filter expression from `-f`, `-F` or the trailing arguments (joined with spaces, as tcpdump
 * does); '' when none is given. More than one source is a usage error.
 * @example
 * const expr = filterExpression(program.opts<FilterCliOptions>(), program.args);
 */
export function filterExpression(opts: Pick<FilterCliOptions, 'filter' | 'F'>, trailingArgs: readonly string[]): string {
  const sources: string[] = [];
  if (opts.filter !== undefined) sources.push('-f');
  if (opts.F !== undefined) sources.push('-F');
  if (trailingArgs.length > 0) sources.push('a trailing expression');
  if (sources.length > 1) throw new FilterOptionsError(`give the filter expression only once (got ${sources.join(' and ')})`);
  if (opts.filter !== undefined) return opts.filter;
  if (opts.F !== undefined) return readFilterFile(opts.F);
  return trailingArgs.join(' ');
}

/** The link type named by `-y` (name or number), or a usage error. */
export function linkTypeOption(name: string): number {
  const lt = parseLinkType(name);
  if (lt === undefined) throw new FilterOptionsError(`unknown data link type ${name}`);
  return lt;
}

/**
 * The program as `tcpdump -d` (level 1), `-dd` (2) or `-ddd` (3 or more) prints it.
 * @example
 * if (opts.d > 0) { process.stdout.write(dumpProgram(prog, opts.d)); process.exit(0); }
 */
export function dumpProgram(prog: BpfProgram, level: number): string {
  return formatProgram(prog, level <= 1 ? 'd' : level === 2 ? 'dd' : 'ddd');
}
