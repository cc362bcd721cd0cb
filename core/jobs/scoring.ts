/**
 * Scoring saved runs off the server's thread: one Worker (score_worker.ts) scores one run at
 * a time, for runs saved without their test scores (test_scores.npy). The Worker starts with
 * the first run and ends when none is left.
 *
 * @module
 */
import { type ErrorKind, errorOfKind } from "../errors.ts";

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

type Reply = ({ id: number } & RunAnswers) | { id: number; message: string; kind: ErrorKind };

/** A scorer with one Worker. */
export function createRunScorer(): RunScorer {
  const waiting = new Map<
    number,
    { resolve: (answers: RunAnswers) => void; reject: (error: Error) => void }
  >();
  let worker: Worker | undefined;
  let next = 0;

  function start(): Worker {
    const started = new Worker(new URL("./score_worker.ts", import.meta.url).href, { type: "module" });
    started.onmessage = (event: MessageEvent<Reply>) => {
      const reply = event.data;
      const job = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ("answers" in reply) job?.resolve({ answers: reply.answers, confidences: reply.confidences });
      else job?.reject(errorOfKind(reply.kind, reply.message));
      if (waiting.size === 0) stop();
    };
    started.onerror = (event) => {
      event.preventDefault();
      for (const job of waiting.values()) job.reject(new Error(`scoring failed: ${event.message}`));
      waiting.clear();
      stop();
    };
    return started;
  }

  function stop(): void {
    worker?.terminate();
    worker = undefined;
  }

  return {
    get pending() {
      return waiting.size;
    },
    score(directory) {
      const id = next++;
      const done = new Promise<RunAnswers>((resolve, reject) => waiting.set(id, { resolve, reject }));
      worker ??= start();
      worker.postMessage({ id, directory });
      return done;
    },
  };
}
