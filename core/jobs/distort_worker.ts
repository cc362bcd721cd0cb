/**
 * A Worker that distorts a training set for one epoch at a time (training/distort.ts), into
 * shared memory the training reads: distortion.ts sends it the next epoch while the current
 * one trains. Each message is answered with its id, or with the error's message.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type Distortion, distortRecords } from "../training/mod.ts";
import type { Dataset } from "../data/mod.ts";

/** One epoch to distort: the source's images, where to write them, and what makes them. */
export interface DistortJob {
  id: number;
  source: Dataset;
  out: Uint8Array;
  distortion: Distortion;
  seed: number;
  epoch: number;
}

self.onmessage = (event: MessageEvent<DistortJob>) => {
  const { id, source, out, distortion, seed, epoch } = event.data;
  try {
    distortRecords(source, out, { distortion, seed, epoch });
    self.postMessage({ id });
  } catch (error) {
    self.postMessage({ id, message: (error as Error).message });
  }
};
