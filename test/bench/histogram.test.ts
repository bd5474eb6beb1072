import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Histogram, bucketRange } from '../../bench/load/histogram.ts';

const near = (got: number, want: number, rel = 1 / 64) =>
  assert.ok(Math.abs(got - want) <= Math.max(1, want * rel), `${got} not within ${rel} of ${want}`);

test('exact below 128', () => {
  const h = new Histogram();
  for (let v = 1; v <= 100; v++) h.record(v);
  assert.is(h.percentile(50), 50);
  assert.is(h.percentile(99), 99);
  assert.is(h.percentile(100), 100);
  assert.is(h.min, 1);
  assert.is(h.max, 100);
  assert.is(h.mean, 50.5);
});

test('uniform 1..100000: percentiles within bucket precision', () => {
  const h = new Histogram();
  for (let v = 1; v <= 100_000; v++) h.record(v);
  near(h.percentile(50), 50_000);
  near(h.percentile(90), 90_000);
  near(h.percentile(99), 99_000);
  near(h.percentile(99.9), 99_900);
  assert.is(h.percentile(100), 100_000);
});

test('skewed data: p99.9 sees the tail', () => {
  const h = new Histogram();
  h.record(200, 9_990);
  h.record(50_000, 10);
  near(h.percentile(50), 200);
  near(h.percentile(99), 200);
  assert.ok(h.percentile(99) < 300);
  near(h.percentile(99.95), 50_000);
  assert.is(h.count, 10_000);
});

test('buckets cover values with no gap and no overlap', () => {
  let expect = 0;
  for (let i = 0; i < 128 + 64 * 20; i++) {
    const [lo, hi] = bucketRange(i);
    assert.is(lo, expect, `bucket ${i}`);
    assert.ok(hi >= lo);
    expect = hi + 1;
  }
});

test('every value lands in the bucket whose range holds it', () => {
  const h = new Histogram();
  for (const v of [127, 128, 129, 255, 256, 257, 1023, 1024, 1025, 65535, 65536, 1e9]) {
    const one = new Histogram();
    one.record(v);
    const [[lo, hi]] = one.buckets() as [[number, number, number]];
    assert.ok(lo <= v && v <= hi, `${v} in [${lo}, ${hi}]`);
    h.record(v);
  }
  assert.is(h.count, 12);
});

test('merge sums counts and extremes', () => {
  const a = new Histogram();
  const b = new Histogram();
  a.record(10, 5);
  b.record(1000, 5);
  a.merge(b);
  assert.is(a.count, 10);
  assert.is(a.min, 10);
  assert.is(a.max, 1000);
  assert.is(a.percentile(50), 10);
  near(a.percentile(60), 1000);
});

test('empty histogram reports zeros', () => {
  const s = new Histogram().summary();
  assert.equal([s.count, s.p50, s.p999, s.max, s.min], [0, 0, 0, 0, 0]);
});

test.run();
