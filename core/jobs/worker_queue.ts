/**
 * One Worker doing jobs one at a time for the server's thread: started with the first job,
 * ended when none is left. Each job is a message with an id; the Worker answers with the same
 * id and either its result or an error's message and kind. The image reader and the run
 * scorer are this, with their own messages.
 *
 * @module
 */
import { type ErrorKind, errorOfKind } from "../errors.ts";

/** What a Worker of a queue answers: the job's id and its result, or why it failed. */
export type QueueReply<R> = ({ id: number } & R) | { id: number; message: string; kind: ErrorKind };

/** Jobs for one Worker, in order. */
export interface WorkerQueue<J, R> {
  /** send `job` (plus its id); resolves with the Worker's result, or rejects with the error it met */
  run(job: J): Promise<R>;
  /** jobs being done or waiting */
  readonly pending: number;
}

/** A queue for the Worker at `url`; `what` names it in the error of a Worker that crashed. */
export function createWorkerQueue<J extends object, R extends object>(
  url: URL,
  what: string,
): WorkerQueue<J, R> {
  const waiting = new Map<number, { resolve: (result: R) => void; reject: (error: Error) => void }>();
  let worker: Worker | undefined;
  let next = 0;

  function start(): Worker {
    const started = new Worker(url.href, { type: "module" });
    started.onmessage = (event: MessageEvent<QueueReply<R>>) => {
      const { id, ...reply } = event.data;
      const job = waiting.get(id);
      waiting.delete(id);
      if ("kind" in reply && "message" in reply) job?.reject(errorOfKind(reply.kind, reply.message));
      else job?.resolve(reply as unknown as R);
      if (waiting.size === 0) stop();
    };
    started.onerror = (event) => {
      event.preventDefault();
      for (const job of waiting.values()) job.reject(new Error(`${what} failed: ${event.message}`));
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
    run(job) {
      const id = next++;
      const done = new Promise<R>((resolve, reject) => waiting.set(id, { resolve, reject }));
      worker ??= start();
      worker.postMessage({ ...job, id });
      return done;
    },
  };
}
