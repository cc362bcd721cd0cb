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
import { BLOCK, createInk, type Ink, unionBlocks } from "./ink.ts";
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
  const { progress } = options;
  const epoch = new FastEpoch(net, samples, options.threads);
  const total = samples.count;
  if (total === 0) return 0;
  let squaredErrors = 0;
  epoch.start();
  for (let sample = 0; sample < total; sample++) {
    squaredErrors += epoch.train(sample);
    if (progress && (sample + 1) % PROGRESS_EVERY === 0) {
      progress(sample + 1, total, squaredErrors / (sample + 1));
    }
  }
  epoch.finish();
  progress?.(total, total, squaredErrors / total);
  return squaredErrors / total;
}

/**
 * One epoch's records, one after another. Record n's ink is in input buffer n mod 3 and its
 * block list (the blocks with ink in it or in record n+1) in list n mod 2: while the rows of
 * record n are worked on, the training thread reads record n+2 into the third buffer and
 * writes the other list.
 */
class FastEpoch {
  private readonly first: Matrix;
  private readonly inks: Ink[];
  /** the block lists when the kernels are plain TypeScript (WebAssembly's live in its memory) */
  private readonly lists: Int32Array[];
  private readonly counts = [0, 0];
  /** the rule above the first layer is trained split: the rows finish their nodes' part (rows.ts) */
  private readonly step: RecordStep = { inkSum: 0, nextSum: 0, fold: false };
  /** the record at hand: its ink buffer, the next record's, its block list and how many blocks */
  private ink = 0;
  private next = 0;
  private list = 0;
  private count = 0;
  private readonly work: RowWork;
  /** the helpers read the records themselves (the training set they have), or get the lists published */
  private readonly helpersRead: boolean;
  private readonly targets = new Float64Array(LABELS);

  constructor(
    private readonly net: Network,
    private readonly samples: SampleSource,
    private readonly threads?: RowThreads,
  ) {
    const { kernels, signals, errors } = net;
    const first = this.first = net.weights[0];
    // WebAssembly kernels: records read there, the block lists made once per record, for every thread
    const blockLists = kernels.lists;
    const { inputs } = trainingBuffers(net);
    this.inks = inputs.map((values) => createInk(values, blockLists));
    this.lists = [new Int32Array(first.cols / BLOCK), new Int32Array(first.cols / BLOCK)];
    const vectors = inputs.map((row) =>
      inputs.map((next) => ({ column: errors[1], row, next, out: signals[1] }))
    );
    this.work = new RowWork(
      net,
      blockLists
        ? (lo, hi) => blockLists.fusedRows(first, errors[1], signals[1], lo, hi, this.count, this.list)
        : (lo, hi) =>
          kernels.addOuterThenMultiplyBlocks(
            rowsOf(first, lo, hi),
            rowVectors(vectors[this.ink][this.next], lo, hi),
            this.lists[this.list].subarray(0, this.count),
          ),
    );
    this.helpersRead = threads?.epoch(samples) ?? false;
  }

  /** W = V to start with (every offset c zero, ΣV each row's sum), record 0 read and through the first layer. */
  start(): void {
    const { net, first, inks } = this;
    const { firstRows } = trainingBuffers(net);
    firstRows.offsets.fill(0);
    foldRows(net, firstRows, 0, first.rows);
    this.samples.read(0, inks[0]);
    this.readAhead(1);
    net.kernels.multiply(net.signals[1], first, inks[0].values);
    addBackground(net, firstRows, inks[0].sum, 0, first.rows);
    net.kernels.activate(net.signals[1], net.activation);
  }

  /** Train on record `sample`; returns its squared error. */
  train(sample: number): number {
    const { net, step, threads, inks } = this;
    const ink = this.ink = sample % 3;
    // the next sample's ink, or this one's again when there is none (its products are not used)
    const next = this.next = sample + 1 < this.samples.count ? (sample + 1) % 3 : ink;
    const list = this.list = sample % 2;
    const count = this.count = this.counts[list];
    fillTargets(this.samples.label(sample), this.targets);
    // the book's rule above the first layer: the part that needs every hidden node
    const squaredError = trainAboveFirstLayer(net, this.targets, true);
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
      this.work.run(step, 0, threads.ownEnd());
      this.readAhead(sample + 2);
      threads.join();
    } else {
      // alone (the helpers, if any, wait): every row, then the record after next
      this.work.run(step, 0, this.first.rows);
      this.readAhead(sample + 2);
    }
    return squaredError;
  }

  /** The rows home, and the offsets folded back: net.weights[0] holds W. */
  finish(): void {
    if (this.threads?.out) this.threads.recall();
    foldRows(this.net, trainingBuffers(this.net).firstRows, 0, this.first.rows);
  }

  /** Read record m into its buffer and make record m−1's block list (its blocks and m's). */
  private readAhead(m: number): void {
    const { samples, inks, net } = this;
    const total = samples.count;
    if (m > total) return;
    if (m < total) samples.read(m, inks[m % 3]);
    const list = (m - 1) % 2;
    const after = m < total ? inks[m % 3] : inks[(m - 1) % 3]; // the last record's list: its own blocks
    const blockLists = net.kernels.lists;
    if (blockLists) {
      this.counts[list] = blockLists.makeList(this.first.cols, inks[(m - 1) % 3].values, after.values, list);
      if (!this.helpersRead) this.threads?.publish(list, this.counts[list]);
    } else {
      this.counts[list] = unionBlocks(inks[(m - 1) % 3].blocks!, after.blocks!, this.lists[list]);
    }
  }
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
