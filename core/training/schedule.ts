/**
 * Learning-rate schedules: beyond the book, whose rate is one number for the whole training
 * (docs/beyond.md). The rate is set once per epoch, from the run's base rate (`--lr`):
 *
 * - constant: the base rate every epoch (the book's);
 * - exponential: base · decay^(e−1);
 * - step: base · decay^⌊(e−1)/every⌋ (the rate falls by `decay` every `every` epochs);
 * - linear: from the base rate in epoch 1 to `finalRate` in the last, in equal steps;
 * - cosine: from the base rate to `finalRate` along half a cosine.
 *
 * @module
 */

// the schedules' names and numbers are part of the run format (store/run_format.ts)
import type { Schedule } from "../store/mod.ts";
export { type Schedule, type ScheduleName, SCHEDULES } from "../store/mod.ts";

/** The book's: the same rate throughout. */
export const CONSTANT_RATE: Schedule = { name: "constant", decay: 1, every: 1, finalRate: 0 };

/** The learning rate of epoch `epoch` (1-based) of `epochs`, starting from `base`. */
export function rateAt(schedule: Schedule, base: number, epoch: number, epochs: number): number {
  const done = epochs > 1 ? (epoch - 1) / (epochs - 1) : 0;
  switch (schedule.name) {
    case "constant":
      return base;
    case "exponential":
      return base * schedule.decay ** (epoch - 1);
    case "step":
      return base * schedule.decay ** Math.floor((epoch - 1) / schedule.every);
    case "linear":
      return base + (schedule.finalRate - base) * done;
    case "cosine":
      return schedule.finalRate + (base - schedule.finalRate) * (1 + Math.cos(Math.PI * done)) / 2;
  }
}

/**
 * Why `schedule` cannot be trained with (a rate that is not a positive number in some
 * epoch), or undefined when it can. Named as the caller's user knows the settings.
 */
export function scheduleProblem(
  schedule: Schedule,
  base: number,
  epochs: number,
  spell: { finalRate: string; decay: string },
): string | undefined {
  if ((schedule.name === "linear" || schedule.name === "cosine") && !(schedule.finalRate >= 0)) {
    return `${spell.finalRate} ${schedule.finalRate} would make the learning rate negative by the last epoch; ` +
      `it must be ≥ 0`;
  }
  if ((schedule.name === "exponential" || schedule.name === "step") && !(schedule.decay > 0)) {
    return `${spell.decay} ${schedule.decay} would make the learning rate ${
      schedule.decay === 0 ? "zero" : "negative"
    }; it must be > 0`;
  }
  const last = rateAt(schedule, base, epochs, epochs);
  if (!(last > 0) && schedule.name !== "linear" && schedule.name !== "cosine") {
    return `the ${schedule.name} schedule makes the learning rate ${last} by epoch ${epochs}; it must stay > 0`;
  }
  return undefined;
}
