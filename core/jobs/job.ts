/**
 * One whole training, as `train`, the sweeps and the dashboard run it: a network made
 * from a config (or resumed from a checkpoint), trained epoch by epoch (scoring after
 * each), and the run record that describes it, handed to a checkpoint hook after every
 * epoch for store/runs.ts to save. No I/O here.
 *
 * @module
 */
import { type Dataset, isShared, limitDataset, PIXELS } from "../data/mod.ts";
import { createEpochDistorter, type EpochDistorter } from "./distortion.ts";
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
  type RowThreads,
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
  const training = new Training(request, hooks);
  try {
    await training.start();
    for (let epoch = training.history.length + 1; epoch <= request.config.epochs; epoch++) {
      await training.keep(await training.epoch(epoch));
    }
    return training.result("complete");
  } finally {
    training.close();
  }
}

/** One training under way: its network, its epochs so far, and what shares or prepares its work. */
class Training {
  readonly net: Network;
  readonly history: EpochResult[];
  readonly #files: Record<string, Uint8Array> = {};
  readonly #request: TrainingRequest;
  readonly #hooks: RunTrainingHooks;
  readonly #config: TrainingRequest["config"];
  /** the records trained on, and those held out of them to choose settings on */
  readonly #train: Dataset;
  readonly #validation?: Dataset;
  readonly #started = performance.now();
  /** the run's id and when it began (a resumed run's own) */
  readonly #id: string;
  readonly #createdAt: string;
  #last: Score | undefined;
  #helpers: RowThreads | undefined;
  #distorter: EpochDistorter | undefined;

