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
 * They meet the training thread at a barrier per record: it releases them by bumping a
 * generation counter; each does its rows and counts down; it does its own rows, reads the
 * record after next, and then spins until the count is zero. Waiting helpers spin briefly
 * on `Atomics` before sleeping in `Atomics.wait`.
 *
 * The training thread has more to do than its rows (the output layer, reading records), so
 * the rows are not split evenly: it counts how often it had to wait for the helpers, and
 * every BALANCE_AFTER shared records it keeps 4 more or 4 fewer (the rows come home and go
 * out again when the share moves). Who does a row never changes its numbers
 * (rows.ts), so the weights stay the same, bit for bit.
 *
 * (One file past 300 lines on purpose: the training thread's side of the protocol is one
 * closure over its state — the control block, the balance, the trials — and reads top to
 * bottom as a training runs it.)
 *
 * @module
 */
import { type ActivationName, ACTIVATIONS, type Network } from "../model/mod.ts";
import type { RecordStep } from "./rows.ts";
import { trainingBuffers } from "./buffers.ts";
import { type Dataset, isShared } from "../data/mod.ts";
import type { SampleSource } from "./rotation.ts";
import { answerRecords } from "./answer_records.ts";
import {
  bytesForMessage,
  CONTROL,
  CONTROL_BYTES,
  controlViews,
  createHelperWorker,
  type Exchange,
  exchangeViews,
  type HelperSetup,
  PARAMETERS,
  shareOfRecords,
  shareOfRows,
  shareTestSet,
  TASK,
} from "./thread_protocol.ts";
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

/**
 * Start threads − 1 helpers for `net` (WebAssembly kernels); resolves when they are ready.
 */
