/**
 * What a pipeline reads: the `Source` interface every source implements, and the file source (kept
 * apart from the live ones so that reading a file loads nothing native).
 */
import type { CaptureStats } from '../capture/socket.js';
import type { PacketView } from '../packet.js';
import type { PacketFileReader } from '../pcap/reader.js';
import type { CapabilityName } from '../syscalls/privileges.js';

/** Per-source statistics as the summary and `--stats` show them. */
export interface SourceStats extends CaptureStats {
  name: string;
  /** Times the interface went away and was bound again (--reopen). */
  gaps?: number;
}

/** A packet source the main loop drives. */
export interface Source {
  readonly linkType: number;
  /** Runs until the end, `stop()`, or a failure (thrown). */
  run(visit: (p: PacketView) => void, flush: () => Promise<void>): Promise<void>;
  stop(): void;
  /** Stops after taking in what the kernel already holds (on SIGINT/SIGTERM); `stop` where absent. */
  finish?(): void;
  /** Totals over everything this source reads; undefined for files. */
  stats(): CaptureStats | undefined;
  /** Per interface or per worker. */
  detail(): SourceStats[];
  /** Interface gaps so far (`--reopen`): each interface's once, however many sockets read it. */
  gaps?(): number;  /**
   * Runs one step of a privilege drop on the source's own threads that open sockets later (fanout
   * workers with `reopen`), `before` and `after` the drop; see `threadCapabilityStep`.
   */
  capabilityStep?(phase: 'before' | 'after', keep: CapabilityName[]): Promise<void>;
}

/** Statistics summed over several sockets. */
export function sumStats(list: readonly CaptureStats[]): CaptureStats {
  const t: CaptureStats = { captured: 0, received: 0, dropped: 0, freezes: 0 };
  for (const s of list) {
    t.captured += s.captured;
    t.received += s.received;
    t.dropped += s.dropped;
    t.freezes += s.freezes;
  }
  return t;
}

/** A pcap or pcapng file (or stdin), read chunk by chunk. */
export class FileSource implements Source {
  private stopping = false;
  constructor(readonly reader: PacketFileReader) {}

  get linkType(): number {
    return this.reader.info.linkType;
  }

  async run(visit: (p: PacketView) => void, flush: () => Promise<void>): Promise<void> {
    try {
      while (!this.stopping && (await this.reader.readBatch(visit))) await flush();
      await flush();
    } finally {
      await this.reader.close();
    }
  }

  stop(): void {
    this.stopping = true;
  }

  stats(): undefined {
    return undefined;
  }

  detail(): SourceStats[] {
    return [];
  }
}
