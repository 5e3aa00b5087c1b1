/** `--stats` and `--summary` parsing with commander, including the exit-2 usage errors. */
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { addStatsOptions, statsIntervalFrom, summaryKindsFrom } from '../../bin/stats-options.js';
import type { StatsOptionValues } from '../../bin/stats-options.js';

function parse(args: string[]): StatsOptionValues {
  const cmd = addStatsOptions(new Command('tscap'))
    .argument('[expression...]')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  cmd.parse(args, { from: 'user' });
  return cmd.opts<StatsOptionValues>();
}

function usageError(args: string[]): CommanderError {
  try {
    parse(args);
  } catch (err) {
    if (err instanceof CommanderError) return err;
    throw err;
  }
  throw new Error(`no error for ${args.join(' ')}`);
}

describe('addStatsOptions', () => {
  it('reads --stats with and without seconds', () => {
    expect(statsIntervalFrom(parse([]))).toBeUndefined();
    expect(statsIntervalFrom(parse(['--stats']))).toBe(1);
    expect(statsIntervalFrom(parse(['--stats', '5']))).toBe(5);
    expect(statsIntervalFrom(parse(['--stats=0.5', 'udp']))).toBe(0.5);
  });

  it('reads --summary-rows (0: all) and --max-flows', () => {
    expect(parse(['--summary-rows', '0']).summaryRows).toBe(0);
    expect(parse(['--summary-rows', '20', '--max-flows', '1000']).maxFlows).toBe(1000);
  });

  it('collects repeated --summary in order', () => {
    expect(summaryKindsFrom(parse([]))).toEqual([]);
    expect(summaryKindsFrom(parse(['--summary', 'conv', '--summary', 'io,10', '--summary', 'protocols', '--summary', 'endpoints']))).toEqual([
      { kind: 'conv' },
      { kind: 'io', interval: 10 },
      { kind: 'protocols' },
      { kind: 'endpoints' },
    ]);
  });

  it.each([
    [['--summary', 'flows']],
    [['--summary', 'io,0']],
    [['--summary', 'io']],
    [['--summary']],
    [['--stats', '0']],
    [['--stats', '-1']],
    [['--stats', 'udp']],
    [['--stats', '99999']],
    [['--summary-rows', '-1']],
    [['--summary-rows', 'x']],
    [['--max-flows', '0']],
  ])('rejects %j as a usage error (exit 2 in the CLI)', (args) => {
    const e = usageError(args);
    expect(e.code).toMatch(/commander\.(invalidArgument|optionMissingArgument|unknownOption)/);
  });
});
