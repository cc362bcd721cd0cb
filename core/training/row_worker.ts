/**
 * A helper thread of the threaded epoch (threads.ts). Its rows live in a network of its own
 * (WebAssembly memory nobody else touches): rows lo…hi−1 of the first layer become its rows
 * 0…n−1. For every release it does what the task says — take its rows from the exchange,
 * work one record on them (rows.ts, the same code the training thread runs), give them
 * back, or answer its share of the test set — and counts down. It never posts a message
 * after "ready", and allocates next to nothing per record (two views to copy with).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type RecordStep, RowWork } from "./rows.ts";
import { trainingBuffers } from "./buffers.ts";
import {
  bytesFromMessage,
  CONTROL,
  controlViews,
  exchangeViews,
  type HelperSetup,
  type HelperStart,
  PARAMETERS,
  shareOfRecords,
  shareOfRows,
  TASK,
} from "./thread_protocol.ts";
import { answerRecords } from "./answer_records.ts";
import { ACTIVATIONS, createNetwork, createRandom, type Network } from "../model/mod.ts";
import type { FloatArray } from "../kernels/mod.ts";
import { createInk, type Ink, readInk } from "./ink.ts";
import type { Dataset } from "../data/mod.ts";

/** The longest a waiting helper sleeps before it looks again. */
const SLEEP_MS = 100;

// the setup comes from the training that started this helper, or through a port from a
// training this helper was started ahead for (thread_protocol.ts, startHelpersAhead)
self.onmessage = (event: MessageEvent<HelperSetup | HelperStart>) => {
  const data = event.data;
  if ("port" in data) {
    data.port.onmessage = (message: MessageEvent<HelperSetup>) => help(message.data, data.port, data.stop);
  } else {
    help(data, self);
  }
};

/**
 * Work for the training that sent `setup` until it closes its threads, or until `stop[0]` is
 * 1 (set by whoever started this helper ahead, when the training is gone without closing
 * them); "ready" is said to `training`.
 */