export async function startRowThreads(
  net: Network,
  threads: number,
  options: {
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
  } = {},
): Promise<RowThreads> {
  const lists = net.kernels.lists;
  if (!lists) throw new Error("threads need the WebAssembly kernels");
  if (!Object.hasOwn(ACTIVATIONS, net.activation.name)) throw new Error(`threads need a named activation`);
  const count = threads;
  const first = net.weights[0];
  const rows = first.rows, cols = first.cols;
  const { firstRows } = trainingBuffers(net);
  const { ownEnd: fixedEnd } = options;
  if (
    fixedEnd !== undefined &&
    !(fixedEnd >= 0 && fixedEnd <= rows && (fixedEnd % 4 === 0 || fixedEnd === rows))
  ) {
    throw new RangeError(`ownEnd must be a multiple of 4 from 0 to ${rows}, or ${rows}; got ${fixedEnd}`);
  }
  const precision = net.kernels.precision;
  const bytes = precision === "f32" ? 4 : 8;
  const { control, parameters } = controlViews(new SharedArrayBuffer(CONTROL_BYTES));
  const weightCount = net.weights.reduce((sum, matrix) => sum + matrix.data.length, 0);
  const exchange: Exchange = {
    rows: new SharedArrayBuffer(bytes * rows * cols),
    offsets: new SharedArrayBuffer(8 * rows),
    sums: new SharedArrayBuffer(8 * rows),
    out: new SharedArrayBuffer(bytes * rows),
    errors: new SharedArrayBuffer(bytes * rows),
    lists: [0, 1].map((list) => new SharedArrayBuffer(lists.offsets(list).byteLength)),
    packed: [0, 1].map((list) => new SharedArrayBuffer(lists.packed(list).byteLength)),
    weights: new SharedArrayBuffer(bytes * weightCount),
  };
  const shared = exchangeViews(precision, exchange);
  // more threads than cores: a spinning thread would hold a core the others need, so wait at once
  const spin = options.spin ?? (count > navigator.hardwareConcurrency ? 0 : DEFAULT_SPIN);
  control[CONTROL.spin] = spin;
  control[CONTROL.ownEnd] = fixedEnd ?? shareOfRows(rows, count, 0).hi;
  const test = options.test && shareTestSet(options.test);
  const { train } = options;
  if (train && !isShared(train.images)) {
    throw new TypeError("the training set must be on shared memory (shareDataset)");
  }
  const helpers: Worker[] = [];
  const ports = options.ahead?.slice(0, count - 1) ?? [];
  const ready: Promise<void>[] = [];
  for (let t = 1; t < count; t++) {
    // a helper started ahead (its errors go to whoever started it), or one started here
    const port = ports[t - 1];
    const worker = port ? undefined : createHelperWorker();
    if (worker) helpers.push(worker);
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
    const setup: HelperSetup = {
      threads: count,
      thread: t,
      layers: [...net.layers],
      precision,
      activation: net.activation.name as ActivationName,
      control: control.buffer as SharedArrayBuffer,
      exchange,
      ...(test ? { test } : {}),
      ...(train ? { train: bytesForMessage(train.images) } : {}),
    };
    helper.postMessage(setup);
  }
  const helperCount = count - 1;
  // started in the background: a helper that fails to start fails the training at its next record
  let startupError: unknown;
  let started = false;
  if (options.background) {
    Promise.all(ready).catch((error) => startupError = error);
  } else {
    try {
      await Promise.all(ready);
      started = true;
    } catch (error) {
      for (const worker of helpers) worker.terminate();
      for (const port of ports) port.close();
      throw error;
    }
  }
  /** Whether every helper has started (set up and waiting). */
  function helpersStarted(): boolean {
    if (started) return true;
    if (startupError !== undefined) throw startupError;
    started = Atomics.load(control, CONTROL.ready) === helperCount;
    return started;
  }
  /** Release the helpers for `task`. */
  function releaseFor(task: number): void {
    control[CONTROL.task] = task;
    Atomics.store(control, CONTROL.pending, helperCount);
    Atomics.add(control, CONTROL.generation, 1);
    // seq-cst: a helper that said it sleeps either is woken here or sees the new generation in wait()
    if (Atomics.load(control, CONTROL.sleepingHelpers) > 0) Atomics.notify(control, CONTROL.generation);
  }
  /**
   * Wait until every helper has counted down: spin, then sleep (after at most JOIN_SPIN checks:
   * a helper not back by then is descheduled, and spinning would hold the core it needs).
   * Returns how many times it checked.
   */
  function waitForHelpers(): number {
    let sleeps = 0, i = 0;
    const spinFor = Math.min(spin, JOIN_SPIN);
    for (let pending; (pending = Atomics.load(control, CONTROL.pending)) !== 0; i++) {
      if (Atomics.load(control, CONTROL.failed) === 1) throw new Error("a training thread failed");
      if (i < spinFor) continue;
      // a record takes microseconds: a minute without an answer is a thread that stopped, not a slow one
      Atomics.store(control, CONTROL.sleepingMain, 1);
      const woken = Atomics.wait(control, CONTROL.pending, pending, 100);
      Atomics.store(control, CONTROL.sleepingMain, 0);
      if (woken === "timed-out" && ++sleeps > 600) throw new Error("a training thread stopped answering");
    }
    return i;
  }
  // the balance: records shared since it was last settled, and in how many the training thread waited
  let records = 0, waited = 0;
  const trials = new SharingTrials();
  let out = false;
  // views of the lent rows' signals and errors, and of the exchange's, made once per lend
  // (none lent yet: nothing to copy)
  let lent = {
    errors: net.errors[1].subarray(rows),
    errorsOut: shared.errors,
    outBack: shared.out.subarray(0, 0),
    signals: net.signals[1],
  };
  function lend(): void {
    const from = control[CONTROL.ownEnd];
    shared.rows.set(first.data.subarray(from * cols));
    shared.offsets.set(firstRows.offsets.subarray(from));
    shared.sums.set(firstRows.sums.subarray(from));
    shared.out.set(net.signals[1].subarray(from));
    lent = {
      errors: net.errors[1].subarray(from),
      errorsOut: shared.errors,
      outBack: shared.out.subarray(0, rows - from),
      signals: net.signals[1],
    };
    releaseFor(TASK.take);
    waitForHelpers();
    out = true;
  }
  function recall(): void {
    releaseFor(TASK.give);
    waitForHelpers();
    const from = control[CONTROL.ownEnd];
    first.data.set(shared.rows.subarray(0, (rows - from) * cols), from * cols);
    firstRows.offsets.set(shared.offsets.subarray(0, rows - from), from);
    firstRows.sums.set(shared.sums.subarray(0, rows - from), from);
    net.signals[1].set(shared.out.subarray(0, rows - from), from);
    out = false;
  }
  return {
    count,
    get out() {
      return out;
    },
    ownEnd: () => control[CONTROL.ownEnd],
    lend,
    recall,
    share: () => helpersStarted() && (options.always === true || trials.share()),
    epoch(samples) {
      const images = samples.dataset?.images;
      const reads = train !== undefined && images !== undefined && images.buffer === train.images.buffer &&
        images.byteOffset === train.images.byteOffset;
      control[CONTROL.total] = samples.count;
      control[CONTROL.reads] = reads ? 1 : 0;
      return reads;
    },
    publish(list, count) {
      // a sequence lock: odd while the list is written, even again when it is whole (a helper
      // copying it while waiting keeps its copy only if the number was even and unchanged)
      Atomics.add(control, CONTROL.published, 1);
      shared.lists[list].set(lists.offsets(list).subarray(0, count));
      shared.packed[list].set(lists.packed(list).subarray(0, 8 * count));
      control[CONTROL.publishedList] = list;
      control[CONTROL.publishedCount] = count;
      Atomics.add(control, CONTROL.published, 1);
    },
    release(step, count, list, sample) {
      lent.errorsOut.set(lent.errors);
      parameters[PARAMETERS.inkSum] = step.inkSum;
      parameters[PARAMETERS.nextSum] = step.nextSum;
      parameters[PARAMETERS.learningRate] = net.learningRate;
      control[CONTROL.count] = count;
      control[CONTROL.fold] = step.fold ? 1 : 0;
      control[CONTROL.list] = list;
      control[CONTROL.sample] = sample;
      // this record's list is the one published last (the next is made after the release)
      control[CONTROL.listPublished] = control[CONTROL.published];
      releaseFor(TASK.record);
    },
    join() {
      records++;
      if (Atomics.load(control, CONTROL.pending) !== 0) waited++;
      // the helpers finish within microseconds of the training thread; far later, one was descheduled
      if (waitForHelpers() > LATE_SPINS) trials.late();
      lent.signals.set(lent.outBack, control[CONTROL.ownEnd]);
      // the share settled after enough shared records to tell, 4 rows towards whoever waited;
      // when it moves, the rows come home and go out again between two records
      if (fixedEnd === undefined && records >= BALANCE_AFTER) {
        const end = rebalance(control[CONTROL.ownEnd], rows, waited / records);
        records = waited = 0;
        if (end !== control[CONTROL.ownEnd]) {
          recall();
          control[CONTROL.ownEnd] = end;
          lend();
        }
      }
    },
    canScore: (dataset) => test !== undefined && dataset === options.test && helpersStarted(),
    score(answers, confidences) {
      let at = 0;
      for (const matrix of net.weights) {
        shared.weights.set(matrix.data, at);
        at += matrix.data.length;
      }
      const results = {
        answers: new Uint8Array(test!.answers),
        confidences: new Float64Array(test!.confidences),
      };
      releaseFor(TASK.score);
      answerRecords(net, options.test!, shareOfRecords(test!.count, count, 0), results);
      waitForHelpers();
      answers.set(results.answers);
      confidences.set(results.confidences);
    },
    close() {
      Atomics.store(control, CONTROL.exit, 1);
      Atomics.add(control, CONTROL.generation, 1);
      Atomics.notify(control, CONTROL.generation);
      for (const worker of helpers) worker.terminate();
      for (const port of ports) port.close();
    },
  };
}
