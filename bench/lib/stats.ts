/** Medians and ranges over repeated runs; every summary keeps its run count. */

/** Median, minimum and maximum of the runs that produced a value. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** The spread of the finite values in `values`, or null when there is none. */
export function spread(values: ReadonlyArray<number | null | undefined>): Spread | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { median, min: v[0]!, max: v[v.length - 1]!, n: v.length };
}

/** A number with about `digits` significant digits, without exponent notation for everyday sizes. */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 10 ** digits) return Math.round(x).toString();
  return Number(x.toPrecision(digits)).toString();
}

/** "median [min-max]", or just the median when all runs agree or there is one run. */
export function fmtSpread(s: Spread | null, digits = 3, unit = ''): string {
  if (!s) return '-';
  const m = `${fmt(s.median, digits)}${unit}`;
  if (s.n === 1 || fmt(s.min, digits) === fmt(s.max, digits)) return m;
  return `${m} [${fmt(s.min, digits)}-${fmt(s.max, digits)}]`;
}

/** a / b, or null when either is missing or b is zero. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  return a / b;
}
