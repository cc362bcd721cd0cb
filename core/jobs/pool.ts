/**
 * Trainings on Workers (a Worker is a thread with its own V8 heap): many at once, one per
 * core, for sweeps; or one in the background with live progress, for the dashboard. Each
 * run is still the same deterministic single-threaded training: the same seed gives the
 * same numbers.
 *
 * @module
 */
import { type ErrorKind, errorOfKind } from "../errors.ts";
import { readRunRecord, type RunConfig, type RunRecord, type RunStatus } from "../store/mod.ts";
import { InputError } from "../errors.ts";
import { type EpochResult, type HelpersAhead, startHelpersAhead } from "../training/mod.ts";
import { trainingThreads } from "./job.ts";
import type { Settings } from "../settings.ts";
import { LABELS, PIXELS } from "../data/mod.ts";
import { type Distortion, distorts, type RotationOrder } from "../training/mod.ts";

/** The distortion the settings ask for. */
export function distortionOf(settings: Settings): Distortion {
  return {
    rotate: settings.distortRotate,
    scale: settings.distortScale,
    shear: settings.distortShear,
    shift: settings.distortShift,
    sigma: settings.elasticSigma,
    alpha: settings.elasticAlpha,
  };
}

/** One training to run: its config and where its data comes from. */
export interface TrainingJob {
  config: Omit<RunConfig, "train" | "test">;
  train: string;
  test: string;
  limitTrain?: number;
  limitTest?: number;
  /** post progress and epoch messages while training */
  report?: boolean;
  /** save the run (weights too) into runsDir, checkpointed after every epoch */
  save?: { runsDir: string; name?: string };
  /** continue the saved run in this folder from its last completed epoch */
  resume?: string;
  /** save the ten brain scans after every epoch */
  backQueryEveryEpoch?: boolean;
  /** threads sharing each record's work (the weights do not depend on it) */
  threads?: number;
}

/** What a Worker sends back. */
export type TrainingMessage =
  | {
    index: number;
    type: "progress";
    epoch: number;
    done: number;
    total: number;
    meanSquaredError: number;
    /** the mean over the last 1,000 records */
    recentError: number;
  }
  | { index: number; type: "epoch"; result: EpochResult }
  | { index: number; type: "checkpoint"; directory: string; epoch: number; status: RunStatus }
  | { index: number; type: "done"; record: RunRecord; directory?: string }
  | { index: number; type: "failed"; message: string; kind: ErrorKind };

function createTrainingWorker(): Worker {
  return new Worker(new URL("./training_worker.ts", import.meta.url).href, { type: "module" });
}

/**
 * Hand `job` to a training Worker, with its helper threads started here, ahead, when it
 * trains on more than one (a Worker started from a Worker starts slowly:
 * thread_protocol.ts). Returns them, to end when the job has ended; a helper that fails
 * calls `failed`.
 */
function sendJob(
  worker: Worker,
  message: { index: number; job: TrainingJob; stop?: Int32Array },
  failed: (error: Error) => void,
): HelpersAhead {
  const { job } = message;
  const ahead = startHelpersAhead(trainingThreads(job.threads, job.config.kernels) - 1, failed);
  worker.postMessage({ ...message, helpers: ahead.ports }, ahead.ports);
  return ahead;
}

/** The error a failed message stands for. */
function failure(message: Extract<TrainingMessage, { type: "failed" }>): Error {
  return errorOfKind(message.kind, message.message);
}

/**
 * Run `jobs` on `workers` Workers (default: one per core). Results come back in job
 * order; `onDone` is called as each finishes. An error in any job (a bad data file) stops
 * the pool and is thrown.
 */
export async function runTrainingJobs(
  jobs: readonly TrainingJob[],
  options: { workers?: number; onDone?: (index: number, record: RunRecord, done: number) => void } = {},
): Promise<RunRecord[]> {
  const count = Math.max(1, Math.min(jobs.length, options.workers ?? navigator.hardwareConcurrency ?? 1));
  const results: RunRecord[] = new Array(jobs.length);
  let next = 0, done = 0;
  const workers = Array.from({ length: count }, createTrainingWorker);
  // each job's helper threads, if it has any, ended with it
  const helpers = new Set<HelpersAhead>();
  try {
    await Promise.all(workers.map((worker) =>
      new Promise<void>((resolve, reject) => {
        let own: HelpersAhead | undefined;
        const give = () => {
          own?.end();
          if (own) helpers.delete(own);
          if (next >= jobs.length) return resolve();
          const index = next++;
          own = sendJob(worker, { index, job: jobs[index] }, reject);
          helpers.add(own);
        };
        worker.onmessage = (event: MessageEvent<TrainingMessage>) => {
          const message = event.data;
          if (message.type === "failed") {
            next = jobs.length; // stop handing out work
            return reject(failure(message));
          }
          if (message.type !== "done") return;
          results[message.index] = message.record;
          options.onDone?.(message.index, message.record, ++done);
          give();
        };
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(`a training worker failed: ${event.message}`));
        };
        give();
      })
    ));
  } finally {
    for (const worker of workers) worker.terminate();
    for (const ahead of helpers) ahead.end();
  }
  return results;
}

