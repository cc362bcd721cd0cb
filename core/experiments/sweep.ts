/**
 * Sweeps: one setting varied over a list or range of values, every other setting fixed,
 * several seeds per value — the book's tuning graphs (learning rate, epochs, hidden nodes,
 * rotation angle) with the spread a single run hides. Parsing, planning and summarising;
 * the runs themselves happen on Workers (training/pool.ts).
 *
 * @module
 */
import { decimalNumber } from "../values.ts";
import { InputError } from "../errors.ts";
import { SETTINGS, type Settings } from "../settings.ts";
import type { RunRecord } from "../store/mod.ts";
import type { TrainingJob } from "../jobs/mod.ts";
import { trainingJob } from "../jobs/mod.ts";
import { type Spread, spread } from "./spread.ts";
import { SWEEP_PARAMETERS, SWEEP_SETTINGS, type SweepParameter, type SweepPoint } from "./sweep_file.ts";

/** `lr=0.01,0.1,0.3` or `epochs=1..10` or `lr=0.1..0.5:0.1`, each value checked by its setting. */
export function parseSweepParameter(text: string): { parameter: SweepParameter; values: number[] } {
  const match = /^([a-z-]+)=(.+)$/.exec(text.trim());
  if (!match) throw new InputError(`--param must look like lr=0.01,0.1,0.3 or epochs=1..10, got "${text}"`);
  const [, name, list] = match;
  if (!Object.hasOwn(SWEEP_SETTINGS, name)) {
    throw new InputError(
      `--param ${name} is not a setting a sweep can vary: use one of ${SWEEP_PARAMETERS.join(", ")}`,
    );
  }
  const parameter = name as SweepParameter;
  const values = parseValues(list, `--param ${name}`);
  // the same checks as the flag (hidden: one layer's size)
  for (const value of values) SETTINGS[SWEEP_SETTINGS[parameter]].parse(String(value), `--param ${name}`);
  return { parameter, values };
}

/** The trainings a sweep needs, and which value each one trains. */
export interface SweepPlan {
  jobs: TrainingJob[];
  /** the value each job trains (an epochs sweep trains only the most epochs, per seed) */
  trained: number[];
}

/**
 * The trainings of a sweep: every value × seed with the other settings `fixed`. Training
 * is deterministic and does not depend on how many epochs follow, so an epochs sweep
 * trains each seed once for the most epochs and reads the others from its history.
 */
export function planSweep(
  sweep: { parameter: SweepParameter; values: readonly number[]; seeds: readonly number[] },
  fixed: Settings,
): SweepPlan {
  const { parameter, values, seeds } = sweep;
  const trained = parameter === "epochs" ? [Math.max(...values)] : [...values];
  const key = SWEEP_SETTINGS[parameter];
  const jobs = trained.flatMap((value) =>
    seeds.map((seed) => trainingJob({ ...fixed, seed, [key]: key === "hidden" ? [value] : value }))
  );
  return { jobs, trained };
}

/** The points of a finished sweep from its trainings' records (in the plan's job order). */
export function summariseSweep(
  sweep: { parameter: SweepParameter; values: readonly number[]; seeds: readonly number[] },
  records: readonly RunRecord[],
): SweepPoint[] {
  const { parameter, values, seeds } = sweep;
  return values.map((value, v) => {
    const runs = seeds.map((seed, s) => {
      const record = parameter === "epochs" ? records[s] : records[v * seeds.length + s];
      const history = parameter === "epochs" ? record.history.slice(0, value) : record.history;
      return {
        seed,
        performance: history[history.length - 1].performance,
        history: history.map(({ epoch, performance, meanSquaredError }) => ({
          epoch,
          performance,
          meanSquaredError,
        })),
        trainSeconds: history.reduce((sum, epoch) => sum + epoch.trainSeconds, 0),
      };
    });
    return { value, performance: spread(runs.map((run) => run.performance)), runs };
  });
}

/** "1,2,5", "1..10" (step 1) or "0..0.9:0.1" as numbers, with a clear error naming `what`. */
export function parseValues(text: string, what: string): number[] {
  const range = /^(-?[\d.]+)\.\.(-?[\d.]+)(?::([\d.]+))?$/.exec(text.trim());
  if (range) {
    const [start, end, step] = [range[1], range[2], range[3] ?? "1"].map(decimalNumber);
    if (![start, end, step].every(Number.isFinite) || step <= 0 || end < start) {
      throw new InputError(
        `${what}: "${text}" is not a range: expected start..end or start..end:step with start ≤ end, step > 0`,
      );
    }
    const count = Math.floor((end - start) / step + 1e-9) + 1;
    if (count > 1000) throw new InputError(`${what}: "${text}" has ${count} values, at most 1000`);
    // computed from the start each time, rounded to the step's decimals: no drift (0.30000000000000004)
    const decimals = Math.max(...[start, step].map((x) => (String(x).split(".")[1] ?? "").length));
    return Array.from({ length: count }, (_, i) => Number((start + i * step).toFixed(decimals)));
  }
  const values = text.split(",").map((part) => part.trim());
  const numbers = values.map(decimalNumber);
  const bad = values.findIndex((value, i) => value === "" || !Number.isFinite(numbers[i]));
  if (bad >= 0) {
    throw new InputError(
      `${what}: "${values[bad]}" is not a number (expected a list like 1,2,5 or a range like 1..10)`,
    );
  }
  return numbers;
}

/** A terminal chart of mean performance per value, with the min–max spread as ├─┤. */
export function terminalChart(points: { value: number; performance: Spread }[], width = 50): string {
  const low = Math.min(...points.map((p) => p.performance.min));
  const high = Math.max(...points.map((p) => p.performance.max));
  const span = high - low || 1;
  const at = (x: number) => Math.round((x - low) / span * (width - 1));
  const label = (value: number) => String(value).padStart(8);
  const lines = points.map(({ value, performance }) => {
    const row = Array<string>(width).fill(" ");
    for (let i = at(performance.min); i <= at(performance.max); i++) row[i] = "─";
    row[at(performance.min)] = "├";
    row[at(performance.max)] = "┤";
    row[at(performance.mean)] = "●";
    return `${label(value)} │${row.join("")}│ ${performance.mean.toFixed(4)}`;
  });
  lines.push(`${" ".repeat(8)}  ${low.toFixed(4)}${" ".repeat(Math.max(1, width - 12))}${high.toFixed(4)}`);
  return lines.join("\n");
}
