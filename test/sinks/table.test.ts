/** The linear table writer: layout, alignment, wide characters, and time linear in the rows. */
import { describe, expect, it } from 'vitest';
import { displayWidth, renderTable } from '../../src/sinks/table.js';
import { cpuMs } from '../helpers/wait.js';

describe('displayWidth', () => {
  it('counts terminal cells: ASCII one, East Asian wide two, combining marks none', () => {
    expect(displayWidth('')).toBe(0);
    expect(displayWidth('eth0')).toBe(4);
    expect(displayWidth('→')).toBe(1);
    expect(displayWidth('端点')).toBe(4);
    expect(displayWidth('ＡＢ')).toBe(4); // fullwidth Latin
    expect(displayWidth('한국')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1); // e + combining acute
    expect(displayWidth('a\u200bb')).toBe(2); // zero-width space
    expect(displayWidth('😀')).toBe(2); // outside the BMP
    expect(displayWidth('a\tb')).toBe(2); // controls take no cell
  });
});

describe('renderTable', () => {
  it('draws the boxed layout, header aligned as its column', () => {
    const lines = renderTable(['Source', 'Packets/s'], ['left', 'right'], [['br0', 13810], ['eth1', 5]]);
    expect(lines).toEqual([
      '┌────────┬───────────┐',
      '│ Source │ Packets/s │',
      '├────────┼───────────┤',
      '│ br0    │     13810 │',
      '│ eth1   │         5 │',
      '└────────┴───────────┘',
    ]);
  });

  it('widens columns to the widest cell, wide characters counted twice', () => {
    const lines = renderTable(['A', 'B'], ['left', 'right'], [['端点', 1], ['x', 22]]);
    expect(lines).toEqual([
      '┌──────┬────┐',
      '│ A    │  B │',
      '├──────┼────┤',
      '│ 端点 │  1 │',
      '│ x    │ 22 │',
      '└──────┴────┘',
    ]);
    // every line has the same width on a terminal
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
  });

  it('an empty table is the header alone; missing cells are empty', () => {
    expect(renderTable(['X'], ['left'], [])).toEqual(['┌───┐', '│ X │', '├───┤', '└───┘']);
    expect(renderTable(['X', 'Y'], ['left', 'left'], [['a']])[3]).toBe('│ a │   │');
  });

  it('is linear: 8 times the rows takes about 8 times as long, not 64', () => {
    const rows = (n: number): (string | number)[][] => Array.from({ length: n }, (_, i) => [`10.0.${i >> 8}.${i & 255}:${i}`, i, i * 1500]);
    // CPU time, not wall time: other processes on a loaded machine do not stretch it.
    const time = (n: number): number => {
      const r = rows(n);
      return cpuMs(() => renderTable(['Address', 'Frames', 'Bytes'], ['left', 'right', 'right'], r));
    };
    time(10_000); // warm up the JIT
    const small = Math.min(time(20_000), time(20_000));
    const big = Math.min(time(160_000), time(160_000));
    // quadratic would be 64x; allow generous noise on a shared machine
    expect(big / small).toBeLessThan(24);
    expect(big).toBeLessThan(10_000);
  });
});
