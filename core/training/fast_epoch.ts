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
import { BLOCK, createInk, rowSums, unionBlocks } from "./ink.ts";
import type { Matrix } from "../kernels/mod.ts";
import { addBackground, foldRows, rowsStep, type RowState } from "./rows.ts";
import type { RowThreads } from "./threads.ts";
import { type Network, trainAboveFirstLayer } from "../model/mod.ts";

/** Records between folding the row offsets back into the weights. */
const FOLD_EVERY = 1000;
/** How often (in records) progress is reported. */
const PROGRESS_EVERY = 1000;

/** Whether the fast path applies: the first layer's width a multiple of the block size. */
export function canTrainFast(net: Network): boolean {
  return net.layers[0] % BLOCK === 0;
}

/**
 * Train on every sample once, in order (see the module's notes). Returns the epoch's mean
 * squared error. Needs {@link canTrainFast}. With `threads` (threads.ts) the per-row work of
 * every record is shared between threads; the weights are the same, bit for bit.
 */
export function trainEpochFast(
  net: Network,
  samples: SampleSource,
  options: {
    /** records done so far, and the mean squared error over them (the training error, live) */
    progress?: (done: number, total: number, meanSquaredError: number) => void;
    threads?: RowThreads;
  } = {},
): number {
  const { kernels, signals, errors } = net;
  const { progress, threads } = options;
  const first = net.weights[0];
  const cols = first.cols;
  let ink = createInk(net.scratch[0]), nextInk = createInk(net.scratch[1]);
  let inkIsB = false; // whether `ink` is scratch[1] (the helpers read the buffers by address)
  const union = new Int32Array(cols / BLOCK);
  const state: RowState = {
    data: first.data,
    cols,
    delta: errors[1],
    out: signals[1],
    offsets: threads?.offsets.fill(0) ?? new Float64Array(first.rows), // c
    sums: threads?.sums ?? new Float64Array(first.rows), // ΣV per row
  };
  const targets = new Float64Array(LABELS);
  let squaredErrors = 0;
  const total = samples.count;
  if (total === 0) return 0;

  rowSums(first.data, cols, state.sums);
  samples.read(0, ink);
  kernels.multiply(signals[1], first, ink.values);
  addBackground(state, ink.sum, 0, first.rows);
  for (let sample = 0; sample < total; sample++) {
    const hasNext = sample + 1 < total;
    // the next sample's ink, or this one's again when there is none (its products are not used)
    if (hasNext) samples.read(sample + 1, nextInk);
    const next = hasNext ? nextInk : ink;
    fillTargets(samples.label(sample), targets);
    // the book's rule above the first layer; errors[1] is then δ, the first layer's update
    squaredErrors += trainAboveFirstLayer(net, targets);
    const count = unionBlocks(ink.blocks, next.blocks, union);
    const blocks = union.subarray(0, count);
    const step = { inkSum: ink.sum, nextSum: next.sum, fold: (sample + 1) % FOLD_EVERY === 0 };
    const vectors = { column: errors[1], row: ink.values, next: next.values, out: signals[1] };
    if (threads) {
      // the rows shared out: the block list set once, the helpers released, our own rows, then the barrier
      kernels.shared!.setBlocks(cols, blocks);
      threads.release({ ...step, count, inkIsB, nextIsB: hasNext ? !inkIsB : inkIsB });
      rowsStep(
        state,
        step,
        threads.own,
        (lo, hi) => kernels.shared!.fusedRows(first, vectors, { lo, hi, count, thread: 0 }),
      );
      threads.join();
    } else {
      rowsStep(state, step, { lo: 0, hi: first.rows }, (lo, hi) =>
        kernels.addOuterThenMultiplyBlocks(
          rowsOf(first, lo, hi),
          { ...vectors, column: vectors.column.subarray(lo, hi), out: vectors.out.subarray(lo, hi) },
          blocks,
        ));
    }
    if (hasNext) {
      [ink, nextInk] = [nextInk, ink];
      inkIsB = !inkIsB;
    }
    if (progress && (sample + 1) % PROGRESS_EVERY === 0) {
      progress(sample + 1, total, squaredErrors / (sample + 1));
    }
  }
  foldRows(state, 0, first.rows);
  progress?.(total, total, squaredErrors / total);
  return squaredErrors / total;
}

/** Rows lo…hi−1 of a matrix, as a matrix over the same memory. */
function rowsOf(matrix: Matrix, lo: number, hi: number): Matrix {
  if (lo === 0 && hi === matrix.rows) return matrix;
  return { rows: hi - lo, cols: matrix.cols, data: matrix.data.subarray(lo * matrix.cols, hi * matrix.cols) };
}
