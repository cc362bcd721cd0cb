/**
 * Helper threads for one training: Workers that share the network's WebAssembly memory
 * (kernels/wasm.ts, `threads` > 1) and take each record's per-row work (rows.ts) for their
 * share of the hidden rows. They meet the training thread at a barrier per record: it
 * releases them by bumping a generation counter; each does its rows and counts down; it
 * does its own rows, reads the record after next, and then spins until the count is zero.
 * Waiting helpers spin briefly on `Atomics` before sleeping in `Atomics.wait` (a record
 * takes microseconds; a sleep and a wake-up cost tens of them — measured in `deno task bench`).
 *
 * The training thread has more to do than its rows (the output layer, reading records), so
 * the rows are not split evenly: every BALANCE_EVERY records it looks at how often it had to
 * wait for the helpers, and moves 4 rows towards whoever waited. Who does a row never
 * changes its numbers (rows.ts), so the weights stay the same, bit for bit.
 *
 * @module
 */
import { attachWasmKernels, createMatrix, type Precision, type SharedKernels } from "../kernels/mod.ts";
import { type ActivationName, ACTIVATIONS, type Network } from "../model/mod.ts";
import type { RecordStep } from "./rows.ts";
import type { Dataset } from "../data/mod.ts";
import { answerRecords } from "./score.ts";

/**
 * The control block's slots (an Int32Array on a SharedArrayBuffer). Each slot one thread
 * polls is on a 64-byte cache line of its own, and the record's settings on another, so
 * that writing them does not disturb a thread that is polling.
 */
export const CONTROL = {
  /** bumped to release the helpers for the next record */
  generation: 0,
  /** helpers asleep in Atomics.wait (the release wakes them only then: a notify costs a lock) */
  sleepingHelpers: 16,
  /** helpers still working on this record */
  pending: 32,
  /** 1: the training thread is asleep in join() (a helper's count-down wakes it only then) */
  sleepingMain: 48,
  /** blocks in this record's block list */
  count: 64,
  /** 1: fold after this record */
  fold: 65,
  /** which block list is this record's (0 or 1) */
  list: 66,
  /** 1: the layers above were trained split (rows.ts) */
  split: 67,
  /** the training thread's rows end here; the helpers share the rest */
  ownEnd: 68,
  /** 1: stop and exit */
  exit: 69,
  /** how many times a helper spins before it sleeps */
  spin: 70,
  /** what the helpers are released for: TASK.record or TASK.score */
  task: 71,
  /** 1: a helper failed (its message was posted) */
  failed: 80,
} as const;

/** What a release asks of the helpers. */
export const TASK = { record: 0, score: 1 } as const;

/** The f64 parameters' slots. */
export const PARAMETERS = { inkSum: 0, nextSum: 1, learningRate: 2 } as const;

/**
 * How many times a waiting helper checks before it sleeps (a few milliseconds): within an
 * epoch it never sleeps (a sleep and a wake-up cost tens of microseconds a record); between
 * epochs (scoring, saving) it does.
 */
export const DEFAULT_SPIN = 2_000_000;

/**
 * Threads per training unless asked: the cores, at most 4 (a Raspberry Pi's). Past 4, each
 * thread's share of 784-200-10 is under 50 rows (about 6 µs of a record here) while the part
 * no thread shares stays about 3 µs and every helper adds to the barrier (0.7 µs for one,
 * `deno task bench`): an estimate from those measurements, not a measured 8-core run.
 */
export const DEFAULT_THREADS = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));

/** Records between two looks at the balance of rows between the training thread and the helpers. */
export const BALANCE_EVERY = 250;

/**
 * Records in each trial of working alone and of sharing, and how often (in records of an
 * epoch) the two are tried again: the threads are used only while they pay. On a machine
 * whose cores are busy with other work, sharing every record measured 3× slower than one
 * thread (two 2-thread trainings at once on 2 cores: 6.2 s an epoch each, one thread 2 s).
 */
export const TRIAL = 1000;
export const TRIAL_EVERY = 20_000;

