/**
 * One whole training, as `train`, the sweeps and the dashboard run it: a network made
 * from a config (or resumed from a checkpoint), trained epoch by epoch (scoring after
 * each), and the run record that describes it, handed to a checkpoint hook after every
 * epoch for store/runs.ts to save. No I/O here.
 *
 * @module
 */
import { type Dataset, isShared, limitDataset, PIXELS } from "../data/mod.ts";
import { createEpochDistorter } from "./distortion.ts";
import { backQueryImages } from "../training/mod.ts";
import type { Matrix } from "../kernels/mod.ts";
import { CancelledError, InputError } from "../errors.ts";
import { canShareMemory } from "../kernels/mod.ts";
import { ACTIVATIONS, createNetwork, createRandom, type Network } from "../model/mod.ts";
import {
  describeMachine,
  describeWeights,
  formatNpy,
  makeRunId,
  RUN_FORMAT,
  RUN_VERSION,
  type RunConfig,
  type RunRecord,
  type RunStatus,
} from "../store/mod.ts";
import {
  answersMatrix,
  CONSTANT_RATE,
  DEFAULT_THREADS,
  distorts,
  type EpochResult,
  rateAt,
  type Score,
  score,
  startRowThreads,
  TEST_SCORES_FILE,
  trainEpoch,
  type TrainingHooks,
} from "../training/mod.ts";

/** Everything one training needs. */
export interface TrainingRequest {
  config: Omit<RunConfig, "train" | "test">;
  train: Dataset;
  test: Dataset;
  /** start from these weights instead of drawing them from the seed */
  initialWeights?: Matrix[];
  name?: string;
  /** keep the ten brain scans after every epoch (as PNG bytes, by file name) */
  backQueryEveryEpoch?: boolean;
  /** seconds spent loading the data, for the record */
  loadSeconds?: number;
  /** threads sharing each record's work (default: DEFAULT_THREADS where they can be; the weights are the same for any number) */
  threads?: number;
  /** continue a saved run from its last completed epoch (its record and weights) */
  resume?: { record: RunRecord; weights: Matrix[] };
  /** helper threads started ahead for this training by the thread that started its Worker (training/thread_protocol.ts) */
  helpers?: MessagePort[];
}

/** A training's state: the network, its record and any files to save with it. */
export interface TrainingResult {
  net: Network;
  record: RunRecord;
  /** extra files for the run folder, by name */
  files: Record<string, Uint8Array>;
}

/** Callbacks of runTraining: progress, epochs, and a checkpoint after every epoch. */
export interface RunTrainingHooks extends TrainingHooks {
  /** whether to stop now (a cancel): asked every 1,000 records */
  shouldStop?(): boolean;
  /** save the state after each epoch (awaited before the next epoch starts) */
  checkpoint?(state: TrainingResult): Promise<void>;
}

/** Whether every weight is a finite number (training with too large a rate can overflow). */
function weightsAreFinite(net: Network): boolean {
  return net.weights.every((matrix) => matrix.data.every(Number.isFinite));
}

/**
 * Train as `request` says, epoch by epoch, scoring the test set after each and handing a
 * checkpoint to `hooks.checkpoint`. Training is deterministic and an epoch depends only
 * on the weights before it, so a run resumed from a checkpoint ends with exactly the
 * weights of an uninterrupted one. If the weights stop being finite numbers the run is
 * checkpointed as failed and an InputError names the epoch.
 */
