/**
 * A Worker that runs trainings for training_pool.ts: it loads each dataset once, trains
 * as asked, and posts back the run record (not the weights). Messages are plain JSON.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type Dataset, limitDataset } from "./dataset.ts";
import { InputError } from "./errors.ts";
import { runTraining } from "./run_training.ts";
import { loadDataset } from "./sources.ts";
import type { TrainingJob, TrainingJobResult } from "./training_pool.ts";

const datasets = new Map<string, Promise<Dataset>>();

function dataset(source: string, limit: number | undefined): Promise<Dataset> {
  if (!datasets.has(source)) datasets.set(source, loadDataset(source));
  return datasets.get(source)!.then((loaded) => limitDataset(loaded, limit));
}

self.onmessage = async (event: MessageEvent<{ index: number; job: TrainingJob }>) => {
  const { index, job } = event.data;
  let reply: TrainingJobResult;
  try {
    const [train, test] = await Promise.all([
      dataset(job.train, job.limitTrain),
      dataset(job.test, job.limitTest),
    ]);
    const { record } = await runTraining({ config: job.config, train, test });
    reply = { ok: true, record };
  } catch (error) {
    reply = {
      ok: false,
      message: (error as Error).message,
      inputError: error instanceof InputError,
    };
  }
  self.postMessage({ index, reply });
};
