/**
 * Your own handwriting made into an MNIST record, two ways: `mnistStyle`, the way MNIST
 * made its digits (grey; the paper's shade from the border, dark ink on light paper
 * inverted; speckle smoothed; cropped to the ink; the longer side scaled to 20 pixels;
 * centred by its centre of mass in 28×28), and `asIs`, the book's plain pipeline (squash
 * to 28×28, invert).
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { SIDE } from "./dataset.ts";
import type { GreyImage } from "./images.ts";

function paperGrey(image: GreyImage): number {
  const { width, height, grey, alpha } = image;
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(x, (height - 1) * width + x);
  for (let y = 1; y < height - 1; y++) border.push(y * width, y * width + width - 1);
  const values = border.filter((i) => alpha[i] > 0.5).map((i) => grey[i]).sort((a, b) => a - b);
  return values.length ? values[Math.floor(values.length / 2)] : 255;
}

// The loops below each live in their own small function: V8 (Deno 2.9) optimises small
// loops well and deoptimises large nested ones.

/** One pass of a box blur of `radius` along rows (step 1) or columns (step width), via running sums. */
function boxBlurPass(
  values: Float64Array,
  size: { width: number; height: number },
  radius: number,
  alongRows: boolean,
) {
  const out = new Float64Array(values.length);
  const [lines, length, step, lineStep] = alongRows
    ? [size.height, size.width, 1, size.width]
    : [size.width, size.height, size.width, 1];
  for (let line = 0; line < lines; line++) blurLine(values, out, line * lineStep, step, length, radius);
  return out;
}

/**
 * The box blur of one line (`length` values `step` apart from `start`) into `out`. A line
 * without ink (most rows of a drawing) blurs to zeros, which `out` already holds: skipped.
 */
function blurLine(
  values: Float64Array,
  out: Float64Array,
  start: number,
  step: number,
  length: number,
  radius: number,
): void {
  if (isBlank(values, start, step, length)) return;
  let sum = 0;
  for (let i = 0; i <= Math.min(radius, length - 1); i++) sum += values[start + i * step];
  for (let i = 0; i < length; i++) {
    const low = Math.max(0, i - radius), high = Math.min(length - 1, i + radius);
    out[start + i * step] = sum / (high - low + 1);
    if (i + radius + 1 < length) sum += values[start + (i + radius + 1) * step];
    if (i - radius >= 0) sum -= values[start + (i - radius) * step];
  }
}

/** Whether every value of a line is 0. */
function isBlank(values: Float64Array, start: number, step: number, length: number): boolean {
  for (let i = 0, at = start; i < length; i++, at += step) if (values[at] !== 0) return false;
  return true;
}

/**
 * Ink per pixel, 0–255: transparent pixels count as paper; the paper's shade is taken
 * from the border; dark ink on light paper is inverted (the book's 255 − x); speckle is
 * smoothed away with a small box blur (about 1/80 of the image); faint shading below a
 * fifth of the strongest ink is dropped and the rest stretched to 255.
 */
function inkLevels(image: GreyImage, name: string): Float64Array {
  const paper = paperGrey(image);
  let ink = inkAgainstPaper(image.grey, image.alpha, paper);
  const radius = Math.round(Math.min(image.width, image.height) / 80);
  if (radius > 0) ink = boxBlurPass(boxBlurPass(ink, image, radius, true), image, radius, false);
  const strongest = largest(ink);
  if (strongest < 32) throw new InputError(`${name} has no ink: it is one shade of paper (nothing to read)`);
  stretch(ink, strongest / 4, strongest);
  return ink;
}

/** How far each pixel (transparent ones seen as paper) is from the paper's grey, towards ink. */
function inkAgainstPaper(grey: Float64Array, alpha: Float64Array, paper: number): Float64Array {
  const ink = new Float64Array(grey.length);
  const lightPaper = paper >= 128;
  for (let i = 0; i < ink.length; i++) {
    const seen = alpha[i] * grey[i] + (1 - alpha[i]) * paper;
    ink[i] = Math.max(0, lightPaper ? paper - seen : seen - paper);
  }
  return ink;
}

/** The largest value (0 for none above 0). */
function largest(values: Float64Array): number {
  let most = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > most) most = values[i];
  return most;
}

/** In place: values below `floor` to 0, the rest stretched so that `strongest` becomes 255. */
function stretch(values: Float64Array, floor: number, strongest: number): void {
  for (let i = 0; i < values.length; i++) {
    values[i] = Math.max(0, (values[i] - floor) / (strongest - floor) * 255);
  }
}

/**
 * Resample a width×height image to outWidth×outHeight by area averaging (each output
 * pixel is the mean of the source area it covers): the right way to shrink a photo.
 */
