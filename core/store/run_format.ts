/**
 * run.json, the record of a saved run: its type and its validator, declared once. Format
 * `myonn-run`, version 1; a reader refuses other formats and newer versions and names the
 * field that is wrong.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { KERNELS, type KernelsName, type Precision } from "../kernels/mod.ts";
import { type ActivationName, ACTIVATIONS, INIT_RULES, type InitRule } from "../model/mod.ts";
import { fieldError, isNumber, parseJson } from "./json.ts";
import type { Machine } from "./machine.ts";

/** Written in run.json; a reader refuses other formats and newer versions. */
export const RUN_FORMAT = "myonn-run";
export const RUN_VERSION = 1;

/** Where a run stands; see RunRecord.status. */
export type RunStatus = "complete" | "incomplete" | "failed";

/** What one epoch did. */
export interface EpochResult {
  /** 1-based */
  epoch: number;
  /** the book's performance on the test set after this epoch */
  performance: number;
  /** mean over records of the mean squared output error, measured before each update */
  meanSquaredError: number;
  trainSeconds: number;
  testSeconds: number;
  /** the learning rate this epoch trained at (runs with a schedule; others trained at config.learningRate) */
  learningRate?: number;
  /** performance on the validation records after this epoch (runs with config.validation) */
  validation?: number;
  /** the records trained this epoch (copies included) */
  records?: number;
  /** performance on the training records (undistorted) after this epoch (runs with config.trainAccuracy) */
  trainPerformance?: number;
  /** the training error over each 1,000 records of the epoch, in order (the last block may be shorter) */
  errorCurve?: (number | null)[];
}

/** The learning-rate schedules (training/schedule.ts says what each does). */
export const SCHEDULES = ["constant", "exponential", "step", "linear", "cosine"] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/** A schedule and its numbers (each used by the schedules that name it). */
export interface Schedule {
  name: ScheduleName;
  /** exponential and step: the factor per epoch or per step (0 < decay ≤ 1) */
  decay: number;
  /** step: epochs per step */
  every: number;
  /** linear and cosine: the rate in the last epoch */
  finalRate: number;
}

/** How much the training images are distorted, afresh each epoch (training/distort.ts); every range 0 turns its part off. */
export interface Distortion {
  /** largest rotation, degrees */
  rotate: number;
  /** largest change of scale along an axis, as a fraction (0.15: ×0.85…×1.15) */
  scale: number;
  /** largest horizontal shear, degrees */
  shear: number;
  /** largest shift along each axis, pixels */
  shift: number;
  /** the elastic field's smoothing, pixels (Simard's σ) */
  sigma: number;
  /** the elastic field's strength, pixels (Simard's α); 0: no elastic distortion */
  alpha: number;
}

/** Everything needed to repeat a training. */
export interface RunConfig {
  /** nodes per layer, input first */
  layers: number[];
  learningRate: number;
  epochs: number;
  seed: number;
  init: InitRule;
  /** rotated copies: each record is also trained rotated by ±rotate degrees (0: none) */
  rotate: number;
  /** how the copies are interpolated: 3 (cubic spline, the book's call) or 1 (bilinear); runs written before it could vary used 1 */
  rotateOrder?: 1 | 3;
  /** the activation function (runs written before it could vary have none: the sigmoid) */
  activation?: ActivationName;
  /** float32 or float64 arithmetic */
  precision: Precision;
  /** which implementation of the hot loops */
  kernels: KernelsName;
  train: { source: string; count: number };
  test: { source: string; count: number };
  /** the folder the starting weights came from, if not drawn from the seed */
  initWeights: string | null;
  /** the last `validation` records of the training set are held out and scored after each epoch (absent: 0) */
  validation?: number;
  /** the learning rate per epoch (absent: constant, the book's) */
  schedule?: Schedule;
  /** the training images distorted afresh each epoch (absent: none, the book's) */
  distortion?: Distortion;
  /** the training records are scored after every epoch too (absent: not) */
  trainAccuracy?: boolean;
}

