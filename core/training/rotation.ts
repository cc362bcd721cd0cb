/**
 * Augmentation: the book's rotated copies of each training image (Part 3, "training with
 * rotations"), made as scipy.ndimage.rotate(image, angle, cval=0.01, order=1,
 * reshape=False) makes them: rotated about the image's centre, bilinear interpolation,
 * the fill value wherever the source falls outside the image.
 *
 * @module
 */
import { type Dataset, PIXELS, SIDE } from "../data/mod.ts";
import { type Ink, inkOf, measureInk, readInk } from "./ink.ts";

/** For every output pixel: the source's top-left pixel and the four bilinear weights, or −1 for the fill. */
interface RotationPlan {
  corner: Int32Array;
  weights: Float64Array;
}

const PLANS = new Map<number, RotationPlan>();

/** How to sample a SIDE×SIDE image rotated by `degrees` (cached per angle; pure). */
function rotationPlan(degrees: number): RotationPlan {
  let plan = PLANS.get(degrees);
  if (plan) return plan;
  // scipy: input = R · (output − centre) + centre, with R = [[cos, sin], [−sin, cos]] on (row, column)
  const radians = degrees * Math.PI / 180;
  const cos = Math.cos(radians), sin = Math.sin(radians);
  const centre = (SIDE - 1) / 2;
  const corner = new Int32Array(SIDE * SIDE);
  const weights = new Float64Array(4 * SIDE * SIDE);
  for (let row = 0; row < SIDE; row++) {
    for (let column = 0; column < SIDE; column++) {
      const index = row * SIDE + column;
      const sourceRow = cos * (row - centre) + sin * (column - centre) + centre;
      const sourceColumn = -sin * (row - centre) + cos * (column - centre) + centre;
      const limit = SIDE - 1 + 1e-9;
      if (sourceRow < -1e-9 || sourceRow > limit || sourceColumn < -1e-9 || sourceColumn > limit) {
        corner[index] = -1; // outside the image: the fill value, no interpolation (scipy's mode "constant")
        continue;
      }
      const top = Math.min(SIDE - 2, Math.max(0, Math.floor(sourceRow)));
      const left = Math.min(SIDE - 2, Math.max(0, Math.floor(sourceColumn)));
      const down = sourceRow - top, right = sourceColumn - left;
      corner[index] = top * SIDE + left;
      weights.set(
        [(1 - down) * (1 - right), (1 - down) * right, down * (1 - right), down * right],
        4 * index,
      );
    }
  }
  plan = { corner, weights };
  PLANS.set(degrees, plan);
  return plan;
}

/**
 * Write `image` (SIDE×SIDE values) rotated by `degrees` (positive: anticlockwise as
 * drawn) into `out`; pixels whose source lies outside the image get `fill`.
 */
export function rotate<T extends { [index: number]: number; length: number }>(
  image: ArrayLike<number>,
  degrees: number,
  fill: number,
  out: T,
): T {
  const { corner, weights } = rotationPlan(degrees);
  for (let index = 0; index < SIDE * SIDE; index++) {
    const at = corner[index];
    if (at < 0) {
      out[index] = fill;
      continue;
    }
    const w = 4 * index;
    out[index] = weights[w] * image[at] + weights[w + 1] * image[at + 1] +
      weights[w + 2] * image[at + SIDE] + weights[w + 3] * image[at + SIDE + 1];
  }
  return out;
}

/** Training samples, written as ink (ink.ts) one at a time: what the training loop reads. */
export interface SampleSource {
  /** how many samples an epoch has */
  readonly count: number;
  /** the label of sample `index` */
  label(index: number): number;
  /** write sample `index` into `ink` (values, sum and blocks) */
  read(index: number, ink: Ink): void;
}

/**
 * The samples of one epoch: each record of `dataset` in order, followed — with `rotate`
 * A > 0 — by its copies rotated by +A° and −A°, as the book trains them. Rotating the
 * ink with fill 0 is rotating the scaled input with fill 0.01 (the book's cval), since the
 * interpolation weights add up to 1.
 */
export function trainingSamples(dataset: Dataset, options: { rotate?: number } = {}): SampleSource {
  const rotation = options.rotate ?? 0;
  const copies = rotation > 0 ? 3 : 1;
  const plain = new Float64Array(PIXELS);
  return {
    count: dataset.count * copies,
    label: (index) => dataset.labels[Math.floor(index / copies)],
    read(index, ink) {
      const record = Math.floor(index / copies), copy = index % copies;
      if (copy === 0) return readInk(dataset, record, ink);
      for (let i = 0; i < PIXELS; i++) plain[i] = inkOf(dataset.images[record * PIXELS + i]);
      rotate(plain, copy === 1 ? rotation : -rotation, 0, ink.values);
      measureInk(ink);
    },
  };
}
