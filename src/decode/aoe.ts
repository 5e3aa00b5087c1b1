/**
 * ATA over Ethernet, EtherType 0x88a2 (the AoE Protocol Definition, revision 11, Coraid): a 10-byte
 * common header (version and flags, error, major and minor address, command, tag), then the
 * command's arguments: an ATA command (flags, feature, sector count, command/status, LBA, data), a
 * query of the configuration (buffer count, firmware version, sectors, config string), a MAC mask
 * list, or a reserve/release list.
 */
import { ByteView, DecodeStatus, u16, u32 } from './status.js';
import { macText } from './addr.js';
import { type Printer, flagNames, longjmpCut, macName, safeChar, wireFrom } from './print.js';

/** Field offsets of the common header, then of each command's arguments (from the argument start). */
export const AoeOffsets = {
  verFlags: 0, error: 1, major: 2, minor: 4, command: 5, tag: 6, headerLen: 10,
  issueLen: 12, queryBufCount: 0, queryFirmware: 2, querySectors: 4, queryCcmd: 5, queryCsLen: 6, queryLen: 8,
  macLen: 4, reserveLen: 2,
} as const;

/** AoE commands. */
export const AoeCommand = { ATA: 0, QUERY_CONFIG: 1, MAC_MASK_LIST: 2, RESERVE_RELEASE: 3 } as const;

/** Zero-copy view of an AoE header. */
export class AoeView extends ByteView {
  /**
   * Points at the AoE header; Truncated below its 10 bytes.
   * @example aoe.reset(bytes, 14, bytes.length - 14);
   */
  reset(bytes: Uint8Array, offset: number, length: number): DecodeStatus {
    return this.pointAtLeast(bytes, offset, length, AoeOffsets.headerLen);
  }
  /** Version (1). */
  get version(): number {
    return (this.bytes[this.offset] ?? 0) >> 4;
  }
  /** Flags: 8 response, 4 error. */
  get flags(): number {
    return (this.bytes[this.offset] ?? 0) & 0x0f;
  }
  /** Error code (with the error flag). */
  get error(): number {
    return this.bytes[this.offset + AoeOffsets.error] ?? 0;
  }
  /** Shelf (major) address. */
  get major(): number {
    return u16(this.bytes, this.offset + AoeOffsets.major);
  }
  /** Slot (minor) address. */
  get minor(): number {
    return this.bytes[this.offset + AoeOffsets.minor] ?? 0;
  }
  /** Command. */
  get command(): number {
    return this.bytes[this.offset + AoeOffsets.command] ?? 0;
  }
  /** Tag. */
  get tag(): number {
    return u32(this.bytes, this.offset + AoeOffsets.tag);
  }
}

/** Parsed AoE header and, when captured, the ATA or query arguments. */
export interface AoeRepr {
  version: number;
  flags: number;
  error: number;
  major: number;
  minor: number;
  command: number;
  tag: number;
  /** ATA command: flags, error/feature, sector count, command/status, the 48-bit LBA. */
  ata?: { aflags: number; feature: number; sectorCount: number; cmdStatus: number; lba: number };
  /** Query config: buffer count, firmware version, sector count, AoE version, config command, config string length. */
  query?: { bufferCount: number; firmware: number; sectorCount: number; aoeVersion: number; ccmd: number; configLen: number };
}

/** Builds the sink representation. */
export function aoeRepr(v: AoeView): AoeRepr {
  const r: AoeRepr = { version: v.version, flags: v.flags, error: v.error, major: v.major, minor: v.minor, command: v.command, tag: v.tag };
  const b = v.bytes;
  const a = v.offset + AoeOffsets.headerLen;
  const end = v.offset + v.length;
  if (v.status !== DecodeStatus.Ok) return r;
  const O = AoeOffsets;
  if (r.command === AoeCommand.ATA && a + O.issueLen <= end) {
    let lba = 0;
    for (let k = 5; k >= 0; k--) lba = lba * 256 + (b[a + 4 + k] ?? 0);
    r.ata = { aflags: b[a] ?? 0, feature: b[a + 1] ?? 0, sectorCount: b[a + 2] ?? 0, cmdStatus: b[a + 3] ?? 0, lba };
  } else if (r.command === AoeCommand.QUERY_CONFIG && a + O.queryLen <= end) {
    const cc = b[a + O.queryCcmd] ?? 0;
    r.query = {
      bufferCount: u16(b, a + O.queryBufCount), firmware: u16(b, a + O.queryFirmware), sectorCount: b[a + O.querySectors] ?? 0,
      aoeVersion: cc >> 4, ccmd: cc & 0x0f, configLen: u16(b, a + O.queryCsLen),
    };
  }
  return r;
}

