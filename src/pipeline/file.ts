/** The pipeline's output file: its plain-data options turned into `createFileSink` options. */
import type { FileSinkOptions } from '../pcap/rotate.js';
import type { FileConfig } from './config.js';

/** `createFileSink` options for a file config and what the source says (link type, snaplen, precision). */
export function fileSinkOptionsOf(f: FileConfig, o: { path?: string; linkType: number; snaplen: number; nano: boolean; ifName?: string; filter?: string }): FileSinkOptions {
  const r: FileSinkOptions = { path: o.path ?? f.path, linkType: o.linkType, snaplen: o.snaplen, nano: o.nano };
  if (f.pcapng === true) r.pcapng = true;
  if (f.flushEachPacket === true) r.flushEachPacket = true;
  if (f.fileSizeMB !== undefined) r.fileSizeMB = f.fileSizeMB;
  if (f.rotateSeconds !== undefined) r.rotateSeconds = f.rotateSeconds;
  if (f.fileCount !== undefined) r.fileCount = f.fileCount;
  if (o.ifName !== undefined) r.ifName = o.ifName;
  if (o.filter !== undefined) r.filter = o.filter;
  return r;
}

