import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runConcurrent, runPairedSequential, runSequential } from './load-loops.js';

describe('runSequential', () => {
  it('makes exactly `count` calls, one at a time', async () => {
    let calls = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const figures = await runSequential(async () => {
      calls++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await delay(1);
      inFlight--;
    }, 20);
    expect(calls).toBe(20);
    expect(maxInFlight).toBe(1);
    expect(figures.medianLatencyUs).toBeGreaterThanOrEqual(900);
    expect(figures.callsPerSecond).toBeLessThan(1100);
  });
});

describe('runConcurrent', () => {
  it('makes exactly `count` calls with at most `concurrency` in flight', async () => {
    let calls = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    await runConcurrent(
      async () => {
        calls++;
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await delay(2);
        inFlight--;
      },
      101,
      8,
    );
    expect(calls).toBe(101);
    expect(maxInFlight).toBe(8);
  });
});

describe('runPairedSequential', () => {
  it('alternates the contenders call by call, swapping the lead every pair', async () => {
    const order: string[] = [];
    const figures = await runPairedSequential(
      async () => {
        order.push('a');
        await delay(3);
      },
      async () => {
        order.push('b');
      },
      4,
    );
    expect(order.join('')).toBe('abbaabba');
    expect(figures.first.medianLatencyUs).toBeGreaterThan(figures.second.medianLatencyUs);
  });
});
