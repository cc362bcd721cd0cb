/**
 * A helper thread of the threaded epoch (threads.ts). It waits at the barrier (barrier.ts)
 * and, for every release, does what the task says — take its share of the rows from the
 * exchange, work one record on them (helper_rows.ts, with rows.ts: the same code the
 * training thread runs), give them back, or answer its share of the test set — and counts
 * down. It never posts a message after "ready", and allocates nothing per record.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type RecordStep } from "./rows.ts";
import {
  bytesFromMessage,
  CONTROL,
  controlViews,
  type ExchangeViews,
  exchangeViews,
  type HelperSetup,
  type HelperStart,
  PARAMETERS,
  shareOfRecords,
  shareOfRows,
  TASK,
} from "./thread_protocol.ts";
import { HelperBarrier } from "./barrier.ts";
import { HelperLists, HelperRows } from "./helper_rows.ts";
import { answerRecords } from "./answer_records.ts";
import { ACTIVATIONS, createNetwork, createRandom, type Network } from "../model/mod.ts";
import type { FloatArray } from "../kernels/mod.ts";
import type { Dataset } from "../data/mod.ts";

// the setup comes from the training that started this helper, or through a port from a
// training this helper was started ahead for (thread_protocol.ts, startHelpersAhead)
self.onmessage = (event: MessageEvent<HelperSetup | HelperStart>) => {
  const data = event.data;
  if ("port" in data) {
    data.port.onmessage = (message: MessageEvent<HelperSetup>) =>
      new Helper(message.data, data.stop).help(data.port);
  } else {
    new Helper(data).help(self);
  }
};

/** One helper's work for the training that sent its setup. */
class Helper {
  private readonly control: Int32Array;
  private readonly parameters: Float64Array;
  private readonly shared: ExchangeViews;
  private readonly barrier: HelperBarrier;
  /** its rows and block lists, from the first time it is given rows */
  private rows?: HelperRows;
  private lists?: HelperLists;
  private readonly step: RecordStep = { inkSum: 0, nextSum: 0, fold: false };
  /** the training set, when the helpers read its records themselves */
  private readonly train?: Dataset;
  /** what it does at each check while waiting for a release, when lists are published (made once) */
  private readonly copyPublished = () => this.lists?.copyPublished();

  constructor(private readonly setup: HelperSetup, stop?: Int32Array) {
    ({ control: this.control, parameters: this.parameters } = controlViews(setup.control));
    this.shared = exchangeViews(setup.precision, setup.exchange);
    const cols = setup.layers[0];
    this.train = setup.train && {
      images: bytesFromMessage(setup.train),
      labels: new Uint8Array(0),
      count: setup.train.length / cols,
      source: "train",
    };
    this.barrier = new HelperBarrier(this.control, stop);
  }

  /**
   * Work until the training closes its threads, or this helper's starter stops it; "ready"
   * is said to `training` first.
   */
  help(training: { postMessage(message: string): void }): void {
    const { barrier, control } = this;
    training.postMessage("ready");
    while (true) {
      const reads = control[CONTROL.reads] === 1;
      // while waiting: make the next record's block list, or copy each newly published one
      if (reads && this.rows && !this.rows.empty) this.lists!.makeNext();
      if (!barrier.awaitRelease(control[CONTROL.spin], reads ? undefined : this.copyPublished)) break;
      try {
        this.do(barrier.task());
      } catch (error) {
        barrier.fail();
        throw error;
      }
      barrier.countDown();
    }
    self.close();
  }

  private do(task: number): void {
    if (task === TASK.record) this.record();
    else if (task === TASK.take) this.take();
    else if (task === TASK.give) this.rows?.give(this.shared);
    else if (task === TASK.score) scoreShare(this.setup, this.shared.weights);
  }

  /** Take its share of the rows past the training thread's from the exchange. */
  private take(): void {
    const { setup } = this;
    const from = this.control[CONTROL.ownEnd];
    const { lo, hi } = shareOfRows(setup.layers[1], setup.threads - 1, setup.thread - 1, from);
    if (hi > lo && !this.rows) {
      this.rows = new HelperRows(setup.layers[0], setup.layers[1], setup.precision, setup.activation);
      this.lists = new HelperLists(this.rows.net, this.control, this.shared, this.train);
    }
    this.rows?.take(this.shared, lo, hi, lo - from);
  }

  /** One record's work on its rows. */
  private record(): void {
    const { rows, control, parameters, step } = this;
    if (!rows || rows.empty) return;
    const count = control[CONTROL.count], list = control[CONTROL.list];
    step.inkSum = parameters[PARAMETERS.inkSum];
    step.nextSum = parameters[PARAMETERS.nextSum];
    step.fold = control[CONTROL.fold] === 1;
    this.lists!.forRecord(list, count);
    rows.record(this.shared, step, parameters[PARAMETERS.learningRate], list, count);
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
