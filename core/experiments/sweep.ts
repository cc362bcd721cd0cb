/**
 * Sweeps: one setting varied over a list or range of values, every other setting fixed,
 * several seeds per value — the book's tuning graphs (learning rate, epochs, hidden nodes,
 * rotation angle) with the spread a single run hides. Parsing, planning and summarising;
 * the runs themselves happen on Workers (sweep_pool.ts).
 *
 * @module
 */
import { InputError } from "../errors.ts";

/** The settings a sweep can vary. */
export const SWEEP_PARAMETERS = ["lr", "epochs", "hidden", "rotate"] as const;
export type SweepParameter = typeof SWEEP_PARAMETERS[number];

/** `lr=0.01,0.1,0.3` or `epochs=1..10` or `lr=0.1..0.5:0.1`, checked. */
export function parseSweepParameter(text: string): { parameter: SweepParameter; values: number[] } {
  const match = /^([a-z-]+)=(.+)$/.exec(text.trim());
  if (!match) throw new InputError(`--param must look like lr=0.01,0.1,0.3 or epochs=1..10, got "${text}"`);
  const [, name, list] = match;
  if (!SWEEP_PARAMETERS.includes(name as SweepParameter)) {
    throw new InputError(
      `--param ${name} is not a setting a sweep can vary: use one of ${SWEEP_PARAMETERS.join(", ")}`,
    );
  }
  const parameter = name as SweepParameter;
  const values = parseValues(list, `--param ${name}`);
  const whole = parameter === "epochs" || parameter === "hidden";
  for (const value of values) {
    if (whole && (!Number.isInteger(value) || value < 1)) {
      throw new InputError(`--param ${name} takes whole numbers ≥ 1, got ${value}`);
    }
    if (parameter === "lr" && value <= 0) throw new InputError(`--param lr takes numbers > 0, got ${value}`);
    if (parameter === "rotate" && value < 0) {
      throw new InputError(`--param rotate takes angles ≥ 0, got ${value}`);
    }
  }
  return { parameter, values };
}

/** "1,2,5", "1..10" (step 1) or "0..0.9:0.1" as numbers, with a clear error naming `what`. */
export function parseValues(text: string, what: string): number[] {
  const range = /^(-?[\d.]+)\.\.(-?[\d.]+)(?::([\d.]+))?$/.exec(text.trim());
  if (range) {
    const [start, end, step] = [Number(range[1]), Number(range[2]), Number(range[3] ?? 1)];
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
  const numbers = values.map(Number);
  const bad = values.findIndex((value, i) => value === "" || !Number.isFinite(numbers[i]));
  if (bad >= 0) {
    throw new InputError(
      `${what}: "${values[bad]}" is not a number (expected a list like 1,2,5 or a range like 1..10)`,
    );
  }
  return numbers;
}

/** Mean, standard deviation (over seeds), lowest and highest. */
export interface Spread {
  mean: number;
  standardDeviation: number;
  min: number;
  max: number;
}

/** The spread of a list of numbers (sample standard deviation; 0 for one number). */
export function spread(values: readonly number[]): Spread {
  const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
  const variance = values.length > 1
    ? values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1)
    : 0;
  return { mean, standardDeviation: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values) };
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
