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
import { BLOCK, createInk, unionBlocks } from "./ink.ts";
import type { FloatArray, Matrix } from "../kernels/mod.ts";
import { addBackground, foldRows, type RecordStep, RowWork } from "./rows.ts";
import { trainingBuffers } from "./buffers.ts";
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
 * the records is shared between threads while that pays; the weights are the same, bit for bit.
 *
 * Record n's ink is in input buffer n mod 3 and its block list (the blocks with ink in it
 * or in record n+1) in list n mod 2: while the rows of record n are worked on, the
 * training thread reads record n+2 into the third buffer and writes the other list.
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
  const rows = first.rows;
  // WebAssembly kernels: records read there, the block lists made once per record, for every thread
  const blockLists = kernels.lists;
  const { inputs, firstRows } = trainingBuffers(net);
  const inks = inputs.map((values) => createInk(values, blockLists));
  const lists = [new Int32Array(cols / BLOCK), new Int32Array(cols / BLOCK)];
  const counts = [0, 0];
  // the rule above the first layer is trained split: the rows finish their nodes' part (rows.ts)
  const step: RecordStep = { inkSum: 0, nextSum: 0, fold: false };
  // the record at hand: its ink buffer, the next record's, its block list and how many blocks
  let ink = 0, next = 0, list = 0, count = 0;
  const vectors = inputs.map((row) =>
    inputs.map((next) => ({ column: errors[1], row, next, out: signals[1] }))
  );
  const work = new RowWork(
    net,
    blockLists
      ? (lo, hi) => blockLists.fusedRows(first, errors[1], signals[1], lo, hi, count, list)
      : (lo, hi) =>
        kernels.addOuterThenMultiplyBlocks(
          rowsOf(first, lo, hi),
          rowVectors(vectors[ink][next], lo, hi),
          lists[list].subarray(0, count),
        ),
  );
  // the helpers read the records themselves (the training set they have), or get the lists published
  const helpersRead = threads?.epoch(samples) ?? false;
  const targets = new Float64Array(LABELS);
  let squaredErrors = 0;
  const total = samples.count;
  if (total === 0) return 0;

  /** Read record m into its buffer and make record m−1's block list (its blocks and m's). */
  function readAhead(m: number): void {
    if (m > total) return;
    if (m < total) samples.read(m, inks[m % 3]);
    const list = (m - 1) % 2;
    const after = m < total ? inks[m % 3] : inks[(m - 1) % 3]; // the last record's list: its own blocks
    if (blockLists) {
      counts[list] = blockLists.makeList(cols, inks[(m - 1) % 3].values, after.values, list);
      if (!helpersRead) threads?.publish(list, counts[list]);
    } else {
      counts[list] = unionBlocks(inks[(m - 1) % 3].blocks!, after.blocks!, lists[list]);
    }
  }

  // W = V to start with: every offset c zero, ΣV each row's sum
  firstRows.offsets.fill(0);
  foldRows(net, firstRows, 0, rows);
  samples.read(0, inks[0]);
  readAhead(1);
  kernels.multiply(signals[1], first, inks[0].values);
  addBackground(net, firstRows, inks[0].sum, 0, rows);
  kernels.activate(signals[1], net.activation);
  for (let sample = 0; sample < total; sample++) {
    const hasNext = sample + 1 < total;
    ink = sample % 3;
    // the next sample's ink, or this one's again when there is none (its products are not used)
    next = hasNext ? (sample + 1) % 3 : ink;
    list = sample % 2;
    count = counts[list];
    fillTargets(samples.label(sample), targets);
    // the book's rule above the first layer: the part that needs every hidden node
    squaredErrors += trainAboveFirstLayer(net, targets, true);
    step.inkSum = inks[ink].sum;
    step.nextSum = inks[next].sum;
    step.fold = (sample + 1) % FOLD_EVERY === 0;
    const sharing = threads?.share() ?? false;
    // the rows go out to the helpers when sharing starts, and come home when it stops
    if (threads && sharing && !threads.out) threads.lend();
    if (threads && !sharing && threads.out) threads.recall();
    if (threads && sharing) {
      // the helpers released, our own rows, the record after next read, then the barrier
      threads.release(step, count, list, sample);
      work.run(step, 0, threads.ownEnd());
      readAhead(sample + 2);
      threads.join();
    } else {
      // alone (the helpers, if any, wait): every row, then the record after next
      work.run(step, 0, rows);
      readAhead(sample + 2);
    }
    if (progress && (sample + 1) % PROGRESS_EVERY === 0) {
      progress(sample + 1, total, squaredErrors / (sample + 1));
    }
  }
  if (threads?.out) threads.recall();
  foldRows(net, firstRows, 0, rows);
  progress?.(total, total, squaredErrors / total);
  return squaredErrors / total;
}

/** The fused kernel's vectors for rows lo…hi−1 (the row and next vectors are whole). */
function rowVectors(
  vectors: { column: FloatArray; row: FloatArray; next: FloatArray; out: FloatArray },
  lo: number,
  hi: number,
) {
  if (lo === 0 && hi === vectors.out.length) return vectors;
  return { ...vectors, column: vectors.column.subarray(lo, hi), out: vectors.out.subarray(lo, hi) };
}

/** Rows lo…hi−1 of a matrix, as a matrix over the same memory. */
function rowsOf(matrix: Matrix, lo: number, hi: number): Matrix {
  if (lo === 0 && hi === matrix.rows) return matrix;
  return { rows: hi - lo, cols: matrix.cols, data: matrix.data.subarray(lo * matrix.cols, hi * matrix.cols) };
}
