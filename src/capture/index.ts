/** Live capture: AF_PACKET sockets with a TPACKET_V3 ring or recvmsg, interfaces, statistics. */
export { Capture, CaptureClosedError, CaptureOptionError, MAX_SNAPLEN, dataLinkTypes, fanoutValue, openCapture, resolveRing } from './capture.js';
export { TIMESTAMP_TYPE_DESCRIPTIONS, timestampTypes } from './timestamp.js';
export type { TimestampType } from './timestamp.js';
export type { CaptureOptions, CaptureStats, Direction, FanoutMode, FanoutOptions } from './capture.js';
export { DEFAULT_RING, ringGeometryError } from './ring.js';
export { probeBpfExtensions } from './socket.js';
export type { RingOptions, RingRecordSink } from './ring.js';
export { describeFlags, interfaceInfo, interfaceName, listInterfaces } from './interfaces.js';
export type { InterfaceInfo } from './interfaces.js';
export { SyscallError } from '../syscalls/index.js';
export { MAX_WORKERS, startFanout } from './workers.js';
export type { FanoutResult, FanoutRun, FanoutRunOptions, WorkerHandler, WorkerHandlerFactory } from './workers.js';
export { createMirror } from './mirror.js';
export type { ForwardStats, Mirror, MirrorOptions } from './mirror.js';
export { createExporter, parseExportUrl, TCP_QUEUE_LIMIT } from './export.js';
export type { Exporter, ExporterOptions, ExportTarget } from './export.js';
export { openInjector } from './inject.js';
export type { Injector } from './inject.js';
export { TimeOrderedMerge, PacketBatchWriter, readPacketBatch } from './merge.js';
export { cookedKernelProgram } from './cooked.js';
// What a capture hands out or throws, so users of this subpath need no other import.
export { PacketType, PACKET_TYPE_NAMES, copyPacket, emptyPacket, packetBytes } from '../packet.js';
export type { OwnedPacket, PacketSink, PacketView } from '../packet.js';
export { FilterError } from '../filter/compile.js';
export type { BpfInsn, BpfProgram } from '../filter/bpf.js';
export type { NativeSource } from '../pcap/gather.js';
