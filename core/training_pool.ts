/**
 * Many trainings at once, one per Worker (a Worker is a thread with its own V8 heap), so
 * sweeps and other multi-run work use every core. Each run is still the same
 * deterministic single-threaded training: the same seed gives the same numbers.
 *
 * @module
 */
import { InputError } from "./errors.ts";
import type { RunConfig, RunRecord } from "./runs.ts";

/** One training to run: its config and where its data comes from. */
export interface TrainingJob {
  config: Omit<RunConfig, "train" | "test">;
  train: string;
  test: string;
  limitTrain?: number;
  limitTest?: number;
}

/** What a Worker sends back. */
export type TrainingJobResult =
  | { ok: true; record: RunRecord }
  | { ok: false; message: string; inputError: boolean };

/**
 * Run `jobs` on `workers` Workers (default: one per core). Results come back in job
 * order; `onDone` is called as each finishes. An InputError in any job (a bad data file)
 * stops the pool and is thrown.
 */
export async function runTrainingJobs(
  jobs: readonly TrainingJob[],
  options: { workers?: number; onDone?: (index: number, record: RunRecord, done: number) => void } = {},
): Promise<RunRecord[]> {
  const count = Math.max(1, Math.min(jobs.length, options.workers ?? navigator.hardwareConcurrency ?? 1));
  const results: RunRecord[] = new Array(jobs.length);
  let next = 0, done = 0;
  const workers = Array.from(
    { length: count },
    () => new Worker(new URL("./training_worker.ts", import.meta.url).href, { type: "module" }),
  );
  try {
    await Promise.all(workers.map((worker) =>
      new Promise<void>((resolve, reject) => {
        const give = () => {
          if (next >= jobs.length) return resolve();
          const index = next++;
          worker.postMessage({ index, job: jobs[index] });
        };
        worker.onmessage = (event: MessageEvent<{ index: number; reply: TrainingJobResult }>) => {
          const { index, reply } = event.data;
          if (!reply.ok) {
            next = jobs.length; // stop handing out work
            return reject(reply.inputError ? new InputError(reply.message) : new Error(reply.message));
          }
          results[index] = reply.record;
          options.onDone?.(index, reply.record, ++done);
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
  }
  return results;
}
