/**
 * The spread of a figure over seeds — mean, standard deviation, lowest and highest — as
 * sweeps, resilience curves and the reports keep it: its schema (the type and the check, as
 * every file format declares its fields: store/schema.ts) and how it is computed.
 *
 * @module
 */
import { number, record, v } from "../store/schema.ts";

/** Mean, standard deviation (over seeds), lowest and highest. */
export const SPREAD = record({
  mean: number(),
  standardDeviation: number(),
  min: number(),
  max: number(),
}, "{ mean, standardDeviation, min, max } numbers");
export type Spread = v.InferOutput<typeof SPREAD>;

/** The spread of a list of numbers (sample standard deviation; 0 for one number). */
export function spread(values: readonly number[]): Spread {
  const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
  const variance = values.length > 1
    ? values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1)
    : 0;
  return { mean, standardDeviation: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values) };
}
