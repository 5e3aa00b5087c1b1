/**
 * Options for captures that run for days: `-Z USER` / `--relinquish-privileges USER`, as tcpdump
 * (the user is looked up before anything is opened, an unknown one is exit 1 with tcpdump's message,
 * and root is given up once every socket, ring, file and worker is open; not root: a warning, and
 * the capture goes on), and `--reopen` (an interface that goes away is waited for and bound again).
 */
import type { Command } from 'commander';
import type { DropResult } from '../src/syscalls/privileges.js';

/** Parsed value of the option (commander's camelCase key). */
export interface SensorOptionValues {
  relinquishPrivileges?: string;
  reopen?: boolean;
}

/** Adds `-Z, --relinquish-privileges <user>` and `--reopen` to a command. */
export function addSensorOptions(cmd: Command): Command {
  return cmd
    .option('-Z, --relinquish-privileges <user>', 'after opening the capture and its files, give up root and run as USER (as tcpdump -Z)')
    .option('--reopen', 'when an interface goes down or away, keep the outputs open, wait for it to come back and capture again');
}

/** Checks the `-Z` user exists, before anything is opened; throws `PrivilegeError` (exit 1) if not. */
export async function checkPrivilegeUser(opts: SensorOptionValues): Promise<void> {
  const user = opts.relinquishPrivileges;
  if (user === undefined) return;
  // the native bindings are loaded only when -Z asks for them
  const { PrivilegeError, lookupUser } = await import('../src/syscalls/privileges.js');
  if (lookupUser(user) === undefined) throw new PrivilegeError(`Couldn't find user '${user}'`);
}

/**
 * Gives up root for the `-Z` user through `drop` (the pipeline's, which knows which threads open
 * sockets later and keep CAP_NET_RAW). Warns on stderr instead when not running as root. Throws
 * `PrivilegeError` (exit 1) when the change did not take.
 */
export async function relinquishPrivileges(opts: SensorOptionValues, drop: (user: string) => Promise<DropResult>, warn: (msg: string) => void): Promise<DropResult | undefined> {
  const user = opts.relinquishPrivileges;
  if (user === undefined) return undefined;
  const r = await drop(user);
  if (!r.dropped) warn(`warning: not running as root: -Z ${user} ignored`);
  return r;
}
