/**
 * Giving up root after the sockets, rings, files and threads are open, as tcpdump's `-Z USER`:
 * supplementary groups (initgroups), then the group, then the user (setgid, setuid), checked with
 * getresuid/getresgid. glibc applies setgroups/setgid/setuid to every thread of the process (its
 * "setxid" broadcast), so worker threads and libuv's pool change too. Capabilities, though, are per
 * thread (as is PR_SET_KEEPCAPS, and capset acts on the calling thread only): the uid change empties
 * them on every thread, and a thread that must open new sockets later keeps CAP_NET_RAW (and
 * CAP_NET_ADMIN) by setting PR_SET_KEEPCAPS itself before the change and capset to those alone after
 * it (`threadCapabilityStep`, which worker threads run when told). Follows setresuid(2),
 * capabilities(7), PR_SET_KEEPCAPS(2const), capset(2), getpwnam_r(3), linux/capability.h.
 */
import koffi from 'koffi';
import { SyscallError } from './libc.js';

const lib = koffi.load('libc.so.6');

const fn = {
  getpwnam_r: lib.func('int getpwnam_r(const char *name, void *pwd, void *buf, size_t buflen, void *result)') as (
    name: string,
    pwd: Uint8Array,
    buf: Uint8Array,
    len: number,
    result: Uint8Array,
  ) => number,
  initgroups: lib.func('int initgroups(const char *user, uint32_t group)') as (user: string, gid: number) => number,
  setgid: lib.func('int setgid(uint32_t gid)') as (gid: number) => number,
  setuid: lib.func('int setuid(uint32_t uid)') as (uid: number) => number,
  geteuid: lib.func('uint32_t geteuid(void)') as () => number,
  getresuid: lib.func('int getresuid(void *r, void *e, void *s)') as (r: Uint32Array, e: Uint32Array, s: Uint32Array) => number,
  getresgid: lib.func('int getresgid(void *r, void *e, void *s)') as (r: Uint32Array, e: Uint32Array, s: Uint32Array) => number,
  prctl: lib.func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)') as (
    option: number,
    a2: number,
    a3: number,
    a4: number,
    a5: number,
  ) => number,
  capset: lib.func('int capset(void *hdr, void *data)') as (hdr: Uint8Array, data: Uint8Array) => number,
};

/** struct passwd on 64-bit Linux: pw_name, pw_passwd (pointers), pw_uid, pw_gid (u32), then pointers. */
const PASSWD = { SIZE: 48, uid: 16, gid: 20 } as const;
const PR_SET_KEEPCAPS = 8;
/** _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set. */
const CAP_VERSION_3 = 0x20080522;

/** Capabilities a capture may keep after the drop (capabilities(7) numbers). */
export const CAPABILITY = { NET_ADMIN: 12, NET_RAW: 13 } as const;

/** Thrown when privileges cannot be given up as asked; the process must not go on as root. */
export class PrivilegeError extends Error {
  override readonly name = 'PrivilegeError';
}

/** A user account as the system's user database (NSS) gives it. */
export interface UserAccount {
  name: string;
  uid: number;
  gid: number;
}

/**
 * Looks a user up by name (through NSS, as tcpdump does); undefined when there is no such user.
 * @example lookupUser('nobody') // { name: 'nobody', uid: 65534, gid: 65534 }
 */
export function lookupUser(name: string): UserAccount | undefined {
  const pwd = new Uint8Array(PASSWD.SIZE);
  const result = new Uint8Array(8);
  for (let size = 16384; size <= 1 << 22; size *= 4) {
    const rc = fn.getpwnam_r(name, pwd, new Uint8Array(size), size, result);
    if (rc === 34 /* ERANGE: a larger buffer */) continue;
    if (rc !== 0) throw new SyscallError('getpwnam_r', rc, `getpwnam_r(${name})`);
    if (new DataView(result.buffer).getBigUint64(0, true) === 0n) return undefined;
    const dv = new DataView(pwd.buffer);
    return { name, uid: dv.getUint32(PASSWD.uid, true), gid: dv.getUint32(PASSWD.gid, true) };
  }
  throw new PrivilegeError(`${name}: the user database entry is too large`);
}

/** Real, effective and saved ids of this process (user and group). */
export function processIds(): { uid: [number, number, number]; gid: [number, number, number] } {
  const r = new Uint32Array(1);
  const e = new Uint32Array(1);
  const s = new Uint32Array(1);
  if (fn.getresuid(r, e, s) !== 0) throw new SyscallError('getresuid', koffi.errno());
  const uid: [number, number, number] = [r[0] as number, e[0] as number, s[0] as number];
  if (fn.getresgid(r, e, s) !== 0) throw new SyscallError('getresgid', koffi.errno());
  return { uid, gid: [r[0] as number, e[0] as number, s[0] as number] };
}

