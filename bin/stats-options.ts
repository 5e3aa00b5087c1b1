/**
 * The CLI's statistics options: `--stats [SECONDS]` (live tables, default every second) and
 * `--summary KIND` (repeatable: conv, endpoints, protocols, io,SECONDS), `--summary-rows N` and
 * `--max-flows N`. Bad values are commander
 * `InvalidArgumentError`s, which the CLI turns into exit 2.
 */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { DEFAULT_MAX_FLOWS, DEFAULT_SUMMARY_ROWS, parseSummaryKind, SummaryKindError, type SummaryKind } from '../src/sinks/summary-kind.js';

/** Parsed values of the statistics options (commander's camelCase keys). */
export interface StatsOptionValues {
  /** `true` for a bare `--stats`, the interval in seconds when given. */
  stats?: boolean | number;
  /** Every `--summary` in order. */
  summary?: SummaryKind[];
  /** `--summary-rows N`: rows per conversation/endpoint table (0: all). */
  summaryRows?: number;
  /** `--max-flows N`: conversations and endpoints kept in memory. */
  maxFlows?: number;
}

/** A whole number from `min` up, or a usage error naming the option. */
function wholeNumber(option: string, min: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
      throw new InvalidArgumentError(`invalid ${option} '${value}': a whole number from ${min} up expected`);
    }
    return Number(value);
  };
}

/** Shortest and longest `--stats` interval in seconds. */
export const STATS_INTERVAL_LIMITS = { min: 0.1, max: 3600 } as const;

function statsSeconds(value: string): number {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value)) {
    throw new InvalidArgumentError(`invalid --stats interval '${value}': seconds expected (write --stats=SECONDS before a filter expression)`);
  }
  const n = Number(value);
  if (n < STATS_INTERVAL_LIMITS.min || n > STATS_INTERVAL_LIMITS.max) {
    throw new InvalidArgumentError(`invalid --stats interval '${value}': must be ${STATS_INTERVAL_LIMITS.min}..${STATS_INTERVAL_LIMITS.max} seconds`);
  }
  return n;
}

function collectSummary(value: string, previous: SummaryKind[] | undefined): SummaryKind[] {
  try {
    return [...(previous ?? []), parseSummaryKind(value)];
  } catch (err) {
    if (err instanceof SummaryKindError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

/**
 * Adds `--stats [seconds]` and `--summary <kind>` to a command.
 * @example
 * const cmd = addStatsOptions(new Command('tscap')).parse();
 * const every = statsIntervalFrom(cmd.opts()); // seconds, or undefined without --stats
 */
export function addStatsOptions(cmd: Command): Command {
  return cmd
    .option(
      '--stats [seconds]',
      'show live statistics on stderr every SECONDS (default 1): rates, drops, top flows and talkers, protocols; SIGUSR2 prints them once',
      statsSeconds,
    )
    .option(
      '--summary <kind>',
      'print a summary on stderr at the end: conv, endpoints, protocols or io,SECONDS (repeatable; JSON with --json)',
      collectSummary,
    )
    .option('--summary-rows <n>', `rows per conversation or endpoint table in the text summary, by bytes (default ${DEFAULT_SUMMARY_ROWS}; 0: all; JSON has all)`, wholeNumber('--summary-rows', 0))
    .option('--max-flows <n>', `conversations and endpoints kept in memory for --summary and --stats (default ${DEFAULT_MAX_FLOWS}, about 256 MB); others are counted, not tracked`, wholeNumber('--max-flows', 1));
}

/**
 * The requested summaries, in command-line order (empty without `--summary`).
 * @example summaryKindsFrom({ summary: [{ kind: 'conv' }] }) // [{ kind: 'conv' }]
 */
export function summaryKindsFrom(opts: StatsOptionValues): SummaryKind[] {
  return opts.summary ?? [];
}

/**
 * The `--stats` interval in seconds: 1 for a bare `--stats`, undefined when it was not given.
 * @example statsIntervalFrom({ stats: true }) // 1
 */
export function statsIntervalFrom(opts: StatsOptionValues): number | undefined {
  if (opts.stats === undefined || opts.stats === false) return undefined;
  return opts.stats === true ? 1 : opts.stats;
}