/** Where a network's arrays are in its shared memory (byte addresses), for a helper to find them. */
export interface NetworkLayout {
  layers: number[];
  precision: Precision;
  activation: ActivationName;
  weights: number[];
  signals: number[];
  errors: number[];
  scratch: number[];
  firstRows: { offsets: number; sums: number };
}

/** What a helper thread gets to start: the memory, where everything is, and the shared control. */
export interface HelperSetup {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** threads in all, and this helper's number (1…threads−1) */
  threads: number;
  thread: number;
  layout: NetworkLayout;
  /** the control block and its f64 parameters */
  control: SharedArrayBuffer;
  parameters: SharedArrayBuffer;
  /** the test set to score, and where the answers go (records shared out between the threads) */
  test?: {
    images: SharedArrayBuffer;
    labels: SharedArrayBuffer;
    count: number;
    answers: SharedArrayBuffer;
    confidences: SharedArrayBuffer;
  };
}

/** The helper threads of one network, ready for its epochs. */
export interface RowThreads {
  /** threads in all, the training thread included */
  readonly count: number;
  /** where the training thread's own rows end, this record (they start at 0) */
  ownEnd(): number;
  /**
   * whether to share record `record` of the epoch with the helpers, or work it alone: every
   * TRIAL_EVERY records both are timed for TRIAL records, and sharing goes on unless working
   * alone was clearly faster (or, with `always`, every record is shared). The weights are
   * the same either way.
   */
  share(record: number): boolean;
  /** whether score() can share `dataset` out: the test set the threads were started with */
  canScore(dataset: Dataset): boolean;
  /** every record of that test set answered, the records shared out between the threads */
  score(answers: Uint8Array, confidences: Float64Array): void;
  /** release the helpers for one record: its step, and the `count` blocks of block list `list` (already made) */
  release(step: RecordStep, count: number, list: number): void;
  /** wait until every helper has done its rows */
  join(): void;
  /** end the helpers */
  close(): void;
}

/**
 * Rows lo…hi−1 for thread t of `count` sharing rows from…rows−1: as even as blocks of 4
 * rows allow, each share starting at a multiple of 4 past `from` (`from` a multiple of 4),
 * so that a share's rows start on a 16-byte boundary of the row vectors.
 */
export function shareOfRows(rows: number, count: number, t: number, from = 0): { lo: number; hi: number } {
  const units = Math.ceil((rows - from) / 4);
  const at = (k: number) => k === count ? rows : Math.min(rows, from + 4 * Math.floor(units * k / count));
  return { lo: at(t), hi: at(t + 1) };
}

/** Where `net`'s arrays are, for its helpers. */
function layoutOf(net: Network): NetworkLayout {
  return {
    layers: [...net.layers],
    precision: net.kernels.precision,
    activation: net.activation.name as ActivationName,
    weights: net.weights.map((matrix) => matrix.data.byteOffset),
    signals: net.signals.map((array) => array.byteOffset),
    errors: net.errors.map((array) => array.byteOffset),
    scratch: net.scratch.map((array) => array.byteOffset),
    firstRows: { offsets: net.firstRows.offsets.byteOffset, sums: net.firstRows.sums.byteOffset },
  };
}

/**
 * The network a helper works on: the training thread's arrays, seen through the helper's
 * own kernels instance on the same memory.
 */
export function attachNetwork(setup: HelperSetup): Network {
  const { layout } = setup;
  const kernels = attachWasmKernels(layout.precision, setup);
  const view = kernels.shared!.view;
  const { layers } = layout;
  return {
    layers,
    weights: layout.weights.map((address, l) =>
      createMatrix(layers[l + 1], layers[l], view(address, layers[l + 1] * layers[l]))
    ),
    learningRate: 0, // set for every record from the parameters
    activation: ACTIVATIONS[layout.activation],
    kernels,
    signals: layout.signals.map((address, l) => view(address, layers[l])),
    errors: layout.errors.map((address, l) => view(address, l === 0 ? 0 : layers[l])),
    scratch: layout.scratch.map((address) => view(address, layers[0])),
    firstRows: {
      offsets: new Float64Array(setup.memory.buffer, layout.firstRows.offsets, layers[1]),
      sums: new Float64Array(setup.memory.buffer, layout.firstRows.sums, layers[1]),
    },
  };
}

