/**
 * Images in and out. Out: 28×28 records as PNG files (via imagescript) and as block
 * characters for the terminal. In: your own handwriting — a PNG, JPEG or GIF of any size
 * turned into a 28×28 input, the MNIST way (mnistStyle) or the book's plain way (asIs).
 * Pixels are MNIST bytes: 0 = paper, 255 = ink; pictures show ink dark on light paper,
 * as the book's plots do.
 *
 * @module
 */
import { decode, GIF, Image } from "imagescript";
import { SIDE } from "./dataset.ts";
import { InputError } from "../errors.ts";
import { decodePng, decodePngGrey, rgbaToGrey } from "./png.ts";

/** Grey levels from paper to ink, two characters a pixel so the picture is square. */
const SHADES = ["  ", "░░", "▒▒", "▓▓", "██"];

/**
 * Draw a grey image (bytes, 0 = paper, 255 = ink) with block characters, one line per
 * row; `keepWidth` pads every line to the full width (for pictures side by side).
 */
export function terminalPicture(
  pixels: Uint8Array,
  width: number,
  height = pixels.length / width,
  options: { keepWidth?: boolean } = {},
): string {
  const lines: string[] = [];
  for (let y = 0; y < height; y++) {
    let line = "";
    for (let x = 0; x < width; x++) {
      line += SHADES[Math.min(SHADES.length - 1, Math.floor(pixels[y * width + x] / 256 * SHADES.length))];
    }
    lines.push(options.keepWidth ? line : line.trimEnd());
  }
  return lines.join("\n");
}

/**
 * Encode a grey image (bytes, 0 = paper, 255 = ink) as PNG, ink dark on white, each
 * pixel drawn as a `scale`×`scale` square.
 */
/** The largest scale a picture is drawn at: 28×28 pixels become at most 2,800×2,800. */
export const MAX_SCALE = 100;

export async function encodePng(
  pixels: Uint8Array,
  width: number,
  options: { scale?: number } = {},
): Promise<Uint8Array> {
  const scale = options.scale ?? 1;
  const height = pixels.length / width;
  const image = new Image(width * scale, height * scale);
  const bitmap = image.bitmap; // RGBA bytes, row by row
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const grey = 255 - pixels[Math.floor(y / scale) * width + Math.floor(x / scale)];
      const offset = (y * width * scale + x) * 4;
      bitmap[offset] = bitmap[offset + 1] = bitmap[offset + 2] = grey;
      bitmap[offset + 3] = 255;
    }
  }
  return await image.encode();
}

/** The largest image read: 25 megapixels (100 MB decoded), enough for any phone photo. */
export const MAX_PIXELS = 25_000_000;

/** A grey image: `pixels` 0–255 row by row, plus how opaque each pixel is (0–1). */
interface GreyImage {
  width: number;
  height: number;
  grey: Float64Array;
  alpha: Float64Array;
}

/** Width and height from a PNG, GIF or JPEG header, without decoding; undefined if unknown. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50) {
    return { width: view.getUint32(16), height: view.getUint32(20) }; // PNG IHDR
  }
  if (bytes.length >= 10 && bytes[0] === 0x47 && bytes[1] === 0x49) {
    return { width: view.getUint16(6, true), height: view.getUint16(8, true) }; // GIF screen
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let i = 2; i + 9 < bytes.length;) {
      if (bytes[i] !== 0xff) return undefined;
      const marker = bytes[i + 1];
      const length = view.getUint16(i + 2);
      // start of frame: baseline, extended, progressive, lossless (not DHT 0xC4, JPG 0xC8, DAC 0xCC)
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: view.getUint16(i + 7), height: view.getUint16(i + 5) };
      }
      i += 2 + length;
    }
  }
  return undefined;
}

/** Decode PNG, JPEG or GIF (its first frame) into grey and alpha. `name` is for error messages. */
export async function decodeGrey(bytes: Uint8Array, name: string): Promise<GreyImage> {
  if (bytes.length === 0) throw new InputError(`${name} is empty`);
  const size = imageSize(bytes);
  if (!size) throw new InputError(`${name} is not a PNG, JPEG or GIF image`);
  if (size.width * size.height > MAX_PIXELS) {
    throw new InputError(
      `${name} is ${size.width}×${size.height} pixels, more than the ${
        MAX_PIXELS / 1e6
      } megapixels myonn reads: make it smaller`,
    );
  }
  // a drawing-sized PNG straight to grey (png.ts); a larger one, everything else and any damage, by
  // imagescript (a large image is shrunk first: see shrink())
  if (size.width * size.height <= MAX_WORKING_PIXELS) {
    const direct = decodePngGrey(bytes);
    if (direct) return direct;
  }
  let image: { width: number; height: number; bitmap: Uint8Array | Uint8ClampedArray } | undefined =
    decodePng(
      bytes,
    );
  if (!image) {
    try {
      const decoded = await decode(bytes);
      image = decoded instanceof GIF ? decoded[0] : decoded as Image;
      if (!image) throw new Error("no frames");
    } catch (error) {
      throw new InputError(
        `${name} cannot be decoded (${(error as Error).message || "damaged or cut short"})`,
      );
    }
  }
  const { width, height, bitmap } = shrink(image);
  const grey = new Float64Array(width * height), alpha = new Float64Array(width * height);
  greyAndAlpha(bitmap, grey, alpha);
  return { width, height, grey, alpha };
}

