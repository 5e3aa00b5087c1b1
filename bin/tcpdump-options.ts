/**
 * tcpdump options that tscap takes for parity: -j/-J (timestamp types), -L (data link types), -K, -N,
 * -E (ESP decryption, src/sinks/esp.ts), -H, -b and --count (tcpdump's choice of interface when no -i
 * is given and the -J/-L lists are in interface-lists.ts, loaded only when used).
 */
import type { Command } from 'commander';
import type { TimestampType } from '../src/capture/timestamp.js';

/** Parsed values of these options. */
export interface TcpdumpOptionValues {
  timeStampType?: string;
  listTimeStampTypes?: boolean;
  listDataLinkTypes?: boolean;
  dontVerifyChecksums?: boolean;
  N?: boolean;
  E?: string;
  H?: boolean;
  b?: boolean;
  count?: boolean;
}

/**
 * Adds the options to a command.
 * @example
 * addTcpdumpOptions(new Command('tscap'));
 */
export function addTcpdumpOptions(cmd: Command): Command {
  return cmd
    .option('-j, --time-stamp-type <type>', 'timestamp type: host (default), adapter or adapter_unsynced')
    .option('-J, --list-time-stamp-types', 'list the timestamp types the interface offers, and exit')
    .option('-L, --list-data-link-types', 'list the data link types the interface offers, and exit')
    .option('-K, --dont-verify-checksums', "don't verify IP, TCP and UDP checksums (with -v)")
    .option('-N', "don't print the domain part of host names")
    .option('-E <spec>', 'decrypt ESP: [spi@addr ]algo:secret[,...], algo aes128-cbc, aes256-cbc, 3des-cbc (+-hmac96/-hmac256), secret ASCII or 0xHEX')
    .option('-H', 'detect 802.11s draft mesh headers (accepted; tscap decodes no 802.11)')
    .option('-b', 'print BGP AS numbers in asdot notation (RFC 5396)')
    .option('--count', 'print only the number of matching packets (on stdout), not the packets');
}

/**
 * tscap once spelled `-c N` as `--count N`; tcpdump's `--count` takes no value. `--count N` and
 * `--count=N` (N a number, which as a filter expression would be a syntax error anyway) are read as
 * `-c N` with a warning on stderr; a lone `--count` keeps tcpdump's meaning.
 * @example rewriteLegacyCount(['node', 'tscap', '--count', '5']) // ['node', 'tscap', '-c', '5']
 */
export function rewriteLegacyCount(argv: string[], warn: (msg: string) => void = () => undefined): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = /^--count=(\d+)$/.exec(a);
    const next = argv[i + 1];
    if (eq !== null || (a === '--count' && next !== undefined && /^\d+$/.test(next))) {
      const n = eq !== null ? (eq[1] as string) : (next as string);
      warn(`--count ${n} is read as -c ${n}; --count alone prints only the number of matching packets, as tcpdump's`);
      out.push('-c', n);
      if (eq === null) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** The -j value checked, or an error message in tcpdump's words. */
export function timestampTypeOption(value: string): { ok: true; type: TimestampType } | { ok: false; message: string } {
  if (value === 'host' || value === 'adapter' || value === 'adapter_unsynced') return { ok: true, type: value };
  return { ok: false, message: `invalid time stamp type ${value}` };
}
