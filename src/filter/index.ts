/**
 * tscap/filter: the pcap-filter(7) compiler (expression → classic BPF, libpcap 1.10 semantics), the
 * userspace VM that runs programs over captured frames, the kernel-rules validator and tcpdump's
 * -d/-dd/-ddd program formats.
 * @example
 * import { compileFilter, runFilter, formatProgram } from 'tscap/filter';
 * const prog = compileFilter('tcp port 80', { linkType: 1 });
 * console.log(formatProgram(prog, 'd'));
 */
export { compileFilter, FilterError } from './compile.js';
export type { CompileOptions } from './compile.js';
export { PCAP_NETMASK_UNKNOWN } from './codegen.js';
export { parseFilter } from './parser.js';
export type { BpfInsn, BpfProgram } from './bpf.js';
export { BPF, BPF_MAXINSNS, SKF_AD, insn, parseDecimalProgram, BpfTextError } from './bpf.js';
export * from './vm.js';
export * from './format.js';
export * from './validate.js';
