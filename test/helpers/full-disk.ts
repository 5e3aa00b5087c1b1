/**
 * A disk that fills up: a 256 KiB tmpfs mounted for one test (root only), and a loop that writes until
 * the writer reports the error.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Mounts a 256 KiB tmpfs at `dir/full`, runs `fn` with its path, unmounts even when `fn` fails. */
export async function withSmallTmpfs(dir: string, fn: (mnt: string) => Promise<void>): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('this test needs root (it mounts a small tmpfs)');
  const mnt = join(dir, 'full');
  mkdirSync(mnt, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]);
  try {
    await fn(mnt);
  } finally {
    execFileSync('umount', [mnt]);
  }
}

/**
 * Calls `writeOne(i)` for up to 400 packets, flushing every 7th, until a flush fails; then closes.
 * Returns the first error (flush or close) and how many packets were handed to the writer.
 */
export async function fillUntilFull(w: { flush(): void | Promise<void>; close(): Promise<void> }, writeOne: (i: number) => void): Promise<{ error: unknown; written: number }> {
  let error: unknown = null;
  let written = 0;
  for (let i = 0; i < 400 && error === null; i++) {
    writeOne(i);
    written++;
    try {
      if (i % 7 === 6) await w.flush();
    } catch (e) {
      error = e;
    }
  }
  await w.close().catch((e: unknown) => (error ??= e));
  return { error, written };
}
