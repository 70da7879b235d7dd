import { describe, expect, it } from 'vitest';
import { runInterleavedRounds } from './interleaved-rounds.js';

describe('runInterleavedRounds', () => {
  it('alternates who goes first (A B, B A, A B) and keeps each side’s figures in round order', async () => {
    const log: string[] = [];
    let counter = 0;
    const contender = (name: string) => ({
      name,
      runRound: async () => {
        log.push(name);
        return `${name}${counter++}`;
      },
    });
    const result = await runInterleavedRounds(contender('A'), contender('B'), {
      rounds: 3,
      beforeRound: () => log.push('gc'),
    });
    expect(log).toEqual(['gc', 'A', 'gc', 'B', 'gc', 'B', 'gc', 'A', 'gc', 'A', 'gc', 'B']);
    expect(result.first).toEqual(['A0', 'A3', 'A4']);
    expect(result.second).toEqual(['B1', 'B2', 'B5']);
  });
});
