/**
 * The benchmark's thread measurements (bench.ts): one epoch on 1, 2 (and, with 4 cores or
 * more, 4) threads, and the cost of the barrier the threads meet at every record.
 *
 * Each measurement runs in a child process of its own, the thread counts taking turns, and
 * each child times a training's epochs 2 to 1 + TIMED_EPOCHS and reports their median (the
 * first, unmeasured, is when the compilers and the helpers warm up and the threads' first
 * trials run; single epochs here vary by ±30% as the virtual machine's neighbours come and
 * go). In one process the compiler's experience of one configuration changes the next
 * one's time (a one-thread epoch after a threaded one measured 20–40% slower); a machine
 * whose speed drifts is compared fairly only by runs close in time. The ratio reported is
 * the median of each turn's ratio.
 *
 * @module
 */
import { limitDataset, loadDataset, shareDataset } from "../core/data/mod.ts";
import { createNetwork, createRandom } from "../core/model/mod.ts";
import { type RecordStep, startRowThreads, trainEpoch } from "../core/training/mod.ts";

/** Epochs each child times, after one unmeasured. */
export const TIMED_EPOCHS = 3;

/** Records through the empty barrier, to time it. */
const BARRIER_RECORDS = 200_000;

/** What one child reports. */
export interface ThreadsProbe {
  threads: number;
  hidden: number;
  /** the median timed epoch, scaled to 60,000 records */
  epochSeconds: number;
  /** every timed epoch, scaled to 60,000 records */
  epochs: number[];
  /** microseconds a record for release and join with no rows to work on (threads > 1) */
  barrierMicroseconds?: number;
}

/** In the child: one epoch unmeasured, then TIMED_EPOCHS of 784-`hidden`-10 f32 on `threads` threads, timed. */
export async function threadsProbe(threads: number, hidden: number, limit?: number): Promise<ThreadsProbe> {
  // on shared memory, as a training's Worker loads it (jobs/worker.ts): the helpers read the records themselves
  const full = shareDataset(await loadDataset("mnist:train"));
  const train = limit === undefined ? full : limitDataset(full, limit);
  const net = createNetwork({
    layers: [784, hidden, 10],
    learningRate: 0.1,
    random: createRandom(1),
    precision: "f32",
  });
  const helpers = threads > 1 ? await startRowThreads(net, threads, { train }) : undefined;
  try {
    const epochs = timeEpochs(train.count, () => trainEpoch(net, train, { threads: helpers }));
    return {
      threads,
      hidden,
      epochSeconds: median(epochs),
      epochs,
      ...(threads > 1 ? { barrierMicroseconds: await barrierCost(threads) } : {}),
    };
  } finally {
    helpers?.close();
  }
}

/**
 * One epoch (`epoch()`, over `records` records) unmeasured, then TIMED_EPOCHS timed: their
 * seconds, scaled to 60,000 records.
 */
export function timeEpochs(records: number, epoch: () => void): number[] {
  epoch();
  const epochs: number[] = [];
  for (let i = 0; i < TIMED_EPOCHS; i++) {
    const started = performance.now();
    epoch();
    epochs.push((performance.now() - started) / 1000 * (60_000 / records));
  }
  return epochs;
}

/** Microseconds a record for the barrier alone: helpers released and joined with no rows to do. */
async function barrierCost(threads: number): Promise<number> {
  const net = createNetwork({ layers: [784, 8, 10], learningRate: 0.1, random: createRandom(1) });
  const helpers = await startRowThreads(net, threads, { ownEnd: 8 }); // every row the training thread's: the helpers' shares are empty
  try {
    const step: RecordStep = { inkSum: 0, nextSum: 0, fold: false, split: false };
    helpers.lend();
    const round = () => {
      helpers.release(step, 0, 0, 0);
      helpers.join();
    };
    for (let i = 0; i < 10_000; i++) round();
    const started = performance.now();
    for (let i = 0; i < BARRIER_RECORDS; i++) round();
    return (performance.now() - started) * 1000 / BARRIER_RECORDS;
  } finally {
    helpers.close();
  }
}

/**
 * In the parent: `repeat` turns of every thread count for 784-100-10 and 784-200-10, each
 * in a child process (`probeArgs` starts one). Returns every run.
 */
export async function measureThreads(
  repeat: number,
  probeArgs: (threads: number, hidden: number) => string[],
): Promise<ThreadsProbe[]> {
  const counts = navigator.hardwareConcurrency >= 4 ? [1, 2, 4] : [1, 2];
  const runs: ThreadsProbe[] = [];
  for (const hidden of [100, 200]) {
    for (let turn = 0; turn < repeat; turn++) {
      for (const threads of counts) {
        const output = await new Deno.Command(Deno.execPath(), {
          args: probeArgs(threads, hidden),
          stdout: "piped",
          stderr: "inherit",
        }).output();
        if (output.code !== 0) {
          throw new Error(`the threads probe (${threads} threads, ${hidden} hidden) failed`);
        }
        const probe = JSON.parse(new TextDecoder().decode(output.stdout)) as ThreadsProbe;
        console.error(
          `  epoch 784-${hidden}-10 f32, ${threads} thread${threads > 1 ? "s" : ""}: ${
            probe.epochSeconds.toFixed(3)
          } s`,
        );
        runs.push(probe);
      }
    }
  }
  return runs;
}

/** The median of each turn's ratio of `threads` to 1 thread, for `hidden`. */
export function medianRatio(runs: ThreadsProbe[], hidden: number, threads: number): number | undefined {
  const ones = runs.filter((run) => run.hidden === hidden && run.threads === 1);
  const many = runs.filter((run) => run.hidden === hidden && run.threads === threads);
  if (many.length === 0 || many.length !== ones.length) return undefined;
  return median(many.map((run, turn) => run.epochSeconds / ones[turn].epochSeconds));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
