/**
 * tscap: packet capture, filtering, decoding and recording for Linux in TypeScript. This entry
 * re-exports the main API of each module; the subpaths (`tscap/capture`, `tscap/filter`,
 * `tscap/decode`, `tscap/pcap`, `tscap/inline`, `tscap/pipeline`) hold everything.
 * @example
 * import { openCapture, createTextSink, TextOutput, DEFAULT_PRINT_OPTIONS } from 'tscap';
 * const cap = openCapture({ iface: 'eth0', filter: 'port 53' });
 * const sink = createTextSink(new TextOutput(), { ...DEFAULT_PRINT_OPTIONS });
 * for await (const p of cap) sink.write(p);
 */
export { VERSION } from './version.js';
export { PacketType, PACKET_TYPE_NAMES, copyPacket, emptyPacket, packetBytes } from './packet.js';
export type { OwnedPacket, PacketSink, PacketView } from './packet.js';
export {
  Capture,
  CaptureClosedError,
  CaptureOptionError,
  SyscallError,
  createExporter,
  createMirror,
  dropPrivileges,
  listInterfaces,
  openCapture,
  openInjector,
  startFanout,
  startKernelMirror,
} from './capture/index.js';
export type { CaptureOptions, CaptureStats, Direction, Exporter, FanoutOptions, FanoutRunOptions, ForwardStats, InterfaceInfo, KernelMirror, KernelMirrorOptions, KernelMirrorStats, Mirror, RingOptions } from './capture/index.js';
export { FilterError, compileFilter, compileFilterFunction, formatProgram, runFilter, validateProgram } from './filter/index.js';
export type { BpfInsn, BpfProgram, CompileOptions } from './filter/index.js';
export { LayerParser, LAYER_NAMES, Layer } from './decode/parser.js';
export type { LayerViews } from './decode/parser.js';
export { LinkType, PacketFileReader, PcapFormatError, PcapIoError, PcapWriter, PcapngWriter, createFileSink, readPackets } from './pcap/index.js';
export type { FileSink, FileSinkOptions, PcapFileInfo } from './pcap/index.js';
export { TextOutput } from './sinks/output.js';
export { DEFAULT_PRINT_OPTIONS, TextFormatter, createTextSink } from './sinks/text.js';
export type { PrintOptions } from './sinks/text.js';
export { JsonFormatter, createJsonSink } from './sinks/json.js';
export { JsonWriter } from './decode/json-writer.js';
export { createSummarySink } from './sinks/summary.js';
export { createStatsReporter } from './sinks/stats.js';
export { NfLog, NfQueue, QueueError, openLog, openQueue } from './inline/index.js';
export type { LogOptions, QueueOptions, QueueStats, QueuedPacket } from './inline/index.js';
export { Pipeline, runPipeline } from './pipeline/pipeline.js';
export type { PipelineIo, PipelineResult } from './pipeline/pipeline.js';
export type { CaptureConfig, FileConfig, PipelineConfig, PrintConfig, QueueConfig, SourceConfig } from './pipeline/config.js';
