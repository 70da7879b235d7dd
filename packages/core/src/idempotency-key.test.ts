import { describe, expect, it } from 'vitest';
import { generateIdempotencyKey } from './idempotency-key.js';

describe('generateIdempotencyKey', () => {
  it('is a v4 UUID, unique per call', () => {
    const keys = new Set<string>();
    for (let index = 0; index < 1000; index++) {
      const key = generateIdempotencyKey();
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      keys.add(key);
    }
    expect(keys.size).toBe(1000);
  });
});
