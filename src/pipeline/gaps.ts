/**
 * Interface gaps (`--reopen`) as the diagnostics say them: one line when an interface goes away, and
 * for fanout workers, whose sockets all see the same interface go, that line and the count once.
 */
import type { CaptureGap } from '../capture/capture.js';

/** The diagnostic line of a gap. */
export function gapLine(g: CaptureGap): string {
  return `tscap: warning: ${g.iface}: ${g.reason} (${g.code}); waiting for it to come back (--reopen)\n`;
}

/**
 * The gaps of one interface read by several sockets (fanout workers): every socket reports each gap,
 * numbered by its own count, so a gap is new when its number passes the highest seen. Said once.
 */
export class SharedGaps {
  /** Gaps of the interface so far (the highest count any worker reported). */
  count = 0;

  constructor(private readonly say: (text: string) => void) {}

  /** Takes one worker's report; says the line only for a gap no other worker reported first. */
  report(g: CaptureGap): void {
    if (g.gaps <= this.count) return;
    this.count = g.gaps;
    this.say(gapLine(g));
  }
}