/**
 * Start `net.kernels.shared.threads − 1` helpers for `net`, whose arrays all live in its
 * shared memory; resolves when they are ready.
 */
export async function startRowThreads(
  net: Network,
  options: {
    /** how many times a waiting helper checks before it sleeps (default: DEFAULT_SPIN, or 0 with more threads than cores) */
    spin?: number;
    /** keep the training thread's rows at 0…ownEnd−1 (a multiple of 4) instead of balancing them */
    ownEnd?: number;
    /** share every record, without timing whether it pays (tests, the barrier's benchmark) */
    always?: boolean;
    /** the test set that scoring will share out (copied once to shared memory) */
    test?: Dataset;
  } = {},
): Promise<RowThreads> {
  const shared = net.kernels.shared as SharedKernels;
  if (!(net.activation.name in ACTIVATIONS)) throw new Error(`threads need a named activation`);
  const count = shared.threads;
  const rows = net.weights[0].rows;
  const { ownEnd } = options;
  if (ownEnd !== undefined && !(ownEnd >= 0 && ownEnd <= rows && (ownEnd % 4 === 0 || ownEnd === rows))) {
    throw new RangeError(`ownEnd must be a multiple of 4 from 0 to ${rows}, or ${rows}; got ${ownEnd}`);
  }
  const control = new Int32Array(new SharedArrayBuffer(4 * 96));
  const parameters = new Float64Array(new SharedArrayBuffer(8 * 4));
  // more threads than cores: a spinning thread would hold a core the others need, so wait at once
  const spin = options.spin ?? (count > navigator.hardwareConcurrency ? 0 : DEFAULT_SPIN);
  control[CONTROL.spin] = spin;
  control[CONTROL.ownEnd] = ownEnd ?? shareOfRows(rows, count, 0).hi;
  const layout = layoutOf(net);
  const test = options.test && shareTestSet(options.test);
  const helpers: Worker[] = [];
  const ready: Promise<void>[] = [];
  for (let t = 1; t < count; t++) {
    const worker = new Worker(new URL("./row_worker.ts", import.meta.url).href, { type: "module" });
    helpers.push(worker);
    ready.push(
      new Promise((resolve, reject) => {
        worker.onmessage = () => resolve();
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(`a training thread failed: ${event.message}`));
        };
      }),
    );
    const setup: HelperSetup = {
      module: shared.module,
      memory: shared.memory,
      threads: count,
      thread: t,
      layout,
      control: control.buffer as SharedArrayBuffer,
      parameters: parameters.buffer as SharedArrayBuffer,
      ...(test ? { test } : {}),
    };
    worker.postMessage(setup);
  }
  try {
    await Promise.all(ready);
  } catch (error) {
    for (const worker of helpers) worker.terminate();
    throw error;
  }
  const helperCount = count - 1;
  /** Release the helpers for `task`. */
  function releaseFor(task: number): void {
    control[CONTROL.task] = task;
    Atomics.store(control, CONTROL.pending, helperCount);
    Atomics.add(control, CONTROL.generation, 1);
    // seq-cst: a helper that said it sleeps either is woken here or sees the new generation in wait()
    if (Atomics.load(control, CONTROL.sleepingHelpers) > 0) Atomics.notify(control, CONTROL.generation);
  }
  /** Wait until every helper has counted down: spin, then sleep. */
  function waitForHelpers(): void {
    let sleeps = 0;
    for (let i = 0, pending; (pending = Atomics.load(control, CONTROL.pending)) !== 0; i++) {
      if (Atomics.load(control, CONTROL.failed) === 1) throw new Error("a training thread failed");
      if (i < spin) continue;
      // a record takes microseconds: a minute without an answer is a thread that stopped, not a slow one
      Atomics.store(control, CONTROL.sleepingMain, 1);
      const woken = Atomics.wait(control, CONTROL.pending, pending, 100);
      Atomics.store(control, CONTROL.sleepingMain, 0);
      if (woken === "timed-out" && ++sleeps > 600) throw new Error("a training thread stopped answering");
    }
  }
  // the balance: records since the last look, and in how many the training thread waited
  let records = 0, waited = 0;
  // the trials: when the current one started, how long working alone took, and the choice
  let trialStarted = 0, aloneSeconds = 0, sharing = true;
  return {
    count,
    ownEnd: () => control[CONTROL.ownEnd],
    share(record) {
      if (options.always) return true;
      const at = record % TRIAL_EVERY;
      if (at === 0) trialStarted = performance.now();
      if (at < TRIAL) return false;
      if (at === TRIAL) {
        aloneSeconds = performance.now() - trialStarted;
        trialStarted = performance.now();
      }
      if (at < 2 * TRIAL) return true;
      // a short trial is noisy: working alone must be clearly faster to be chosen
      if (at === 2 * TRIAL) sharing = aloneSeconds > 0.85 * (performance.now() - trialStarted);
      return sharing;
    },
    release(step, count, list) {
      parameters[PARAMETERS.inkSum] = step.inkSum;
      parameters[PARAMETERS.nextSum] = step.nextSum;
      parameters[PARAMETERS.learningRate] = net.learningRate;
      control[CONTROL.count] = count;
      control[CONTROL.fold] = step.fold ? 1 : 0;
      control[CONTROL.list] = list;
      control[CONTROL.split] = step.split ? 1 : 0;
      releaseFor(TASK.record);
    },
    join() {
      records++;
      if (Atomics.load(control, CONTROL.pending) !== 0) waited++;
      // the helpers finish within microseconds of the training thread
      waitForHelpers();
      if (records === BALANCE_EVERY && ownEnd === undefined) {
        control[CONTROL.ownEnd] = rebalance(control[CONTROL.ownEnd], rows, waited / records);
        records = waited = 0;
      }
    },
    canScore: (dataset) => test !== undefined && dataset === options.test,
    score(answers, confidences) {
      const shared = {
        answers: new Uint8Array(test!.answers),
        confidences: new Float64Array(test!.confidences),
      };
      releaseFor(TASK.score);
      answerRecords(net, options.test!, shareOfRecords(test!.count, count, 0), shared);
      waitForHelpers();
      answers.set(shared.answers);
      confidences.set(shared.confidences);
    },
    close() {
      Atomics.store(control, CONTROL.exit, 1);
      Atomics.add(control, CONTROL.generation, 1);
      Atomics.notify(control, CONTROL.generation);
      for (const worker of helpers) worker.terminate();
    },
  };
}