export async function runTraining(
  request: TrainingRequest,
  hooks: RunTrainingHooks = {},
): Promise<TrainingResult> {
  const { config, test, resume } = request;
  const { fit: train, validation } = holdOut(request.train, config.validation ?? 0);
  const started = performance.now();
  const threads = trainingThreads(request.threads, config.kernels, (line) => console.error(line));
  const net = createNetwork({
    layers: config.layers,
    learningRate: config.learningRate,
    init: config.init,
    activation: ACTIVATIONS[config.activation ?? "sigmoid"],
    precision: config.precision,
    kernels: config.kernels,
    random: createRandom(config.seed),
    weights: resume?.weights ?? request.initialWeights,
  });
  const files: Record<string, Uint8Array> = {};
  const history: EpochResult[] = [...(resume?.record.history ?? [])];
  const id = resume?.record.id ?? makeRunId(config, request.name ?? "", new Date());
  const createdAt = resume?.record.createdAt ?? new Date().toISOString();
  const earlier = resume?.record.timings ??
    { loadSeconds: 0, trainSeconds: 0, testSeconds: 0, totalSeconds: 0 };
  const loadSeconds = earlier.loadSeconds + (request.loadSeconds ?? 0);
  let last: Score | undefined;

  const describe = (status: RunStatus, failure?: string): RunRecord => {
    const latest = last ?? score(net, test);
    last = latest;
    return {
      format: RUN_FORMAT,
      version: RUN_VERSION,
      id,
      status,
      ...(failure ? { failure } : {}),
      name: resume?.record.name ?? request.name ?? "",
      createdAt,
      config: {
        ...config,
        train: { source: request.train.source, count: request.train.count },
        test: { source: test.source, count: test.count },
      },
      history: [...history],
      performance: latest.performance,
      confusion: latest.confusion,
      perClassAccuracy: latest.perClassAccuracy.map((accuracy) => Number.isNaN(accuracy) ? null : accuracy),
      timings: {
        loadSeconds,
        trainSeconds: history.reduce((sum, epoch) => sum + epoch.trainSeconds, 0),
        testSeconds: history.reduce((sum, epoch) => sum + epoch.testSeconds, 0),
        totalSeconds: earlier.totalSeconds + (request.loadSeconds ?? 0) +
          (performance.now() - started) / 1000,
      },
      machine: describeMachine(),
      weights: describeWeights(net.weights),
    };
  };

  // started in the background: the first records are worked alone while the helpers start
  // the helpers read the training records themselves when they are on shared memory (training_worker.ts loads them so)
  const helpers = threads > 1
    ? await startRowThreads(net, threads, {
      test,
      background: true,
      ahead: request.helpers,
      ...(isShared(train.images) ? { train } : {}),
    })
    : undefined;
  // the training images distorted afresh each epoch, the next epoch's made while this one trains
  const distorter = config.distortion && distorts(config.distortion)
    ? createEpochDistorter(train, config.distortion, config.seed)
    : undefined;
  try {
    return await trainEpochs();
  } finally {
    helpers?.close();
    distorter?.close();
  }

  async function trainEpochs(): Promise<TrainingResult> {
    for (let epoch = history.length + 1; epoch <= config.epochs; epoch++) {
      const epochStarted = performance.now();
      net.learningRate = rateAt(config.schedule ?? CONSTANT_RATE, config.learningRate, epoch, config.epochs);
      const records = distorter ? await distorter.images(epoch) : train;
      if (distorter && epoch < config.epochs) distorter.prepare(epoch + 1);
      // the training error over each 1,000 records (a moving average of a fixed size, not a mean since the epoch began)
      const errorCurve: number[] = [];
      let before = { done: 0, sum: 0 };
      const meanSquaredError = trainEpoch(net, records, {
        threads: helpers,
        rotate: config.rotate,
        // runs saved before the order could be chosen were trained bilinear
        rotateOrder: config.rotateOrder ?? 1,
        progress: (done, total, meanSquaredError) => {
          // asked to stop: checked every 1,000 records, so a cancel ends the work within moments
          if (hooks.shouldStop?.()) throw new CancelledError(`cancelled during epoch ${epoch}`);
          if (done > before.done) {
            const sum = meanSquaredError * done;
            errorCurve.push((sum - before.sum) / (done - before.done));
            before = { done, sum };
          }
          hooks.onProgress?.(epoch, done, total, meanSquaredError, errorCurve.at(-1) ?? meanSquaredError);
        },
      });
      const trained = performance.now();
      const held = validation && score(net, validation).performance;
      // the training records as they are (not their distorted copies): the gap to the test set shows
      const trainPerformance = config.trainAccuracy ? score(net, train).performance : undefined;
      last = score(net, test, { threads: helpers });
      const result: EpochResult = {
        epoch,
        performance: last.performance,
        meanSquaredError,
        trainSeconds: (trained - epochStarted) / 1000,
        testSeconds: (performance.now() - trained) / 1000,
        ...(config.schedule ? { learningRate: net.learningRate } : {}),
        ...(validation ? { validation: held } : {}),
        ...(trainPerformance !== undefined ? { trainPerformance } : {}),
        records: before.done,
        errorCurve: errorCurve.map((error) => Number(error.toPrecision(5))),
      };
      history.push(result);
      // the run's own test scores, kept with it: the dashboard reads them instead of scoring again
      files[TEST_SCORES_FILE] = formatNpy(answersMatrix(last));
      if (!weightsAreFinite(net)) {
        const failure = `training diverged in epoch ${epoch}: the weights are no longer finite numbers ` +
          `(learning rate ${config.learningRate} is too large)`;
        await hooks.checkpoint?.({ net, record: describe("failed", failure), files });
        throw new InputError(failure);
      }
      if (request.backQueryEveryEpoch) {
        (await backQueryImages(net)).forEach((png, label) =>
          files[`backquery_epoch${epoch}_${label}.png`] = png
        );
      }
      await hooks.checkpoint?.({
        net,
        record: describe(epoch < config.epochs ? "incomplete" : "complete"),
        files,
      });
      // reported once it is saved: an epoch announced is an epoch kept
      hooks.onEpoch?.(result, last);
    }
    return { net, record: describe("complete"), files };
  }
}

/**
 * The training set without its last `count` records, and those records: the validation set
 * settings are chosen on (none when `count` is 0). An InputError when nothing would be left.
 */
export function holdOut(train: Dataset, count: number): { fit: Dataset; validation?: Dataset } {
  if (count === 0) return { fit: train };
  if (count >= train.count) {
    throw new InputError(
      `--validation ${count} must be below the ${train.count.toLocaleString("en")} training records of ` +
        `${train.source} it is carved from`,
    );
  }
  const kept = train.count - count;
  return {
    fit: limitDataset(train, kept),
    validation: {
      source: `${train.source} (its last ${count.toLocaleString("en")} records)`,
      images: train.images.subarray(kept * PIXELS, train.count * PIXELS),
      labels: train.labels.subarray(kept, train.count),
      count,
    },
  };
}

/**
 * The threads a training uses: as asked (by default DEFAULT_THREADS) where threads can
 * share memory and the kernels are WebAssembly; otherwise one — with a one-line `notice`
 * when more were asked for.
 */
export function trainingThreads(
  asked: number | undefined,
  kernels: string | undefined,
  notice: (line: string) => void = () => {},
): number {
  if (asked === undefined) return kernels === "wasm" && canShareMemory() ? DEFAULT_THREADS : 1;
  if (asked <= 1) return 1;
  if (kernels !== "wasm") {
    notice(`note: --threads ${asked} needs the WebAssembly kernels; training on one thread`);
    return 1;
  }
  if (!canShareMemory()) {
    notice(`note: this runtime cannot share memory between threads; training on one thread`);
    return 1;
  }
  return asked;
}
