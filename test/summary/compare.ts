/**
 * Compares tscap's summary of a capture with tshark's `-z` tables on the same file, as a list of
 * readable differences (empty when they agree).
 */
import { readPackets } from '../../src/pcap/reader.js';
import { createSummarySink } from '../../src/sinks/summary.js';
import type { SummaryJson } from '../../src/sinks/summary.js';
import type { Conversation, ProtocolNode } from '../../src/sinks/flows.js';
import { LAYER_NAMES } from '../../src/decode/parser.js';
import { parseConv, parseEndpoints, parseIoStat, parsePhs, tsharkSize, tsharkStats } from './tshark.js';
import type { Stat } from './tshark.js';

/** tscap's summary of a file, every kind requested, as the JSON object. */
export async function summarize(file: string): Promise<SummaryJson> {
  const sink = createSummarySink(
    [{ kind: 'conv' }, { kind: 'endpoints' }, { kind: 'protocols' }, { kind: 'io', interval: 1 }],
    { json: true, out: () => undefined },
  );
  for await (const p of readPackets(file)) sink.write(p);
  await sink.close();
  return sink.result();
}

/** tshark protocol names that are ours under another name. */
const RENAME: Record<string, string> = { ip: 'ipv4', null: 'loopback', pppoes: 'pppoe', pppoed: 'pppoe', ieee8021ad: 'vlan' };
/** tshark tree levels tscap folds into the protocol that carries them. */
const TRANSPARENT = new Set(['ipv6.hopopts', 'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts', 'ppp', 'ethertype']);
const OURS = new Set(LAYER_NAMES.filter((n) => n !== ''));

/**
 * tshark's hierarchy restricted to protocols tscap decodes, as path → [frames, bytes]. A path
 * through a protocol tscap does not decode is dropped with everything under it; so is anything
 * under ICMP/ICMPv6, whose quoted error payloads tshark dissects and tscap does not.
 */
function tsharkPhsMap(text: string): Map<string, [number, number]> {
  const rows = parsePhs(text);
  const map = new Map<string, [number, number]>();
  for (const r of rows) {
    const path: string[] = [];
    let ok = true;
    for (const raw of r.path) {
      if (TRANSPARENT.has(raw)) continue;
      const name = RENAME[raw] ?? raw;
      // OSI after a BSD loopback header (AF_ISO) is no layer of tscap's: tcpdump's null printer prints
      // that PDU itself, and tscap follows it (the JSON oracle makes the same exception)
      const osiAfterLoopback = name === 'clnp' && path.at(-1) === 'loopback';
      if (!OURS.has(name) || osiAfterLoopback || path.at(-1) === 'icmp' || path.at(-1) === 'icmpv6') {
        ok = false;
        break;
      }
      path.push(name);
    }
    // a transparent last level repeats its parent's frames: the parent row already counts them
    if (!ok || TRANSPARENT.has(r.path.at(-1)!)) continue;
    const key = path.join(':');
    const cur = map.get(key) ?? [0, 0];
    map.set(key, [cur[0] + r.frames, cur[1] + r.bytes]);
  }
  return map;
}

function ourPhsMap(root: ProtocolNode): Map<string, [number, number]> {
  const map = new Map<string, [number, number]>();
  const walk = (n: ProtocolNode, path: string[]): void => {
    const p = [...path, n.protocol];
    map.set(p.join(':'), [n.frames, n.bytes]);
    for (const c of n.children) walk(c, p);
  };
  for (const c of root.children) walk(c, []);
  return map;
}

function convKey(a: string, aPort: number | undefined, b: string, bPort: number | undefined): string {
  return `${a}|${aPort ?? ''}|${b}|${bPort ?? ''}`;
}

/** Every difference between the summary of `file` (tscap's own, or `summary` when given) and tshark's tables, as readable lines. */
export async function compareWithTshark(file: string, opts: { phs?: boolean; io?: boolean } = {}, summary?: SummaryJson): Promise<string[]> {
  const ours = summary ?? (await summarize(file));
  const z: Record<Stat, string> = tsharkStats(file);
  const bad: string[] = [];
  const check = (what: string, mine: unknown, theirs: unknown): void => {
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) bad.push(`${what}: tscap ${JSON.stringify(mine)} tshark ${JSON.stringify(theirs)}`);
  };

  for (const [kind, stat, ports] of [
    ['ipv4', 'conv,ip', false],
    ['ipv6', 'conv,ipv6', false],
    ['tcp', 'conv,tcp', true],
    ['udp', 'conv,udp', true],
  ] as const) {
    const theirs = parseConv(z[stat], ports);
    const mine = new Map<string, Conversation>();
    for (const c of ours.conversations![kind]) mine.set(convKey(c.a, c.aPort, c.b, c.bPort), c);
    check(`${kind} conversation count`, mine.size, theirs.length);
    for (const t of theirs) {
      const key = convKey(t.a, t.aPort, t.b, t.bPort);
      const c = mine.get(key);
      if (!c) {
        bad.push(`${kind} conversation ${key} missing (A as tshark has it)`);
        continue;
      }
      check(`${kind} ${key} frames`, [c.aToB.frames, c.bToA.frames, c.frames], [t.abFrames, t.baFrames, t.frames]);
      check(`${kind} ${key} bytes`, [tsharkSize(c.aToB.bytes), tsharkSize(c.bToA.bytes), tsharkSize(c.bytes)], [t.abBytes, t.baBytes, t.bytes]);
      if (Math.abs(c.start - t.start) >= 1e-6) bad.push(`${kind} ${key} start: tscap ${c.start} tshark ${t.start}`);
    }
  }

  for (const [kind, stat] of [
    ['ipv4', 'endpoints,ip'],
    ['ipv6', 'endpoints,ipv6'],
  ] as const) {
    const theirs = parseEndpoints(z[stat]).sort((x, y) => x.address.localeCompare(y.address));
    const mine = [...ours.endpoints![kind]].sort((x, y) => x.address.localeCompare(y.address));
    check(`${kind} endpoints`, mine, theirs);
  }

  if (opts.phs !== false) {
    const phsTheirs = tsharkPhsMap(z['io,phs']);
    const phsMine = ourPhsMap(ours.protocols!);
    for (const [path, counts] of phsTheirs) check(`protocol path ${path}`, phsMine.get(path), counts);
  }
  check('protocol root', ours.protocols!.frames, ours.packets);

  const io = parseIoStat(z['io,stat,1']);
  if (opts.io !== false) check('io,stat,1', ours.io![0]!.intervals.map((r) => [r.start, r.frames, r.bytes]), io.map((r) => [r.start, r.frames, r.bytes]));
  return bad;
}