function help(setup: HelperSetup, training: { postMessage(message: string): void }, stop?: Int32Array): void {
  const { exchange, precision, layers } = setup;
  const cols = layers[0], rowCount = layers[1];
  const { control, parameters } = controlViews(setup.control);
  const shared = exchangeViews(precision, exchange);
  const spin = control[CONTROL.spin];
  const helpers = setup.threads - 1;
  let count = 0, list = 0;
  // this helper's rows (absolute lo…hi−1, at lo − from in the exchange) and the network holding them
  let lo = 0, hi = 0, from = 0;
  let own: Network | undefined;
  let work: RowWork | undefined;
  let mine: {
    rows: FloatArray;
    offsets: Float64Array;
    sums: Float64Array;
    out: FloatArray;
    errorsIn: FloatArray;
    errors: FloatArray;
  } | undefined;
  const step: RecordStep = { inkSum: 0, nextSum: 0, fold: false };
  // the publication whose block list is in this helper's own kernels (copied while waiting)
  let copied = -1;
  // or, when it reads the records itself: the training set, the records in its three ink
  // buffers (by number), which record's list each of its two block lists is, for how many
  // records in the epoch, and the blocks in it (the last record's list differs)
  const train: Dataset | undefined = setup.train && {
    images: bytesFromMessage(setup.train),
    labels: new Uint8Array(0),
    count: setup.train.length / cols,
    source: "train",
  };
  let inks: Ink[] = [];
  const inkHolds = [-1, -1, -1];
  const listFor = [-1, -1], listTotal = [-1, -1], listCount = [0, 0];
  // the record last worked: while waiting, the next one's list is made
  let lastSample = -1;
  // the generation to wait past, read before saying ready: the training thread releases the
  // first time only after "ready", so a release can never slip in before this read
  let generation = Atomics.load(control, CONTROL.generation);
  Atomics.add(control, CONTROL.ready, 1);
  training.postMessage("ready");
  while (true) {
    // wait for the next release: make the next record's block list (or, when lists are
    // published, copy each newly published one while spinning), spin a while, then sleep
    const reads = control[CONTROL.reads] === 1;
    if (reads) makeNextList();
    for (let i = 0; Atomics.load(control, CONTROL.generation) === generation; i++) {
      if (!reads && copied !== Atomics.load(control, CONTROL.published)) copyPublished();
      if (i < spin && (i & 4095) !== 4095) continue;
      // closed before this helper read the generation (its setup came late: the release that
      // closes it has been and gone), or while it spins, or stopped by its starter
      if (ended()) break;
      if (i < spin) continue;
      // said before sleeping (seq-cst): the release then notifies, or wait() sees the generation moved.
      // Never for long: Worker.terminate() stops neither a thread asleep in Atomics.wait nor
      // one in a loop (Deno 2.9.5: either kept the process alive), so the helper ends itself
      // and looks again every SLEEP_MS
      Atomics.add(control, CONTROL.sleepingHelpers, 1);
      Atomics.wait(control, CONTROL.generation, generation, SLEEP_MS);
      Atomics.sub(control, CONTROL.sleepingHelpers, 1);
    }
    generation = Atomics.load(control, CONTROL.generation);
    if (ended()) break;
    try {
      const task = control[CONTROL.task];
      if (task === TASK.record) record();
      else if (task === TASK.take) take();
      else if (task === TASK.give) give();
      else if (task === TASK.score) scoreShare(setup, shared.weights);
    } catch (error) {
      // said at once: the training thread must not wait for work that will never come
      Atomics.store(control, CONTROL.failed, 1);
      Atomics.notify(control, CONTROL.pending);
      throw error;
    }
    Atomics.sub(control, CONTROL.pending, 1);
    if (Atomics.load(control, CONTROL.sleepingMain) === 1) Atomics.notify(control, CONTROL.pending);
  }
  self.close();

  /** Whether the training closed its threads, or this helper's starter stopped it. */
  function ended(): boolean {
    return Atomics.load(control, CONTROL.exit) === 1 || (stop !== undefined && Atomics.load(stop, 0) === 1);
  }

  /** Take rows lo…hi−1 (this helper's share past the training thread's) from the exchange. */
  function take(): void {
    from = control[CONTROL.ownEnd];
    ({ lo, hi } = shareOfRows(rowCount, helpers, setup.thread - 1, from));
    const n = hi - lo;
    if (n === 0) return;
    if (!own) {
      // room for every row it could be given (its share moves), and above them one output the rows never use
      own = createNetwork({
        layers: [cols, rowCount, 1],
        learningRate: 0,
        random: createRandom(0),
        precision,
        activation: ACTIVATIONS[setup.activation],
      });
      const mine = own;
      inks = trainingBuffers(mine).inputs.map((values) => createInk(values, mine.kernels.lists));
      work = new RowWork(
        mine,
        (a, b) =>
          mine.kernels.lists!.fusedRows(mine.weights[0], mine.errors[1], mine.signals[1], a, b, count, list),
      );
    }
    const at = lo - from;
    own.weights[0].data.set(shared.rows.subarray(at * cols, (at + n) * cols));
    trainingBuffers(own).firstRows.offsets.set(shared.offsets.subarray(at, at + n));
    trainingBuffers(own).firstRows.sums.set(shared.sums.subarray(at, at + n));
    own.signals[1].set(shared.out.subarray(at, at + n));
    // the views of its rows, made once per take (nothing is allocated per record)
    mine = {
      rows: own.weights[0].data.subarray(0, n * cols),
      offsets: trainingBuffers(own).firstRows.offsets.subarray(0, n),
      sums: trainingBuffers(own).firstRows.sums.subarray(0, n),
      out: own.signals[1].subarray(0, n),
      errorsIn: shared.errors.subarray(at, at + n),
      errors: own.errors[1],
    };
  }

  /** Put the rows back in the exchange. */
  function give(): void {
    if (hi === lo || !own) return;
    const at = lo - from;
    shared.rows.set(mine!.rows, at * cols);
    shared.offsets.set(mine!.offsets, at);
    shared.sums.set(mine!.sums, at);
    shared.out.set(mine!.out, at);
  }

  /**
   * While waiting for a release: copy the block list published last into this helper's own
   * kernels, so the record that uses it starts with its rows (the training thread publishes
   * the next record's list while both work on this one's rows).
   */
  function copyPublished(): void {
    const publication = Atomics.load(control, CONTROL.published);
    // no kernels of its own yet (no rows taken): the record copies it; odd: being written
    if (!own || publication % 2 === 1) return;
    const list = control[CONTROL.publishedList], count = control[CONTROL.publishedCount];
    own.kernels.lists!.offsets(list).set(shared.lists[list].subarray(0, count));
    own.kernels.lists!.packed(list).set(shared.packed[list].subarray(0, 8 * count));
    listFor[list] = -1;
    // written again meanwhile (the training thread publishes the next list during each record,
    // and every record while it works alone): this copy may be torn, so it is not kept
    copied = Atomics.load(control, CONTROL.published) === publication ? publication : -1;
  }

  /**
   * Make record m's block list (of `total` records) from the training set, as the training
   * thread makes it (fast_epoch.ts): its blocks and record m+1's, or its own for the last
   * record. Returns how many blocks; kept, so asking again costs nothing.
   */
  function makeList(m: number, total: number): number {
    const list = m % 2;
    if (listFor[list] === m && listTotal[list] === total) return listCount[list];
    const next = m + 1 < total ? m + 1 : m;
    readRecord(m);
    readRecord(next);
    listCount[list] = own!.kernels.lists!.makeList(cols, inks[m % 3].values, inks[next % 3].values, list);
    listFor[list] = m;
    listTotal[list] = total;
    // this list slot no longer holds a published list
    copied = -1;
    return listCount[list];
  }

  /** Record m's ink into buffer m mod 3, unless it is there. */
  function readRecord(m: number): void {
    if (inkHolds[m % 3] === m) return;
    readInk(train!, m, inks[m % 3]);
    inkHolds[m % 3] = m;
  }

  /** While waiting: the list of the record after the last one worked, if there is one. */
  function makeNextList(): void {
    const total = control[CONTROL.total];
    if (!own || hi === lo || lastSample < 0 || lastSample + 1 >= total) return;
    makeList(lastSample + 1, total);
  }

  /** One record's work on the rows: its errors and blocks in, the rows' next signals out. */
  function record(): void {
    if (hi === lo || !own) return;
    const at = lo - from, n = hi - lo;
    count = control[CONTROL.count];
    list = control[CONTROL.list];
    step.inkSum = parameters[PARAMETERS.inkSum];
    step.nextSum = parameters[PARAMETERS.nextSum];
    step.fold = control[CONTROL.fold] === 1;
    own.learningRate = parameters[PARAMETERS.learningRate];
    mine!.errors.set(mine!.errorsIn);
    if (control[CONTROL.reads] === 1) {
      // the record's block list made here (while waiting, as a rule), the same as the training thread's
      lastSample = control[CONTROL.sample];
      if (makeList(lastSample, control[CONTROL.total]) !== count) {
        throw new Error(`a helper's block list for record ${lastSample} differs from the training thread's`);
      }
    } else if (copied !== control[CONTROL.listPublished]) {
      // the record's block list, unless it was copied while waiting
      own.kernels.lists!.offsets(list).set(shared.lists[list].subarray(0, count));
      own.kernels.lists!.packed(list).set(shared.packed[list].subarray(0, 8 * count));
      listFor[list] = -1;
    }
    work!.run(step, 0, n);
    shared.out.set(mine!.out, at);
  }
}

/** A network of this helper's own for scoring: the shared weights copied into it each time. */
let scorer: Network | undefined;

/** Answer this helper's share of the test set's records, into the shared answers. */
function scoreShare(setup: HelperSetup, weights: FloatArray): void {
  const test = setup.test!;
  scorer ??= createNetwork({
    layers: setup.layers,
    learningRate: 0,
    random: createRandom(0),
    precision: setup.precision,
    activation: ACTIVATIONS[setup.activation],
  });
  let at = 0;
  for (const matrix of scorer.weights) {
    matrix.data.set(weights.subarray(at, at + matrix.data.length));
    at += matrix.data.length;
  }
  answerRecords(
    scorer,
    {
      images: bytesFromMessage(test.images),
      labels: bytesFromMessage(test.labels),
      count: test.count,
      source: "test",
    },
    shareOfRecords(test.count, setup.threads, setup.thread),
    { answers: new Uint8Array(test.answers), confidences: new Float64Array(test.confidences) },
  );
}
