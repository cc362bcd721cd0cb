/**
 * Training over a dataset, the book's way: every record in order, one at a time. The
 * epochs, scoring and checkpoints around it are jobs/job.ts.
 *
 * @module
 */
import { type RotationOrder, trainingSamples } from "./rotation.ts";
import type { Dataset } from "../data/mod.ts";
import { canTrainFast, trainEpochFast } from "./fast_epoch.ts";
import { trainEpochBook } from "./book_epoch.ts";
import type { Network } from "../model/mod.ts";
import type { RowThreads } from "./threads.ts";
import type { Score } from "./score.ts";

// what one epoch did: part of the run format, so it lives with it (store/run_format.ts)
export type { EpochResult } from "../store/mod.ts";
import type { EpochResult } from "../store/mod.ts";

/** Callbacks for long work. */
export interface TrainingHooks {
  /** records of this epoch done so far (called every 1,000 records and at the end) */
  onProgress?(
    epoch: number,
    done: number,
    total: number,
    meanSquaredError: number,
    recentError: number,
  ): void;
  /** an epoch finished and was scored */
  onEpoch?(result: EpochResult, score: Score): void;
}

/**
 * Train on every record of `dataset` once, in order, the book's way — with `rotate` A > 0,
 * each record followed by its copies rotated by ±A°. Returns the epoch's mean squared
 * error. Runs the fast path (fast_epoch.ts): the same weights as train() per record, up
 * to rounding — or, for a network made with the `book` kernels, the book's own class
 * (book_epoch.ts).
 */
export function trainEpoch(
  net: Network,
  dataset: Dataset,
  options: {
    rotate?: number;
    rotateOrder?: RotationOrder;
    progress?: (done: number, total: number, meanSquaredError: number) => void;
    threads?: RowThreads;
  } = {},
): number {
  if (net.kernels.name === "book") return trainEpochBook(net, trainingSamples(dataset, options), options);
  if (!canTrainFast(net)) throw new RangeError(`trainEpoch() needs a first layer of a multiple of 4 inputs`);
  return trainEpochFast(net, trainingSamples(dataset, options), options);
}
