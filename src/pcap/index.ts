/** Public entry of `tscap/pcap`: pcap and pcapng readers, writers and rotating file output. */
export { PcapFormatError, PcapIoError, strerrorText } from './errors.js';
export { PacketFileReader, pktTypeFromFlags, readPackets } from './reader.js';
export type { PacketMeta, PcapFileInfo, PcapInterfaceInfo, PcapInterfaceStats, PcapNameRecord } from './reader.js';
export { flagsFromPktType, openSharedPcap, PcapngWriter, PcapWriter } from './writer.js';
export type { PcapngInterfaceOptions, PcapngWriterOptions, PcapWriterOptions, SharedFileTarget, WriteTarget } from './writer.js';
export { createFileSink, RotatingFileSink, ringDigits, strftime, wantsPcapng } from './rotate.js';
export type { FileSink, FileSinkOptions } from './rotate.js';
export type { GatherResult, NativeSource, RecordBatch } from './writer.js';
export { LINK_TYPE_DESCRIPTIONS, LINK_TYPE_NAMES, LinkType, linkTypeFromArphrd, parseLinkType } from './linktype.js';
// What readers hand out and writers take, so users of this subpath need no other import.
export { PacketType, PACKET_TYPE_NAMES, copyPacket, emptyPacket, packetBytes } from '../packet.js';
export type { OwnedPacket, PacketSink, PacketView } from '../packet.js';