/** The contents of run.json. */
export interface RunRecord {
  format: typeof RUN_FORMAT;
  version: typeof RUN_VERSION;
  id: string;
  /**
   * complete: all epochs trained; incomplete: a checkpoint after `history.length` epochs
   * (interrupted, or still training), resumable; failed: training stopped (see `failure`).
   * Runs written before this field existed are complete.
   */
  status?: RunStatus;
  /** why a failed run stopped */
  failure?: string;
  name: string;
  /** the user's note on the run (runs, the dashboard) */
  note?: string;
  /** the user's tags: words of letters, digits, . _ - */
  tags?: string[];
  createdAt: string;
  config: RunConfig;
  history: EpochResult[];
  /** performance on the test set after the last epoch */
  performance: number;
  /** confusion[label][answer] */
  confusion: number[][];
  /** per digit; null where the test set has none of that digit */
  perClassAccuracy: (number | null)[];
  timings: { loadSeconds: number; trainSeconds: number; testSeconds: number; totalSeconds: number };
  machine: Machine;
  /** the weight files, in layer order */
  weights: { file: string; rows: number; cols: number; book?: string }[];
}

/** The longest note on a run, in characters. */
export const MAX_NOTE = 2000;
/** The most tags a run has, and a tag's form: letters, digits, . _ - up to 32. */
export const MAX_TAGS = 20;
export const TAG = /^[\p{L}\p{N}._-]{1,32}$/u;

/** A run id as myonn makes them: letters, digits, `.`, `_`, `-`, not starting with `.`. */
export const RUN_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;

/** The fields beyond the book (validation, schedule, distortion): absent, or whole and in range. */
function checkBeyondFields(
  config: RunConfig,
  fail: (field: string, expected: string) => never,
  isCount: (value: unknown) => boolean,
): void {
  if (config.validation !== undefined && !isCount(config.validation)) {
    fail("config.validation", "a whole number");
  }
  const schedule = config.schedule;
  if (schedule !== undefined) {
    if (typeof schedule !== "object" || schedule === null || !SCHEDULES.includes(schedule.name)) {
      fail("config.schedule.name", `one of ${SCHEDULES.join(", ")}`);
    }
    if (
      !isNumber(schedule.decay) || !(schedule.decay > 0) || !isNumber(schedule.finalRate) ||
      schedule.finalRate < 0
    ) {
      fail("config.schedule", "a decay > 0 and a finalRate ≥ 0");
    }
    if (!isCount(schedule.every) || schedule.every < 1) fail("config.schedule.every", "a whole number ≥ 1");
  }
  const distortion = config.distortion;
  if (distortion !== undefined) {
    const fields = ["rotate", "scale", "shear", "shift", "sigma", "alpha"] as const;
    if (
      typeof distortion !== "object" || distortion === null ||
      !fields.every((field) => isNumber(distortion[field]) && distortion[field] >= 0) || distortion.scale >= 1
    ) {
      fail("config.distortion", `numbers ≥ 0 for ${fields.join(", ")} (scale below 1)`);
    }
  }
}

/**
 * Check a run.json's text and return the record; anything a reader of runs relies on
 * that is missing or of the wrong kind is an InputError naming the file and the field.
 */