/**
 * The most pixels the pipeline works on: a larger image (a phone photo) is first shrunk by
 * averaging k×k blocks, so its memory stays bounded (about 50 MB) whatever its size. The
 * digit ends up 20 pixels tall either way.
 */
export const MAX_WORKING_PIXELS = 2_097_152;

/** An RGBA image at most MAX_WORKING_PIXELS large: itself, or averaged over k×k blocks. */
function shrink<T extends { width: number; height: number; bitmap: Uint8Array | Uint8ClampedArray }>(
  image: T,
): { width: number; height: number; bitmap: Uint8Array | Uint8ClampedArray } {
  const { width, height, bitmap } = image;
  if (width * height <= MAX_WORKING_PIXELS) return image;
  const k = Math.ceil(Math.sqrt(width * height / MAX_WORKING_PIXELS));
  const small = { width: Math.ceil(width / k), height: Math.ceil(height / k) };
  const out = new Uint8Array(small.width * small.height * 4);
  for (let y = 0; y < small.height; y++) averageBlocks(bitmap, { width, height, k, y }, out, small.width);
  return { ...small, bitmap: out };
}

/** Row y of the shrunk image: each pixel the mean of the k×k block (cut at the edges) it stands for. */
function averageBlocks(
  bitmap: Uint8Array | Uint8ClampedArray,
  source: { width: number; height: number; k: number; y: number },
  out: Uint8Array,
  outWidth: number,
): void {
  const { width, height, k, y } = source;
  const sums = new Float64Array(4);
  for (let x = 0; x < outWidth; x++) {
    sums.fill(0);
    let count = 0;
    for (let sy = y * k; sy < Math.min(height, y * k + k); sy++) {
      for (let sx = x * k; sx < Math.min(width, x * k + k); sx++) {
        const at = 4 * (sy * width + sx);
        sums[0] += bitmap[at],
          sums[1] += bitmap[at + 1],
          sums[2] += bitmap[at + 2],
          sums[3] += bitmap[at + 3];
        count++;
      }
    }
    for (let c = 0; c < 4; c++) out[4 * (y * outWidth + x) + c] = Math.round(sums[c] / count);
  }
}

/** RGBA bytes to grey (ITU-R 601 luma, 0–255) and alpha (0–1), as png.ts's rowToGrey. */
function greyAndAlpha(bitmap: Uint8Array | Uint8ClampedArray, grey: Float64Array, alpha: Float64Array): void {
  rgbaToGrey(bitmap, grey, alpha, 0);
}

/** The paper's grey: the median of the opaque border pixels (white if there are none). */
function paperGrey(image: GreyImage): number {
  const { width, height, grey, alpha } = image;
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(x, (height - 1) * width + x);
  for (let y = 1; y < height - 1; y++) border.push(y * width, y * width + width - 1);
  const values = border.filter((i) => alpha[i] > 0.5).map((i) => grey[i]).sort((a, b) => a - b);
  return values.length ? values[Math.floor(values.length / 2)] : 255;
}

// The loops below each live in their own small function: V8 (Deno 2.9) optimises small
// loops well and deoptimises large nested ones; measured, this halves mnistStyle's time.

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
