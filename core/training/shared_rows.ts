/**
 * The training thread's side of sharing a record's rows with helper threads (threads.ts
 * starts them): the rows lent out and recalled through the exchange, each record's release
 * and join at the barrier (barrier.ts), when sharing pays (thread_policy.ts), how many rows
 * the training thread keeps, and the test set scored in shares.
 *
 * @module
 */
import type { Network } from "../model/mod.ts";
import type { RecordStep } from "./rows.ts";
import { trainingBuffers } from "./buffers.ts";
import type { Dataset } from "../data/mod.ts";
import type { SampleSource } from "./rotation.ts";
import { answerRecords } from "./answer_records.ts";
import type { FloatArray } from "../kernels/mod.ts";
import {
  CONTROL,
  controlViews,
  copyRows,
  type Exchange,
  exchangeRows,
  type ExchangeViews,
  exchangeViews,
  type HelperSetup,
  PARAMETERS,
  type RowSet,
  shareOfRecords,
  shareOfRows,
  shareTestSet,
  TASK,
} from "./thread_protocol.ts";
import { TrainingBarrier } from "./barrier.ts";
import { BALANCE_AFTER, JOIN_SPIN, LATE_SPINS, rebalance, SharingTrials } from "./thread_policy.ts";

/** The helper threads of one network, ready for its epochs. */
export interface RowThreads {
  /** threads in all, the training thread included */
  readonly count: number;
  /** whether rows are out with the helpers */
  readonly out: boolean;
  /** where the training thread's own rows end (they start at 0); while rows are out the helpers have the rest */
  ownEnd(): number;
  /** hand rows ownEnd… to the helpers (weights, offsets, sums, signals), before records are shared */
  lend(): void;
  /** have them back, before a record is worked alone and at the end of an epoch */
  recall(): void;
  /**
   * whether to share the next record with the helpers, or work it alone (asked once per
   * record, in order): alone until every helper has started, then timed trials of both
   * decide (thread_policy.ts), or, with `always`, every record is shared. The weights are
   * the same either way.
   */
  share(): boolean;
  /**
   * an epoch over `samples` begins (the rows at home): whether the helpers read its records
   * themselves — they are the training set the threads were started with — or need each
   * record's block list published
   */
  epoch(samples: SampleSource): boolean;
  /** block list `list` (`count` blocks, already made in the network's kernels) to the helpers */
  publish(list: number, count: number): void;
  /**
   * release the helpers for record `sample` of the epoch: its step, and the `count` blocks
   * of block list `list` (published, or made by the helpers themselves)
   */
  release(step: RecordStep, count: number, list: number, sample: number): void;
  /** wait until every helper has done its rows; their outputs are then in the network's signals */
  join(): void;
  /** whether score() can share `dataset` out: the test set the threads were started with */
  canScore(dataset: Dataset): boolean;
  /** every record of that test set answered, the records shared out between the threads */
  score(answers: Uint8Array, confidences: Float64Array): void;
  /** end the helpers */
  close(): void;
}

/** How startRowThreads starts the helpers and shares the rows. */
export interface RowThreadsOptions {
  /** how many times a waiting helper checks before it sleeps (default: DEFAULT_SPIN, or 0 with more threads than cores) */
  spin?: number;
  /** keep the training thread's rows at 0…ownEnd−1 (a multiple of 4) instead of balancing them */
  ownEnd?: number;
  /** share every record, without timing whether it pays (tests, the barrier's benchmark) */
  always?: boolean;
  /** the test set that scoring will share out (copied once to shared memory unless it is there: data's shareDataset) */
  test?: Dataset;
  /**
   * the training set, on shared memory (data's shareDataset): its epochs without rotations
   * have the helpers read each record and make its block list themselves while they wait,
   * instead of the training thread publishing them (which cost it time every record)
   */
  train?: Dataset;
  /**
   * resolve at once: records are worked alone, and scored alone, until every helper has
   * started (a training works meanwhile: even helpers started ahead take tens of ms)
   */
  background?: boolean;
  /** helpers started ahead by another thread (startHelpersAhead's ports); the rest are started here */
  ahead?: MessagePort[];
}

/** The training thread's side of sharing rows (RowThreads). */
export class SharedRows implements RowThreads {
  readonly count: number;
  /** the test set, in shared memory, when scoring shares it out */
  readonly test?: NonNullable<HelperSetup["test"]>;
  /** the helpers started here, and the ports of those started ahead */
  helpers: { workers: Worker[]; ports: MessagePort[] } = { workers: [], ports: [] };
  /** why a helper started in the background failed to start */
  startupError: unknown;
  #started = false;
  #out = false;
  readonly #net: Network;
  readonly #options: RowThreadsOptions;
  readonly #control: Int32Array;
  readonly #parameters: Float64Array;
  readonly #shared: ExchangeViews;
  readonly #barrier: TrainingBarrier;
  readonly #rows: RowSet;
  readonly #trials = new SharingTrials();
  /** the balance: records shared since it was last settled, and in how many the training thread waited */
  #records = 0;
  #waited = 0;
  /** the lent rows' errors, and their signals coming back: views made once per lend (none lent yet) */
  #errorsLent: FloatArray;
  #signalsBack: FloatArray;

