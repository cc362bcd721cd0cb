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
import { isShared } from "../data/mod.ts";
import {
  bytesForMessage,
  CONTROL_BYTES,
  createHelperWorker,
  type Exchange,
  type HelperSetup,
} from "./thread_protocol.ts";
import { DEFAULT_SPIN } from "./thread_policy.ts";
import { type RowThreads, type RowThreadsOptions, SharedRows } from "./shared_rows.ts";

export type { RowThreads, RowThreadsOptions } from "./shared_rows.ts";

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
