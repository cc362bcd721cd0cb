/**
 * Distorted training images, a fresh set each epoch: beyond the book (docs/beyond.md). Two
 * kinds, each optional, composed into one displacement of every pixel:
 *
 * - affine: a rotation by up to ±`rotate`°, a scale along each axis by 1 ± up to `scale`
 *   (drawn separately for rows and columns), a horizontal shear by up to ±`shear`° and a
 *   shift by up to ±`shift` pixels along each axis, each drawn uniformly;
 * - elastic (Simard, Steinkraus & Platt, ICDAR 2003, §2): a random displacement field, each
 *   component drawn uniformly in −1…1 per pixel, smoothed by a Gaussian of standard
 *   deviation `sigma` pixels (truncated at 4σ and zero beyond the image, as scipy's
 *   gaussian_filter with mode "constant"), then scaled by `alpha`.
 *
 * Every output pixel is the source image read bilinearly at its displaced position (0,
 * the paper, outside the image), rounded back to a byte: a distorted record is a record
 * like any other, and the training loop and its threads read it as one.
 *
 * What record i of epoch e becomes depends on the run's seed, e and i only (each record
 * its own generator), so an epoch's images are the same whoever makes them, in any order,
 * on any number of threads, and after a resume.
 *
 * @module
 */
import { type Dataset, PIXELS, SIDE } from "../data/mod.ts";
import { createRandom, type Random } from "../model/mod.ts";

// how much to distort is part of the run format (store/run_format.ts)
export type { Distortion } from "../store/mod.ts";
import type { Distortion } from "../store/mod.ts";

/** One image's affine map: angle and shear as the caller says (degrees for pictures, radians inside), scales, shifts in pixels. */
export interface AffineMap {
  angle: number;
  rowScale: number;
  columnScale: number;
  shear: number;
  rowShift: number;
  columnShift: number;
}

/** No distortion at all. */
export const NO_DISTORTION: Distortion = { rotate: 0, scale: 0, shear: 0, shift: 0, sigma: 0, alpha: 0 };

/** Whether `distortion` changes anything. */
export function distorts(distortion: Distortion): boolean {
  const { rotate, scale, shear, shift, alpha, sigma } = distortion;
  return rotate > 0 || scale > 0 || shear > 0 || shift > 0 || (alpha > 0 && sigma > 0);
}

/** The generator of record `index` in epoch `epoch` of a run seeded `seed`. */
export function distortionRandom(seed: number, epoch: number, index: number): Random {
  // the three hashed into a safe integer: 32 low bits and 21 high bits from two 32-bit mixes
  const low = mix(mix(mix(seed >>> 0) ^ Math.floor(seed / 0x100000000)) ^ epoch, index);
  const high = mix(low ^ 0x5bd1e995, epoch + 1) & 0x1fffff;
  return createRandom(high * 0x100000000 + low);
}

