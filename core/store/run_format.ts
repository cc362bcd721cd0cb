/**
 * run.json, the record of a saved run, declared once (a valibot schema: the type and the
 * check). Format `myonn-run`, version 1; a reader refuses other formats and newer versions
 * and names the field that is wrong. Fields added after the first runs were written are
 * optional, or read with the value those runs were trained with.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { KERNELS } from "../kernels/mod.ts";
import { type ActivationName, ACTIVATIONS, INIT_RULES } from "../model/mod.ts";
import { LABELS, PIXELS } from "../mnist.ts";
import { parseJson } from "./json.ts";
import { MACHINE } from "./machine.ts";
import {
  checkValue,
  flag,
  list,
  nonNegative,
  number,
  numberOrNaN,
  oneOf,
  record,
  text,
  v,
  whole,
} from "./schema.ts";

/** Written in run.json; a reader refuses other formats and newer versions. */
export const RUN_FORMAT = "myonn-run";
export const RUN_VERSION = 1;

/** The longest note on a run, in characters. */
export const MAX_NOTE = 2000;
/** The most tags a run has, and a tag's form: letters, digits, . _ - up to 32. */
export const MAX_TAGS = 20;
export const TAG = /^[\p{L}\p{N}._-]{1,32}$/u;

/** A run id as myonn makes them: letters, digits, `.`, `_`, `-`, not starting with `.`. */
export const RUN_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;

