/**
 * Helper threads for one training: Workers that share the network's WebAssembly memory
 * (kernels/wasm.ts, `threads` > 1) and take each record's per-row work (rows.ts) for their
 * share of the hidden rows. They meet the training thread at a barrier per record: it
 * releases them by bumping a generation counter; each does its rows and counts down; it
 * does its own rows and then spins until the count is zero. Waiting helpers spin briefly
 * on `Atomics` before sleeping in `Atomics.wait` (a record takes microseconds; a sleep and
 * a wake-up cost tens of them — measured in `deno task bench`).
 *
 * @module
 */
import type { FloatArray, SharedKernels } from "../kernels/mod.ts";
import type { Network } from "../model/mod.ts";
import type { RecordStep } from "./rows.ts";

/**
 * The control block's slots (an Int32Array on a SharedArrayBuffer). The slot the helpers
 * poll and the one the training thread polls are 64 bytes apart, on cache lines of their own.
 */
export const CONTROL = {
  /** bumped to release the helpers for the next record */
  generation: 0,
  /** helpers still working on this record */
  pending: 32,
  /** blocks in the block list */
  count: 2,
  /** 1: fold after this record */
  fold: 3,
  /** which ink buffer is this record's (0: A, 1: B) */
  inkIsB: 4,
  /** which is the next record's (the same as this one's for the last record) */
  nextIsB: 7,
  /** 1: a helper failed (its message was posted) */
  failed: 8,
  /** 1: stop and exit */
  exit: 5,
  /** how many times a helper spins before it sleeps */
  spin: 6,
  /** helpers asleep in Atomics.wait (the release wakes them only then: a notify costs a lock) */
  sleepingHelpers: 16,
  /** 1: the training thread is asleep in join() (a helper's count-down wakes it only then) */
  sleepingMain: 48,
} as const;

/**
 * How many times a waiting helper checks before it sleeps (a few milliseconds): within an
 * epoch it never sleeps (a sleep and a wake-up cost tens of microseconds a record); between
 * epochs (scoring, saving) it does.
 */
export const DEFAULT_SPIN = 2_000_000;

/** What a helper thread gets to start: everything as addresses and shared buffers, plain data. */
export interface HelperSetup {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  fusedName: string;
  precision: "f32" | "f64";
  cols: number;
  rows: { lo: number; hi: number };
  /** byte addresses in the shared memory */
  addresses: { matrix: number; delta: number; out: number; inkA: number; inkB: number; packed: number };
  /** the f64 offsets and sums, and the control block and its f64 parameters */
  offsets: SharedArrayBuffer;
  sums: SharedArrayBuffer;
  control: SharedArrayBuffer;
  parameters: SharedArrayBuffer;
}

/** The helper threads of one network, ready for its epochs. */
export interface RowThreads {
  /** threads in all, the training thread included */
  readonly count: number;
  /** the rows of the training thread itself */
  readonly own: { lo: number; hi: number };
  /** the offsets and sums, on shared memory, for the epoch to use */
  readonly offsets: Float64Array;
  readonly sums: Float64Array;
  /** release the helpers for one record (its block list already set) */
  release(step: RecordStep & { count: number; inkIsB: boolean; nextIsB: boolean }): void;
  /** spin until every helper has done its rows */
  join(): void;
  /** end the helpers */
  close(): void;
}

/** Rows lo…hi−1 of `rows` for thread t of `count`: as even as whole rows allow. */
export function shareOfRows(rows: number, count: number, t: number): { lo: number; hi: number } {
  return { lo: Math.floor(rows * t / count), hi: Math.floor(rows * (t + 1) / count) };
}

/**
 * Start `net.kernels.shared.threads − 1` helpers for `net`, whose first layer and buffers
 * (`state`) and two ink buffers live in its shared memory; resolves when they are ready.
 */
export async function startRowThreads(
  net: Network,
  buffers: { inkA: FloatArray; inkB: FloatArray },
  options: { spin?: number } = {},
): Promise<RowThreads> {
  const shared = net.kernels.shared as SharedKernels;
  const count = shared.threads;
  const rows = net.weights[0].rows;
  const offsets = new Float64Array(new SharedArrayBuffer(8 * rows));
  const sums = new Float64Array(new SharedArrayBuffer(8 * rows));
  const control = new Int32Array(new SharedArrayBuffer(4 * 64));
  const parameters = new Float64Array(new SharedArrayBuffer(8 * 4));
  // more threads than cores: a spinning thread would hold a core the others need, so wait at once
  const spin = options.spin ?? (count > navigator.hardwareConcurrency ? 0 : DEFAULT_SPIN);
  control[CONTROL.spin] = spin;
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
      fusedName: shared.fusedName,
      precision: net.kernels.precision,
      cols: net.weights[0].cols,
      rows: shareOfRows(rows, count, t),
      addresses: {
        matrix: net.weights[0].data.byteOffset,
        delta: net.errors[1].byteOffset,
        out: net.signals[1].byteOffset,
        inkA: buffers.inkA.byteOffset,
        inkB: buffers.inkB.byteOffset,
        packed: shared.packed[t],
      },
      offsets: offsets.buffer as SharedArrayBuffer,
      sums: sums.buffer as SharedArrayBuffer,
      control: control.buffer as SharedArrayBuffer,
      parameters: parameters.buffer as SharedArrayBuffer,
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
  return {
    count,
    own: shareOfRows(rows, count, 0),
    offsets,
    sums,
    release(step) {
      parameters[0] = step.inkSum;
      parameters[1] = step.nextSum;
      control[CONTROL.count] = step.count;
      control[CONTROL.fold] = step.fold ? 1 : 0;
      control[CONTROL.inkIsB] = step.inkIsB ? 1 : 0;
      control[CONTROL.nextIsB] = step.nextIsB ? 1 : 0;
      Atomics.store(control, CONTROL.pending, helperCount);
      Atomics.add(control, CONTROL.generation, 1);
      // seq-cst: a helper that said it sleeps either is woken here or sees the new generation in wait()
      if (Atomics.load(control, CONTROL.sleepingHelpers) > 0) Atomics.notify(control, CONTROL.generation);
    },
    join() {
      // spin: the helpers finish within microseconds of the training thread; past the spin, sleep
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
    },
    close() {
      Atomics.store(control, CONTROL.exit, 1);
      Atomics.add(control, CONTROL.generation, 1);
      Atomics.notify(control, CONTROL.generation);
      for (const worker of helpers) worker.terminate();
    },
  };
}
