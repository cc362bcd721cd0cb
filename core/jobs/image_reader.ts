/**
 * Reading uploaded images off the server's thread: one Worker (image_worker.ts) decodes
 * them one at a time, so a large photo neither blocks other requests nor holds more than
 * one image's memory; at most `maxWaiting` wait their turn, and more are turned away. The
 * Worker starts with the first image and ends when none is left.
 *
 * @module
 */
import { createWorkerQueue } from "./worker_queue.ts";

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

/** A reader with one Worker and room for `maxWaiting` images in line. */
export function createImageReader(options: { maxWaiting?: number } = {}): ImageReader {
  const maxWaiting = options.maxWaiting ?? 4;
  const queue = createWorkerQueue<{ bytes: Uint8Array; name: string }, { pixels: Uint8Array }>(
    new URL("./image_worker.ts", import.meta.url),
    "the image reader",
  );
  return {
    get pending() {
      return queue.pending;
    },
    async read(bytes, name) {
      if (queue.pending > maxWaiting) {
        throw new ReaderBusyError("the server is reading other images: try again in a moment");
      }
      return (await queue.run({ bytes, name })).pixels;
    },
  };
}
