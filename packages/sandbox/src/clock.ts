/** The sandbox's clock: real time plus an offset that tests can advance. */
export interface SandboxClock {
  /** Current sandbox time in epoch ms. */
  now(): number;
  /** Moves time forward; runs listeners (expiries, scheduled deliveries). */
  advance(ms: number): Promise<void>;
  /** Runs `listener` after every advance. */
  onAdvance(listener: (now: number) => void | Promise<void>): void;
  /** Resets the offset to zero. */
  reset(): void;
}

/** Creates a sandbox clock. */
export function createClock(): SandboxClock {
  let offset = 0;
  const listeners: Array<(now: number) => void | Promise<void>> = [];
  return {
    now: () => Date.now() + offset,
    async advance(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new Error('Clock can only move forward by a finite number of ms.');
      offset += ms;
      for (const listener of listeners) await listener(Date.now() + offset);
    },
    onAdvance(listener) {
      listeners.push(listener);
    },
    reset() {
      offset = 0;
    },
  };
}
