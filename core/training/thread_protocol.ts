/**
 * What the training thread and its helper threads (threads.ts, row_worker.ts) agree on: the
 * control block's slots and the tasks a release asks for, the buffers they share, what a
 * helper gets to start, and how rows and records are shared out.
 *
 * @module
 */
import type { FloatArray, Precision } from "../kernels/mod.ts";
import type { ActivationName } from "../model/mod.ts";
import { type Dataset, shareBytes } from "../data/mod.ts";

/**
 * The control block's slots (an Int32Array on a SharedArrayBuffer of CONTROL_BYTES). Each
 * slot one thread polls is on a 64-byte cache line of its own, and the record's settings on
 * another, written only before a release and read only after it, so that writing them does
 * not disturb a thread that is polling (a cache line that a spinning helper reads while the
 * training thread writes it goes back and forth between the cores at every write).
 */
export const CONTROL = {
  /** bumped to release the helpers */
  generation: 0,
  /** helpers asleep in Atomics.wait (the release wakes them only then: a notify costs a lock) */
  sleepingHelpers: 16,
  /** helpers still working */
  pending: 32,
  /** the training thread asleep waiting, 0 or 1 (a helper's count-down wakes it only then) */
  sleepingMain: 48,
  // the record's settings (with the f64 PARAMETERS after them on the same line)
  /** what the helpers are released for: a TASK */
  task: 64,
  /** blocks in this record's block list */
  count: 65,
  /** 1: fold after this record */
  fold: 66,
  /** which block list is this record's (0 or 1) */
  list: 67,
  /** the record at hand's number in the epoch */
  sample: 69,
  /** which publication this record's block list was (the helpers may have copied it already) */
  listPublished: 70,
  // set between epochs, or once
  /** the training thread's rows end here; the helpers share the rest */
  ownEnd: 80,
  /** 1: stop and exit */
  exit: 81,
  /** how many times a helper spins before it sleeps */
  spin: 82,
  /** how many records the epoch has */
  total: 83,
  /** 1: the helpers read the epoch's records themselves (the training set they were given), 0: block lists are published */
  reads: 84,
  /** 1: a helper failed (its message was posted) */
  failed: 85,
  /** helpers that have started (set up and waiting for a release) */
  ready: 86,
  // polled by waiting helpers in epochs whose block lists are published
  /** a sequence lock on the block list last published: odd while it is written, even when whole */
  published: 96,
  /** the block list last published (0 or 1), and its blocks */
  publishedList: 97,
  publishedCount: 98,
} as const;

/** The control block's size in bytes: its slots, and the f64 parameters at PARAMETERS_AT. */
export const CONTROL_BYTES = 4 * 112;
/** Where the f64 parameters start in the control block: on the record's settings' line. */
const PARAMETERS_AT = 4 * 72;

/** What a release asks of the helpers. */
export const TASK = {
  /** one record's work on their rows */
  record: 0,
  /** answer their share of the test set */
  score: 1,
  /** take their rows (weights, offsets, sums, signals) from the exchange */
  take: 2,
  /** put them back there */
  give: 3,
} as const;

/** The f64 parameters' slots. */
export const PARAMETERS = { inkSum: 0, nextSum: 1, learningRate: 2 } as const;

/** The control block's slots and its f64 parameters, over one buffer of CONTROL_BYTES. */
export function controlViews(buffer: SharedArrayBuffer): { control: Int32Array; parameters: Float64Array } {
  return { control: new Int32Array(buffer), parameters: new Float64Array(buffer, PARAMETERS_AT, 3) };
}

/** The buffers a helper shares with the training thread. */
export interface Exchange {
  /** the first layer's rows (rows × inputs), while they go out or come home */
  rows: SharedArrayBuffer;
  /** each row's offset and sum (float64) */
  offsets: SharedArrayBuffer;
  sums: SharedArrayBuffer;
  /** each row's signal: in, the first hidden layer's output for the record at hand; back, the next record's */
  out: SharedArrayBuffer;
  /** each row's error for the record at hand */
  errors: SharedArrayBuffer;
  /** the two block lists: offsets, and packed blocks */
  lists: SharedArrayBuffer[];
  packed: SharedArrayBuffer[];
  /** every weight of the network, layer after layer, for scoring */
  weights: SharedArrayBuffer;
}

/** What a helper thread gets to start. */
export interface HelperSetup {
  /** threads in all, and this helper's number (1…threads−1) */
  threads: number;
  thread: number;
  layers: number[];
  precision: Precision;
  activation: ActivationName;
  /** the control block and its f64 parameters (controlViews) */
  control: SharedArrayBuffer;
  exchange: Exchange;
  /** the test set to score, and where the answers go (records shared out between the threads) */
  test?: {
    images: SharedBytes;
    labels: SharedBytes;
    count: number;
    answers: SharedArrayBuffer;
    confidences: SharedArrayBuffer;
  };
  /** the training set's images, when the helpers read its records themselves */
  train?: SharedBytes;
}

/** Bytes on a SharedArrayBuffer, as a message carries them (a view does not survive the trip). */
export interface SharedBytes {
  buffer: SharedArrayBuffer;
  byteOffset: number;
  length: number;
}

/** The SharedBytes of bytes on a SharedArrayBuffer, or of a shared copy of other bytes. */
export function bytesForMessage(bytes: Uint8Array): SharedBytes {
  const shared = shareBytes(bytes);
  return { buffer: shared.buffer as SharedArrayBuffer, byteOffset: shared.byteOffset, length: shared.length };
}