const FLAGS: ReadonlyArray<readonly [number, string]> = [[8, 'Response'], [4, 'Error'], [2, 'MBZ-1'], [1, 'MBZ-0']];
const AFLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x80, 'MBZ-7'], [0x40, 'Ext48'], [0x20, 'MBZ-5'], [0x10, 'Device'], [0x08, 'MBZ-3'], [0x04, 'MBZ-2'], [0x02, 'Async'], [0x01, 'Write'],
];
const COMMANDS = ['Issue ATA Command', 'Query Config Information', 'MAC Mask List', 'Reserve/Release'];
const ERRORS = ['', 'Unrecognized command code', 'Bad argument parameter', 'Device unavailable', 'Config string present', 'Unsupported version', 'Target is reserved'];
const CCMDS = ['read config string', 'test config string', 'test config string prefix', 'set config string', 'force set config string'];
const MCMDS = ['Read Mac Mask List', 'Edit Mac Mask List'];
const MERRORS = ['', 'Unspecified Error', 'Bad DCmd directive', 'Mask list full'];
const DCMDS = ['No Directive', 'Add mac address to mask list', 'Delete mac address from mask list'];
const RCMDS = ['Read reserve list', 'Set reserve list', 'Force set reserve list'];

/** A table's name for `v` (index), else `Unknown (0x..)`. */
const named = (t: readonly string[], v: number): string => t[v] || `Unknown (0x${v.toString(16).padStart(2, '0')})`;

/**
 * tcpdump's AoE text: `AoE length N, Ver 1, Flags: [...]`; at -v the header's fields and the
 * command's arguments on tab-indented lines. Lengths are checked against the frame, reads against
 * the capture (` [|aoe]`).
 */
