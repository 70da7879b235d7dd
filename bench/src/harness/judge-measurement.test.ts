import { describe, expect, it } from 'vitest';
import type { Measurement } from './benchmark.js';
import { describeTarget, judgeMeasurement, meetsTarget } from './judge-measurement.js';

const latency: Measurement = {
  id: 'x.latency',
  label: 'latency',
  unit: 'µs',
  ours: 110,
  reference: 100,
  higherIsBetter: false,
  target: { on: 'ratio', comparison: '<=', value: 1.1 },
};

describe('judgeMeasurement', () => {
  it('computes ours / reference and passes a ratio exactly at the target', () => {
    const judged = judgeMeasurement('x', latency);
    expect(judged.ratio).toBeCloseTo(1.1, 12);
    expect(judged.benchmark).toBe('x');
    expect(judged.pass).toBe(meetsTarget(latency.target!, 110, 110 / 100));
  });
  it('fails a ratio above a ≤ target', () => {
    expect(judgeMeasurement('x', { ...latency, ours: 111 }).pass).toBe(false);
  });
  it('fails a ratio below a ≥ target and passes one above', () => {
    const throughput: Measurement = {
      ...latency,
      ours: 89,
      higherIsBetter: true,
      target: { on: 'ratio', comparison: '>=', value: 0.9 },
    };
    expect(judgeMeasurement('x', throughput).pass).toBe(false);
    expect(judgeMeasurement('x', { ...throughput, ours: 95 }).pass).toBe(true);
  });
  it('judges a value target on our figure, not the ratio', () => {
    const count: Measurement = {
      ...latency,
      ours: 1,
      reference: 1000,
      target: { on: 'value', comparison: '==', value: 1 },
    };
    expect(judgeMeasurement('x', count).pass).toBe(true);
    expect(judgeMeasurement('x', { ...count, ours: 2 }).pass).toBe(false);
  });
  it('never passes a ratio target without a reference', () => {
    const judged = judgeMeasurement('x', { ...latency, reference: undefined });
    expect(judged.ratio).toBeUndefined();
    expect(judged.pass).toBe(false);
  });
  it('takes the median of the per-round ratios when both sides have rounds', () => {
    const judged = judgeMeasurement('x', {
      ...latency,
      // Medians 120 and 100 would give 1.2; round by round the ratios are 1.0, 1.05 and 2.0.
      rounds: { ours: [100, 120, 210], reference: [100, 114.28571428571429, 105] },
    });
    expect(judged.roundRatios).toHaveLength(3);
    expect(judged.ratio).toBeCloseTo(1.05, 10);
    expect(judged.pass).toBe(true);
  });
  it('falls back to ours / reference when the rounds do not pair up', () => {
    const judged = judgeMeasurement('x', { ...latency, rounds: { ours: [1, 2], reference: [1] } });
    expect(judged.roundRatios).toBeUndefined();
    expect(judged.ratio).toBeCloseTo(1.1, 12);
  });
  it('leaves informational rows unjudged', () => {
    expect(judgeMeasurement('x', { ...latency, target: undefined }).pass).toBeUndefined();
  });
});

describe('describeTarget', () => {
  it('writes ratio and value targets as the table shows them', () => {
    expect(describeTarget({ on: 'ratio', comparison: '<=', value: 1.1 }, 'µs')).toBe('≤ 1.10×');
    expect(describeTarget({ on: 'ratio', comparison: '>=', value: 0.9 }, 'req/s')).toBe('≥ 0.90×');
    expect(describeTarget({ on: 'value', comparison: '==', value: 1 }, 'requests')).toBe('= 1 request');
  });
});
