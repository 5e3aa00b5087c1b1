/**
 * Address text for sinks (allocates strings, so it is never called on the decode hot path):
 * MAC addresses in lower-case colon form, IPv4 dotted quads, IPv6 in RFC 5952 form.
 */
const HEX2: string[] = [];
for (let i = 0; i < 256; i++) HEX2.push(i.toString(16).padStart(2, '0'));

/** Two lower-case hex digits for a byte, from a table. */
export function hex2(v: number): string {
  return HEX2[v & 0xff]!;
}

/**
 * `aa:bb:cc:dd:ee:ff` for `n` bytes at `o` (6 for Ethernet).
 * @example macText(new Uint8Array([1, 2, 3, 4, 5, 6]), 0) // '01:02:03:04:05:06'
 */
export function macText(b: Uint8Array, o: number, n = 6): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (i ? ':' : '') + HEX2[b[o + i] ?? 0]!;
  return s;
}

/**
 * Dotted quad of the four bytes at `o`.
 * @example ipv4Text(new Uint8Array([10, 0, 0, 1]), 0) // '10.0.0.1'
 */
export function ipv4Text(b: Uint8Array, o: number): string {
  return `${b[o] ?? 0}.${b[o + 1] ?? 0}.${b[o + 2] ?? 0}.${b[o + 3] ?? 0}`;
}

/**
 * RFC 5952 text of the 16 bytes at `o`: lower case, leading zeros dropped, the longest run of two or
 * more zero groups (the first on a tie) written `::`, IPv4-mapped addresses with a dotted tail.
 * @example ipv6Text(bytes, 0) // '2001:db8::1'
 */
export function ipv6Text(b: Uint8Array, o: number): string {
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    const g = ((b[o + 2 * i] ?? 0) << 8) | (b[o + 2 * i + 1] ?? 0);
    if (g === 0) {
      if (runStart < 0) runStart = i;
      const len = i - runStart + 1;
      if (len > bestLen) {
        bestLen = len;
        bestStart = runStart;
      }
    } else runStart = -1;
  }
  if (bestLen < 2) bestStart = -1;
  // ::ffff:a.b.c.d and ::a.b.c.d (deprecated compatible form, as inet_ntop prints it)
  const mapped = bestStart === 0 && (bestLen === 5 && (((b[o + 10] ?? 0) << 8) | (b[o + 11] ?? 0)) === 0xffff);
  const compat = bestStart === 0 && bestLen === 6 && (((b[o + 12] ?? 0) << 8) | (b[o + 13] ?? 0)) !== 0;
  if (mapped) return `::ffff:${ipv4Text(b, o + 12)}`;
  if (compat) return `::${ipv4Text(b, o + 12)}`;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s !== '' && !s.endsWith(':')) s += ':';
    s += ((((b[o + 2 * i] ?? 0) << 8) | (b[o + 2 * i + 1] ?? 0)) >>> 0).toString(16);
  }
  return s;
}
