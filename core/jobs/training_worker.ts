/**
 * A Worker that runs trainings for pool.ts: it loads each dataset once, trains
 * as asked (from the seed, from given weights, or resuming a saved run), optionally
 * reports progress and saves a checkpoint after every epoch, and posts back the run
 * record (not the weights). Messages are plain JSON.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type Dataset, limitDataset, loadDataset } from "../data/mod.ts";
import { canShareMemory } from "../kernels/mod.ts";
import { errorKind } from "../errors.ts";
import { runTraining, type TrainingResult } from "./job.ts";
import { loadInitialWeights, loadRun, type RunRecord, writeCheckpoint } from "../store/mod.ts";
import type { EpochResult } from "../training/mod.ts";
import type { TrainingJob, TrainingMessage } from "./pool.ts";

const datasets = new Map<string, Promise<Dataset>>();

/** A dataset, loaded once per source onto shared memory where there is some (a training's helper threads then read it as it is). */
function dataset(source: string, limit: number | undefined): Promise<Dataset> {
  if (!datasets.has(source)) {
    datasets.set(source, loadDataset(source, { shared: canShareMemory() }));
  }
  return datasets.get(source)!.then((loaded) => limitDataset(loaded, limit));
}

function post(message: TrainingMessage): void {
  self.postMessage(message);
}

self.onmessage = async (
  event: MessageEvent<{ index: number; job: TrainingJob; stop?: Int32Array; helpers?: MessagePort[] }>,
) => {
  const { index, job, stop, helpers } = event.data;
  try {
    const started = performance.now();
    const [train, test] = await Promise.all([
      dataset(job.train, job.limitTrain),
      dataset(job.test, job.limitTest),
    ]);
    const resumed = job.resume ? await loadRun(job.resume) : undefined;
    const initialWeights = !resumed && job.config.initWeights
      ? await loadInitialWeights(job.config.initWeights, job.config.layers)
      : undefined;
    let directory = resumed?.directory;
    let saved: RunRecord | undefined;
    const { record } = await runTraining({
      config: job.config,
      train,
      test,
      name: job.save?.name,
      initialWeights,
      backQueryEveryEpoch: job.backQueryEveryEpoch,
      threads: job.threads,
      helpers,
      resume: resumed && { record: resumed.record, weights: resumed.weights },
      loadSeconds: (performance.now() - started) / 1000,
    }, {
      shouldStop: () => stop !== undefined && Atomics.load(stop, 0) === 1,
      ...(job.report
        ? {
          onProgress: (
            epoch: number,
            done: number,
            total: number,
            meanSquaredError: number,
            recentError: number,
          ) => post({ index, type: "progress", epoch, done, total, meanSquaredError, recentError }),
          onEpoch: (result: EpochResult) => post({ index, type: "epoch", result }),
        }
        : {}),
      ...(job.save
        ? {
          async checkpoint(state: TrainingResult) {
            const written = await writeCheckpoint(
              job.save!.runsDir,
              { ...state, weights: state.net.weights },
              directory,
            );
            directory = written.directory;
            saved = written.record;
            post({
              index,
              type: "checkpoint",
              directory,
              epoch: state.record.history.length,
              status: state.record.status!,
            });
          },
        }
        : {}),
    });
    post({ index, type: "done", record: saved ?? record, directory });
  } catch (error) {
    post({
      index,
      type: "failed",
      message: (error as Error).message,
      kind: errorKind(error),
    });
  }
};
