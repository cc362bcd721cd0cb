/**
 * Training over a dataset, the book's way: every record in order, one at a time, for a
 * number of epochs, scoring the test set after each epoch.
 *
 * @module
 */
import { type Dataset, fillTargets, LABELS, scaleInputs } from "./dataset.ts";
import { canTrainFast, trainEpochFast } from "./fast_epoch.ts";
import { type Network, train } from "./network.ts";
import { type Score, score } from "./score.ts";

/** How often (in records) progress is reported. */
const PROGRESS_EVERY = 1000;

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
 * Train on every record of `dataset` once, in order, the book's way. Returns the epoch's
 * mean squared error. Uses the fast path (fast_epoch.ts) where it applies, which gives
 * the same weights as train() per record up to rounding.
 */
export function trainEpoch(
  net: Network,
  dataset: Dataset,
  progress?: (done: number, total: number) => void,
): number {
  if (canTrainFast(net)) return trainEpochFast(net, dataset, progress);
  const inputs = new Float64Array(net.layers[0]);
  const targets = new Float64Array(LABELS);
  let squaredErrors = 0;
  for (let record = 0; record < dataset.count; record++) {
    squaredErrors += train(
      net,
      scaleInputs(dataset, record, inputs),
      fillTargets(dataset.labels[record], targets),
    );
    if (progress && (record + 1) % PROGRESS_EVERY === 0) progress(record + 1, dataset.count);
  }
  progress?.(dataset.count, dataset.count);
  return dataset.count === 0 ? 0 : squaredErrors / dataset.count;
}

/** Train for `epochs` epochs, scoring `test` after each. Returns every epoch's result and the last score. */
export function trainEpochs(
  net: Network,
  data: { train: Dataset; test: Dataset; epochs: number },
  hooks: TrainingHooks = {},
): { history: EpochResult[]; score: Score } {
  const history: EpochResult[] = [];
  let last: Score | undefined;
  for (let epoch = 1; epoch <= data.epochs; epoch++) {
    const started = performance.now();
    const meanSquaredError = trainEpoch(
      net,
      data.train,
      hooks.onProgress && ((done, total) => hooks.onProgress!(epoch, done, total)),
    );
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