  constructor(
    net: Network,
    threads: number,
    control: SharedArrayBuffer,
    exchange: Exchange,
    spin: number,
    options: RowThreadsOptions,
  ) {
    this.count = threads;
    this.#net = net;
    this.#options = options;
    ({ control: this.#control, parameters: this.#parameters } = controlViews(control));
    this.#shared = exchangeViews(net.kernels.precision, exchange);
    this.#barrier = new TrainingBarrier(this.#control, threads - 1, Math.min(spin, JOIN_SPIN));
    const { firstRows } = trainingBuffers(net);
    this.#rows = {
      weights: net.weights[0].data,
      offsets: firstRows.offsets,
      sums: firstRows.sums,
      signals: net.signals[1],
    };
    const rows = net.weights[0].rows;
    this.#control[CONTROL.spin] = spin;
    this.#control[CONTROL.ownEnd] = options.ownEnd ?? shareOfRows(rows, threads, 0).hi;
    this.test = options.test && shareTestSet(options.test);
    this.#errorsLent = net.errors[1].subarray(rows);
    this.#signalsBack = this.#shared.out.subarray(0, 0);
  }

  get out(): boolean {
    return this.#out;
  }

  ownEnd(): number {
    return this.#control[CONTROL.ownEnd];
  }

  /** Whether every helper has started (set up and waiting). */
  #helpersStarted(): boolean {
    if (this.#started) return true;
    if (this.startupError !== undefined) throw this.startupError;
    this.#started = this.#barrier.allStarted();
    return this.#started;
  }

  lend(): void {
    const from = this.ownEnd(), n = this.#net.weights[0].rows - from;
    copyRows(this.#rows, from, exchangeRows(this.#shared), 0, n);
    this.#errorsLent = this.#net.errors[1].subarray(from);
    this.#signalsBack = this.#shared.out.subarray(0, n);
    this.#barrier.release(TASK.take);
    this.#barrier.join();
    this.#out = true;
  }

  recall(): void {
    this.#barrier.release(TASK.give);
    this.#barrier.join();
    const from = this.ownEnd();
    copyRows(exchangeRows(this.#shared), 0, this.#rows, from, this.#net.weights[0].rows - from);
    this.#out = false;
  }

  share(): boolean {
    return this.#helpersStarted() && (this.#options.always === true || this.#trials.share());
  }

  epoch(samples: SampleSource): boolean {
    const images = samples.dataset?.images, train = this.#options.train?.images;
    const reads = train !== undefined && images !== undefined && images.buffer === train.buffer &&
      images.byteOffset === train.byteOffset;
    this.#control[CONTROL.total] = samples.count;
    this.#control[CONTROL.reads] = reads ? 1 : 0;
    return reads;
  }

  publish(list: number, count: number): void {
    const control = this.#control, lists = this.#net.kernels.lists!;
    // a sequence lock: odd while the list is written, even again when it is whole (a helper
    // copying it while waiting keeps its copy only if the number was even and unchanged)
    Atomics.add(control, CONTROL.published, 1);
    this.#shared.lists[list].set(lists.offsets(list).subarray(0, count));
    this.#shared.packed[list].set(lists.packed(list).subarray(0, 8 * count));
    control[CONTROL.publishedList] = list;
    control[CONTROL.publishedCount] = count;
    Atomics.add(control, CONTROL.published, 1);
  }

  release(step: RecordStep, count: number, list: number, sample: number): void {
    const control = this.#control, parameters = this.#parameters;
    this.#shared.errors.set(this.#errorsLent);
    parameters[PARAMETERS.inkSum] = step.inkSum;
    parameters[PARAMETERS.nextSum] = step.nextSum;
    parameters[PARAMETERS.learningRate] = this.#net.learningRate;
    control[CONTROL.count] = count;
    control[CONTROL.fold] = step.fold ? 1 : 0;
    control[CONTROL.list] = list;
    control[CONTROL.sample] = sample;
    // this record's list is the one published last (the next is made after the release)
    control[CONTROL.listPublished] = control[CONTROL.published];
    this.#barrier.release(TASK.record);
  }

  join(): void {
    this.#records++;
    if (this.#barrier.pending()) this.#waited++;
    // the helpers finish within microseconds of the training thread; far later, one was descheduled
    if (this.#barrier.join() > LATE_SPINS) this.#trials.late();
    this.#net.signals[1].set(this.#signalsBack, this.ownEnd());
    if (this.#options.ownEnd === undefined && this.#records >= BALANCE_AFTER) this.#settleShare();
  }

  /**
   * The share settled after enough shared records to tell, 4 rows towards whoever waited; when
   * it moves, the rows come home and go out again between two records.
   */
  #settleShare(): void {
    const end = rebalance(this.ownEnd(), this.#net.weights[0].rows, this.#waited / this.#records);
    this.#records = this.#waited = 0;
    if (end === this.ownEnd()) return;
    this.recall();
    this.#control[CONTROL.ownEnd] = end;
    this.lend();
  }

  canScore(dataset: Dataset): boolean {
    return this.test !== undefined && dataset === this.#options.test && this.#helpersStarted();
  }

  score(answers: Uint8Array, confidences: Float64Array): void {
    const test = this.test!;
    let at = 0;
    for (const matrix of this.#net.weights) {
      this.#shared.weights.set(matrix.data, at);
      at += matrix.data.length;
    }
    const results = {
      answers: new Uint8Array(test.answers),
      confidences: new Float64Array(test.confidences),
    };
    this.#barrier.release(TASK.score);
    answerRecords(this.#net, this.#options.test!, shareOfRecords(test.count, this.count, 0), results);
    this.#barrier.join();
    answers.set(results.answers);
    confidences.set(results.confidences);
  }

  close(): void {
    this.#barrier.close();
    for (const worker of this.helpers.workers) worker.terminate();
    for (const port of this.helpers.ports) port.close();
  }
}
