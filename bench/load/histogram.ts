/**
 * A small HDR-like latency histogram: log-linear buckets with 7 bits of precision (values are
 * reported within 1/64 ≈ 1.6 % of what was recorded), constant memory whatever the count, and
 * merge for summing clients. Values are integers (the load generators record microseconds).
 */
const SUB_BITS = 7;
const SUB_COUNT = 1 << SUB_BITS; // 128 exact values below this
const HALF = SUB_COUNT >> 1;
const MAX_EXP = 40; // up to 2^47: far beyond any latency in µs

function indexOf(v: number): number {
  if (v < SUB_COUNT) return v;
  const e = Math.floor(Math.log2(v)) - (SUB_BITS - 1);
  // log2 of floats can be off by one at exact powers of two: correct it.
  const shift = Math.floor(v / 2 ** e) >= SUB_COUNT ? e + 1 : Math.floor(v / 2 ** e) < HALF ? e - 1 : e;
  return SUB_COUNT + (shift - 1) * HALF + (Math.floor(v / 2 ** shift) - HALF);
}

/** The range [low, high] of values that land in bucket `i`. */
export function bucketRange(i: number): [number, number] {
  if (i < SUB_COUNT) return [i, i];
  const shift = Math.floor((i - SUB_COUNT) / HALF) + 1;
  const mant = ((i - SUB_COUNT) % HALF) + HALF;
  const low = mant * 2 ** shift;
  return [low, low + 2 ** shift - 1];
}

export interface HistogramSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
}

export class Histogram {
  private counts = new Float64Array(SUB_COUNT + MAX_EXP * HALF);
  count = 0;
  min = Infinity;
  max = 0;
  private sum = 0;

  record(value: number, times = 1): void {
    const v = Math.max(0, Math.round(value));
    const i = Math.min(indexOf(v), this.counts.length - 1);
    this.counts[i]! += times;
    this.count += times;
    this.sum += v * times;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < other.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /**
   * The value at percentile `p` (0..100): the smallest recorded value such that at least p % of
   * the values are at or below it, up to bucket precision (the bucket's high end, capped by max).
   */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(bucketRange(i)[1], this.max);
    }
    return this.max;
  }

  summary(): HistogramSummary {
    return {
      count: this.count,
      min: this.count === 0 ? 0 : this.min,
      max: this.max,
      mean: Math.round(this.mean * 10) / 10,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
    };
  }

  /** Non-empty buckets as [low, high, count], for plots and JSON. */
  buckets(): Array<[number, number, number]> {
    const out: Array<[number, number, number]> = [];
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i]! > 0) out.push([...bucketRange(i), this.counts[i]!]);
    return out;
  }
}
