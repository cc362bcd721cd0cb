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

/** One finished epoch as the live status shows it. */
export interface StatusEpoch {
  epoch: number;
  performance: number;
  validation?: number;
  learningRate?: number;
}

/** A training's state (JSON: streamed by the dashboard, written in live files). */
export interface TrainStatus {
  state: "idle" | "running" | "done" | "failed" | "cancelled";
  epoch?: number;
  epochs?: number;
  done?: number;
  total?: number;
  rate?: number;
  etaSeconds?: number;
  /** when the training ended (UTC, ISO): a later visitor sees it was not now */
  endedAt?: string;
  /** the training saves the ten brain scans after every epoch (its run's files) */
  scans?: boolean;
  /** trainings queued behind this one (the dashboard's queue) */
  waiting?: number;
  /** per epoch: test performance, and the held-out records' and the rate where the run has them */
  history?: StatusEpoch[];
  /** the training error so far, every few thousand records: at = epochs done (fractional) */
  trainingError?: { at: number; error: number }[];
  run?: string;
  message?: string;
  /** the epochs saved so far (a checkpoint after each): the incomplete run */
  saved?: { run: string; epochs: number };
}

/** Follows one training's messages; `status` is always the state so far. */
export interface StatusTracker {
  readonly status: TrainStatus;
  /** take a Worker message into account; true when the status changed */
  handle(message: TrainingMessage): boolean;
  /** the training ended: saved as `run`, or failed or was cancelled with `message` */
  end(state: "done" | "failed" | "cancelled", details?: { run?: string; message?: string }): void;
}

/** A tracker for a training of `epochs` epochs (the epoch shown follows the progress reports). */
export function createStatusTracker(epochs: number, options: { scans?: boolean } = {}): StatusTracker {
  const history: StatusEpoch[] = [];
  const trainingError: { at: number; error: number }[] = [];
  let saved: { run: string; epochs: number } | undefined;
  // the rate from the epoch's first report on: loading the data and the first records do not count
  let first: { epoch: number; done: number; time: number } | undefined;
  const tracker = {
    status: {
      state: "running",
      epoch: 1,
      epochs,
      done: 0,
      total: 0,
      history: [],
      ...(options.scans ? { scans: true } : {}),
    } as TrainStatus,
    handle(message: TrainingMessage): boolean {
      if (message.type === "progress") {
        const now = performance.now();
        if (!first || first.epoch !== message.epoch) {
          first = { epoch: message.epoch, done: message.done, time: now };
        }
        const seconds = (now - first.time) / 1000;
        const rate = seconds > 0 ? (message.done - first.done) / seconds : 0;
        const left = (message.total - message.done) + (epochs - message.epoch) * message.total;
        // a point every 5,000 records (and at each epoch's end): enough for a curve, light to stream
        const at = message.epoch - 1 + message.done / message.total;
        const sampled = message.done % (message.total > 20_000 ? 5000 : 1000) === 0 ||
          message.done === message.total;
        // an epoch's end is reported twice when its size is a multiple of the step: one point
        if (sampled && trainingError.at(-1)?.at !== at) {
          // the last 1,000 records' error: a mean since the epoch began drops at every epoch's start and misleads
          trainingError.push({ at, error: message.recentError });
        }
        tracker.status = {
          ...tracker.status,
          trainingError: [...trainingError],
          epoch: message.epoch,
          done: message.done,
          total: message.total,
          rate,
          etaSeconds: rate ? left / rate : undefined,
        };
        return true;
      }
      if (message.type === "epoch") {
        const { epoch, performance, validation, learningRate } = message.result;
        history.push({
          epoch,
          performance,
          ...(validation !== undefined ? { validation } : {}),
          ...(learningRate !== undefined ? { learningRate } : {}),
        });
        tracker.status = { ...tracker.status, history: [...history] };
        return true;
      }
      if (message.type === "checkpoint") {
        saved = {
          run: message.directory.slice(message.directory.lastIndexOf("/") + 1),
          epochs: message.epoch,
        };
        tracker.status = { ...tracker.status, saved };
        return true;
      }
      return false;
    },
    end(state: "done" | "failed" | "cancelled", details: { run?: string; message?: string } = {}) {
      const common = {
        history,
        epochs,
        endedAt: new Date().toISOString(),
        ...(options.scans ? { scans: true } : {}),
      };
      tracker.status = state === "done"
        ? { state, run: details.run, trainingError, ...common }
        : state === "failed"
        ? { state, message: details.message, ...common }
        : { state, ...common, ...(saved ? { saved } : {}) };
    },
  };
  return tracker;
}
