/**
 * Errors at the file edge: `PcapFormatError` for bytes that are not a valid pcap/pcapng file (with the
 * byte offset where reading stopped), `PcapIoError` for the operating system refusing a read or write
 * (with the path and the strerror text, as tcpdump prints them).
 */
import { getSystemErrorMap } from 'node:util';

/**
 * The file's bytes are not valid pcap or pcapng; `offset` is the byte offset of the offending header.
 * @example
 * try { await reader.readBatch(visit); } catch (e) { if (e instanceof PcapFormatError) console.error(e.offset); }
 */
export class PcapFormatError extends Error {
  override readonly name = 'PcapFormatError';
  /** Byte offset in the file of the header or record that could not be read. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/**
 * A read, write, open or close failed; the message is `PATH: strerror text` (`out.pcap: No space left on device`).
 * @example
 * try { await sink.flush(); } catch (e) { if (e instanceof PcapIoError) console.error(`tscap: ${e.message}`); }
 */
export class PcapIoError extends Error {
  override readonly name = 'PcapIoError';
  /** The file (or `-` for stdin/stdout) the operation was on. */
  readonly path: string;
  /** errno name such as `ENOENT`, `ENOSPC`, `EIO`, or `EIO` when the cause carried none. */
  readonly code: string;
  constructor(path: string, code: string, text: string) {
    super(`${path}: ${text}`);
    this.path = path;
    this.code = code;
  }
}

const ERRNO_TEXT = new Map<string, string>();
for (const [, [name, text]] of getSystemErrorMap()) ERRNO_TEXT.set(name, text.charAt(0).toUpperCase() + text.slice(1));

/** strerror-style text for an errno name (`ENOENT` → `No such file or directory`). */
export function strerrorText(code: string): string {
  return ERRNO_TEXT.get(code) ?? code;
}

/** Wraps a Node system error as a `PcapIoError` on `path`; other values keep their message. */
export function ioError(path: string, err: unknown): PcapIoError {
  if (err instanceof PcapIoError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && code.startsWith('E')) return new PcapIoError(path, code, strerrorText(code));
  const message = err instanceof Error ? err.message : String(err);
  return new PcapIoError(path, 'EIO', message);
}
