/**
 * Augmentation: the book's rotated copies of each training image (Part 3, "training with
 * rotations"), made as scipy.ndimage.rotate(image, angle, cval=0.01, reshape=False) makes
 * them: rotated about the image's centre; the fill value wherever the source falls outside
 * the image. Two interpolations, as scipy's `order`:
 *
 * - 3, the book's printed call (scipy's default): a cubic B-spline. The image is first
 *   turned into spline coefficients (scipy's prefilter: a recursive filter along each axis,
 *   mirror boundaries), then each output pixel sums 4×4 coefficients times the spline's
 *   weights; taps past the edge read mirrored coefficients. Values may leave 0.01…1.0.
 * - 1, the book's later notebook: bilinear.
 *
 * Both follow scipy's ndimage C code (ni_interpolation.c, ni_splines.c) step for step;
 * tests compare them with scipy itself.
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

/** The interpolation orders: 3, the book's printed call (cubic spline); 1, bilinear. */
export type RotationOrder = 1 | 3;

/**
 * Write `image` (SIDE×SIDE values) rotated by `degrees` (positive: anticlockwise as
 * drawn) into `out`; pixels whose source lies outside the image get `fill`. `order` 3 (the
 * default, as the book's call) interpolates with a cubic spline, 1 bilinearly.
 */