/** A view of SharedBytes. */
export function bytesFromMessage(shared: SharedBytes): Uint8Array {
  return new Uint8Array(shared.buffer, shared.byteOffset, shared.length);
}

/**
 * Rows lo…hi−1 for thread t of `count` sharing rows from…rows−1: as even as blocks of 4
 * rows allow, each share starting at a multiple of 4 past `from` (`from` a multiple of 4).
 */
export function shareOfRows(rows: number, count: number, t: number, from = 0): { lo: number; hi: number } {
  const units = Math.ceil((rows - from) / 4);
  const at = (k: number) => k === count ? rows : Math.min(rows, from + 4 * Math.floor(units * k / count));
  return { lo: at(t), hi: at(t + 1) };
}

/** Records lo…hi−1 of `records` for thread t of `count`: as even as whole records allow. */
export function shareOfRecords(records: number, count: number, t: number): { lo: number; hi: number } {
  return { lo: Math.floor(records * t / count), hi: Math.floor(records * (t + 1) / count) };
}

/** A precision's float array over a shared buffer. */
export function floats(precision: Precision, buffer: SharedArrayBuffer): FloatArray {
  return precision === "f32" ? new Float32Array(buffer) : new Float64Array(buffer);
}

/** An exchange's buffers as typed arrays. */
export type ExchangeViews = ReturnType<typeof exchangeViews>;

/** Typed views of an exchange's buffers, the same on both sides. */
export function exchangeViews(precision: Precision, exchange: Exchange) {
  return {
    rows: floats(precision, exchange.rows),
    offsets: new Float64Array(exchange.offsets),
    sums: new Float64Array(exchange.sums),
    out: floats(precision, exchange.out),
    errors: floats(precision, exchange.errors),
    lists: exchange.lists.map((buffer) => new Int32Array(buffer)),
    packed: exchange.packed.map((buffer) => floats(precision, buffer)),
    weights: floats(precision, exchange.weights),
  };
}

/** The exchange's rows as a RowSet (its out buffer holds their signals). */
export function exchangeRows(shared: ExchangeViews): RowSet {
  return { weights: shared.rows, offsets: shared.offsets, sums: shared.sums, signals: shared.out };
}

/** Some of a first layer's rows as they travel: their weights (row after row), offsets, sums and signals. */
export interface RowSet {
  weights: FloatArray;
  offsets: Float64Array;
  sums: Float64Array;
  signals: FloatArray;
}

/**
 * Rows from…from+n−1 of `source` into rows to…to+n−1 of `target`: how rows go out to the
 * exchange (the training thread lending them, a helper giving its own back) and come from it.
 */
export function copyRows(source: RowSet, from: number, target: RowSet, to: number, n: number): void {
  const cols = source.weights.length / source.offsets.length;
  target.weights.set(source.weights.subarray(from * cols, (from + n) * cols), to * cols);
  target.offsets.set(source.offsets.subarray(from, from + n), to);
  target.sums.set(source.sums.subarray(from, from + n), to);
  target.signals.set(source.signals.subarray(from, from + n), to);
}

/** What a helper started ahead gets first: a port to its training, and its starter's stop flag. */
export interface HelperStart {
  port: MessagePort;
  /** set to 1 (Atomics) when the training is gone: the helper ends itself (a Worker busy or asleep cannot be terminated) */
  stop: Int32Array;
}

/** Helper threads started ahead for one training (startHelpersAhead). */
export interface HelpersAhead {
  /** the ports to hand to the training (startRowThreads' `ahead`), transferred to its Worker */
  ports: MessagePort[];
  /** end them, once the training has ended: they stop themselves within 0.1 s, then are terminated */
  end(): void;
}

/**
 * Helper threads started ahead for one training, by the thread that starts the training's
 * own Worker: a Worker started from a Worker (as a training's helpers are otherwise) starts
 * far more slowly than one started from the main thread (Deno 2.9.5, for any module; the
 * times are in docs/speed.md). Each gets a HelperStart; its HelperSetup then comes through the port
 * from the training. Whoever started them ends them when the training has ended.
 */
export function startHelpersAhead(count: number, onError?: (error: Error) => void): HelpersAhead {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const workers: Worker[] = [], ports: MessagePort[] = [];
  for (let i = 0; i < count; i++) {
    const worker = createHelperWorker();
    const { port1, port2 } = new MessageChannel();
    const ahead: HelperStart = { port: port2, stop };
    worker.postMessage(ahead, [port2]);
    worker.onerror = (event) => {
      event.preventDefault();
      onError?.(new Error(`a training thread failed: ${event.message}`));
    };
    workers.push(worker);
    ports.push(port1);
  }
  let ended = false;
  return {
    ports,
    end() {
      if (ended) return;
      ended = true;
      Atomics.store(stop, 0, 1);
      // a helper waiting for its setup (in its event loop) is ended by terminate(); one helping
      // (in its loop) ends itself, at its next look (SLEEP_MS), and is terminated after that
      for (const worker of workers) worker.terminate();
    },
  };
}

/** A helper thread's Worker (row_worker.ts), waiting for its setup or a port to get it through. */
export function createHelperWorker(): Worker {
  return new Worker(new URL("./row_worker.ts", import.meta.url).href, { type: "module" });
}

/** A test set's bytes in shared memory (copied there unless they are), with room for the answers, for the helpers. */
export function shareTestSet(dataset: Dataset): NonNullable<HelperSetup["test"]> {
  return {
    images: bytesForMessage(dataset.images),
    labels: bytesForMessage(dataset.labels),
    count: dataset.count,
    answers: new SharedArrayBuffer(dataset.count),
    confidences: new SharedArrayBuffer(8 * dataset.count),
  };
}