export function parseRunRecord(text: string, path: string): RunRecord {
  const record = parseJson(text, path) as RunRecord;
  if (
    typeof record !== "object" || record === null || Array.isArray(record) || record.format !== RUN_FORMAT
  ) {
    throw new InputError(`${path} is not a myonn run: expected "format": "${RUN_FORMAT}"`);
  }
  if (record.version !== RUN_VERSION) {
    throw new InputError(
      `${path} has format version ${record.version}, this myonn reads version ${RUN_VERSION}: use the myonn that wrote it`,
    );
  }
  const fail = fieldError(path);
  const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
  const config = record.config;
  if (typeof config !== "object" || config === null) fail("config", "an object");
  const layers = config.layers;
  if (
    !Array.isArray(layers) || layers.length < 3 ||
    !layers.every((n) => Number.isInteger(n) && n > 0 && n <= 100_000)
  ) {
    fail("config.layers", "a list of at least 3 positive integers");
  }
  if (layers[0] !== 784 || layers[layers.length - 1] !== 10) {
    fail("config.layers", "784 inputs and 10 outputs");
  }
  if (!isNumber(config.learningRate)) fail("config.learningRate", "a number");
  if (!isCount(config.epochs) || !isCount(config.seed)) {
    fail("config.epochs and config.seed", "whole numbers");
  }
  if (config.rotate !== undefined && !isNumber(config.rotate)) fail("config.rotate", "a number");
  if (config.rotateOrder !== undefined && config.rotateOrder !== 1 && config.rotateOrder !== 3) {
    fail("config.rotateOrder", "1 or 3");
  }
  // own keys only: "toString" or "__proto__" are no activation
  if (config.activation !== undefined && !Object.hasOwn(ACTIVATIONS, config.activation)) {
    fail("config.activation", `one of ${Object.keys(ACTIVATIONS).join(", ")}`);
  }
  if (config.init !== undefined && !INIT_RULES.includes(config.init)) {
    fail("config.init", `one of ${INIT_RULES.join(", ")}`);
  }
  if (config.kernels !== undefined && !KERNELS.includes(config.kernels)) {
    fail("config.kernels", `one of ${KERNELS.join(", ")}`);
  }
  if (
    config.initWeights !== undefined && config.initWeights !== null && typeof config.initWeights !== "string"
  ) {
    fail("config.initWeights", "a folder's name or null");
  }
  if (config.precision !== undefined && config.precision !== "f32" && config.precision !== "f64") {
    fail("config.precision", `"f32" or "f64"`);
  }
  checkBeyondFields(config, fail, isCount);
  for (const set of ["train", "test"] as const) {
    if (typeof config[set]?.source !== "string" || !isCount(config[set]?.count)) {
      fail(`config.${set}`, "{ source: text, count: a whole number }");
    }
  }
  if (
    typeof record.id !== "string" || typeof record.name !== "string" || typeof record.createdAt !== "string"
  ) {
    fail("id, name and createdAt", "text");
  }
  if (record.note !== undefined && (typeof record.note !== "string" || record.note.length > MAX_NOTE)) {
    fail("note", "text of at most 2,000 characters");
  }
  if (
    record.tags !== undefined &&
    (!Array.isArray(record.tags) || record.tags.length > MAX_TAGS ||
      !record.tags.every((tag) => typeof tag === "string" && TAG.test(tag)))
  ) {
    fail("tags", "a list of at most 20 words of letters, digits, . _ -");
  }
  if (record.status !== undefined && !["complete", "incomplete", "failed"].includes(record.status)) {
    fail("status", `"complete", "incomplete" or "failed"`);
  }
  const epochFields = ["epoch", "performance", "meanSquaredError", "trainSeconds", "testSeconds"] as const;
  const optionalFields = ["learningRate", "validation", "records", "trainPerformance"] as const;
  if (
    !Array.isArray(record.history) ||
    // a failed run's last epoch may have no finite error (JSON writes NaN as null)
    !record.history.every((epoch) =>
      isNumber(epoch?.epoch) &&
      epochFields.every((field) => isNumber(epoch?.[field]) || epoch?.[field] === null) &&
      optionalFields.every((field) => epoch?.[field] === undefined || isNumber(epoch[field])) &&
      (epoch?.errorCurve === undefined ||
        (Array.isArray(epoch.errorCurve) &&
          epoch.errorCurve.every((error) => error === null || isNumber(error))))
    )
  ) {
    fail(
      "history",
      "a list of epochs with numbers for epoch, performance, meanSquaredError, trainSeconds, testSeconds " +
        "(and learningRate, validation where given)",
    );
  }
  if (!isNumber(record.performance)) fail("performance", "a number");
  if (
    !Array.isArray(record.confusion) ||
    !record.confusion.every((row) => Array.isArray(row) && row.every(isCount))
  ) {
    fail("confusion", "a list of lists of counts");
  }
  if (
    !Array.isArray(record.perClassAccuracy) ||
    !record.perClassAccuracy.every((a) => a === null || isNumber(a))
  ) {
    fail("perClassAccuracy", "a list of numbers or null");
  }
  const timings = record.timings;
  if (
    typeof timings !== "object" || timings === null ||
    !["loadSeconds", "trainSeconds", "testSeconds", "totalSeconds"].every((field) =>
      isNumber((timings as Record<string, unknown>)[field])
    )
  ) {
    fail("timings", "numbers for loadSeconds, trainSeconds, testSeconds, totalSeconds");
  }
  if (typeof record.machine !== "object" || record.machine === null) fail("machine", "an object");
  if (!Array.isArray(record.weights) || record.weights.length !== layers.length - 1) {
    fail("weights", `a list of ${layers.length - 1} weight files`);
  }
  for (const entry of record.weights) {
    if (typeof entry?.file !== "string" || !/^weights_\d+(\.epoch\d+)?\.npy$/.test(entry.file)) {
      fail("weights", "entries with file names like weights_0.npy");
    }
  }
  return record;
}
