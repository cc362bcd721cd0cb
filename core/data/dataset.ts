/**
 * A dataset is MNIST-shaped records held as bytes: `images` is count×784 pixels (0–255)
 * row by row, `labels` is count digits. The full training set is 47 MB this way; inputs
 * are scaled to floats one record at a time, into a buffer the caller reuses.
 * Loading them from files is `sources.ts`.
 *
 * @module
 */
import { LABELS, PIXELS, SIDE } from "../mnist.ts";
export { LABELS, PIXELS, SIDE };

/** Records as bytes. */
export interface Dataset {
  /** count×784 pixels, 0 = paper, 255 = ink */
  readonly images: Uint8Array;
  /** count labels, 0–9 */
  readonly labels: Uint8Array;
  readonly count: number;
  /** where it came from: a path, or `mnist:train` / `mnist:test` */
  readonly source: string;
}

// x / 255 * 0.99 + 0.01 for every byte, computed once, in the book's order of operations
// (so the float64 values are bit-identical to numpy's).
const SCALED = Float64Array.from({ length: 256 }, (_, x) => x / 255.0 * 0.99 + 0.01);

/** Scale record `index`'s pixels to the book's inputs, 0.01…1.00, into `out` (length 784). */
export function scaleInputs<T extends Float32Array | Float64Array>(
  dataset: Dataset,
  index: number,
  out: T,
): T {
  const offset = index * PIXELS;
  for (let i = 0; i < PIXELS; i++) out[i] = SCALED[dataset.images[offset + i]];
  return out;
}

/** Scale 784 pixels (an image of your own, 0–255) to the book's inputs, 0.01…1.00: `pixel / 255 * 0.99 + 0.01`. */
export function scalePixels(pixels: ArrayLike<number>, out = new Float64Array(PIXELS)): Float64Array {
  for (let i = 0; i < PIXELS; i++) out[i] = SCALED[pixels[i]];
  return out;
}

/** The book's targets: 0.01 everywhere, 0.99 at `label`, written into `out`. */
export function fillTargets<T extends Float32Array | Float64Array>(label: number, out: T): T {
  out.fill(0.01);
  out[label] = 0.99;
  return out;
}

/** The first `limit` records of a dataset (a view, no copy). */
export function limitDataset(dataset: Dataset, limit: number | undefined): Dataset {
  if (limit === undefined || limit >= dataset.count) return dataset;
  return {
    images: dataset.images.subarray(0, limit * PIXELS),
    labels: dataset.labels.subarray(0, limit),
    count: limit,
    source: dataset.source,
  };
}

/**
 * The dataset with its images and labels on SharedArrayBuffers, which other threads can
 * read without a copy (a training's helper threads read its records themselves); the
 * same dataset when they are already. Copies the bytes once (47 MB for the training set):
 * hold on to the shared dataset, not the original, or both stay in memory.
 */
export function shareDataset(dataset: Dataset): Dataset {
  if (isShared(dataset.images) && isShared(dataset.labels)) return dataset;
  return { ...dataset, images: shareBytes(dataset.images), labels: shareBytes(dataset.labels) };
}

/** Whether bytes live on a SharedArrayBuffer. */
export function isShared(bytes: Uint8Array): boolean {
  return typeof SharedArrayBuffer === "function" && bytes.buffer instanceof SharedArrayBuffer;
}

/** The bytes on a SharedArrayBuffer: themselves when they are there already, else a copy. */
export function shareBytes(bytes: Uint8Array): Uint8Array {
  if (isShared(bytes)) return bytes;
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}
