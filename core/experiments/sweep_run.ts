/**
 * A whole sweep run: its trainings on Workers, summarised into the record sweep_file.ts
 * saves. The command (`sweep`) and the dashboard's Experiments page both run sweeps so.
 *
 * @module
 */
import type { SettingKey, Settings } from "../settings.ts";
import { describeMachine, type RunRecord } from "../store/mod.ts";
import { runTrainingJobs } from "../jobs/mod.ts";
import { planSweep, summariseSweep } from "./sweep.ts";
import { SWEEP_SETTINGS, type SweepParameter } from "./sweep_file.ts";
import type { SweepRecord } from "./sweep_file.ts";

/** The settings a sweep holds fixed (or varies): the flags of `sweep` and the dashboard's sweep form. */
export const SWEEP_KEYS: readonly SettingKey[] = [
  "hidden",
  "learningRate",
  "epochs",
  "rotate",
  "rotateOrder",
  "init",
  "activation",
  "precision",
  "train",
  "test",
  "limitTrain",
  "limitTest",
  "threads",
];

/**
 * Run a whole sweep on `workers` Workers and return its record (not yet saved): every value
 * for every seed, each training as `train` would with `fixed` settings and the value.
 */
export async function runSweep(
  sweep: { parameter: SweepParameter; values: number[]; seeds: number[]; name?: string },
  fixed: Settings,
  options: {
    workers?: number;
    onDone?: (index: number, record: RunRecord, done: number, total: number) => void;
  } = {},
): Promise<SweepRecord> {
  const { parameter, values, seeds } = sweep;
  const { jobs } = planSweep({ parameter, values, seeds }, fixed);
  const started = performance.now();
  const records = await runTrainingJobs(jobs, {
    workers: options.workers,
    onDone: (index, record, done) => options.onDone?.(index, record, done, jobs.length),
  });
  const fixedKeys = SWEEP_KEYS.filter((key) => key !== SWEEP_SETTINGS[parameter]);
  return {
    format: "myonn-sweep" as const,
    version: 1 as const,
    id: "",
    name: sweep.name ?? "",
    createdAt: new Date().toISOString(),
    parameter,
    values,
    seeds,
    fixed: Object.fromEntries(fixedKeys.map((key) => [key, fixed[key] ?? null])),
    points: summariseSweep({ parameter, values, seeds }, records),
    seconds: (performance.now() - started) / 1000,
    machine: describeMachine(),
  };
}
