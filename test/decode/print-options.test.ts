import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { CLI } from '../helpers/cli.js';
import { addPrintOptions, forceTypeFrom, preprocessArgv, printOptionsFrom } from '../../bin/print-options.js';

function parse(args: string[]): Record<string, unknown> {
  const c = addPrintOptions(new Command('tscap')).exitOverride();
  c.parse(preprocessArgv(['node', 'tscap', ...args]));
  return c.opts();
}

describe('print options', () => {
  it('counts -v, -x, -X and -t like tcpdump', () => {
    const p = printOptionsFrom(parse(['-vv', '-xx', '-X', '-ttt']), false);
    expect(p).toMatchObject({ verbose: 2, hex: 2, hexAscii: 1, timeFormat: 3 });
  });
  it('maps the booleans and the nano precision', () => {
    const p = printOptionsFrom(parse(['-n', '-e', '-q', '-A', '-#']), true);
    expect(p).toMatchObject({ numeric: true, linkHeader: true, quiet: true, ascii: true, number: true, nano: true, verbose: 0, timeFormat: 0 });
  });
  it('keeps --json and -l for the caller', () => {
    const o = parse(['--json', '-l']);
    expect(o.json).toBe(true);
    expect(o.lineBuffered).toBe(true);
  });
  it('defaults to tcpdump with no flags', () => {
    expect(printOptionsFrom(parse([]), false)).toEqual({ numeric: true, linkHeader: false, verbose: 0, quiet: false, hex: 0, hexAscii: 0, ascii: false, timeFormat: 0, nano: false, number: false });
  });
  it('maps -S and -T like tcpdump', () => {
    expect(printOptionsFrom(parse(['-S']), false)).toMatchObject({ absoluteSeq: true });
    expect(printOptionsFrom(parse(['-T', 'vxlan']), false)).toMatchObject({ forceType: 'vxlan' });
    expect(printOptionsFrom(parse(['-T', 'domain']), false)).toMatchObject({ forceType: 'domain' });
    expect(() => forceTypeFrom('snmp')).toThrow(/-T snmp: unknown or not decoded packet type \(tscap decodes vxlan, domain\)/);
  });
  it('-T with a type tscap does not force: the message alone on stderr, exit 2 (a usage error, no stack trace)', () => {
    const r = spawnSync(process.execPath, [CLI, '-T', 'bogus', '-r', 'fixtures/dns.pcap'], { encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', 'tscap: -T bogus: unknown or not decoded packet type (tscap decodes vxlan, domain)\n']);
  });
  it('rewrites --nano and --micro to --time-stamp-precision', () => {
    expect(preprocessArgv(['node', 'tscap', '--nano', '-r', 'f'])).toEqual(['node', 'tscap', '--time-stamp-precision', 'nano', '-r', 'f']);
    expect(preprocessArgv(['node', 'tscap', '--micro'])).toEqual(['node', 'tscap', '--time-stamp-precision', 'micro']);
  });
});