export function printAoe(c: Printer, v: AoeView): void {
  const b = v.bytes;
  const cap = v.offset + v.length;
  let len = wireFrom(c, v.offset);
  let o = v.offset;
  // tcpdump's longjmp on a read past the capture
  const cut = (end: number): boolean => {
    if (end <= cap) return false;
    longjmpCut(c, 'aoe');
    return true;
  };
  // " (invalid)", then the rest of the claimed length must be captured
  const invalid = (): void => {
    c.s += ' (invalid)';
    cut(o + len);
  };
  c.s += `AoE length ${len}`;
  if (len < 1) return invalid();
  if (cut(o + 1)) return;
  const ver = (b[o] ?? 0) >> 4;
  c.s += `, Ver ${ver}`;
  if (ver !== 1) return;
  if (len < AoeOffsets.headerLen) return invalid();
  const flags = (b[o] ?? 0) & 0x0f;
  c.s += `, Flags: [${flagNames(FLAGS, flags)}]`;
  if (!c.opts.verbose) return;
  o++;
  len--;
  if (flags & 4) {
    if (cut(o + 1)) return;
    const e = b[o] ?? 0;
    c.s += `\n\tError: ${ERRORS[e] || `Invalid (${e})`}`;
  }
  o++;
  if (cut(o + 2)) return;
  c.s += `\n\tMajor: 0x${u16(b, o).toString(16).padStart(4, '0')}`;
  o += 2;
  if (cut(o + 1)) return;
  c.s += `, Minor: 0x${(b[o] ?? 0).toString(16).padStart(2, '0')}`;
  o++;
  if (cut(o + 1)) return;
  const cmd = b[o] ?? 0;
  o++;
  c.s += `, Command: ${named(COMMANDS, cmd)}`;
  if (cut(o + 4)) return;
  c.s += `, Tag: 0x${u32(b, o).toString(16).padStart(8, '0')}`;
  o += 4;
  len -= AoeOffsets.headerLen - 1;
  // one byte at a time, as tcpdump reads them: each field printed before the next is read
  const byte = (text: (x: number) => string): boolean => {
    if (cut(o + 1)) return false;
    c.s += text(b[o] ?? 0);
    o++;
    len--;
    return true;
  };
  switch (cmd) {
    case AoeCommand.ATA: {
      if (len < AoeOffsets.issueLen) return invalid();
      const ok = byte((x) => `\n\tAFlags: [${flagNames(AFLAGS, x)}]`) && byte((x) => `, Err/Feature: ${x}`)
        && byte((x) => `, Sector Count: ${x}`) && byte((x) => `, Cmd/Status: ${x}`) && byte((x) => `\n\tlba0: ${x}`)
        && byte((x) => `, lba1: ${x}`) && byte((x) => `, lba2: ${x}`) && byte((x) => `, lba3: ${x}`)
        && byte((x) => `, lba4: ${x}`) && byte((x) => `, lba5: ${x}`);
      if (!ok || cut(o + 2)) return;
      len -= 2;
      if (len) c.s += `\n\tData: ${len} bytes`;
      return;
    }
    case AoeCommand.QUERY_CONFIG: {
      if (len < AoeOffsets.queryLen) return invalid();
      if (cut(o + 2)) return;
      c.s += `\n\tBuffer Count: ${u16(b, o)}`;
      if (cut(o + 4)) return;
      c.s += `, Firmware Version: ${u16(b, o + 2)}`;
      o += 4;
      len -= 4;
      // tcpdump's format for an unknown config command lacks its conversion: the text is printed as is
      if (!byte((x) => `, Sector Count: ${x}`) || !byte((x) => `, AoE: ${x >> 4}, CCmd: ${CCMDS[x & 0x0f] ?? 'Unknown (0x02x)'}`)) return;
      if (cut(o + 2)) return;
      const cs = u16(b, o);
      o += 2;
      len -= 2;
      if (cs > 1024 || cs > len) return invalid();
      if (cs) {
        c.s += `\n\tConfig String (length ${cs}): `;
        for (let k = 0; k < cs; k++) {
          if (cut(o + k + 1)) return;
          c.s += safeChar(b[o + k] ?? 0);
        }
      }
      return;
    }
    case AoeCommand.MAC_MASK_LIST: {
      if (len < AoeOffsets.macLen) return invalid();
      o++;
      len--;
      if (!byte((x) => `\n\tMCmd: ${named(MCMDS, x)}`) || !byte((x) => `, MError: ${named(MERRORS, x)}`)) return;
      if (cut(o + 1)) return;
      const n = b[o] ?? 0;
      o++;
      len--;
      c.s += `, Dir Count: ${n}`;
      if (n * 8 > len) return invalid();
      for (let k = 0; k < n; k++) {
        o++;
        if (!byte((x) => `\n\t DCmd: ${named(DCMDS, x)}`) || cut(o + 6)) return;
        c.s += `, Ethernet Address: ${macName(c.opts, macText(b, o))}`;
        o += 6;
      }
      return;
    }
    case AoeCommand.RESERVE_RELEASE: {
      if (len < AoeOffsets.reserveLen || (len - AoeOffsets.reserveLen) % 6) return invalid();
      if (!byte((x) => `\n\tRCmd: ${named(RCMDS, x)}`) || cut(o + 1)) return;
      const n = b[o] ?? 0;
      o++;
      len--;
      c.s += `, NMacs: ${n}`;
      if (n * 6 !== len) return invalid();
      for (let k = 0; k < n; k++, o += 6) {
        if (cut(o + 6)) return;
        c.s += `\n\tEthernet Address ${k}: ${macName(c.opts, macText(b, o))}`;
      }
      return;
    }
    default:
  }
}