/** Options of `dropPrivileges`. */
export interface DropOptions {
  /** Capabilities to keep (effective and permitted) on the calling thread, e.g. to open sockets later. */
  keep?: readonly (keyof typeof CAPABILITY)[];
}

/** What `dropPrivileges` did. */
export interface DropResult {
  /** False when the process was not root: nothing changed (tcpdump warns and goes on). */
  dropped: boolean;
  user: UserAccount;
  /** Capabilities kept. */
  kept: (keyof typeof CAPABILITY)[];
}

/**
 * Becomes `user` for good: groups, gid, uid (every thread), verified with getresuid/getresgid. Throws
 * `PrivilegeError` for an unknown user or a change that did not take; returns `dropped: false` when
 * not running as root.
 * @example
 * const cap = openCapture({ iface: 'eth0' });
 * dropPrivileges('nobody'); // the open socket keeps working; new ones need CAP_NET_RAW
 */
export function dropPrivileges(user: string, opts: DropOptions = {}): DropResult {
  const account = lookupUser(user);
  if (account === undefined) throw new PrivilegeError(`Couldn't find user '${user}'`);
  if (fn.geteuid() !== 0) return { dropped: false, user: account, kept: [] };
  const keep = [...new Set(opts.keep ?? [])];
  const fail = (what: string): never => {
    const e = new SyscallError(what, koffi.errno());
    throw new PrivilegeError(`Couldn't change to '${user}' uid=${account.uid} gid=${account.gid}: ${what}: ${e.reason} (${e.code})`);
  };
  if (keep.length > 0 && !keepCapabilitiesAcrossUidChange()) fail('prctl(PR_SET_KEEPCAPS)');
  if (fn.initgroups(account.name, account.gid) !== 0) fail('initgroups');
  if (fn.setgid(account.gid) !== 0) fail('setgid');
  if (fn.setuid(account.uid) !== 0) fail('setuid');
  if (keep.length > 0 && !limitCapabilities(keep)) fail('capset');
  const ids = processIds();
  if (ids.uid.some((u) => u !== account.uid) || ids.gid.some((g) => g !== account.gid)) {
    throw new PrivilegeError(`Couldn't change to '${user}': ids are now uid ${ids.uid.join('/')} gid ${ids.gid.join('/')} (real/effective/saved)`);
  }
  return { dropped: true, user: account, kept: keep };
}

/** PR_SET_KEEPCAPS on the calling thread: its permitted capabilities survive the coming uid change. False on failure (errno set). */
function keepCapabilitiesAcrossUidChange(): boolean {
  return fn.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) === 0;
}

/**
 * After the uid change the calling thread's permitted set survived (keepcaps) but its effective one is
 * empty: keep only `keep`, in both, and clear keepcaps. False on failure (errno set).
 */
function limitCapabilities(keep: readonly (keyof typeof CAPABILITY)[]): boolean {
  let mask = 0;
  for (const c of keep) mask |= 1 << CAPABILITY[c];
  const hdr = new Uint8Array(8);
  const hv = new DataView(hdr.buffer);
  hv.setUint32(0, CAP_VERSION_3, true);
  hv.setInt32(4, 0, true); // pid 0: the calling thread
  const data = new Uint8Array(24); // two { effective, permitted, inheritable } u32 triples
  const dv = new DataView(data.buffer);
  dv.setUint32(0, mask, true);
  dv.setUint32(4, mask, true);
  if (fn.capset(hdr, data) !== 0) return false;
  fn.prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
  return true;
}

/**
 * One step of `dropPrivileges` for another thread that must keep `keep` (a fanout worker that opens
 * its socket again after a gap), run ON that thread: `before` the drop (keepcaps), `after` it (only
 * `keep` left). Throws `PrivilegeError` when the step fails.
 * @example threadCapabilityStep('before', ['NET_RAW']); // then the main thread drops; then 'after'
 */
export function threadCapabilityStep(phase: 'before' | 'after', keep: readonly CapabilityName[]): void {
  const ok = phase === 'before' ? keepCapabilitiesAcrossUidChange() : limitCapabilities(keep);
  if (ok) return;
  const e = new SyscallError(phase === 'before' ? 'prctl' : 'capset', koffi.errno());
  throw new PrivilegeError(`Couldn't keep ${keep.join(', ')} on a worker thread: ${phase === 'before' ? 'prctl(PR_SET_KEEPCAPS)' : 'capset'}: ${e.reason} (${e.code})`);
}

/** The names of `CAPABILITY`. */
export type CapabilityName = keyof typeof CAPABILITY;