/** A training running in the background. */
export interface BackgroundTraining {
  /** the saved run's record and folder, when it finishes */
  finished: Promise<{ record: RunRecord; directory?: string }>;
  /**
   * Stop it: the epochs checkpointed so far stay saved, the current one is lost. Resolves
   * once the Worker has stopped working (`finished` then rejects with a CancelledError).
   */
  cancel(): Promise<void>;
}

/**
 * How long a cancelled Worker gets to stop by itself before it is terminated anyway. It
 * checks every 1,000 records; Worker.terminate() alone does not stop a Worker busy in a
 * long synchronous loop (it goes on holding a core).
 */
const STOP_GRACE_MS = 30_000;

/** Start one training on its own Worker, reporting progress as it goes. */
export function startTraining(
  job: TrainingJob,
  listener: (message: TrainingMessage) => void,
): BackgroundTraining {
  const worker = createTrainingWorker();
  // set to 1 to ask the Worker to stop; it checks between records
  const stop = new Int32Array(new SharedArrayBuffer(4));
  let ended!: () => void;
  const workerEnded = new Promise<void>((resolve) => (ended = resolve));
  let helpers: HelpersAhead | undefined;
  const end = () => {
    worker.terminate();
    helpers?.end();
    ended();
  };
  const finished = new Promise<{ record: RunRecord; directory?: string }>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<TrainingMessage>) => {
      const message = event.data;
      listener(message);
      if (message.type === "done") {
        end();
        resolve({ record: message.record, directory: message.directory });
      } else if (message.type === "failed") {
        end();
        reject(failure(message));
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      end();
      reject(new Error(`the training worker failed: ${event.message}`));
    };
    helpers = sendJob(worker, { index: 0, job: { ...job, report: true }, stop }, (error) => {
      end();
      reject(error);
    });
  });
  return {
    finished,
    async cancel() {
      Atomics.store(stop, 0, 1);
      const grace = setTimeout(end, STOP_GRACE_MS);
      await workerEnded;
      clearTimeout(grace);
    },
  };
}

/**
 * The job that trains `settings` (core/settings.ts): the one place where settings become a
 * run's config. `extra` adds what is not a training setting (where to save, starting weights).
 */
export function trainingJob(
  settings: Settings,
  extra: Partial<Omit<TrainingJob, "config">> & { initWeights?: string | null } = {},
): TrainingJob {
  const { initWeights = null, ...rest } = extra;
  return {
    config: {
      layers: [PIXELS, ...settings.hidden, LABELS],
      learningRate: settings.learningRate,
      epochs: settings.epochs,
      seed: settings.seed,
      init: settings.init,
      activation: settings.activation,
      rotate: settings.rotate,
      rotateOrder: settings.rotateOrder as RotationOrder,
      precision: settings.precision,
      kernels: settings.kernels,
      initWeights,
      // beyond the book, written only when used: a book run's record stays as it was
      ...(settings.validation > 0 ? { validation: settings.validation } : {}),
      ...(settings.trainAccuracy === "yes" ? { trainAccuracy: true } : {}),
      ...(settings.schedule !== "constant"
        ? {
          schedule: {
            name: settings.schedule,
            decay: settings.decay,
            every: settings.decayEvery,
            finalRate: settings.finalRate,
          },
        }
        : {}),
      ...(distorts(distortionOf(settings)) ? { distortion: distortionOf(settings) } : {}),
    },
    train: settings.train,
    test: settings.test,
    limitTrain: settings.limitTrain,
    limitTest: settings.limitTest,
    threads: settings.threads,
    ...rest,
  };
}

/** The job that continues a saved, incomplete run from its last completed epoch. */
export async function resumeJob(directory: string): Promise<TrainingJob> {
  const record = await readRunRecord(directory.replace(/\/+$/, ""));
  if ((record.status ?? "complete") === "complete" && record.history.length >= record.config.epochs) {
    throw new InputError(
      `${directory} is complete (${record.history.length} of ${record.config.epochs} epochs): nothing to resume`,
    );
  }
  if (record.status === "failed") {
    throw new InputError(`${directory} failed (${record.failure}): it cannot be resumed`);
  }
  const { train, test, ...config } = record.config;
  const clean = directory.replace(/\/+$/, "");
  return {
    config,
    train: train.source,
    test: test.source,
    limitTrain: train.count,
    limitTest: test.count,
    resume: clean,
    save: { runsDir: clean.slice(0, Math.max(0, clean.lastIndexOf("/"))) || ".", name: record.name },
    // a run that saved brain scans per epoch goes on saving them
    backQueryEveryEpoch: await Deno.stat(`${clean}/backquery_epoch1_0.png`).then(() => true, () => false),
  };
}
