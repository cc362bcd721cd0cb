/**
 * The training loop's fast path: one epoch of the book's rule, record by record, giving
 * the same weights as calling train() per record (up to rounding), in a fraction of the
 * time. Two exact rearrangements of the first layer's work make it fast:
 *
 * 1. Background and ink (ink.ts). Every input is x = 0.01 + ink, where ink is zero
 *    wherever the pixel is 0 (about 80% of an MNIST image). The first layer's weights
 *    are kept as W = V + c·1ᵀ: a matrix V and one offset c[r] per row. Then
 *      W += δ ⊗ x          becomes   c += 0.01·δ,  V += δ ⊗ ink   (ink's blocks only)
 *      W·x = V·ink + 0.01·ΣV + c·(784·0.01 + Σink)              (ΣV: each row's sum, kept)
 *    so only the columns where there is ink are read or written.
 * 2. Fusion. Each row of V is updated for this record and multiplied by the next record's
 *    ink while it is still in cache (kernels.addOuterThenMultiplyBlocks), over the
 *    4-column blocks with ink in either record.
 *
 * Every FOLD_EVERY records, and at the end, c is folded into V (W = V again) and the row
 * sums are recomputed, so rounding cannot drift. Between records nothing outside this
 * function sees V; when it returns, net.weights[0] holds W.
 *
 * @module
 */
import type { SampleSource } from "./rotation.ts";
import { fillTargets, LABELS } from "../data/mod.ts";
import { BACKGROUND, BLOCK, createInk, rowSums, unionBlocks } from "./ink.ts";
import type { FloatArray } from "../kernels/mod.ts";
import { type Network, trainAboveFirstLayer } from "../model/mod.ts";

/** Records between folding the row offsets back into the weights. */
const FOLD_EVERY = 1000;
/** How often (in records) progress is reported. */
const PROGRESS_EVERY = 1000;

/** Whether the fast path applies: the first layer's width a multiple of the block size. */
export function canTrainFast(net: Network): boolean {
  return net.layers[0] % BLOCK === 0;
}

/** W = V + c·1ᵀ into V, c = 0, and the row sums recomputed. */
function fold(data: FloatArray, cols: number, offsets: Float64Array, sums: Float64Array): void {
  for (let r = 0; r < offsets.length; r++) {
    const offset = offsets[r];
    if (offset !== 0) { for (let c = r * cols; c < (r + 1) * cols; c++) data[c] += offset; }
    offsets[r] = 0;
  }
  rowSums(data, cols, sums);
}

/** The signals into the first hidden layer from V, c and the row sums: out += 0.01·ΣV + c·(n·0.01 + Σink). */
function addBackground(
  out: FloatArray,
  sums: Float64Array,
  offsets: Float64Array,
  inkSum: number,
  cols: number,
): void {
  const background = cols * BACKGROUND + inkSum;
  for (let r = 0; r < out.length; r++) out[r] += BACKGROUND * sums[r] + offsets[r] * background;
}

/** The row offsets and sums after an update δ: c += 0.01·δ, ΣV += δ·Σink. */
function updateOffsets(delta: FloatArray, offsets: Float64Array, sums: Float64Array, inkSum: number): void {
  for (let r = 0; r < offsets.length; r++) {
    offsets[r] += BACKGROUND * delta[r];
    sums[r] += delta[r] * inkSum;
  }
}

/**
 * Train on every sample once, in order (see the module's notes). Returns the epoch's mean
 * squared error. Needs {@link canTrainFast}.
 */
export function trainEpochFast(
  net: Network,
  samples: SampleSource,
  progress?: (done: number, total: number) => void,
): number {
  const { kernels, signals, errors } = net;
  const first = net.weights[0];
  const cols = first.cols;
  let ink = createInk(net.scratch[0]), nextInk = createInk(net.scratch[1]);
  const union = new Int32Array(cols / BLOCK);
  const offsets = new Float64Array(first.rows); // c
  const sums = new Float64Array(first.rows); // ΣV per row
  const targets = new Float64Array(LABELS);
  let squaredErrors = 0;
  const total = samples.count;
  if (total === 0) return 0;

  rowSums(first.data, cols, sums);
  samples.read(0, ink);
  kernels.multiply(signals[1], first, ink.values);
  addBackground(signals[1], sums, offsets, ink.sum, cols);
  for (let sample = 0; sample < total; sample++) {
    const hasNext = sample + 1 < total;
    // the next sample's ink, or this one's again when there is none (its products are not used)
    if (hasNext) samples.read(sample + 1, nextInk);
    const next = hasNext ? nextInk : ink;
    fillTargets(samples.label(sample), targets);
    squaredErrors += trainAboveFirstLayer(net, targets);
    // wih += δ ⊗ (0.01 + ink), and the next record's signals into the hidden layer
    const delta = errors[1];
    updateOffsets(delta, offsets, sums, ink.sum);
    const count = unionBlocks(ink.blocks, next.blocks, union);
    kernels.addOuterThenMultiplyBlocks(
      first,
      { column: delta, row: ink.values, next: next.values, out: signals[1] },
      union.subarray(0, count),
    );
    addBackground(signals[1], sums, offsets, next.sum, cols);
    if ((sample + 1) % FOLD_EVERY === 0) fold(first.data, cols, offsets, sums);
    [ink, nextInk] = [nextInk, ink];
    if (progress && (sample + 1) % PROGRESS_EVERY === 0) progress(sample + 1, total);
  }
  fold(first.data, cols, offsets, sums);
  progress?.(total, total);
  return squaredErrors / total;
}
