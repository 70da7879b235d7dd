/**
 * The time the apps run on. In sandbox mode it is the sandbox's clock, so a test (or you, through
 * `POST /_control/clock/advance`) can move a month forward and watch renewals happen; against a
 * real gateway it is the wall clock.
 */
export interface AppClock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Calls `listener` after the clock jumps forward (never for a wall clock). */
  onAdvance(listener: () => void | Promise<void>): void;
}

/** The wall clock. */
export const systemClock: AppClock = {
  now: () => Date.now(),
  onAdvance() {},
};
