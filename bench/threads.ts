/**
 * The benchmark's thread measurements (bench.ts): epochs on 1, 2 (and, with 4 cores or
 * more, 4) threads, and the cost of the barrier the threads meet at every record.
 *
 * Each thread count trains in a child process of its own, and the thread counts' epochs
 * take turns (turns.ts): the ratio reported is the median of each round's ratio, epochs
 * seconds apart on a machine whose speed drifts by the minute. Each child's first epoch,
 * unmeasured, is when the compilers and the helpers warm up and the threads' first trials run.
 *
 * @module
 */
import { limitDataset, loadDataset, shareDataset } from "../core/data/mod.ts";
import { createNetwork, createRandom } from "../core/model/mod.ts";
import { type RecordStep, startRowThreads, trainEpoch } from "../core/training/mod.ts";
import { median, medianOfRatios, serveEpochs, takeTurns } from "./turns.ts";

/** Timed epochs per repetition (bench.ts --repeat): each thread count trains repeat × this many. */
export const EPOCHS_PER_REPEAT = 3;

/** Records through the empty barrier, to time it. */
const BARRIER_RECORDS = 200_000;

/** One thread count's epochs. */
export interface ThreadsRun {
  threads: number;
  hidden: number;
  /** the median epoch, scaled to 60,000 records */
  epochSeconds: number;
  /** every epoch, by round, scaled to 60,000 records */
  epochs: number[];
  /** microseconds a record for release and join with no rows to work on (threads > 1) */
  barrierMicroseconds?: number;
}

/**
 * In the child: serve epochs (turns.ts) of 784-`hidden`-10 f32 on `threads` threads; last,
 * the barrier's cost.
 */
export async function threadsProbe(threads: number, hidden: number, limit?: number): Promise<void> {
  // on shared memory, as a training's Worker loads it (jobs/training_worker.ts): the helpers read the records themselves
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
    await serveEpochs(
      () => trainEpoch(net, train, { threads: helpers }),
      train.count,
      async () => {
        // the training's helpers ended first: the barrier's threads have the cores to themselves
        helpers?.close();
        return threads > 1 ? { barrierMicroseconds: await barrierCost(threads) } : {};
      },
    );
  } finally {
    helpers?.close();
  }
}

/** Microseconds a record for the barrier alone: helpers released and joined with no rows to do. */
async function barrierCost(threads: number): Promise<number> {
  const net = createNetwork({ layers: [784, 8, 10], learningRate: 0.1, random: createRandom(1) });
  const helpers = await startRowThreads(net, threads, { ownEnd: 8 }); // every row the training thread's: the helpers' shares are empty
  try {
    const step: RecordStep = { inkSum: 0, nextSum: 0, fold: false };
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
 * In the parent: for 784-100-10 and 784-200-10, `rounds` epochs of every thread count
 * taking turns, each count in a child process (`probeArgs` starts one).
 */
export async function measureThreads(
  rounds: number,
  probeArgs: (threads: number, hidden: number) => string[],
): Promise<ThreadsRun[]> {
  const counts = navigator.hardwareConcurrency >= 4 ? [1, 2, 4] : [1, 2];
  const runs: ThreadsRun[] = [];
  for (const hidden of [100, 200]) {
    const { epochs, finals } = await takeTurns(
      counts.map((threads) => ({
        label: `784-${hidden}-10 f32, ${threads} thread${threads > 1 ? "s" : ""}`,
        args: probeArgs(threads, hidden),
      })),
      rounds,
    );
    counts.forEach((threads, i) => {
      const barrier = finals[i].barrierMicroseconds;
      runs.push({
        threads,
        hidden,
        epochSeconds: median(epochs[i]),
        epochs: epochs[i],
        ...(typeof barrier === "number" ? { barrierMicroseconds: barrier } : {}),
      });
    });
  }
  return runs;
}

/** The median of each round's ratio of `threads` to 1 thread, for `hidden`. */
export function medianRatio(runs: ThreadsRun[], hidden: number, threads: number): number | undefined {
  const one = runs.find((run) => run.hidden === hidden && run.threads === 1);
  const many = runs.find((run) => run.hidden === hidden && run.threads === threads);
  return one && many ? medianOfRatios(many.epochs, one.epochs) : undefined;
}

/** One level of load: the default thread count's epochs against one thread's, with `busy` busy processes beside. */
export interface BusyRun {
  busy: number;
  threads: number;
  /** median of each round's (default ÷ one thread) */
  ratio: number;
  epochs: { threads: number[]; one: number[] };
}

/** A process that keeps one core busy until killed (what a browser, an emulator or a build does to a training). */
function startBusy(): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["eval", "let x = 0; for (;;) x = (x + 1) % 1000;"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
}

/**
 * In the parent: 784-200-10 on the default thread count against one thread, epochs taking
 * turns, with 0, 1, 2 and 4 busy processes beside them (started and stopped here).
 */
/** The busy processes the probe starts beside, each in turn: none, fewer than the cores, one a core, twice that. */
export const BUSY_LEVELS = [0, 1, 2, 4] as const;

export async function measureBusy(
  rounds: number,
  probeArgs: (threads: number, hidden: number) => string[],
  threads: number,
  /** how many busy processes beside, each in turn */
  levels: readonly number[] = BUSY_LEVELS,
): Promise<BusyRun[]> {
  const runs: BusyRun[] = [];
  for (const busy of levels) {
    const processes = Array.from({ length: busy }, startBusy);
    try {
      const { epochs } = await takeTurns(
        [threads, 1].map((count) => ({
          label: `784-200-10 f32, ${count} thread${count > 1 ? "s" : ""}, ${busy} busy`,
          args: probeArgs(count, 200),
        })),
        rounds,
      );
      runs.push({
        busy,
        threads,
        ratio: medianOfRatios(epochs[0], epochs[1]),
        epochs: { threads: epochs[0], one: epochs[1] },
      });
    } finally {
      for (const process of processes) process.kill();
      await Promise.all(processes.map((process) => process.status));
    }
  }
  return runs;
}
