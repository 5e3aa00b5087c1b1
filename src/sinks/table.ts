/**
 * Text tables in linear time: one pass for column widths, one for the lines. The look is the boxed,
 * compact style the summaries and live statistics have always printed (box-drawing borders, one
 * space of padding, headers aligned as their column). Widths are terminal cells: East Asian wide
 * and fullwidth characters take two, combining marks and zero-width characters none.
 */

/** How a column is aligned. */
export type Align = 'left' | 'right';

/** A cell: text, or a number printed as `String(n)`. */
export type Cell = string | number;

/** Code point ranges that a terminal draws two cells wide (East Asian Wide and Fullwidth, emoji). */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

/** Code point ranges drawn with no width: combining marks, zero-width spaces and joiners, variation selectors. */
const ZERO: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x0e31, 0x0e31],
  [0x0e34, 0x0e3a],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200f],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
];

function inRanges(cp: number, ranges: readonly (readonly [number, number])[]): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid] as readonly [number, number];
    if (cp < r[0]) hi = mid - 1;
    else if (cp > r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * The number of terminal cells `s` takes.
 * @example displayWidth('端点') // 4
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x300) {
      // ASCII and Latin: the common case, one cell (controls none)
      if (c >= 0x20 && c !== 0x7f) w++;
      continue;
    }
    const cp = s.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    if (inRanges(cp, ZERO)) continue;
    w += inRanges(cp, WIDE) ? 2 : 1;
  }
  return w;
}

const spaces: string[] = [''];
function blank(n: number): string {
  while (spaces.length <= n) spaces.push(`${spaces[spaces.length - 1] as string} `);
  return spaces[n] as string;
}

function pad(text: string, width: number, textWidth: number, align: Align): string {
  const fill = width - textWidth;
  if (fill <= 0) return text;
  return align === 'right' ? blank(fill) + text : text + blank(fill);
}

/**
 * Renders a table as lines (no trailing newline), in time linear in the number of cells.
 * @example
 * renderTable(['Address', 'Bytes'], ['left', 'right'], [['10.0.0.1', 1500]]).join('\n')
 */
export function renderTable(head: readonly string[], aligns: readonly Align[], rows: readonly (readonly Cell[])[]): string[] {
  const cols = head.length;
  const widths = head.map(displayWidth);
  // Cell texts and widths are computed once; rows are kept as they are.
  const texts: string[] = new Array<string>(rows.length * cols);
  const cellWidths = new Uint32Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as readonly Cell[];
    for (let c = 0; c < cols; c++) {
      const v = row[c];
      const t = v === undefined ? '' : typeof v === 'number' ? String(v) : v;
      const w = displayWidth(t);
      texts[r * cols + c] = t;
      cellWidths[r * cols + c] = w;
      if (w > (widths[c] as number)) widths[c] = w;
    }
  }
  const rule = (l: string, m: string, r: string): string => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  // Each line is joined from its cells at once: a flat string per line, not a chain of concatenations
  // (a million chained lines cost the garbage collector dearly).
  const cells: string[] = new Array<string>(cols);
  const line = (text: (c: number) => string, width: (c: number) => number): string => {
    for (let c = 0; c < cols; c++) cells[c] = pad(text(c), widths[c] as number, width(c), aligns[c] ?? 'left');
    return `│ ${cells.join(' │ ')} │`;
  };
  const out: string[] = [rule('┌', '┬', '┐'), line((c) => head[c] as string, (c) => displayWidth(head[c] as string)), rule('├', '┼', '┤')];
  for (let r = 0; r < rows.length; r++) {
    const base = r * cols;
    out.push(line((c) => texts[base + c] as string, (c) => cellWidths[base + c] as number));
  }
  out.push(rule('└', '┴', '┘'));
  return out;
}
