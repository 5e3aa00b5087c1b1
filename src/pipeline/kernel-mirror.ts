/**
 * A mirror run in the kernel from start to end (`tscap -i IF --mirror TARGET --in-kernel FILTER`):
 * compile the filter for the interface, set the tc filters up (`capture/tc-mirror.ts`), wait for the
 * signal, read the counts and take the filters down. Nothing is captured.
 */
import type { BpfProgram } from '../filter/bpf.js';
import { LinkType } from '../pcap/index.js';
import { CaptureOptionError } from '../capture/errors.js';
import type { KernelMirrorStats } from '../capture/tc-mirror.js';
import { compileChecked, liveLinkType } from './pipeline.js';

/** What `runKernelMirror` needs. */
export interface KernelMirrorRun {
  /** The interface whose frames are mirrored (Ethernet; a bridge: its ports' ingress and its egress). */
  iface: string;
  /** Where the copies go. */
  to: string;
  /** A pcap-filter expression; empty or absent mirrors everything. */
  filter?: string;
  /** A program instead of `filter` (as `--bpf` reads it). */
  bpf?: BpfProgram;
  /** Run the filter optimizer (default true). */
  optimize?: boolean;
  /** Promiscuous mode on `iface` while mirroring (default true). */
  promisc?: boolean;
  /** Ends the run. */
  signal: AbortSignal;
  /** Told where the filters sit once they are in place. */
  onStart?: (hooks: readonly string[]) => void;
}

/** Runs a kernel mirror until `signal` aborts; returns its counts. The filters are gone when it returns or throws. */
export async function runKernelMirror(o: KernelMirrorRun): Promise<KernelMirrorStats> {
  const linkType = await liveLinkType(o.iface);
  if (linkType !== LinkType.EN10MB) throw new CaptureOptionError(`mirror ${o.to}: in the kernel only from an Ethernet interface (${o.iface} is link type ${linkType})`, 'mirror');
  const program = o.bpf ?? (o.filter !== undefined && o.filter !== '' ? await compileChecked(o.filter, { linkType, snaplen: 262144, optimize: o.optimize ?? true, live: true }) : undefined);
  const { startKernelMirror } = await import('../capture/tc-mirror.js');
  if (o.signal.aborted) return { packets: 0, bytes: 0, dropped: 0 };
  const m = startKernelMirror({ iface: o.iface, to: o.to, ...(program !== undefined ? { program } : {}), promiscuous: o.promisc ?? true });
  try {
    o.onStart?.(m.hooks);
    // Nothing else keeps the event loop alive while the kernel does the work: a timer does.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    await new Promise<void>((resolve) => {
      if (o.signal.aborted) resolve();
      else o.signal.addEventListener('abort', () => resolve(), { once: true });
    }).finally(() => clearInterval(keepAlive));
  } catch (err) {
    m.close();
    throw err;
  }
  // Reads the counts, then removes the filters (also when the reading fails).
  return m.close();
}
