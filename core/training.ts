/**
 * Training over a dataset, the book's way: every record in order, one at a time, for a
 * number of epochs, scoring the test set after each epoch.
 *
 * @module
 */
import { trainingSamples } from "./augment.ts";
import type { Dataset } from "./dataset.ts";
import { canTrainFast, trainEpochFast } from "./fast_epoch.ts";
import type { Network } from "./network.ts";
import { type Score, score } from "./score.ts";

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
}

/** Callbacks for long work. */
export interface TrainingHooks {
  /** records of this epoch done so far (called every 1,000 records and at the end) */
  onProgress?(epoch: number, done: number, total: number): void;
  /** an epoch finished and was scored */
  onEpoch?(result: EpochResult, score: Score): void;
}

/**
 * Train on every record of `dataset` once, in order, the book's way — with `rotate` A > 0,
 * each record followed by its copies rotated by ±A°. Returns the epoch's mean squared
 * error. Runs the fast path (fast_epoch.ts): the same weights as train() per record, up
 * to rounding.
 */
export function trainEpoch(
  net: Network,
  dataset: Dataset,
  options: { rotate?: number; progress?: (done: number, total: number) => void } = {},
): number {
  if (!canTrainFast(net)) throw new RangeError(`trainEpoch() needs a first layer of a multiple of 4 inputs`);
  return trainEpochFast(net, trainingSamples(dataset, options), options.progress);
}

/** Train for `epochs` epochs (with rotated copies for `rotate` > 0), scoring `test` after each. Returns every epoch's result and the last score. */
export function trainEpochs(
  net: Network,
  data: { train: Dataset; test: Dataset; epochs: number; rotate?: number },
  hooks: TrainingHooks = {},
): { history: EpochResult[]; score: Score } {
  const history: EpochResult[] = [];
  let last: Score | undefined;
  for (let epoch = 1; epoch <= data.epochs; epoch++) {
    const started = performance.now();
    const meanSquaredError = trainEpoch(net, data.train, {
      rotate: data.rotate,
      progress: hooks.onProgress && ((done, total) => hooks.onProgress!(epoch, done, total)),
    });
    const trained = performance.now();
    last = score(net, data.test);
    const result: EpochResult = {
      epoch,
      performance: last.performance,
      meanSquaredError,
      trainSeconds: (trained - started) / 1000,
      testSeconds: (performance.now() - trained) / 1000,
    };
    history.push(result);
    hooks.onEpoch?.(result, last);
  }
  return { history, score: last ?? score(net, data.test) };
}