function resampleArea(
  source: Float64Array,
  size: { width: number; height: number },
  out: { width: number; height: number },
): Float64Array {
  const result = new Float64Array(out.width * out.height);
  const scaleX = size.width / out.width, scaleY = size.height / out.height;
  for (let y = 0; y < out.height; y++) {
    const top = y * scaleY, bottom = (y + 1) * scaleY;
    for (let x = 0; x < out.width; x++) {
      const left = x * scaleX, right = (x + 1) * scaleX;
      let sum = 0;
      for (let sy = Math.floor(top); sy < Math.min(size.height, Math.ceil(bottom)); sy++) {
        const coverY = Math.min(bottom, sy + 1) - Math.max(top, sy);
        sum = addCoveredRow(sum, source, sy * size.width, { left, right, width: size.width, coverY });
      }
      result[y * out.width + x] = sum / (scaleX * scaleY);
    }
  }
  return result;
}

/** `sum` plus one source row's pixels from `left` to `right`, each weighted by how much of it is covered. */
function addCoveredRow(
  sum: number,
  source: Float64Array,
  rowStart: number,
  span: { left: number; right: number; width: number; coverY: number },
): number {
  const { left, right, width, coverY } = span;
  for (let sx = Math.floor(left); sx < Math.min(width, Math.ceil(right)); sx++) {
    sum += source[rowStart + sx] * coverY * (Math.min(right, sx + 1) - Math.max(left, sx));
  }
  return sum;
}

/** The bounding box of the pixels with ink. */
function inkBox(ink: Float64Array, width: number, height: number) {
  let top = height, bottom = -1, left = width, right = -1;
  for (let y = 0; y < height; y++) {
    const first = firstInk(ink, y * width, width);
    if (first < 0) continue;
    top = Math.min(top, y), bottom = Math.max(bottom, y);
    left = Math.min(left, first), right = Math.max(right, lastInk(ink, y * width, width));
  }
  return { top, bottom, left, right };
}

/** The first column of a row with ink, or −1. */
function firstInk(ink: Float64Array, start: number, width: number): number {
  for (let x = 0; x < width; x++) if (ink[start + x] > 0) return x;
  return -1;
}

/** The last column of a row with ink (the row has some). */
function lastInk(ink: Float64Array, start: number, width: number): number {
  let x = width - 1;
  while (!(ink[start + x] > 0)) x--;
  return x;
}

/**
 * An image as MNIST made its digits: ink cropped to its bounding box, the longer side
 * scaled to 20 pixels keeping the aspect, placed in 28×28 with its centre of mass at the
 * centre. Returns 784 bytes (0 = paper, 255 = ink).
 */
export function mnistStyle(image: GreyImage, name: string): Uint8Array {
  const ink = inkLevels(image, name);
  const { width, height } = image;
  const { top, bottom, left, right } = inkBox(ink, width, height);
  const boxWidth = right - left + 1, boxHeight = bottom - top + 1;
  const cropped = new Float64Array(boxWidth * boxHeight);
  for (let y = 0; y < boxHeight; y++) {
    cropped.set(ink.subarray((top + y) * width + left, (top + y) * width + left + boxWidth), y * boxWidth);
  }
  const scale = 20 / Math.max(boxWidth, boxHeight);
  const fitted = {
    width: Math.max(1, Math.round(boxWidth * scale)),
    height: Math.max(1, Math.round(boxHeight * scale)),
  };
  const small = resampleArea(cropped, { width: boxWidth, height: boxHeight }, fitted);
  // centre of mass of the ink, in pixel indices of the small image
  let mass = 0, sumX = 0, sumY = 0;
  for (let y = 0; y < fitted.height; y++) {
    for (let x = 0; x < fitted.width; x++) {
      const value = small[y * fitted.width + x];
      mass += value, sumX += value * x, sumY += value * y;
    }
  }
  const clampOffset = (offset: number, length: number) => Math.max(0, Math.min(SIDE - length, offset));
  const offsetX = clampOffset(Math.round((SIDE - 1) / 2 - sumX / mass), fitted.width);
  const offsetY = clampOffset(Math.round((SIDE - 1) / 2 - sumY / mass), fitted.height);
  const pixels = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < fitted.height; y++) {
    for (let x = 0; x < fitted.width; x++) {
      pixels[(y + offsetY) * SIDE + x + offsetX] = Math.round(Math.min(255, small[y * fitted.width + x]));
    }
  }
  return pixels;
}

/**
 * The book's own pipeline: the whole image squashed to 28×28 (aspect ignored), grey,
 * inverted (255 − x, transparent counted as white paper). Returns 784 bytes.
 */
export function asIs(image: GreyImage): Uint8Array {
  const seen = image.grey.map((grey, i) => image.alpha[i] * grey + (1 - image.alpha[i]) * 255);
  const small = resampleArea(seen, image, { width: SIDE, height: SIDE });
  return Uint8Array.from(small, (grey) => Math.round(255 - Math.min(255, Math.max(0, grey))));
}
