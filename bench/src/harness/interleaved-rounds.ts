/** One side of a comparison: runs one round and returns that round's figures. */
export interface Contender<Figures> {
  readonly name: string;
  runRound(): Promise<Figures>;
}

/** Settings of {@link runInterleavedRounds}. */
export interface InterleavedRoundsSettings {
  rounds: number;
  /** Called before every round (e.g. to collect garbage so no round pays for another's). */
  beforeRound?: (() => void) | undefined;
}

/**
 * Runs two contenders in alternating rounds, swapping who goes first each round
 * (A B, B A, A B, …). Machine drift (CPU frequency, other load, heap growth) then lands on both
 * sides equally instead of on whichever ran second, and the medians of the rounds compare like
 * with like. Returns the per-round figures of each contender in round order.
 */
export async function runInterleavedRounds<Figures>(
  first: Contender<Figures>,
  second: Contender<Figures>,
  settings: InterleavedRoundsSettings,
): Promise<{ first: Figures[]; second: Figures[] }> {
  const firstFigures: Figures[] = [];
  const secondFigures: Figures[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? [first, second] : [second, first];
    for (const contender of order) {
      settings.beforeRound?.();
      const figure = await contender.runRound();
      (contender === first ? firstFigures : secondFigures).push(figure);
    }
  }
  return { first: firstFigures, second: secondFigures };
}

/** Collects garbage when the process runs with `--expose-gc` (the bench runner passes it). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
