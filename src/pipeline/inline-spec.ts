/** Interface names that read netfilter instead of an interface: `nfqueue:N[-M]` and `nflog:GROUP`. */

/** What an `-i` name asks for when it names a queue or a log group. */
export type InlineSpec = { kind: 'nfqueue'; queues: number[] } | { kind: 'nflog'; group: number };

/** Thrown for an `-i nfqueue:`/`nflog:` name that cannot be right (a usage error). */
export class InlineSpecError extends Error {}

/** Parses `nfqueue:N`, `nfqueue:N-M` and `nflog:G`; undefined for ordinary interface names. */
export function parseInlineSpec(name: string): InlineSpec | undefined {
  const q = /^nfqueue:(.*)$/.exec(name);
  if (q) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(q[1] as string);
    if (!m) throw new InlineSpecError(`-i ${name}: expected nfqueue:N or nfqueue:N-M (queue numbers 0..65535)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a > 0xffff || b > 0xffff || b < a) throw new InlineSpecError(`-i ${name}: queue numbers must be 0..65535, the first not above the last`);
    if (b - a >= 64) throw new InlineSpecError(`-i ${name}: at most 64 queues`);
    return { kind: 'nfqueue', queues: Array.from({ length: b - a + 1 }, (_, i) => a + i) };
  }
  const l = /^nflog:(.*)$/.exec(name);
  if (l) {
    if (!/^\d+$/.test(l[1] as string) || Number(l[1]) > 0xffff) throw new InlineSpecError(`-i ${name}: expected nflog:GROUP (0..65535)`);
    return { kind: 'nflog', group: Number(l[1]) };
  }
  return undefined;
}
