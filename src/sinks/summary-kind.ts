/**
 * What `--summary` and `--max-flows` take, apart from the summaries themselves: the command line
 * checks its options with these without loading the flow tables and printers.
 */

/** One summary requested with `--summary`. */
export type SummaryKind =
  | { readonly kind: 'conv' }
  | { readonly kind: 'endpoints' }
  | { readonly kind: 'protocols' }
  | { readonly kind: 'io'; readonly interval: number };

/** Thrown by `parseSummaryKind` for text that names no summary. */
export class SummaryKindError extends Error {
  override readonly name = 'SummaryKindError';
}

/**
 * Parses `conv`, `endpoints`, `protocols` or `io,SECONDS` (SECONDS > 0, decimals allowed, at least
 * a millisecond). Throws `SummaryKindError` otherwise.
 * @example parseSummaryKind('io,10') // { kind: 'io', interval: 10 }
 */
export function parseSummaryKind(text: string): SummaryKind {
  const t = text.trim();
  if (t === 'conv' || t === 'endpoints' || t === 'protocols') return { kind: t };
  const m = /^io,(\d+(?:\.\d+)?|\.\d+)$/.exec(t);
  if (m) {
    const interval = Number(m[1]);
    if (interval >= 0.001 && interval <= 86400 * 365) return { kind: 'io', interval };
    throw new SummaryKindError(`invalid io interval '${m[1]}': must be 0.001..31536000 seconds`);
  }
  throw new SummaryKindError(`unknown summary '${text}': expected conv, endpoints, protocols or io,SECONDS`);
}

/** Rows per conversation or endpoint table in the text summary unless asked otherwise. */
export const DEFAULT_SUMMARY_ROWS = 50;

/**
 * The default cap on conversations and endpoints kept (all tables together): about 256 MB of tables
 * at the worst mix (a TCP or UDP conversation costs 108 bytes of table, an IPv4 one 76, an endpoint
 * 48, and a table's storage doubles as it grows, so up to twice that is allocated).
 */
export const DEFAULT_MAX_FLOWS = 1_500_000;
