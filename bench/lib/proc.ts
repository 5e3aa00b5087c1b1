/**
 * Processes for the benchmark: spawning with every child tracked (so an abort kills them all), CPU time
 * and peak RSS of a process tree read from /proc (proc(5): /proc/PID/task/TID/schedstat, status
 * VmHWM), and whether a capture's packet socket is bound yet (/proc/net/packet).
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

const children = new Set<ChildProcess>();

/** Every child still running, for the abort path. */
export function liveChildren(): ChildProcess[] {
  return [...children].filter((c) => c.exitCode === null && c.signalCode === null);
}

/** Kills every tracked child that is still running (SIGKILL), by its own pid. */
export function killAllChildren(): void {
  for (const c of liveChildren()) signalGroup(c, 'SIGKILL');
}

/**
 * Signals the process group a child leads (every child is started as a group leader), as a terminal's
 * Ctrl-C does: trafgen's parent only stops once its forked sender has the signal too.
 */
function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    try {
      child.kill(sig);
    } catch {
      // already gone
    }
  }
}

/** A spawned command with its output collected. */
export interface Proc {
  child: ChildProcess;
  pid: number;
  /** Collected stdout (when piped). */
  stdout(): string;
  /** Collected stderr. */
  stderr(): string;
  /** Resolves with the exit code (or 128 + signal) once the process has exited. */
  exited: Promise<number>;
  /** True once exited. */
  done(): boolean;
}

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Starts `argv` with stdout either discarded (/dev/null), piped, or into a file descriptor. */
export function start(argv: readonly string[], stdout: 'ignore' | 'pipe' | number = 'pipe'): Proc {
  const stdio: StdioOptions = ['ignore', stdout, 'pipe'];
  // detached: a group of its own, so a signal reaches the command and whatever it forked.
  const child = spawn(argv[0]!, argv.slice(1), { stdio, detached: true });
  children.add(child);
  let out = '';
  let err = '';
  const cap = 1 << 20; // keep the last MiB: enough for any summary, bounded for chatty tools
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out = (out + d).slice(-cap);
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err = (err + d).slice(-cap);
  });
  let finished = false;
  const exited = new Promise<number>((resolve) => {
    child.on('close', (code, sig) => {
      finished = true;
      children.delete(child);
      resolve(code ?? 128 + (sig ? (SIGNALS[sig] ?? 1) : 1));
    });
    child.on('error', (e) => {
      err += `\nspawn error: ${e.message}`;
    });
  });
  return { child, pid: child.pid ?? -1, stdout: () => out, stderr: () => err, exited, done: () => finished };
}

/** Runs a command to completion; returns status and output. Never throws for a non-zero exit. */
export function runSync(argv: readonly string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  return { status: r.status ?? (r.error ? 127 : 128), stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? r.error.message : '') };
}

/** Runs a command and throws with its stderr when it fails. */
export function must(argv: readonly string[], input?: string): string {
  const r = runSync(argv, input);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Sends `sig` to `p` and waits up to `ms` for it to exit, then SIGKILLs it. Returns the exit code. */
export async function stop(p: Proc, sig: 'SIGINT' | 'SIGTERM', ms: number): Promise<number> {
  if (!p.done()) signalGroup(p.child, sig);
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref());
  const first = await Promise.race([p.exited, timer]);
  if (first !== 'timeout') return first;
  signalGroup(p.child, 'SIGKILL');
  return p.exited;
}

/** Sleeps `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The pid and its descendants (children, grandchildren: tshark's dumpcap). */
export function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // comm may hold spaces and parentheses: fields resume after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(rest[1]));
    } catch {
      // exited while listing
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parent) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  }
  return tree;
}

/** On-CPU time (user + system) of one process in ns, summed over its threads' schedstat. */
function processCpuNs(pid: number): number {
  let total = 0;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const tid of tasks) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // thread exited
    }
  }
  return total;
}

/** Peak resident set (VmHWM) of one process in KiB, 0 when unknown. */
function processHwmKiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU (ns, all threads of all processes) and summed peak RSS (KiB) of a process tree, read now. */
export function treeUsage(root: number): { cpuNs: number; hwmKiB: number; pids: number[] } {
  const pids = processTree(root);
  let cpuNs = 0;
  let hwmKiB = 0;
  for (const pid of pids) {
    cpuNs += processCpuNs(pid);
    hwmKiB += processHwmKiB(pid);
  }
  return { cpuNs, hwmKiB, pids };
}

/** Socket inodes held open by the processes. */
function socketInodes(pids: readonly number[]): Set<string> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        // closed meanwhile
      }
    }
  }
  return inodes;
}

/** True when a process of the tree holds a packet socket bound to `ifindex` (/proc/net/packet Iface column). */
export function packetSocketBound(root: number, ifindex: number): boolean {
  const inodes = socketInodes(processTree(root));
  if (inodes.size === 0) return false;
  const lines = readFileSync('/proc/net/packet', 'utf8').split('\n').slice(1);
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    // sk RefCnt Type Proto Iface R Rmem User Inode
    if (f.length >= 9 && Number(f[4]) === ifindex && inodes.has(f[8]!)) return true;
  }
  return false;
}

/**
 * Waits until `p` has a packet socket bound to `ifindex`, or exits, or `ms` pass. Returns true when
 * bound.
 */
export async function waitBound(p: Proc, ifindex: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end && !p.done()) {
    if (packetSocketBound(p.pid, ifindex)) return true;
    await sleep(25);
  }
  return false;
}
