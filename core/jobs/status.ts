/**
 * A training's state as people watch it — epoch, records done, rate, time left, the
 * training error every few thousand records and the test performance after each epoch —
 * built from a training Worker's messages. One builder for both watchers: the dashboard's
 * own training (streamed to the Train page) and a command-line training (written to its
 * live file, which the dashboard reads).
 *
 * @module
 */
import type { TrainingMessage } from "./pool.ts";
import { RUN_ID } from "../store/run_format.ts";
import { flag, list, number, oneOf, record, text, v, whole } from "../store/schema.ts";

/** One finished epoch as the live status shows it. */
export const STATUS_EPOCH = record({
  epoch: whole(1),
  performance: number(),
  validation: v.optional(number()),
  learningRate: v.optional(number()),
});
export type StatusEpoch = v.InferOutput<typeof STATUS_EPOCH>;

/** The states a training is in. */
export const TRAIN_STATES = ["idle", "running", "done", "failed", "cancelled"] as const;

/** A training's state (JSON: streamed by the dashboard, written in live files, where it is checked). */
export const TRAIN_STATUS = record({
  state: oneOf(TRAIN_STATES),
  epoch: v.optional(whole()),
  epochs: v.optional(whole()),
  done: v.optional(whole()),
  total: v.optional(whole()),
  rate: v.optional(number()),
  etaSeconds: v.optional(number()),
  /** when the training ended (UTC, ISO): a later visitor sees it was not now */
  endedAt: v.optional(text()),
  /** the training saves the ten brain scans after every epoch (its run's files) */
  scans: v.optional(flag()),
  /** trainings queued behind this one (the dashboard's queue) */
  waiting: v.optional(whole()),
  /** per epoch: test performance, and the held-out records' and the rate where the run has them */
  history: v.optional(list(STATUS_EPOCH)),
  /** the training error so far, every few thousand records: at = epochs done (fractional) */
  trainingError: v.optional(list(record({ at: number(), error: number() }))),
  run: v.optional(text()),
  message: v.optional(text()),
  /** the epochs saved so far (a checkpoint after each): the incomplete run */
  saved: v.optional(record({
    run: v.pipe(text(), v.regex(RUN_ID, "a run's id")),
    epochs: whole(),
  })),
});
export type TrainStatus = v.InferOutput<typeof TRAIN_STATUS>;

/** The ways a training ends. */
export type TrainingEnd = "done" | "failed" | "cancelled";

/** Follows one training's messages; `status` is always the state so far. */
export class StatusTracker {
  status: TrainStatus;
  readonly #epochs: number;
  readonly #scans: boolean;
  readonly #history: StatusEpoch[] = [];
  readonly #trainingError: { at: number; error: number }[] = [];
  #saved: { run: string; epochs: number } | undefined;
  /** the rate from the epoch's first report on: loading the data and the first records do not count */
  #first: { epoch: number; done: number; time: number } | undefined;

  /** For a training of `epochs` epochs (the epoch shown follows the progress reports). */
  constructor(epochs: number, options: { scans?: boolean } = {}) {
    this.#epochs = epochs;
    this.#scans = options.scans === true;
    this.status = {
      state: "running",
      epoch: 1,
      epochs,
      done: 0,
      total: 0,
      history: [],
      ...(this.#scans ? { scans: true } : {}),
    };
  }

  /** Take a Worker message into account; true when the status changed. */
  handle(message: TrainingMessage): boolean {
    if (message.type === "progress") this.#progress(message);
    else if (message.type === "epoch") this.#epoch(message.result);
    else if (message.type === "checkpoint") this.#checkpoint(message.directory, message.epoch);
    else return false;
    return true;
  }

  #progress(message: Extract<TrainingMessage, { type: "progress" }>): void {
    const now = performance.now();
    if (!this.#first || this.#first.epoch !== message.epoch) {
      this.#first = { epoch: message.epoch, done: message.done, time: now };
    }
    const seconds = (now - this.#first.time) / 1000;
    const rate = seconds > 0 ? (message.done - this.#first.done) / seconds : 0;
    const left = (message.total - message.done) + (this.#epochs - message.epoch) * message.total;
    // a point every 5,000 records (and at each epoch's end): enough for a curve, light to stream
    const at = message.epoch - 1 + message.done / message.total;
    const sampled = message.done % (message.total > 20_000 ? 5000 : 1000) === 0 ||
      message.done === message.total;
    // an epoch's end is reported twice when its size is a multiple of the step: one point
    if (sampled && this.#trainingError.at(-1)?.at !== at) {
      // the last 1,000 records' error: a mean since the epoch began drops at every epoch's start and misleads
      this.#trainingError.push({ at, error: message.recentError });
    }
    this.status = {
      ...this.status,
      trainingError: [...this.#trainingError],
      epoch: message.epoch,
      done: message.done,
      total: message.total,
      rate,
      etaSeconds: rate ? left / rate : undefined,
    };
  }

  #epoch({ epoch, performance, validation, learningRate }: StatusEpoch): void {
    this.#history.push({
      epoch,
      performance,
      ...(validation !== undefined ? { validation } : {}),
      ...(learningRate !== undefined ? { learningRate } : {}),
    });
    this.status = { ...this.status, history: [...this.#history] };
  }

  #checkpoint(directory: string, epochs: number): void {
    this.#saved = { run: directory.slice(directory.lastIndexOf("/") + 1), epochs };
    this.status = { ...this.status, saved: this.#saved };
  }

  /** The training ended: saved as `run`, or failed or was cancelled with `message`. */
  end(state: TrainingEnd, details: { run?: string; message?: string } = {}): void {
    const common = {
      history: this.#history,
      epochs: this.#epochs,
      endedAt: new Date().toISOString(),
      ...(this.#scans ? { scans: true } : {}),
    };
    this.status = state === "done"
      ? { state, run: details.run, trainingError: this.#trainingError, ...common }
      : state === "failed"
      ? { state, message: details.message, ...common }
      : { state, ...common, ...(this.#saved ? { saved: this.#saved } : {}) };
  }
}
