/**
 * The package as a user gets it: `npm pack` of the built tree (dist must be built), unpacked into
 * `node_modules/tscap` of a scratch project, with its runtime dependencies linked from this checkout's
 * node_modules (no registry needed). Imports in the project go through package.json "exports".
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (tests run from it). */
export const ROOT = resolve('.');

/** A scratch consumer project with tscap installed from its tarball. */
export interface ConsumerProject {
  dir: string;
  /** Files in the tarball, relative to the package root. */
  files: string[];
  remove(): void;
}

/** Links `name` from this checkout's node_modules into the project's. */
export function linkModule(dir: string, name: string): void {
  const from = realpathSync(join(ROOT, 'node_modules', name));
  const to = join(dir, 'node_modules', name);
  mkdirSync(join(to, '..'), { recursive: true });
  symlinkSync(from, to);
}

/** Packs and installs tscap into a new scratch project (`type: module`). */
export function createConsumerProject(prefix: string): ConsumerProject {
  if (!existsSync(join(ROOT, 'dist/src/index.js'))) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.build.json` first');
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  try {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as {
      filename: string;
      files: { path: string }[];
    }[];
    const info = packed[0];
    if (info === undefined) throw new Error('npm pack printed nothing');
    const pkgDir = join(dir, 'node_modules', 'tscap');
    mkdirSync(pkgDir, { recursive: true });
    execFileSync('tar', ['xzf', join(dir, info.filename), '-C', pkgDir, '--strip-components=1']);
    for (const dep of ['koffi', 'commander', 'cli-table3']) linkModule(dir, dep);
    // cli-table3's own dependencies, which npm hoisted next to it.
    for (const dep of ['string-width', 'strip-ansi', 'ansi-regex', 'is-fullwidth-code-point', 'emoji-regex', '@colors/colors']) {
      if (existsSync(join(ROOT, 'node_modules', dep))) linkModule(dir, dep);
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    return { dir, files: info.files.map((f) => f.path), remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Writes a strict tsconfig for the project; `types` lists the @types packages visible (none by default). */
export function writeTsconfig(dir: string, files: string[], opts: { types?: string[]; noEmit?: boolean } = {}): void {
  const compilerOptions = {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: opts.types ?? [],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    noEmit: opts.noEmit ?? true,
    outDir: '.',
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }, null, 2));
}

/** This checkout's TypeScript compiler (5.x). */
export const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/**
 * TypeScript 7 (`tsgo` from @typescript/native-preview): `TSCAP_TSGO`, or a copy installed outside
 * the project with `npm install --prefix /tmp/tscap-ts7 @typescript/native-preview` (what .ci/run does).
 */
export function findTsgo(): string | undefined {
  const candidates = [process.env['TSCAP_TSGO'], '/tmp/tscap-ts7/node_modules/.bin/tsgo'];
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
}