/** A 32-bit mix of `value` (and `more`): murmur3's finaliser, unsigned. */
function mix(value: number, more = 0): number {
  let h = (value ^ Math.imul(more, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** One image's displacement field and its scratch space. */
interface Field {
  rows: Float64Array;
  columns: Float64Array;
  smoothing: Float64Array;
  noise: Float64Array;
  /** the noise smoothed along rows, before the columns */
  halfway: Float64Array;
}

/** The Gaussian's weights as a SIDE×SIDE matrix: smoothing[i·SIDE + j] = weight of j in output i. */
function smoothingMatrix(sigma: number): Float64Array {
  const radius = Math.floor(4 * sigma + 0.5); // scipy's truncate = 4.0
  const weights = Array.from(
    { length: 2 * radius + 1 },
    (_, k) => Math.exp(-0.5 * ((k - radius) / sigma) ** 2),
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const matrix = new Float64Array(SIDE * SIDE);
  for (let i = 0; i < SIDE; i++) {
    for (let j = Math.max(0, i - radius); j <= Math.min(SIDE - 1, i + radius); j++) {
      matrix[i * SIDE + j] = weights[j - i + radius] / total;
    }
  }
  return matrix;
}

function createField(sigma: number): Field {
  return {
    rows: new Float64Array(PIXELS),
    columns: new Float64Array(PIXELS),
    smoothing: smoothingMatrix(sigma > 0 ? sigma : 1),
    noise: new Float64Array(PIXELS),
    halfway: new Float64Array(PIXELS),
  };
}

/**
 * out = smoothing · noise · smoothingᵀ: the Gaussian along rows, then columns (it is
 * separable). Each pass writes its result transposed, so both passes are dot products of
 * contiguous rows (about twice as fast as walking columns).
 */
function smooth(field: Field, out: Float64Array): void {
  const { smoothing, noise, halfway } = field;
  smoothRows(smoothing, noise, halfway);
  smoothRows(smoothing, halfway, out);
}

/** out[i][r] = Σ_j smoothing[i][j] · image[r][j]: each row smoothed, written transposed. */
function smoothRows(smoothing: Float64Array, image: Float64Array, out: Float64Array): void {
  for (let r = 0; r < SIDE; r++) {
    for (let i = 0; i < SIDE; i++) out[i * SIDE + r] = dot(smoothing, i * SIDE, image, r * SIDE);
  }
}

/** Σ a[aAt + k] · b[bAt + k] over one row of SIDE (a multiple of 4), in four sums. */
function dot(a: Float64Array, aAt: number, b: Float64Array, bAt: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let k = 0; k < SIDE; k += 4) {
    s0 += a[aAt + k] * b[bAt + k];
    s1 += a[aAt + k + 1] * b[bAt + k + 1];
    s2 += a[aAt + k + 2] * b[bAt + k + 2];
    s3 += a[aAt + k + 3] * b[bAt + k + 3];
  }
  return (s0 + s1) + (s2 + s3);
}

/** `noise` (SIDE×SIDE) smoothed as the elastic field is: scipy's gaussian_filter(noise, sigma, mode="constant"). */
export function smoothNoise(noise: ArrayLike<number>, sigma: number): Float64Array {
  const field = createField(sigma);
  field.noise.set(noise);
  const out = new Float64Array(PIXELS);
  smooth(field, out);
  return out;
}

/** The affine part alone, with its numbers given (angle in degrees): for pictures and tests. */
export function transformImage(
  pixels: Uint8Array,
  map: AffineMap,
): Uint8Array {
  const field = createField(1);
  field.rows.fill(0);
  field.columns.fill(0);
  addAffine(field.rows, field.columns, {
    ...map,
    angle: map.angle * Math.PI / 180,
    shear: Math.tan(map.shear * Math.PI / 180),
  });
  const out = new Uint8Array(PIXELS);
  resample(pixels, 0, field, out, 0);
  return out;
}

/** Draw one elastic component: uniform −1…1 per pixel, smoothed, times alpha, into `out`. */
function drawElastic(field: Field, random: Random, alpha: number, out: Float64Array): void {
  const noise = field.noise;
  for (let i = 0; i < PIXELS; i++) noise[i] = 2 * random.uniform() - 1;
  smooth(field, out);
  for (let i = 0; i < PIXELS; i++) out[i] *= alpha;
}

/** One record's source positions: rows and columns (pixels) where each output pixel reads. */
function drawField(distortion: Distortion, random: Random, field: Field): void {
  const { rows, columns } = field;
  const elastic = distortion.alpha > 0 && distortion.sigma > 0;
  if (elastic) {
    drawElastic(field, random, distortion.alpha, rows);
    drawElastic(field, random, distortion.alpha, columns);
  } else {
    rows.fill(0);
    columns.fill(0);
  }
  const spread = (range: number) => range * (2 * random.uniform() - 1);
  const angle = spread(distortion.rotate) * Math.PI / 180;
  const rowScale = 1 + spread(distortion.scale), columnScale = 1 + spread(distortion.scale);
  const shear = Math.tan(spread(distortion.shear) * Math.PI / 180);
  const rowShift = spread(distortion.shift), columnShift = spread(distortion.shift);
  addAffine(rows, columns, { angle, rowScale, columnScale, shear, rowShift, columnShift });
}

/** Add the affine map's source positions (about the image's centre) to the elastic displacements. */
function addAffine(
  rows: Float64Array,
  columns: Float64Array,
  map: AffineMap,
): void {
  const centre = (SIDE - 1) / 2;
  const cos = Math.cos(map.angle), sin = Math.sin(map.angle);
  for (let row = 0; row < SIDE; row++) {
    for (let column = 0; column < SIDE; column++) {
      const y = (row - centre) * map.rowScale;
      const x = (column - centre) * map.columnScale + map.shear * y;
      const index = row * SIDE + column;
      rows[index] += centre + cos * y + sin * x + map.rowShift;
      columns[index] += centre - sin * y + cos * x + map.columnShift;
    }
  }
}

/** Bilinear reads of `image` (bytes at `offset`) at the field's positions, rounded into `out` at `outAt`. */
function resample(image: Uint8Array, offset: number, field: Field, out: Uint8Array, outAt: number): void {
  const { rows, columns } = field;
  for (let index = 0; index < PIXELS; index++) {
    const value = readAt(image, offset, rows[index], columns[index]);
    out[outAt + index] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
  }
}

/** image at (row, column), bilinear, 0 outside. */
function readAt(image: Uint8Array, offset: number, row: number, column: number): number {
  const top = Math.floor(row), left = Math.floor(column);
  if (top < -1 || left < -1 || top >= SIDE || left >= SIDE) return 0;
  const down = row - top, right = column - left;
  return (1 - down) *
      ((1 - right) * pixel(image, offset, top, left) + right * pixel(image, offset, top, left + 1)) +
    down *
      ((1 - right) * pixel(image, offset, top + 1, left) + right * pixel(image, offset, top + 1, left + 1));
}

function pixel(image: Uint8Array, offset: number, row: number, column: number): number {
  return row < 0 || column < 0 || row >= SIDE || column >= SIDE ? 0 : image[offset + row * SIDE + column];
}

/** Scratch fields by σ, one per thread (this module's state is per Worker). */
const FIELDS = new Map<number, Field>();

function fieldFor(sigma: number): Field {
  let field = FIELDS.get(sigma);
  if (!field) FIELDS.set(sigma, field = createField(sigma));
  return field;
}

/**
 * Write records from…to−1 of `source`, distorted as epoch `epoch` of a run seeded `seed`
 * distorts them, into `out` (the same places: count×784 bytes).
 */
export function distortRecords(
  source: Dataset,
  out: Uint8Array,
  options: { distortion: Distortion; seed: number; epoch: number; from?: number; to?: number },
): void {
  const { distortion, seed, epoch } = options;
  const field = fieldFor(distortion.sigma);
  for (let index = options.from ?? 0; index < (options.to ?? source.count); index++) {
    drawField(distortion, distortionRandom(seed, epoch, index), field);
    resample(source.images, index * PIXELS, field, out, index * PIXELS);
  }
}

/** One image (784 bytes) distorted as record `index` of epoch `epoch` would be: for pictures and tests. */
export function distortImage(
  pixels: Uint8Array,
  options: { distortion: Distortion; seed: number; epoch: number; index?: number },
): Uint8Array {
  const out = new Uint8Array(PIXELS);
  const field = fieldFor(options.distortion.sigma);
  drawField(options.distortion, distortionRandom(options.seed, options.epoch, options.index ?? 0), field);
  resample(pixels, 0, field, out, 0);
  return out;
}
