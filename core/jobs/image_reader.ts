/**
 * Reading uploaded images off the server's thread: one Worker (image_worker.ts) decodes
 * them one at a time, so a large photo neither blocks other requests nor holds more than
 * one image's memory; at most `maxWaiting` wait their turn, and more are turned away. The
 * Worker starts with the first image and ends when none is left.
 *
 * @module
 */
import { type ErrorKind, errorOfKind } from "../errors.ts";

/** Images waiting for the Worker were more than it takes. */
export class ReaderBusyError extends Error {
  override name = "ReaderBusyError";
}

/** Reads images into 28×28 MNIST-style inputs on a Worker. */
export interface ImageReader {
  /** the 784 pixels of `bytes` (an InputError naming `name` for a bad image; ReaderBusyError when full) */
  read(bytes: Uint8Array, name: string): Promise<Uint8Array>;
  /** images being read or waiting */
  readonly pending: number;
}

type Reply = { id: number; pixels: Uint8Array } | { id: number; message: string; kind: ErrorKind };

/** A reader with one Worker and room for `maxWaiting` images in line. */
export function createImageReader(options: { maxWaiting?: number } = {}): ImageReader {
  const maxWaiting = options.maxWaiting ?? 4;
  const waiting = new Map<
    number,
    { resolve: (pixels: Uint8Array) => void; reject: (error: Error) => void }
  >();
  let worker: Worker | undefined;
  let next = 0;

  function start(): Worker {
    const started = new Worker(new URL("./image_worker.ts", import.meta.url).href, { type: "module" });
    started.onmessage = (event: MessageEvent<Reply>) => {
      const reply = event.data;
      const job = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ("pixels" in reply) job?.resolve(reply.pixels);
      else job?.reject(errorOfKind(reply.kind, reply.message));
      if (waiting.size === 0) stop();
    };
    started.onerror = (event) => {
      event.preventDefault();
      for (const job of waiting.values()) job.reject(new Error(`the image reader failed: ${event.message}`));
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
    read(bytes, name) {
      if (waiting.size > maxWaiting) {
        return Promise.reject(
          new ReaderBusyError("the server is reading other images: try again in a moment"),
        );
      }
      const id = next++;
      const done = new Promise<Uint8Array>((resolve, reject) => waiting.set(id, { resolve, reject }));
      worker ??= start();
      worker.postMessage({ id, bytes, name });
      return done;
    },
  };
}