/** Records lo…hi−1 of `records` for thread t of `count`: as even as whole records allow. */
export function shareOfRecords(records: number, count: number, t: number): { lo: number; hi: number } {
  return { lo: Math.floor(records * t / count), hi: Math.floor(records * (t + 1) / count) };
}

/** A test set's bytes copied to shared memory, with room for the answers, for the helpers. */
function shareTestSet(dataset: Dataset): NonNullable<HelperSetup["test"]> {
  const images = new SharedArrayBuffer(dataset.images.length);
  new Uint8Array(images).set(dataset.images);
  const labels = new SharedArrayBuffer(dataset.labels.length);
  new Uint8Array(labels).set(dataset.labels);
  return {
    images,
    labels,
    count: dataset.count,
    answers: new SharedArrayBuffer(dataset.count),
    confidences: new SharedArrayBuffer(8 * dataset.count),
  };
}

/**
 * Where the training thread's rows should end, from where they end now and how often it
 * waited for the helpers: mostly waiting, it takes 4 more rows; mostly waited for, 4 fewer.
 */
export function rebalance(ownEnd: number, rows: number, waitedShare: number): number {
  // the end stays a multiple of 4, or the last row
  if (waitedShare > 0.6) return Math.min(rows, ownEnd + 4);
  if (waitedShare < 0.4) return Math.max(0, 4 * Math.ceil(ownEnd / 4) - 4);
  return ownEnd;
}
