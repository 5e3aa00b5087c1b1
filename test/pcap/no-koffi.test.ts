/**
 * The boundary: `tscap/decode`, `tscap/filter` and `tscap/pcap` (the built dist entry points) work
 * where koffi cannot be loaded. A child node process registers a resolve hook that throws for
 * 'koffi', then decodes a frame, compiles and runs a filter, and writes and reads back a pcap file.
 * The control: `tscap/capture` (which needs koffi) fails under the same hook. Needs `npx tsc -p
 * tsconfig.build.json` first (as the CLI tests do).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'tscap-nokoffi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hooks = join(dir, 'hooks.mjs');
writeFileSync(hooks, `export async function resolve(spec, ctx, next) {
  if (spec === 'koffi' || spec.startsWith('koffi/')) throw new Error('koffi is blocked in this process');
  return next(spec, ctx);
}
`);
const register = join(dir, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nimport { pathToFileURL } from 'node:url';\nregister(pathToFileURL(${JSON.stringify(hooks)}));\n`);

/** Runs an ES module body in a node process where 'koffi' cannot be resolved; cwd is the package root. */
function runBlocked(body: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', register, '--input-type=module', '-e', body], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('decode, filter and pcap load without koffi', () => {
  it('has a build to test', () => {
    expect(existsSync(join(ROOT, 'dist', 'src', 'decode', 'index.js')), 'run npx tsc -p tsconfig.build.json first').toBe(true);
  });

  it('decodes, filters, writes and reads with koffi unresolvable', () => {
    const out = join(dir, 'out.pcap');
    const r = runBlocked(`
      import { LayerParser, Layer, LAYER_NAMES } from 'tscap/decode';
      import { compileFilter, runFilterAt } from 'tscap/filter';
      import { PcapWriter, PacketFileReader } from 'tscap/pcap';
      const frame = Uint8Array.from(Buffer.from('ffffffffffff02000000000108004500001d000100004011f7a8c0000201c00002023039003500090000' + '00', 'hex'));
      const p = new LayerParser();
      p.decode(frame, 0, frame.length, 1);
      const names = Array.from({ length: p.count }, (_, i) => LAYER_NAMES[p.kinds[i]]);
      const verdict = runFilterAt(compileFilter('udp dst port 53', { linkType: 1 }), frame, 0, frame.length, frame.length);
      const w = new PcapWriter(${JSON.stringify(out)}, { linkType: 1, snaplen: 262144, nano: false });
      w.write({ buf: frame, offset: 0, capLen: frame.length, wireLen: frame.length, tsSec: 1, tsNsec: 2000, linkType: 1, ifindex: 0, pktType: -1, vlanValid: false, vlanTci: 0, vlanTpid: 0, vlanInBytes: false, index: 0 });
      await w.close();
      const rd = await PacketFileReader.open(${JSON.stringify(out)});
      let n = 0;
      while (await rd.readBatch((q) => { n += q.capLen; }));
      await rd.close();
      console.log(JSON.stringify({ names, ttl: p.get(Layer.Ipv4).ttl, verdict, n }));
    `);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ names: ['eth', 'ipv4', 'udp', 'dns'], ttl: 64, verdict: 262144, n: 43 });
  });

  it('blocks koffi for real: tscap/capture fails to load under the same hook', () => {
    const r = runBlocked(`await import('tscap/capture');`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('koffi is blocked');
  });
});