  constructor(request: TrainingRequest, hooks: RunTrainingHooks) {
    const { config, resume } = request;
    this.#request = request;
    this.#hooks = hooks;
    this.#config = config;
    ({ fit: this.#train, validation: this.#validation } = holdOut(request.train, config.validation ?? 0));
    this.net = createNetwork({
      layers: config.layers,
      learningRate: config.learningRate,
      init: config.init,
      activation: ACTIVATIONS[config.activation ?? "sigmoid"],
      precision: config.precision,
      kernels: config.kernels,
      random: createRandom(config.seed),
      weights: resume?.weights ?? request.initialWeights,
    });
    this.history = [...(resume?.record.history ?? [])];
    this.#id = resume?.record.id ?? makeRunId(config, request.name ?? "", new Date());
    this.#createdAt = resume?.record.createdAt ?? new Date().toISOString();
  }

  /** The helper threads (started in the background: the first records are worked alone meanwhile) and the distorter. */
  async start(): Promise<void> {
    const config = this.#config, train = this.#train;
    const threads = trainingThreads(this.#request.threads, config.kernels, (line) => console.error(line));
    if (threads > 1) {
      this.#helpers = await startRowThreads(this.net, threads, {
        test: this.#request.test,
        background: true,
        ahead: this.#request.helpers,
        // they read the training records themselves when those are on shared memory (training_worker.ts loads them so)
        ...(isShared(train.images) ? { train } : {}),
      });
    }
    // the training images distorted afresh each epoch, the next epoch's made while this one trains
    if (config.distortion && distorts(config.distortion)) {
      this.#distorter = createEpochDistorter(train, config.distortion, config.seed);
    }
  }

  /** Train epoch `epoch` and score it. */
  async epoch(epoch: number): Promise<EpochResult> {
    const config = this.#config, net = this.net, hooks = this.#hooks, distorter = this.#distorter;
    const started = performance.now();
    net.learningRate = rateAt(config.schedule ?? CONSTANT_RATE, config.learningRate, epoch, config.epochs);
    const records = distorter ? await distorter.images(epoch) : this.#train;
    if (distorter && epoch < config.epochs) distorter.prepare(epoch + 1);
    const curve = new ErrorCurve();
    const meanSquaredError = trainEpoch(net, records, {
      threads: this.#helpers,
      rotate: config.rotate,
      // runs saved before the order could be chosen were trained bilinear
      rotateOrder: config.rotateOrder ?? 1,
      progress: (done, total, meanSquaredError) => {
        // asked to stop: checked every 1,000 records, so a cancel ends the work within moments
        if (hooks.shouldStop?.()) throw new CancelledError(`cancelled during epoch ${epoch}`);
        hooks.onProgress?.(epoch, done, total, meanSquaredError, curve.add(done, meanSquaredError));
      },
    });
    const trained = performance.now();
    const held = this.#validation && score(net, this.#validation).performance;
    // the training records as they are (not their distorted copies): the gap to the test set shows
    const trainPerformance = config.trainAccuracy ? score(net, this.#train).performance : undefined;
    this.#last = score(net, this.#request.test, { threads: this.#helpers });
    return {
      epoch,
      performance: this.#last.performance,
      meanSquaredError,
      trainSeconds: (trained - started) / 1000,
      testSeconds: (performance.now() - trained) / 1000,
      ...(config.schedule ? { learningRate: net.learningRate } : {}),
      ...(this.#validation ? { validation: held } : {}),
      ...(trainPerformance !== undefined ? { trainPerformance } : {}),
      records: curve.records,
      errorCurve: curve.rounded(),
    };
  }

  /**
   * Keep an epoch: its test scores and brain scans among the run's files, a checkpoint, then
   * the epoch reported (an epoch announced is an epoch kept). Diverged weights end the run as failed.
   */
  async keep(result: EpochResult): Promise<void> {
    const { epoch } = result, config = this.#config;
    this.history.push(result);
    // the run's own test scores, kept with it: the dashboard reads them instead of scoring again
    this.#files[TEST_SCORES_FILE] = formatNpy(answersMatrix(this.#last!));
    if (!weightsAreFinite(this.net)) {
      const failure = `training diverged in epoch ${epoch}: the weights are no longer finite numbers ` +
        `(learning rate ${config.learningRate} is too large)`;
      await this.#hooks.checkpoint?.(this.result("failed", failure));
      throw new InputError(failure);
    }
    if (this.#request.backQueryEveryEpoch) {
      (await backQueryImages(this.net)).forEach((png, label) =>
        this.#files[`backquery_epoch${epoch}_${label}.png`] = png
      );
    }
    await this.#hooks.checkpoint?.(this.result(epoch < config.epochs ? "incomplete" : "complete"));
    this.#hooks.onEpoch?.(result, this.#last!);
  }

  /** The training as it stands: its network, its record (scored now if no epoch was) and its files. */
  result(status: RunStatus, failure?: string): TrainingResult {
    const request = this.#request, resume = request.resume, history = this.history;
    const latest = this.#last ??= score(this.net, request.test);
    const earlier = resume?.record.timings ??
      { loadSeconds: 0, trainSeconds: 0, testSeconds: 0, totalSeconds: 0 };
    const record: RunRecord = {
      format: RUN_FORMAT,
      version: RUN_VERSION,
      id: this.#id,
      status,
      ...(failure ? { failure } : {}),
      name: resume?.record.name ?? request.name ?? "",
      createdAt: this.#createdAt,
      config: {
        ...this.#config,
        train: { source: request.train.source, count: request.train.count },
        test: { source: request.test.source, count: request.test.count },
      },
      history: [...history],
      performance: latest.performance,
      confusion: latest.confusion,
      perClassAccuracy: latest.perClassAccuracy.map((accuracy) => Number.isNaN(accuracy) ? null : accuracy),
      timings: {
        loadSeconds: earlier.loadSeconds + (request.loadSeconds ?? 0),
        trainSeconds: history.reduce((sum, epoch) => sum + epoch.trainSeconds, 0),
        testSeconds: history.reduce((sum, epoch) => sum + epoch.testSeconds, 0),
        totalSeconds: earlier.totalSeconds + (request.loadSeconds ?? 0) +
          (performance.now() - this.#started) / 1000,
      },
      machine: describeMachine(),
      weights: describeWeights(this.net.weights),
    };
    return { net: this.net, record, files: this.#files };
  }

  close(): void {
    this.#helpers?.close();
    this.#distorter?.close();
  }
}

/**
 * An epoch's training error over each 1,000 records, from the progress reports' running mean:
 * a moving average of a fixed size, not a mean since the epoch began.
 */
class ErrorCurve {
  readonly #errors: number[] = [];
  #done = 0;
  #sum = 0;

  /** The mean squared error over `done` records so far; returns the latest block's error. */
  add(done: number, meanSquaredError: number): number {
    if (done > this.#done) {
      const sum = meanSquaredError * done;
      this.#errors.push((sum - this.#sum) / (done - this.#done));
      this.#done = done;
      this.#sum = sum;
    }
    return this.#errors.at(-1) ?? meanSquaredError;
  }

  /** The records reported. */
  get records(): number {
    return this.#done;
  }

  /** The curve, each error to 5 significant digits. */
  rounded(): number[] {
    return this.#errors.map((error) => Number(error.toPrecision(5)));
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
