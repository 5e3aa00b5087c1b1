/**
 * A fixed histogram of latencies in microseconds: 8 buckets per power of two from 1 us to ~70 s, so
 * percentiles are within 9% and adding a sample allocates nothing.
 */
const PER_OCTAVE = 8;
const OCTAVES = 27;

/** Latency samples in log-spaced buckets. */
export class LatencyHistogram {
  private readonly counts = new Float64Array(PER_OCTAVE * OCTAVES + 1);
  /** Samples added. */
  total = 0;

  /** Adds one sample (microseconds). */
  add(us: number): void {
    const b = us <= 1 ? 0 : Math.min(this.counts.length - 1, Math.floor(Math.log2(us) * PER_OCTAVE) + 1);
    this.counts[b] = (this.counts[b] as number) + 1;
    this.total++;
  }

  /** The sample at quantile `q` (0..1), as the upper edge of its bucket; 0 with no samples. */
  percentile(q: number): number {
    if (this.total === 0) return 0;
    const want = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      seen += this.counts[b] as number;
      if (seen >= want) return b === 0 ? 1 : Math.round(2 ** (b / PER_OCTAVE));
    }
    return Math.round(2 ** ((this.counts.length - 1) / PER_OCTAVE));
  }
}
