/**
 * The printing flags of tscap (tcpdump's -n -e -v -q -S -T -x -X -A -t -# -l, --nano/--micro) and
 * --json, for the command line, and their translation into the printer's PrintOptions.
 */
import type { Command } from 'commander';
import type { PrintOptions } from '../src/sinks/text.js';
import { FORCE_TYPES, type ForceType } from '../src/decode/print.js';

const count = (_: unknown, prev: number): number => prev + 1;

/**
 * Adds the printing options to a command.
 * @example
 * const cmd = addPrintOptions(new Command('tscap'));
 * cmd.parse(preprocessArgv(process.argv));
 * const opts = printOptionsFrom(cmd.opts(), false);
 */
export function addPrintOptions(cmd: Command): Command {
  return cmd
    .option('-n', "don't convert addresses, ports and protocols to names")
    .option('-e', 'print the link-level header on each line')
    .option('-v', 'more detail (repeat for more: -vv)', count, 0)
    .option('-q', 'quiet: less protocol information')
    .option('-S, --absolute-tcp-sequence-numbers', 'print absolute, not relative, TCP sequence numbers')
    .option('-T <type>', `interpret UDP payloads as <type> whatever their ports (${FORCE_TYPES.join(', ')})`)
    .option('-x', 'print each packet in hex, without (-x) or with (-xx) the link header', count, 0)
    .option('-X', 'print each packet in hex and ASCII, without (-X) or with (-XX) the link header', count, 0)
    .option('-A', 'print each packet in ASCII, without the link header')
    .option('-t', 'timestamps: -t none, -tt seconds, -ttt delta, -tttt date, -ttttt since first', count, 0)
    .option('-#, --number', 'print a packet number first on each line')
    .option('-l, --line-buffered', 'write each line as it is printed')
    .option('--json', 'print one JSON object per packet (NDJSON) instead of text')
    .option('--nano', 'same as --time-stamp-precision nano')
    .option('--micro', 'same as --time-stamp-precision micro');
}

/**
 * Rewrites a lone `-#` to `--number` (for shells or wrappers that pass it oddly; commander 14 also
 * takes `-#` itself) and tcpdump's `--nano`/`--micro` to `--time-stamp-precision nano|micro`. Other
 * arguments are returned unchanged.
 * @example preprocessArgv(['node', 'tscap', '-#', '--nano']) // [..., '--number', '--time-stamp-precision', 'nano']
 */
export function preprocessArgv(argv: string[]): string[] {
  return argv.flatMap((a) =>
    a === '-#' ? ['--number'] : a === '--nano' || a === '--micro' ? ['--time-stamp-precision', a.slice(2)] : [a],
  );
}

/** A bad value of a printing option (`-T`): a usage error. */
export class PrintOptionError extends Error {}

/** The `-T` type, or undefined without one; throws PrintOptionError for a type tscap does not decode. */
export function forceTypeFrom(value: unknown): ForceType | undefined {
  if (value === undefined) return undefined;
  const t = FORCE_TYPES.find((f) => f === value);
  if (t === undefined) throw new PrintOptionError(`-T ${String(value)}: unknown or not decoded packet type (tscap decodes ${FORCE_TYPES.join(', ')})`);
  return t;
}

/**
 * PrintOptions from parsed commander options; `nano` comes from --time-stamp-precision.
 * @example const p = printOptionsFrom({ v: 2, e: true }, false); // p.verbose === 2
 */
export function printOptionsFrom(opts: Record<string, unknown>, nano: boolean): PrintOptions {
  const n = (k: string): number => (typeof opts[k] === 'number' ? (opts[k] as number) : opts[k] === true ? 1 : 0);
  return {
    numeric: true,
    linkHeader: opts.e === true,
    verbose: n('v'),
    quiet: opts.q === true,
    hex: n('x'),
    hexAscii: n('X'),
    ascii: opts.A === true,
    timeFormat: Math.min(n('t'), 5),
    nano,
    number: opts.number === true,
    ...(opts.absoluteTcpSequenceNumbers === true ? { absoluteSeq: true } : {}),
    ...(opts.T !== undefined ? { forceType: forceTypeFrom(opts.T)! } : {}),
    // -b is declared with tcpdump's other parity options (tcpdump-options.ts)
    ...(opts.b === true ? { asdot: true } : {}),
    ...(opts.H === true ? { meshHeader: true } : {}),
  };
}
