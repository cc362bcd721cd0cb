/**
 * A training set distorted afresh each epoch (training/distort.ts), made a step ahead:
 * while epoch e trains on one buffer, a Worker (distort_worker.ts) writes epoch e+1's
 * images into the other, so the distortions cost the training thread nothing but the wait,
 * if any, for a Worker that is slower than the epoch. Where memory cannot be shared, each
 * epoch's images are made on the training thread when asked for.
 *
 * The images of an epoch depend on the seed, the epoch and the record only: made here or
 * there, ahead or not, they are the same bytes.
 *
 * @module
 */
import { type Dataset, PIXELS } from "../data/mod.ts";
import { canShareMemory } from "../kernels/mod.ts";
import { type Distortion, distortRecords } from "../training/mod.ts";
import type { DistortJob } from "./distort_worker.ts";

/** Each epoch's distorted training set. */
export interface EpochDistorter {
  /** epoch `epoch`'s images (made now unless made ahead); valid until images(epoch + 2) is asked for */
  images(epoch: number): Promise<Dataset>;
  /** start making epoch `epoch`'s images in the background (the epoch after the one training now) */
  prepare(epoch: number): void;
  /** end the Worker */
  close(): void;
}

/** A distorter of `source` for a run seeded `seed`. */
export function createEpochDistorter(
  source: Dataset,
  distortion: Distortion,
  seed: number,
): EpochDistorter {
  const shared = canShareMemory() && source.images.buffer instanceof SharedArrayBuffer;
  const bytes = source.count * PIXELS;
  const buffers = [0, 1].map(() =>
    new Uint8Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes))
  );
  const datasetOf = (epoch: number): Dataset => ({ ...source, images: buffers[epoch % 2] });
  if (!shared) {
    return {
      images(epoch) {
        distortRecords(source, buffers[epoch % 2], { distortion, seed, epoch });
        return Promise.resolve(datasetOf(epoch));
      },
      prepare() {},
      close() {},
    };
  }
  let worker: Worker | undefined;
  const made = new Map<number, Promise<void>>();
  let next = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  function start(): Worker {
    const started = new Worker(new URL("./distort_worker.ts", import.meta.url).href, { type: "module" });
    started.onmessage = (event: MessageEvent<{ id: number; message?: string }>) => {
      const job = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      if (event.data.message !== undefined) job?.reject(new Error(`distorting: ${event.data.message}`));
      else job?.resolve();
    };
    started.onerror = (event) => {
      event.preventDefault();
      for (const job of waiting.values()) {
        job.reject(new Error(`the distortion worker failed: ${event.message}`));
      }
      waiting.clear();
    };
    return started;
  }

  function prepare(epoch: number): void {
    if (made.has(epoch)) return;
    made.delete(epoch - 2); // its buffer is this epoch's now
    const id = next++;
    const job: DistortJob = { id, source, out: buffers[epoch % 2], distortion, seed, epoch };
    made.set(epoch, new Promise<void>((resolve, reject) => waiting.set(id, { resolve, reject })));
    worker ??= start();
    worker.postMessage(job);
  }

  return {
    async images(epoch) {
      prepare(epoch);
      await made.get(epoch);
      return datasetOf(epoch);
    },
    prepare,
    close() {
      worker?.terminate();
      worker = undefined;
    },
  };
}
