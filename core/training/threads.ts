/**
 * Helper threads for one training: Workers that take a share of the first layer's hidden
 * rows (rows.ts) and do each record's work on them, in WebAssembly memory of their own.
 * While rows are out with the helpers, the training thread hands each record's part over
 * through small shared buffers (the rows' errors, and the record's packed ink blocks unless
 * the helpers read the records themselves from a training set on shared memory while they
 * wait) and gets the rows' outputs back; the rows themselves (their weights, offsets and
 * sums) go out and come home only when sharing starts and stops. A memory of one's own
 * matters: the same kernels on a shared WebAssembly memory were slower (docs/speed.md).
 *
 * They meet the training thread at a barrier per record (barrier.ts): it releases them, does
 * its own rows and reads the record after next while they do theirs, then joins them.
 *
 * The training thread has more to do than its rows (the output layer, reading records), so
 * the rows are not split evenly: it counts how often it had to wait for the helpers, and
 * every BALANCE_AFTER shared records it keeps 4 more or 4 fewer (the rows come home and go
 * out again when the share moves). Who does a row never changes its numbers
 * (rows.ts), so the weights stay the same, bit for bit.
 *
 * @module
 */
import { type ActivationName, ACTIVATIONS, type Network } from "../model/mod.ts";
import type { RecordStep } from "./rows.ts";
import { trainingBuffers } from "./buffers.ts";
import { type Dataset, isShared } from "../data/mod.ts";
import type { SampleSource } from "./rotation.ts";
import { answerRecords } from "./answer_records.ts";
import type { FloatArray } from "../kernels/mod.ts";
import {
  bytesForMessage,
  CONTROL,
  CONTROL_BYTES,
  controlViews,
  createHelperWorker,
  type Exchange,
  type ExchangeViews,
  exchangeViews,
  type HelperSetup,
  PARAMETERS,
  type RowSet,
  rowsFromExchange,
  rowsToExchange,
  shareOfRecords,
  shareOfRows,
  shareTestSet,
  TASK,
} from "./thread_protocol.ts";
import { TrainingBarrier } from "./barrier.ts";
import {
  BALANCE_AFTER,
  DEFAULT_SPIN,
  JOIN_SPIN,
  LATE_SPINS,
  rebalance,
  SharingTrials,
} from "./thread_policy.ts";

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

/** Start threads − 1 helpers for `net` (WebAssembly kernels); resolves when they are ready. */
export async function startRowThreads(
  net: Network,
  threads: number,
  options: RowThreadsOptions = {},
): Promise<RowThreads> {
  checkOptions(net, options);
  const exchange = createExchange(net);
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  // more threads than cores: a spinning thread would hold a core the others need, so wait at once
  const spin = options.spin ?? (threads > navigator.hardwareConcurrency ? 0 : DEFAULT_SPIN);
  const shared = new SharedRows(net, threads, control, exchange, spin, options);
  const setup = (thread: number): HelperSetup => ({
    threads,
    thread,
    layers: [...net.layers],
    precision: net.kernels.precision,
    activation: net.activation.name as ActivationName,
    control,
    exchange,
    ...(shared.test ? { test: shared.test } : {}),
    ...(options.train ? { train: bytesForMessage(options.train.images) } : {}),
  });
  const { workers, ports, ready } = startHelpers(threads, setup, options.ahead);
  shared.helpers = { workers, ports };
  if (options.background) {
    // a helper that fails to start fails the training at its next record
    Promise.all(ready).catch((error) => shared.startupError = error);
    return shared;
  }
  try {
    await Promise.all(ready);
  } catch (error) {
    shared.close();
    throw error;
  }
  return shared;
}

/** Throw unless `net` and `options` suit threads. */
function checkOptions(net: Network, { ownEnd, train }: RowThreadsOptions): void {
  if (!net.kernels.lists) throw new Error("threads need the WebAssembly kernels");
  if (!Object.hasOwn(ACTIVATIONS, net.activation.name)) throw new Error(`threads need a named activation`);
  const rows = net.weights[0].rows;
  if (ownEnd !== undefined && !(ownEnd >= 0 && ownEnd <= rows && (ownEnd % 4 === 0 || ownEnd === rows))) {
    throw new RangeError(`ownEnd must be a multiple of 4 from 0 to ${rows}, or ${rows}; got ${ownEnd}`);
  }
  if (train && !isShared(train.images)) {
    throw new TypeError("the training set must be on shared memory (shareDataset)");
  }
}

/** The buffers `net`'s threads share (thread_protocol.ts, Exchange). */
function createExchange(net: Network): Exchange {
  const { rows, cols } = net.weights[0];
  const lists = net.kernels.lists!;
  const bytes = net.kernels.precision === "f32" ? 4 : 8;
  const weightCount = net.weights.reduce((sum, matrix) => sum + matrix.data.length, 0);
  return {
    rows: new SharedArrayBuffer(bytes * rows * cols),
    offsets: new SharedArrayBuffer(8 * rows),
    sums: new SharedArrayBuffer(8 * rows),
    out: new SharedArrayBuffer(bytes * rows),
    errors: new SharedArrayBuffer(bytes * rows),
    lists: [0, 1].map((list) => new SharedArrayBuffer(lists.offsets(list).byteLength)),
    packed: [0, 1].map((list) => new SharedArrayBuffer(lists.packed(list).byteLength)),
    weights: new SharedArrayBuffer(bytes * weightCount),
  };
}

/**
 * Helpers 1…threads−1, each sent its setup: one started ahead (through its port; its errors go
 * to whoever started it) or one started here. `ready` resolves as each says so.
 */
function startHelpers(threads: number, setup: (thread: number) => HelperSetup, ahead: MessagePort[] = []) {
  const workers: Worker[] = [], ports = ahead.slice(0, threads - 1);
  const ready: Promise<void>[] = [];
  for (let t = 1; t < threads; t++) {
    const port = ports[t - 1];
    const worker = port ? undefined : createHelperWorker();
    if (worker) workers.push(worker);
    const helper = port ?? worker!;
    ready.push(
      new Promise((resolve, reject) => {
        helper.onmessage = () => resolve();
        if (worker) {
          worker.onerror = (event) => {
            event.preventDefault();
            reject(new Error(`a training thread failed: ${event.message}`));
          };
        }
      }),
    );
    helper.postMessage(setup(t));
  }
  return { workers, ports, ready };
}

/** The training thread's side of sharing rows (RowThreads). */
class SharedRows implements RowThreads {
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
    rowsToExchange(this.#shared, 0, this.#rows, from, n);
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
    rowsFromExchange(this.#shared, 0, this.#rows, from, this.#net.weights[0].rows - from);
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
