import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addFileOptions, fileSinkOptions } from '../../bin/file-options.js';

function parse(args: string[]): Record<string, unknown> {
  const cmd = addFileOptions(new Command('tscap').exitOverride().configureOutput({ writeErr: () => undefined }));
  cmd.parse(args, { from: 'user' });
  return cmd.opts();
}

describe('file options', () => {
  it('parses every option with tcpdump spellings', () => {
    const o = parse(['-r', 'in.pcap', '-w', 'out.pcapng', '--pcapng', '-U', '-C', '10', '-G', '60', '-W', '5']);
    expect(o).toEqual({ r: 'in.pcap', w: 'out.pcapng', pcapng: true, packetBuffered: true, C: 10, G: 60, W: 5 });
    expect(parse(['--packet-buffered', '-w', '-'])).toEqual({ packetBuffered: true, w: '-' });
  });

  it('rejects sizes, periods and counts tcpdump rejects', () => {
    for (const bad of [['-C', '0'], ['-C', '1.5'], ['-C', '1k'], ['-G', '-1'], ['-W', 'x']]) {
      expect(() => parse(bad)).toThrow(/invalid (file size|rotation seconds|number of output files)/);
    }
  });

  it('maps to createFileSink options', () => {
    const o = parse(['-w', 'x.pcap', '-C', '2', '-W', '3', '-U']);
    expect(fileSinkOptions(o, { linkType: 1, snaplen: 262144, nano: true, ifName: 'eth0' })).toEqual({
      path: 'x.pcap',
      linkType: 1,
      snaplen: 262144,
      nano: true,
      flushEachPacket: true,
      fileSizeMB: 2,
      fileCount: 3,
      ifName: 'eth0',
    });
    expect(fileSinkOptions(parse([]), { linkType: 1, snaplen: 1, nano: false })).toBeUndefined();
  });
});
