/**
 * A Worker that runs trainings for training_pool.ts: it loads each dataset once, trains
 * as asked, optionally reports progress and saves the run, and posts back the run record
 * (not the weights). Messages are plain JSON.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type Dataset, limitDataset } from "./dataset.ts";
import { InputError } from "./errors.ts";
import { runTraining } from "./run_training.ts";
import { saveRun } from "./runs.ts";
import { loadDataset } from "./sources.ts";
import type { TrainingJob, TrainingMessage } from "./training_pool.ts";

const datasets = new Map<string, Promise<Dataset>>();

function dataset(source: string, limit: number | undefined): Promise<Dataset> {
  if (!datasets.has(source)) datasets.set(source, loadDataset(source));
  return datasets.get(source)!.then((loaded) => limitDataset(loaded, limit));
}

function post(message: TrainingMessage): void {
  self.postMessage(message);
}

self.onmessage = async (event: MessageEvent<{ index: number; job: TrainingJob }>) => {
  const { index, job } = event.data;
  try {
    const started = performance.now();
    const [train, test] = await Promise.all([
      dataset(job.train, job.limitTrain),
      dataset(job.test, job.limitTest),
    ]);
    const { net, record, files } = await runTraining(
      {
        config: job.config,
        train,
        test,
        name: job.save?.name,
        loadSeconds: (performance.now() - started) / 1000,
      },
      job.report
        ? {
          onProgress: (epoch, done, total) => post({ index, type: "progress", epoch, done, total }),
          onEpoch: (result) => post({ index, type: "epoch", result }),
        }
        : {},
    );
    const directory = job.save ? await saveRun(job.save.runsDir, record, net.weights, files) : undefined;
    const id = directory ? directory.slice(directory.lastIndexOf("/") + 1) : record.id;
    post({ index, type: "done", record: { ...record, id }, directory });
  } catch (error) {
    post({
      index,
      type: "failed",
      message: (error as Error).message,
      inputError: error instanceof InputError,
    });
  }
};
