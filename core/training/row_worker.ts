/**
 * A helper thread of the threaded epoch (threads.ts): it attaches to the network's shared
 * memory, then, for every record, waits for the training thread's release, does its share
 * of the rows (rows.ts, the same code the training thread runs) and counts down. It never
 * posts a message during an epoch, and allocates nothing per record.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type RecordStep, RowWork } from "./rows.ts";
import {
  attachNetwork,
  CONTROL,
  type HelperSetup,
  PARAMETERS,
  shareOfRecords,
  shareOfRows,
  TASK,
} from "./threads.ts";
import { answerRecords } from "./score.ts";
import { createNetwork, type Network } from "../model/mod.ts";

self.onmessage = (event: MessageEvent<HelperSetup>) => {
  const setup = event.data;
  const net = attachNetwork(setup);
  const shared = net.kernels.shared!;
  const first = net.weights[0];
  const rowCount = first.rows;
  const control = new Int32Array(setup.control);
  const parameters = new Float64Array(setup.parameters);
  const spin = control[CONTROL.spin];
  const helpers = setup.threads - 1;
  let count = 0, list = 0;
  const work = new RowWork(
    net,
    (lo, hi) => shared.fusedRows(first, net.errors[1], net.signals[1], lo, hi, count, list),
  );
  const step: RecordStep = { inkSum: 0, nextSum: 0, fold: false, split: false };
  // this helper's rows, worked out again only when the training thread's share changes
  let ownEnd = -1, rows = { lo: 0, hi: 0 };
  // the generation to wait past, read before saying ready: the training thread releases the
  // first record only after "ready", so a release can never slip in before this read
  let generation = Atomics.load(control, CONTROL.generation);
  self.postMessage("ready");
  while (true) {
    // wait for the next record: spin a while, then sleep until released
    for (let i = 0; Atomics.load(control, CONTROL.generation) === generation; i++) {
      if (i < spin) continue;
      // said before sleeping (seq-cst): the release then notifies, or wait() sees the generation moved
      Atomics.add(control, CONTROL.sleepingHelpers, 1);
      Atomics.wait(control, CONTROL.generation, generation);
      Atomics.sub(control, CONTROL.sleepingHelpers, 1);
    }
    generation = Atomics.load(control, CONTROL.generation);
    if (Atomics.load(control, CONTROL.exit) === 1) break;
    const task = control[CONTROL.task];
    count = control[CONTROL.count];
    list = control[CONTROL.list];
    step.inkSum = parameters[PARAMETERS.inkSum];
    step.nextSum = parameters[PARAMETERS.nextSum];
    step.fold = control[CONTROL.fold] === 1;
    step.split = control[CONTROL.split] === 1;
    net.learningRate = parameters[PARAMETERS.learningRate];
    if (control[CONTROL.ownEnd] !== ownEnd) {
      ownEnd = control[CONTROL.ownEnd];
      rows = shareOfRows(rowCount, helpers, setup.thread - 1, ownEnd);
    }
    try {
      if (task === TASK.score) scoreShare(setup, net);
      else work.run(step, rows.lo, rows.hi);
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
};

/** A network of this helper's own, for scoring: the shared weights copied into it for each scoring. */
let scorer: Network | undefined;

/** Answer this helper's share of the test set's records, into the shared answers. */
function scoreShare(setup: HelperSetup, net: Network): void {
  const test = setup.test!;
  // its own buffers (the shared network's are the training thread's) and memory of its own
  scorer ??= createNetwork({
    layers: net.layers,
    learningRate: 0,
    weights: net.weights,
    precision: net.kernels.precision,
    activation: net.activation,
  });
  scorer.weights.forEach((matrix, l) => matrix.data.set(net.weights[l].data));
  answerRecords(
    scorer,
    {
      images: new Uint8Array(test.images),
      labels: new Uint8Array(test.labels),
      count: test.count,
      source: "test",
    },
    shareOfRecords(test.count, setup.threads, setup.thread),
    { answers: new Uint8Array(test.answers), confidences: new Float64Array(test.confidences) },
  );
}
