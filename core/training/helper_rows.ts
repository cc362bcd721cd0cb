/**
 * What a helper thread (row_worker.ts) holds: its share of the first layer's rows, in a
 * network of its own (WebAssembly memory nobody else touches: rows lo…hi−1 of the first layer
 * become its rows 0…n−1), and the block lists its kernels read each record — copied from the
 * ones the training thread publishes, or made from the training set by the helper itself.
 *
 * @module
 */
import { type RecordStep, RowWork } from "./rows.ts";
import { trainingBuffers } from "./buffers.ts";
import { CONTROL, copyRows, exchangeRows, type ExchangeViews, type RowSet } from "./thread_protocol.ts";
import { type ActivationName, ACTIVATIONS, createNetwork, createRandom, type Network } from "../model/mod.ts";
import type { BlockLists, FloatArray, Precision } from "../kernels/mod.ts";
import { createInk, type Ink, readInk } from "./ink.ts";
import type { Dataset } from "../data/mod.ts";

/** A helper's rows: taken from the exchange, worked record by record, given back. */
export class HelperRows {
  /** the network holding them: room for every row it could be given (its share moves), and one output the rows never use */
  readonly net: Network;
  /** its rows, absolute lo…hi−1, at row `at` of the exchange */
  private lo = 0;
  private hi = 0;
  private at = 0;
  /** the record at hand's block list and its blocks (the fused kernel reads them) */
  private list = 0;
  private count = 0;
  private readonly rows: RowSet;
  private readonly work: RowWork;
  /** the exchange's errors for its rows: a view made once per take (nothing is allocated per record) */
  private errorsIn: FloatArray;

  constructor(cols: number, rowCount: number, precision: Precision, activation: ActivationName) {
    const net = createNetwork({
      layers: [cols, rowCount, 1],
      learningRate: 0,
      random: createRandom(0),
      precision,
      activation: ACTIVATIONS[activation],
    });
    this.net = net;
    const { firstRows } = trainingBuffers(net);
    this.rows = {
      weights: net.weights[0].data,
      offsets: firstRows.offsets,
      sums: firstRows.sums,
      signals: net.signals[1],
    };
    const lists = net.kernels.lists!;
    this.work = new RowWork(
      net,
      (a, b) => lists.fusedRows(net.weights[0], net.errors[1], net.signals[1], a, b, this.count, this.list),
    );
    this.errorsIn = net.errors[1].subarray(0, 0);
  }

  /** Whether it holds any rows. */
  get empty(): boolean {
    return this.hi === this.lo;
  }

  /** Take absolute rows lo…hi−1 from the exchange, whose row `at` is the first of them. */
  take(shared: ExchangeViews, lo: number, hi: number, at: number): void {
    this.lo = lo;
    this.hi = hi;
    this.at = at;
    copyRows(exchangeRows(shared), at, this.rows, 0, hi - lo);
    this.errorsIn = shared.errors.subarray(at, at + hi - lo);
  }

  /** Put them back in the exchange. */
  give(shared: ExchangeViews): void {
    copyRows(this.rows, 0, exchangeRows(shared), this.at, this.hi - this.lo);
  }

  /** One record's work on the rows: their errors in, block list `list` of `count` blocks, their next signals out. */
  record(shared: ExchangeViews, step: RecordStep, learningRate: number, list: number, count: number): void {
    const n = this.hi - this.lo;
    this.list = list;
    this.count = count;
    this.net.learningRate = learningRate;
    this.net.errors[1].set(this.errorsIn);
    this.work.run(step, 0, n);
    shared.out.set(this.rows.signals.subarray(0, n), this.at);
  }
}

/**
 * The two block lists in a helper's kernels. When the training thread publishes them, the
 * one published last is copied while the helper waits, so the record that uses it starts with
 * its rows; when the helper reads the records itself, it makes each record's list as the
 * training thread does (fast_epoch.ts): that record's blocks and the next one's, or its own
 * for the last record.
 */
export class HelperLists {
  private readonly lists: BlockLists;
  /** the publication whose list is in the kernels (copied while waiting), or −1 */
  private copied = -1;
  /** the records in its three ink buffers (by number) */
  private readonly inkHolds = [-1, -1, -1];
  private readonly inks: Ink[];
  /** which record's list each of the two is, for how many records in the epoch, and its blocks */
  private readonly listFor = [-1, -1];
  private readonly listTotal = [-1, -1];
  private readonly listCount = [0, 0];
  /** the record last worked: while waiting, the next one's list is made */
  private lastSample = -1;

  constructor(
    net: Network,
    private readonly control: Int32Array,
    private readonly shared: ExchangeViews,
    /** the training set, when the helpers read its records themselves */
    private readonly train?: Dataset,
  ) {
    this.lists = net.kernels.lists!;
    this.inks = trainingBuffers(net).inputs.map((values) => createInk(values, this.lists));
  }

  /** While waiting: copy the list published last, unless it is in the kernels or being written (odd). */
  copyPublished(): void {
    const { control } = this;
    const publication = Atomics.load(control, CONTROL.published);
    if (this.copied === publication || publication % 2 === 1) return;
    this.copy(control[CONTROL.publishedList], control[CONTROL.publishedCount]);
    // written again meanwhile (the training thread publishes the next list during each record,
    // and every record while it works alone): this copy may be torn, so it is not kept
    this.copied = Atomics.load(control, CONTROL.published) === publication ? publication : -1;
  }

  /** While waiting, when the helpers read the records: the list of the record after the last one worked. */
  makeNext(): void {
    const total = this.control[CONTROL.total];
    if (this.lastSample < 0 || this.lastSample + 1 >= total) return;
    this.make(this.lastSample + 1, total);
  }

  /** The record at hand's list (`list`, of `count` blocks) in the kernels, however it comes. */
  forRecord(list: number, count: number): void {
    const { control } = this;
    if (control[CONTROL.reads] === 1) {
      // made here (while waiting, as a rule), the same as the training thread's
      this.lastSample = control[CONTROL.sample];
      if (this.make(this.lastSample, control[CONTROL.total]) !== count) {
        throw new Error(
          `a helper's block list for record ${this.lastSample} differs from the training thread's`,
        );
      }
    } else if (this.copied !== control[CONTROL.listPublished]) {
      this.copy(list, count);
    }
  }

  /** Published list `list` of `count` blocks into the kernels. */
  private copy(list: number, count: number): void {
    this.lists.offsets(list).set(this.shared.lists[list].subarray(0, count));
    this.lists.packed(list).set(this.shared.packed[list].subarray(0, 8 * count));
    this.listFor[list] = -1;
  }

  /** Record m's list (of `total` records); kept, so asking again costs nothing. Returns how many blocks. */
  private make(m: number, total: number): number {
    const list = m % 2;
    if (this.listFor[list] === m && this.listTotal[list] === total) return this.listCount[list];
    const next = m + 1 < total ? m + 1 : m;
    this.readRecord(m);
    this.readRecord(next);
    const cols = this.inks[0].values.length;
    this.listCount[list] = this.lists.makeList(
      cols,
      this.inks[m % 3].values,
      this.inks[next % 3].values,
      list,
    );
    this.listFor[list] = m;
    this.listTotal[list] = total;
    // this list slot no longer holds a published list
    this.copied = -1;
    return this.listCount[list];
  }

  /** Record m's ink into buffer m mod 3, unless it is there. */
  private readRecord(m: number): void {
    if (this.inkHolds[m % 3] === m) return;
    readInk(this.train!, m, this.inks[m % 3]);
    this.inkHolds[m % 3] = m;
  }
}
