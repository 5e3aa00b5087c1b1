/**
 * Filters on cooked sockets (`any`): a program compiled for LINKTYPE_LINUX_SLL2 addresses the 20-byte
 * SLL2 header that tscap builds in userspace, but the kernel runs it on the packet from the network
 * header on. As libpcap does, loads inside the header become Linux ancillary loads (protocol, ifindex,
 * hardware type, packet type) and every other offset moves back by the header length; a program that
 * reads header bytes with no ancillary equivalent (the link-layer address) is run in userspace instead.
 */
import { BPF, SKF_AD, bpfClass, bpfMode, type BpfInsn, type BpfProgram } from '../filter/bpf.js';

/** LINKTYPE_LINUX_SLL and LINKTYPE_LINUX_SLL2. */
const LINUX_SLL = 113;

/** Header offsets with a kernel equivalent, and the header length, per cooked link type. */
const SLL2 = { len: 20, ancillary: { 0: SKF_AD.PROTOCOL, 4: SKF_AD.IFINDEX, 8: SKF_AD.HATYPE, 10: SKF_AD.PKTTYPE } as Readonly<Record<number, number>> };
const SLL1 = { len: 16, ancillary: { 0: SKF_AD.PKTTYPE, 2: SKF_AD.HATYPE, 14: SKF_AD.PROTOCOL } as Readonly<Record<number, number>> };

/**
 * The kernel's version of a cooked (SLL2, or SLL v1) program, or undefined when it must run in userspace.
 * @example
 * const kernel = cookedKernelProgram(compileFilter('udp', { linkType: 276 }));
 */
export function cookedKernelProgram(prog: BpfProgram, linkType = 276): BpfProgram | undefined {
  const { len: hdrLen, ancillary } = linkType === LINUX_SLL ? SLL1 : SLL2;
  const out: BpfInsn[] = [];
  for (const ins of prog) {
    const cls = bpfClass(ins.code);
    const mode = bpfMode(ins.code);
    const isLoad = cls === BPF.LD || cls === BPF.LDX;
    if (!isLoad || (mode !== BPF.ABS && mode !== BPF.IND && mode !== BPF.MSH)) {
      out.push(ins);
      continue;
    }
    const k = ins.k >>> 0;
    if (k >= SKF_AD.OFF) {
      out.push(ins); // already an ancillary (or negative-offset) load
    } else if (k >= hdrLen) {
      out.push({ ...ins, k: k - hdrLen });
    } else {
      const ad = ancillary[k];
      if (ad === undefined || mode !== BPF.ABS || cls !== BPF.LD) return undefined;
      out.push({ ...ins, k: (SKF_AD.OFF + ad) >>> 0 });
    }
  }
  return out;
}
