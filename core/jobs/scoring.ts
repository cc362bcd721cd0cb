/**
 * Scoring saved runs off the server's thread: one Worker (score_worker.ts) scores one run at
 * a time, for runs saved without their test scores (test_scores.npy). The Worker starts with
 * the first run and ends when none is left.
 *
 * @module
 */
import { createWorkerQueue } from "./worker_queue.ts";

/** What scoring a run gives: each test record's answer and its output. */
export interface RunAnswers {
  answers: Uint8Array;
  confidences: Float64Array;
}

/** Scores runs in a Worker, one after another. */
export interface RunScorer {
  /** the answers of the run in `directory` on its own test set (an error of the kind the Worker met) */
  score(directory: string): Promise<RunAnswers>;
  /** runs being scored or waiting */
  readonly pending: number;
}

/** A scorer with one Worker. */
export function createRunScorer(): RunScorer {
  const queue = createWorkerQueue<{ directory: string }, RunAnswers>(
    new URL("./score_worker.ts", import.meta.url),
    "scoring",
  );
  return {
    get pending() {
      return queue.pending;
    },
    score: (directory) => queue.run({ directory }),
  };
}
