/**
 * The package as published: what `npm pack` ships, what its "exports" resolve to at run time, and
 * whether a consumer project with no @types/node (and no DOM library) compiles against its
 * declarations, with this checkout's TypeScript 5 and with TypeScript 7 (`tsgo`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROOT, TSC, createConsumerProject, findTsgo, writeTsconfig, type ConsumerProject } from '../helpers/pack.js';

let project: ConsumerProject;

beforeAll(() => {
  project = createConsumerProject('tscap-consumer');
}, 120_000);

afterAll(() => project?.remove());

/** Uses every subpath and the types a user handles, without anything from Node's own types. */
const CONSUMER = `
import { openCapture, copyPacket, CaptureOptionError, FilterError, type CaptureOptions, type OwnedPacket, type PacketView, type BpfProgram } from 'tscap/capture';
import { readPackets, PcapWriter, copyPacket as copyRead, LinkType, type PacketView as FilePacket } from 'tscap/pcap';
import { compileFilter, formatProgram, runFilter } from 'tscap/filter';
import { Layer, LayerParser, ipv4Text, type Ipv4View } from 'tscap/decode';
import { openCapture as rootOpen, VERSION } from 'tscap';

export async function live(): Promise<OwnedPacket[]> {
  const opts: CaptureOptions = { iface: 'eth0', filter: 'vlan 100 and udp', ring: { blockSize: 1 << 20 } };
  const kept: OwnedPacket[] = [];
  try {
    const cap = openCapture(opts);
    const prog: BpfProgram | undefined = cap.program;
    if (prog !== undefined) formatProgram(prog, 'd');
    for await (const p of cap) {
      const view: PacketView = p;
      kept.push(copyPacket(view));
      if (kept.length > 2) break;
    }
  } catch (err) {
    if (err instanceof CaptureOptionError) return [err.option ?? ''].map(() => kept[0]!);
    if (err instanceof FilterError) throw err;
  }
  return kept;
}

export async function files(path: string): Promise<number> {
  const parser = new LayerParser();
  const out = new PcapWriter('out.pcap', { linkType: LinkType.EN10MB, snaplen: 262144 });
  let ttl = 0;
  for await (const p of readPackets(path)) {
    const q: FilePacket = copyRead(p);
    parser.decode(q.buf, q.offset, q.capLen, q.linkType);
    const ip: Ipv4View | undefined = parser.layer(Layer.Ipv4);
    if (ip !== undefined) ttl += ip.ttl + ipv4Text(q.buf, ip.srcOffset).length;
    out.write(p);
  }
  await out.close();
  const prog = compileFilter('udp', { linkType: LinkType.EN10MB });
  return ttl + runFilter(prog, new Uint8Array(60), 60) + VERSION.length + (rootOpen === openCapture ? 1 : 0);
}
`;

/** The same, plus one use of a Node global: must fail without @types/node, proving the check has teeth. */
const NEEDS_NODE = `export const pid: number = process.pid;\n`;

function typecheck(compiler: string[], file: string): { ok: boolean; out: string } {
  writeTsconfig(project.dir, [file]);
  try {
    const out = execFileSync(compiler[0] as string, [...compiler.slice(1), '-p', project.dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, out };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

test('the tarball ships the build, the declarations, LICENSE and the man page, and no source maps', () => {
  const files = project.files;
  for (const f of ['LICENSE', 'README.md', 'package.json', 'man/tscap.1', 'dist/bin/tscap.js', 'dist/src/index.js', 'dist/src/index.d.ts']) expect(files).toContain(f);
  expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  expect(files.filter((f) => f.includes('.test.'))).toEqual([]);
  // Every "exports" target is in the tarball.
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; import: string }>; license: string };
  for (const [sub, t] of Object.entries(pkg.exports)) {
    expect(files, sub).toContain(t.types.replace(/^\.\//, ''));
    expect(files, sub).toContain(t.import.replace(/^\.\//, ''));
  }
  expect(pkg.license).toBe('MIT');
  expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} tscap authors\n/);
});

test('each subpath resolves through "exports" at run time and hands out copyPacket where packets come out', () => {
  const script = `
    const names = {};
    for (const s of ['tscap', 'tscap/capture', 'tscap/filter', 'tscap/decode', 'tscap/pcap']) names[s] = Object.keys(await import(s));
    let deep = 'resolved';
    try { await import('tscap/dist/src/capture/ring.js'); } catch (e) { deep = e.code; }
    console.log(JSON.stringify({ names, deep }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project.dir, encoding: 'utf8' });
  const { names, deep } = JSON.parse(out) as { names: Record<string, string[]>; deep: string };
  expect(names['tscap/capture']).toEqual(expect.arrayContaining(['openCapture', 'copyPacket', 'FilterError', 'CaptureOptionError', 'PacketType']));
  expect(names['tscap/pcap']).toEqual(expect.arrayContaining(['readPackets', 'copyPacket', 'PcapWriter']));
  expect(names['tscap/decode']).toEqual(expect.arrayContaining(['LayerParser', 'Layer']));
  expect(names['tscap/filter']).toEqual(expect.arrayContaining(['compileFilter', 'FilterError']));
  expect(names['tscap']).toEqual(expect.arrayContaining(['openCapture', 'copyPacket', 'compileFilter', 'LayerParser']));
  // Only what "exports" lists is reachable.
  expect(deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
});

test('a consumer with no @types/node compiles against the declarations (TypeScript 5)', () => {
  writeFileSync(join(project.dir, 'consumer.ts'), CONSUMER);
  writeFileSync(join(project.dir, 'needs-node.ts'), NEEDS_NODE);
  const version = execFileSync(process.execPath, [TSC, '--version'], { encoding: 'utf8' });
  expect(version).toMatch(/^Version 5\./);
  const control = typecheck([process.execPath, TSC], 'needs-node.ts');
  expect(control.ok, 'a Node global must not compile here: @types/node leaked into the project').toBe(false);
  expect(control.out).toContain("Cannot find name 'process'");
  const r = typecheck([process.execPath, TSC], 'consumer.ts');
  expect(r.out).toBe('');
  expect(r.ok).toBe(true);
}, 120_000);

const tsgo = findTsgo();
test(
  'a consumer with no @types/node compiles against the declarations (TypeScript 7)',
  () => {
    // A missing compiler fails loudly (never a silent skip); .ci/run installs it.
    if (tsgo === undefined) throw new Error('this test needs TypeScript 7 (tsgo): npm install --prefix /tmp/tscap-ts7 --no-save @typescript/native-preview');
    writeFileSync(join(project.dir, 'consumer.ts'), CONSUMER);
    writeFileSync(join(project.dir, 'needs-node.ts'), NEEDS_NODE);
    const version = execFileSync(tsgo as string, ['--version'], { encoding: 'utf8' });
    expect(version).toMatch(/Version 7\./);
    expect(typecheck([tsgo as string], 'needs-node.ts').ok).toBe(false);
    const r = typecheck([tsgo as string], 'consumer.ts');
    expect(r.out).toBe('');
    expect(r.ok).toBe(true);
  },
  120_000,
);