/** Where a run stands; see RunRecord.status. */
export const RUN_STATUSES = ["complete", "incomplete", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What one epoch did. */
export const EPOCH_RESULT = record({
  /** 1-based */
  epoch: whole(1),
  // a failed run's last epoch may have no finite error: JSON writes NaN as null, read back as NaN
  /** the book's performance on the test set after this epoch */
  performance: numberOrNaN(),
  /** mean over records of the mean squared output error, measured before each update */
  meanSquaredError: numberOrNaN(),
  trainSeconds: numberOrNaN(),
  testSeconds: numberOrNaN(),
  /** the learning rate this epoch trained at (runs with a schedule; others trained at config.learningRate) */
  learningRate: v.optional(number()),
  /** performance on the validation records after this epoch (runs with config.validation) */
  validation: v.optional(number()),
  /** the records trained this epoch (copies included) */
  records: v.optional(whole()),
  /** performance on the training records (undistorted) after this epoch (runs with config.trainAccuracy) */
  trainPerformance: v.optional(number()),
  /** the training error over each 1,000 records of the epoch, in order (the last block may be shorter) */
  errorCurve: v.optional(list(v.nullable(number("numbers or null")), "a list of numbers or null")),
});
export type EpochResult = v.InferOutput<typeof EPOCH_RESULT>;

/** The learning-rate schedules (training/schedule.ts says what each does). */
export const SCHEDULES = ["constant", "exponential", "step", "linear", "cosine"] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/** A schedule and its numbers (each used by the schedules that name it). */
export const SCHEDULE = record({
  name: oneOf(SCHEDULES),
  /** exponential and step: the factor per epoch or per step (0 < decay ≤ 1) */
  decay: v.pipe(number("a number > 0"), v.gtValue(0, "a number > 0")),
  /** step: epochs per step */
  every: whole(1),
  /** linear and cosine: the rate in the last epoch */
  finalRate: nonNegative(),
});
export type Schedule = v.InferOutput<typeof SCHEDULE>;

/** How much the training images are distorted, afresh each epoch (training/distort.ts); every range 0 turns its part off. */
export const DISTORTION = record({
  /** largest rotation, degrees */
  rotate: nonNegative(),
  /** largest change of scale along an axis, as a fraction (0.15: ×0.85…×1.15) */
  scale: v.pipe(nonNegative("a number ≥ 0 and below 1"), v.ltValue(1, "a number ≥ 0 and below 1")),
  /** largest horizontal shear, degrees */
  shear: nonNegative(),
  /** largest shift along each axis, pixels */
  shift: nonNegative(),
  /** the elastic field's smoothing, pixels (Simard's σ) */
  sigma: nonNegative(),
  /** the elastic field's strength, pixels (Simard's α); 0: no elastic distortion */
  alpha: nonNegative(),
});
export type Distortion = v.InferOutput<typeof DISTORTION>;

/** A network's layers as a run holds them: MNIST's pixels in, hidden layers, its ten digits out. */
const LAYERS = v.pipe(
  list(v.pipe(whole(1), v.maxValue(100_000)), "a list of at least 3 whole numbers 1–100,000"),
  v.minLength(3, "a list of at least 3 whole numbers 1–100,000"),
  v.check(
    (layers) => layers[0] === PIXELS && layers.at(-1) === LABELS,
    `${PIXELS} inputs first and ${LABELS} outputs last`,
  ),
);

/** A data set's source and how many of its records were used. */
const DATA = record({ source: text(), count: whole() }, "{ source: text, count: a whole number }");

/** Everything needed to repeat a training. */
export const RUN_CONFIG = record({
  /** nodes per layer, input first */
  layers: LAYERS,
  learningRate: number(),
  epochs: whole(),
  seed: whole(),
  /** the initialisation rule (runs written before it could vary used the book's printed code's) */
  init: v.optional(oneOf(INIT_RULES), "book"),
  /** rotated copies: each record is also trained rotated by ±rotate degrees (0: none) */
  rotate: v.optional(number(), 0),
  /** how the copies are interpolated: 3 (cubic spline, the book's call) or 1 (bilinear); runs written before it could vary used 1 */
  rotateOrder: v.optional(v.picklist([1, 3], "1 or 3")),
  /** the activation function (runs written before it could vary have none: the sigmoid); own names only: "toString" is none */
  activation: v.optional(
    v.custom<ActivationName>(
      (name) => typeof name === "string" && Object.hasOwn(ACTIVATIONS, name),
      `one of ${Object.keys(ACTIVATIONS).join(", ")}`,
    ),
  ),
  /** float32 or float64 arithmetic (runs written before it could vary: float64) */
  precision: v.optional(v.picklist(["f32", "f64"], `"f32" or "f64"`), "f64"),
  /** which implementation of the hot loops (runs written before it could vary: plain TypeScript) */
  kernels: v.optional(oneOf(KERNELS), "plain"),
  train: DATA,
  test: DATA,
  /** the folder the starting weights came from, if not drawn from the seed */
  initWeights: v.optional(v.nullable(text("a folder's name or null")), null),
  /** the last `validation` records of the training set are held out and scored after each epoch (absent: 0) */
  validation: v.optional(whole()),
  /** the learning rate per epoch (absent: constant, the book's) */
  schedule: v.optional(SCHEDULE),
  /** the training images distorted afresh each epoch (absent: none, the book's) */
  distortion: v.optional(DISTORTION),
  /** the training records are scored after every epoch too (absent: not) */
  trainAccuracy: v.optional(flag()),
});
export type RunConfig = v.InferOutput<typeof RUN_CONFIG>;

/** One weight file of a run, in layer order. */
const WEIGHT_FILE = record({
  file: v.pipe(text(), v.regex(/^weights_\d+(\.epoch\d+)?\.npy$/, "a file name like weights_0.npy")),
  rows: whole(),
  cols: whole(),
  book: v.optional(text()),
});

/** The contents of run.json. */
export const RUN_RECORD = v.pipe(
  record({
    format: v.literal(RUN_FORMAT),
    version: v.literal(RUN_VERSION),
    id: text(),
    /**
     * complete: all epochs trained; incomplete: a checkpoint after `history.length` epochs
     * (interrupted, or still training), resumable; failed: training stopped (see `failure`).
     * Runs written before this field existed are complete.
     */
    status: v.optional(oneOf(RUN_STATUSES)),
    /** why a failed run stopped */
    failure: v.optional(text()),
    name: text(),
    /** the user's note on the run (runs, the dashboard) */
    note: v.optional(
      v.pipe(
        text("text of at most 2,000 characters"),
        v.maxLength(MAX_NOTE, "text of at most 2,000 characters"),
      ),
    ),
    /** the user's tags: words of letters, digits, . _ - */
    tags: v.optional(
      v.pipe(
        list(
          v.pipe(text(), v.regex(TAG, "words of letters, digits, . _ -")),
          "a list of at most 20 words of letters, digits, . _ -",
        ),
        v.maxLength(MAX_TAGS, "a list of at most 20 words of letters, digits, . _ -"),
      ),
    ),
    createdAt: text(),
    config: RUN_CONFIG,
    history: list(EPOCH_RESULT, "a list of epochs"),
    /** performance on the test set after the last epoch */
    performance: number(),
    /** confusion[label][answer] */
    confusion: list(list(whole(0, "counts"), "a list of counts"), "a list of lists of counts"),
    /** per digit; null where the test set has none of that digit */
    perClassAccuracy: list(v.nullable(number("numbers or null")), "a list of numbers or null"),
    timings: record({
      loadSeconds: number(),
      trainSeconds: number(),
      testSeconds: number(),
      totalSeconds: number(),
    }),
    machine: MACHINE,
    /** the weight files, in layer order */
    weights: list(WEIGHT_FILE, "a list of weight files"),
  }),
  v.forward(
    v.check(
      (run) => run.weights.length === run.config.layers.length - 1,
      "one weight file per layer of links (config.layers' length − 1)",
    ),
    ["weights"],
  ),
);
export type RunRecord = v.InferOutput<typeof RUN_RECORD>;

/**
 * Check a run.json's text and return the record: anything missing or of the wrong kind is an
 * InputError naming the file and the field.
 */
export function parseRunRecord(text: string, path: string): RunRecord {
  const value = parseJson(text, path) as { format?: unknown; version?: unknown } | null;
  if (typeof value !== "object" || value === null || Array.isArray(value) || value.format !== RUN_FORMAT) {
    throw new InputError(`${path} is not a myonn run: expected "format": "${RUN_FORMAT}"`);
  }
  if (value.version !== RUN_VERSION) {
    throw new InputError(
      `${path} has format version ${value.version}, this myonn reads version ${RUN_VERSION}: use the myonn that wrote it`,
    );
  }
  return checkValue(RUN_RECORD, value, path);
}
