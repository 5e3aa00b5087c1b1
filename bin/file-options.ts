/**
 * The CLI's file options, as tcpdump(8) spells them: -r, -w, --pcapng, -U, -C, -G, -W. Values are
 * checked here with tcpdump's wording; `fileSinkOptions` turns parsed values into `createFileSink`
 * options.
 */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type { FileSinkOptions } from '../src/pcap/rotate.js';
import { fileSinkOptionsOf } from '../src/pipeline/file.js';
import type { FileConfig } from '../src/pipeline/config.js';

/** Parsed values of the file options (commander's camelCase keys). */
export interface FileOptionValues {
  r?: string;
  w?: string;
  pcapng?: boolean;
  packetBuffered?: boolean;
  C?: number;
  G?: number;
  W?: number;
}

function positiveInt(what: string): (value: string) => number {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError(`invalid ${what} ${value}`);
    return Number(value);
  };
}

/**
 * Adds -r, -w, --pcapng, -U, -C, -G and -W to a command.
 * @example
 * addFileOptions(new Command('tscap')).parse();
 */
export function addFileOptions(cmd: Command): Command {
  return cmd
    .option('-r <file>', 'read packets from FILE (pcap or pcapng, detected from the magic; - for stdin)')
    .option('-w <file>', 'write packets to FILE (pcap unless --pcapng or a .pcapng name; - for stdout)')
    .option('--pcapng', 'write pcapng instead of pcap')
    .option('-U, --packet-buffered', 'with -w, write each packet as soon as it is captured')
    .option('-C <MB>', 'with -w, start a new file when the current one exceeds MB million bytes (FILE, FILE1, ...)', positiveInt('file size'))
    .option('-G <seconds>', 'with -w, start a new file every SECONDS; FILE is a strftime pattern', positiveInt('rotation seconds'))
    .option('-W <count>', 'with -C: ring of COUNT files; with -G alone: stop after COUNT files', positiveInt('number of output files'));
}

/**
 * The pipeline's file options from parsed values; undefined when there is no -w.
 * @example const f = fileConfigFrom(cmd.opts()); // { path: 'out.pcap', fileSizeMB: 100 }
 */
export function fileConfigFrom(values: FileOptionValues): FileConfig | undefined {
  if (values.w === undefined) return undefined;
  const f: FileConfig = { path: values.w };
  if (values.pcapng === true) f.pcapng = true;
  if (values.packetBuffered === true) f.flushEachPacket = true;
  if (values.C !== undefined) f.fileSizeMB = values.C;
  if (values.G !== undefined) f.rotateSeconds = values.G;
  if (values.W !== undefined) f.fileCount = values.W;
  return f;
}

/**
 * Builds `createFileSink` options from parsed values and the capture's link type and snaplen;
 * undefined when there is no -w.
 * @example
 * const o = fileSinkOptions(cmd.opts(), { linkType: 1, snaplen: 262144, nano: false });
 * if (o) sink = createFileSink(o);
 */
export function fileSinkOptions(
  values: FileOptionValues,
  capture: { linkType: number; snaplen: number; nano: boolean; ifName?: string; filter?: string },
): FileSinkOptions | undefined {
  const f = fileConfigFrom(values);
  return f === undefined ? undefined : fileSinkOptionsOf(f, capture);
}
