/** Running the built CLI (`dist/bin/tscap.js`, what `npm install` gives users) in tests. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { waitFor } from './wait.js';

export const CLI = 'dist/bin/tscap.js';

/** Fails loudly when the CLI has not been built (`npm test` builds it first). */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does) before these tests`);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

/** A running CLI with its output gathered as it comes. */
export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  /** Resolves when stderr has printed text matching `re` (30 s deadline unless given: generous, for a loaded machine). */
  waitStderr(re: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves when the stdout gathered so far satisfies `test` (polled; 15 s deadline unless given). */
  waitStdout(test: (stdout: string) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Stdout gathered so far. */
  stdoutSoFar(): string;
  /** Resolves with everything once the process exits. */
  done: Promise<CliResult>;
}

/** Starts the CLI, optionally with a command prefix (e.g. `ip netns exec NS`) and another node binary. */
export function startCli(args: string[], opts: { prefix?: string[]; env?: NodeJS.ProcessEnv; input?: Buffer | string; node?: string } = {}): CliProcess {
  requireBuiltCli();
  const prefix = opts.prefix ?? [];
  const node = opts.node ?? process.execPath;
  const cmd = prefix[0] ?? node;
  const cmdArgs = prefix.length > 0 ? [...prefix.slice(1), node, CLI, ...args] : [CLI, ...args];
  const child = spawn(cmd, cmdArgs, { env: { ...process.env, TZ: 'UTC', ...opts.env } });
  const out: Buffer[] = [];
  let err = '';
  const stderrWatchers: (() => void)[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => {
    err += b.toString();
    for (const w of stderrWatchers) w();
  });
  if (opts.input !== undefined) child.stdin.end(opts.input);
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      const bytes = Buffer.concat(out);
      resolve({ code, signal, stdout: bytes.toString(), stderr: err, stdoutBytes: bytes });
    });
  });
  const waitStderr = (re: RegExp, timeoutMs = 30_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (re.test(err)) {
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re} on stderr; got: ${err}`)), timeoutMs);
      stderrWatchers.push(check);
      check();
    });
  const stdoutSoFar = (): string => Buffer.concat(out).toString();
  const waitStdout = (test: (stdout: string) => boolean, what: string, timeoutMs = 15_000): Promise<void> =>
    waitFor(() => test(stdoutSoFar()), { timeoutMs, what: `${what} on stdout`, detail: () => `stdout: ${stdoutSoFar().slice(-2000)}\nstderr: ${err}` });
  return { child, waitStderr, waitStdout, stdoutSoFar, done };
}

/** Runs the CLI to completion (killed after `timeoutMs`). */
export async function runCli(args: string[], opts: { prefix?: string[]; env?: NodeJS.ProcessEnv; input?: Buffer | string; timeoutMs?: number } = {}): Promise<CliResult> {
  const p = startCli(args, opts);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
  const r = await p.done;
  clearTimeout(timer);
  return r;
}
