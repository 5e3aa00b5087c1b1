/**
 * tshark as an oracle: runs the exact command of SCHEMA.md and parses its JSON keeping duplicate
 * keys (tshark repeats "ip.addr", and whole layers such as "vlan" for stacked tags), so every
 * occurrence can be found in document order.
 */
import { execFileSync } from 'node:child_process';

/** A JSON value with objects kept as ordered key/value pairs. */
export type OJson = string | number | boolean | null | OJson[] | OObject;
/** An object as ordered entries (duplicates kept). */
export interface OObject {
  entries: Array<[string, OJson]>;
}

/** The command line of SCHEMA.md. */
export const TSHARK_ARGS = ['-n', '-T', 'json', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE', '-o', 'tcp.desegment_tcp_streams:FALSE', '-o', 'tcp.relative_sequence_numbers:FALSE', '-o', 'tcp.analyze_sequence_numbers:FALSE'];

/** Runs tshark on a file and returns each packet's `_source.layers` object. Throws when tshark is missing. */
export function tsharkPackets(file: string): OObject[] {
  const out = execFileSync('tshark', ['-r', file, ...TSHARK_ARGS], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
  const top = parseOrdered(out);
  if (!Array.isArray(top)) throw new Error('tshark output is not a JSON array');
  return top.map((p) => {
    const src = get(p as OObject, '_source') as OObject;
    return get(src, 'layers') as OObject;
  });
}

/** First value of `key` in an ordered object. */
export function get(o: OObject | undefined, key: string): OJson | undefined {
  if (!o || !('entries' in o)) return undefined;
  for (const [k, v] of o.entries) if (k === key) return v;
  return undefined;
}

/** All values of `key` in an ordered object (one level). */
export function getAll(o: OObject | undefined, key: string): OJson[] {
  if (!o || !('entries' in o)) return [];
  return o.entries.filter(([k]) => k === key).map(([, v]) => v);
}

/** First value of `key` anywhere below `o` (depth first, document order). */
export function find(o: OJson | undefined, key: string): OJson | undefined {
  if (o === null || o === undefined || typeof o !== 'object') return undefined;
  if (Array.isArray(o)) {
    for (const x of o) {
      const r = find(x, key);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  for (const [k, v] of o.entries) {
    if (k === key) return v;
    const r = find(v, key);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** Every value of `key` below `o` in document order. */
export function findAll(o: OJson | undefined, key: string, out: OJson[] = []): OJson[] {
  if (o === null || o === undefined || typeof o !== 'object') return out;
  if (Array.isArray(o)) {
    for (const x of o) findAll(x, key, out);
    return out;
  }
  for (const [k, v] of o.entries) {
    if (k === key) out.push(v);
    else findAll(v, key, out);
  }
  return out;
}

/** Minimal JSON parser keeping objects as ordered entries. */
export function parseOrdered(text: string): OJson {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const value = (): OJson => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: Array<[string, OJson]> = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { entries };
      }
      for (;;) {
        ws();
        const k = value() as string;
        ws();
        i++; // ':'
        entries.push([k, value()]);
        ws();
        if (text[i] === ',') i++;
        else {
          i++;
          return { entries };
        }
      }
    }
    if (c === '[') {
      i++;
      const arr: OJson[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') i++;
        else {
          i++;
          return arr;
        }
      }
    }
    if (c === '"') {
      const start = i;
      i++;
      while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      return JSON.parse(text.slice(start, i)) as string;
    }
    const m = /^(-?[0-9.eE+-]+|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) throw new Error(`bad JSON at ${i}`);
    i += m[0].length;
    return JSON.parse(m[0]) as OJson;
  };
  return value();
}

