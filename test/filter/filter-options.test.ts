/** The filter options parse like tcpdump's: counted -d, -O, -y, -F with comments, one expression source. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { BPF, insn } from '../../src/filter/bpf.js';
import { addFilterOptions, dumpProgram, filterExpression, FilterOptionsError, linkTypeOption } from '../../bin/filter-options.js';
import type { FilterCliOptions } from '../../bin/filter-options.js';

function parse(argv: string[]): { opts: FilterCliOptions; args: string[] } {
  const cmd = addFilterOptions(new Command('tscap')).argument('[expression...]').exitOverride();
  cmd.parse(argv, { from: 'user' });
  return { opts: cmd.opts<FilterCliOptions>(), args: cmd.args };
}

describe('addFilterOptions', () => {
  it('counts -d, -dd, -ddd and separate -d flags', () => {
    expect(parse([]).opts.d).toBe(0);
    expect(parse(['-d']).opts.d).toBe(1);
    expect(parse(['-dd']).opts.d).toBe(2);
    expect(parse(['-ddd']).opts.d).toBe(3);
    expect(parse(['-d', '-d']).opts.d).toBe(2);
  });
  it('turns the optimizer off with -O and --no-optimize', () => {
    expect(parse([]).opts.optimize).toBe(true);
    expect(parse(['-O']).opts.optimize).toBe(false);
    expect(parse(['--no-optimize']).opts.optimize).toBe(false);
  });
  it('reads -f, -y and trailing arguments', () => {
    const r = parse(['-y', 'LINUX_SLL2', '-f', 'udp', '-d']);
    expect(r.opts.filter).toBe('udp');
    expect(r.opts.linktype).toBe('LINUX_SLL2');
    expect(parse(['-d', 'port', 'not', '22']).args).toEqual(['port', 'not', '22']);
  });
});

describe('filterExpression', () => {
  it('joins trailing arguments with spaces', () => {
    expect(filterExpression({}, ['port', 'not', '22'])).toBe('port not 22');
    expect(filterExpression({}, [])).toBe('');
    expect(filterExpression({ filter: 'tcp' }, [])).toBe('tcp');
  });
  it('reads -F files with # comments blanked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tscap-fopt-'));
    const file = join(dir, 'f.txt');
    writeFileSync(file, 'tcp # web\nand port 80\n');
    expect(filterExpression({ F: file }, [])).toBe('tcp      \nand port 80\n');
    expect(() => filterExpression({ F: join(dir, 'missing') }, [])).toThrow(FilterOptionsError);
  });
  it('refuses more than one source', () => {
    expect(() => filterExpression({ filter: 'tcp' }, ['udp'])).toThrow(FilterOptionsError);
    expect(() => filterExpression({ filter: 'tcp', F: '/dev/null' }, [])).toThrow(/only once/);
  });
});

describe('linkTypeOption and dumpProgram', () => {
  it('maps link type names', () => {
    expect(linkTypeOption('EN10MB')).toBe(1);
    expect(linkTypeOption('linux_sll2')).toBe(276);
    expect(() => linkTypeOption('FDDI-ish')).toThrow(FilterOptionsError);
  });
  it('prints the three forms', () => {
    const prog = [insn(BPF.RET | BPF.K, 262144)];
    expect(dumpProgram(prog, 1)).toBe('(000) ret      #262144\n');
    expect(dumpProgram(prog, 2)).toBe('{ 0x6, 0, 0, 0x00040000 },\n');
    expect(dumpProgram(prog, 3)).toBe('1\n6 0 0 262144\n');
    expect(dumpProgram(prog, 5)).toBe('1\n6 0 0 262144\n');
  });
});
