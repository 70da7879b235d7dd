import { describe, expect, it } from 'vitest';
import { median, quantile, relativeSpread } from './statistics.js';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
  });
  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('quantile', () => {
  it('interpolates between closest ranks like numpy', () => {
    // numpy.quantile([1, 2, 3, 4, 10], [0, 0.25, 0.9, 1]) == [1, 2, 7.6, 10]
    expect(quantile([10, 4, 3, 2, 1], 0)).toBe(1);
    expect(quantile([10, 4, 3, 2, 1], 0.25)).toBe(2);
    expect(quantile([10, 4, 3, 2, 1], 0.9)).toBeCloseTo(7.6, 10);
    expect(quantile([10, 4, 3, 2, 1], 1)).toBe(10);
  });
  it('rejects a quantile outside 0..1', () => {
    expect(() => quantile([1], 1.5)).toThrow(/within 0..1/);
    expect(() => quantile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('relativeSpread', () => {
  it('is (max - min) / median', () => {
    expect(relativeSpread([90, 100, 120])).toBeCloseTo(0.3, 10);
  });
  it('is 0 for an empty list or a zero median', () => {
    expect(relativeSpread([])).toBe(0);
    expect(relativeSpread([0, 0, 5])).toBe(0);
  });
});
