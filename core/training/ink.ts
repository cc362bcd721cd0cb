/**
 * Inputs split into background and ink: every scaled input is x = 0.01 + ink, where
 * ink = pixel/255·0.99 is zero wherever the pixel is 0 (about 80% of an MNIST image).
 * The fast training and scoring paths work on the ink alone, in blocks of 4 columns,
 * and add the background's part from each row's sum of weights.
 *
 * @module
 */
import type { Dataset } from "../data/mod.ts";
import type { BlockLists, FloatArray } from "../kernels/mod.ts";

/** What a pixel of 0 scales to: the inputs' background. */
export const BACKGROUND = 0.01;
/** Columns per block of the block kernels. */
export const BLOCK = 4;

// pixel / 255 * 0.99 for every byte: BACKGROUND + INK[p] is the book's scaled input, bit for bit.
const INK = Float64Array.from({ length: 256 }, (_, pixel) => pixel / 255.0 * 0.99);

/** The ink of one pixel value (0–255). */
export function inkOf(pixel: number): number {
  return INK[pixel];
}

/** One record's ink. */
export interface Ink {
  /** ink per input, in the network's kernel memory */
  values: FloatArray;
  /** Σ values */
  sum: number;
  /**
   * 1 for each block of 4 inputs with any ink; not kept for ink read by WebAssembly
   * (`lists`), whose block lists are made from the values (BlockLists.makeList)
   */
  blocks?: Uint8Array;
  /** the WebAssembly kernels' block lists, when `values` lives in their memory: records are read there */
  lists?: BlockLists;
}

/**
 * An Ink around `values` (length a multiple of BLOCK), read in WebAssembly when `lists`
 * (the kernels' that own `values`) is given.
 */
export function createInk(values: FloatArray): Ink & { blocks: Uint8Array };
export function createInk(values: FloatArray, lists?: BlockLists): Ink;
export function createInk(values: FloatArray, lists?: BlockLists): Ink {
  return lists
    ? { values, sum: 0, lists }
    : { values, sum: 0, blocks: new Uint8Array(values.length / BLOCK) };
}

/** Each dataset's pixels read 4 at a time (a block), when its bytes are 4-byte aligned. */
const blockWords = new WeakMap<Uint8Array, Uint32Array | null>();

function wordsOf(images: Uint8Array): Uint32Array | null {
  let words = blockWords.get(images);
  if (words === undefined) {
    words = images.byteOffset % 4 === 0 && images.length % 4 === 0
      ? new Uint32Array(images.buffer, images.byteOffset, images.length / 4)
      : null;
    blockWords.set(images, words);
  }
  return words;
}

/**
 * Fill `ink` with record `index`'s ink values, their sum and which blocks have ink. Blocks
 * of four 0 pixels (most of an image) are skipped by reading them as one 32-bit word: their
 * values stay 0 and adding 0 would not change the sum, so the numbers are those of the
 * pixel-by-pixel loop (the training thread reads a record in the time of a few rows). Ink
 * with `lists` is read by the same steps in WebAssembly (about twice as fast as this loop).
 */
export function readInk(dataset: Dataset, index: number, ink: Ink): void {
  const { values, blocks } = ink;
  const offset = index * values.length;
  if (ink.lists) {
    ink.sum = ink.lists.readBytes(dataset.images, offset, values, INK);
    return;
  }
  if (!blocks) throw new Error("ink without blocks is read by WebAssembly");
  const words = wordsOf(dataset.images);
  values.fill(0);
  blocks.fill(0);
  let sum = 0;
  for (let block = 0; block < blocks.length; block++) {
    if (words !== null && words[(offset >> 2) + block] === 0) continue;
    const start = block * BLOCK;
    if (anyInk(dataset.images, offset + start)) blocks[block] = 1;
    sum = readBlock(dataset.images, offset + start, values, start, sum);
  }
  ink.sum = sum;
}

function anyInk(images: Uint8Array, at: number): boolean {
  return (images[at] | images[at + 1] | images[at + 2] | images[at + 3]) !== 0;
}

/** values[start…start+3] from 4 pixels at images[at…]; returns sum plus them, added in order. */
function readBlock(images: Uint8Array, at: number, values: FloatArray, start: number, sum: number): number {
  for (let i = 0; i < BLOCK; i++) {
    values[start + i] = INK[images[at + i]];
    sum += values[start + i];
  }
  return sum;
}

/** Find the sum and the blocks with ink of `ink.values` after they were written some other way. */
export function measureInk(ink: Ink): void {
  const { values, blocks } = ink;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  ink.sum = sum;
  if (!blocks) return;
  blocks.fill(0);
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) blocks[i >> 2] = 1;
}

/** The blocks with ink in either mask, as a list into `out`; returns how many. */
export function unionBlocks(a: Uint8Array, b: Uint8Array, out: Int32Array): number {
  let count = 0;
  for (let block = 0; block < a.length; block++) if (a[block] | b[block]) out[count++] = block;
  return count;
}

/** sums[r] = Σ of row r of a rows×cols matrix. */
export function rowSums(data: FloatArray, cols: number, sums: Float64Array): Float64Array {
  for (let r = 0; r < sums.length; r++) {
    let sum = 0;
    for (let c = r * cols; c < (r + 1) * cols; c++) sum += data[c];
    sums[r] = sum;
  }
  return sums;
}
