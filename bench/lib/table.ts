/** Plain-text tables: columns padded to their widest cell, a rule under the header, `n/a` rows spanning. */

/** A row: cells, or one note spanning the row after its first cell. */
export type Row = string[] | { label: string; span: string };

/** Renders `rows` under `header` with two spaces between columns; numbers right-aligned. */
export function renderTable(header: string[], rows: Row[]): string {
  const widths = header.map((h) => h.length);
  for (const r of rows) {
    if (Array.isArray(r)) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
    else widths[0] = Math.max(widths[0] ?? 0, r.label.length);
  }
  const numeric = (s: string): boolean => /^~?[-+]?[\d.]+(%|x)?( \[.*\])?$/.test(s) || s === '-';
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i > 0 && numeric(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(Array.isArray(r) ? line(r) : `${r.label.padEnd(widths[0]!)}  ${r.span}`);
  return out.join('\n');
}
