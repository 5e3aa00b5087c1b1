/** The capture files the oracle tests run on: fixtures/*.pcap{,ng} and fixtures/decode/*.pcap (pcapng converted with editcap). */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

let tmp: string | undefined;

/** Classic-pcap paths of every fixture (pcapng files are converted once into a temp dir). */
export function fixtureFiles(): string[] {
  const out: string[] = [];
  for (const dir of [join(ROOT, 'fixtures'), join(ROOT, 'fixtures', 'decode'), join(ROOT, 'fixtures', 'proto')]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (!/\.(pcap|pcapng|cap)$/.test(name)) continue;
      const magic = readFileSync(path).subarray(0, 4).toString('hex');
      if (magic === '0a0d0d0a') {
        tmp ??= mkdtempSync(join(tmpdir(), 'tscap-dec-'));
        const dst = join(tmp, basename(name).replace(/\.pcapng$/, '') + '.pcap');
        try {
          execFileSync('editcap', ['-F', 'pcap', path, dst], { stdio: 'ignore' });
          out.push(dst);
        } catch {
          // several link types in one pcapng cannot become one pcap: skip it
        }
      } else out.push(path);
    }
  }
  return out;
}