export function rotate<T extends { [index: number]: number; length: number }>(
  image: ArrayLike<number>,
  degrees: number,
  fill: number,
  out: T,
  order: RotationOrder = 3,
): T {
  if (order === 3) return rotateSpline(image, degrees, fill, out);
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

// ---------------------------------------------------------------- cubic spline (order 3)

/** The pole of the cubic B-spline's prefilter: √3 − 2. */
const POLE = Math.sqrt(3) - 2;

/** The prefilter's constants for a line of SIDE values, computed once by the same operations scipy repeats per line. */
const GAIN = (1 - POLE) * (1 - 1 / POLE);
const POLE_TO_LAST = Math.pow(POLE, SIDE - 1);
/** POLE^i for i = 1 … SIDE − 2, each the previous times POLE (as scipy's running product). */
const POLE_POWERS = (() => {
  const powers = new Float64Array(SIDE);
  let zi = POLE;
  for (let i = 1; i < SIDE - 1; ++i) {
    powers[i] = zi;
    zi *= POLE;
  }
  return powers;
})();

/**
 * scipy's apply_filter for one pole with mirror boundaries (its _init_causal_mirror first),
 * on one line of SIDE values in place. Hand-unrolled constants: computing the powers per
 * line made the prefilter 10× slower than the interpolation it feeds.
 */
function filterLine(c: Float64Array): void {
  const z = POLE, n = SIDE, zn1 = POLE_TO_LAST;
  for (let i = 0; i < n; i++) c[i] *= GAIN;
  let first = c[0] + zn1 * c[n - 1];
  for (let i = 1; i < n - 1; ++i) first += POLE_POWERS[i] * (c[i] + zn1 * c[n - 1 - i]);
  c[0] = first / (1 - zn1 * zn1);
  for (let i = 1; i < n; ++i) c[i] += z * c[i - 1];
  c[n - 1] = (z * c[n - 2] + c[n - 1]) * z / (z * z - 1);
  for (let i = n - 2; i >= 0; --i) c[i] = z * (c[i + 1] - c[i]);
}

/** Scratch space of the prefilter (one image's coefficients and one line): reused, never allocated per image. */
const COEFFICIENTS = new Float64Array(SIDE * SIDE);
const LINE = new Float64Array(SIDE);

/**
 * The image's cubic spline coefficients, into COEFFICIENTS: the prefilter along axis 0
 * (columns), then axis 1 (rows), as scipy.
 */
function splineCoefficients(image: ArrayLike<number>): Float64Array {
  const coefficients = COEFFICIENTS, line = LINE;
  for (let i = 0; i < SIDE * SIDE; i++) coefficients[i] = image[i];
  for (let column = 0; column < SIDE; column++) {
    for (let row = 0; row < SIDE; row++) line[row] = coefficients[row * SIDE + column];
    filterLine(line);
    for (let row = 0; row < SIDE; row++) coefficients[row * SIDE + column] = line[row];
  }
  for (let row = 0; row < SIDE; row++) {
    for (let column = 0; column < SIDE; column++) line[column] = coefficients[row * SIDE + column];
    filterLine(line);
    for (let column = 0; column < SIDE; column++) coefficients[row * SIDE + column] = line[column];
  }
  return coefficients;
}

/** scipy's get_spline_interpolation_weights for order 3: the four taps' weights at x. */
function splineWeights(x: number, weights: Float64Array): void {
  x -= Math.floor(x);
  const y = x, z = 1 - x;
  weights[1] = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0;
  weights[2] = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0;
  weights[0] = z * z * z / 6.0;
  weights[3] = 1.0 - weights[0] - weights[1] - weights[2];
}

/** scipy's map_coordinate in mirror mode, for a tap's index past an edge: −1 → 1, SIDE → SIDE − 2. */
function mirror(index: number): number {
  const period = 2 * SIDE - 2;
  if (index < 0) {
    const folded = period * Math.trunc(-index / period) + index;
    return folded <= 1 - SIDE ? folded + period : -folded;
  }
  if (index > SIDE - 1) {
    const folded = index - period * Math.trunc(index / period);
    return folded >= SIDE ? period - folded : folded;
  }
  return index;
}

/** For every output pixel: −1 (the fill) or 16 coefficient indices and weights (row taps × column taps). */
interface SplinePlan {
  inside: Uint8Array;
  taps: Int32Array;
  weights: Float64Array;
}

const SPLINE_PLANS = new Map<number, SplinePlan>();

function splinePlan(degrees: number): SplinePlan {
  let plan = SPLINE_PLANS.get(degrees);
  if (plan) return plan;
  const radians = degrees * Math.PI / 180;
  const cos = Math.cos(radians), sin = Math.sin(radians);
  const centre = (SIDE - 1) / 2;
  plan = {
    inside: new Uint8Array(SIDE * SIDE),
    taps: new Int32Array(16 * SIDE * SIDE),
    weights: new Float64Array(16 * SIDE * SIDE),
  };
  const rowWeights = new Float64Array(4), columnWeights = new Float64Array(4);
  for (let row = 0; row < SIDE; row++) {
    for (let column = 0; column < SIDE; column++) {
      const index = row * SIDE + column;
      const sourceRow = cos * (row - centre) + sin * (column - centre) + centre;
      const sourceColumn = -sin * (row - centre) + cos * (column - centre) + centre;
      // scipy's mode "constant": no interpolation beyond the edges, the fill instead
      if (sourceRow < 0 || sourceRow > SIDE - 1 || sourceColumn < 0 || sourceColumn > SIDE - 1) continue;
      plan.inside[index] = 1;
      const top = Math.floor(sourceRow) - 1, left = Math.floor(sourceColumn) - 1;
      splineWeights(sourceRow, rowWeights);
      splineWeights(sourceColumn, columnWeights);
      for (let a = 0; a < 4; a++) {
        for (let b = 0; b < 4; b++) {
          const tap = 16 * index + 4 * a + b;
          plan.taps[tap] = mirror(top + a) * SIDE + mirror(left + b);
          plan.weights[tap] = rowWeights[a] * columnWeights[b];
        }
      }
    }
  }
  SPLINE_PLANS.set(degrees, plan);
  return plan;
}

/** The cubic spline rotation (order 3). */
function rotateSpline<T extends { [index: number]: number; length: number }>(
  image: ArrayLike<number>,
  degrees: number,
  fill: number,
  out: T,
): T {
  const plan = splinePlan(degrees);
  const coefficients = splineCoefficients(image);
  interpolate(coefficients, plan, fill, ROTATED);
  for (let index = 0; index < SIDE * SIDE; index++) out[index] = ROTATED[index];
  return out;
}

/** The rotated image before it is copied out (one monomorphic loop, whatever array the caller wants). */
const ROTATED = new Float64Array(SIDE * SIDE);

/** Every output pixel from the coefficients: its 16 taps, or the fill outside the image. */
function interpolate(coefficients: Float64Array, plan: SplinePlan, fill: number, out: Float64Array): void {
  const { inside, taps, weights } = plan;
  for (let index = 0; index < SIDE * SIDE; index++) {
    out[index] = inside[index] ? sumTaps(coefficients, taps, weights, 16 * index) : fill;
  }
}

/** Σ coefficients[taps[k]] · weights[k] over one pixel's 16 taps. */
function sumTaps(coefficients: Float64Array, taps: Int32Array, weights: Float64Array, start: number): number {
  let sum = 0;
  for (let k = start; k < start + 16; k++) sum += coefficients[taps[k]] * weights[k];
  return sum;
}

/** Training samples, written as ink (ink.ts) one at a time: what the training loop reads. */
export interface SampleSource {
  /** how many samples an epoch has */
  readonly count: number;
  /** the label of sample `index` */
  label(index: number): number;
  /** write sample `index` into `ink` (values, sum and blocks) */
  read(index: number, ink: Ink): void;
  /** when sample m is record m of a dataset (no rotations): that dataset, which other threads may read too */
  readonly dataset?: Dataset;
}

/**
 * The samples of one epoch: each record of `dataset` in order, followed — with `rotate`
 * A > 0 — by its copies rotated by +A° and −A°, as the book trains them. Rotating the
 * ink with fill 0 is rotating the scaled input with fill 0.01 (the book's cval): both
 * interpolations are linear and reproduce a constant (their weights add up to 1; a constant
 * image's spline coefficients are that constant).
 */
export function trainingSamples(
  dataset: Dataset,
  options: { rotate?: number; rotateOrder?: RotationOrder } = {},
): SampleSource {
  const rotation = options.rotate ?? 0;
  const order = options.rotateOrder ?? 3;
  const copies = rotation > 0 ? 3 : 1;
  const plain = new Float64Array(PIXELS);
  return {
    ...(copies === 1 ? { dataset } : {}),
    count: dataset.count * copies,
    label: (index) => dataset.labels[Math.floor(index / copies)],
    read(index, ink) {
      const record = Math.floor(index / copies), copy = index % copies;
      if (copy === 0) return readInk(dataset, record, ink);
      for (let i = 0; i < PIXELS; i++) plain[i] = inkOf(dataset.images[record * PIXELS + i]);
      rotate(plain, copy === 1 ? rotation : -rotation, 0, ink.values, order);
      measureInk(ink);
    },
  };
}
