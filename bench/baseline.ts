/**
 * The benchmark's comparison with another checkout of myonn (bench.ts `--baseline DIR`): the
 * same epoch of 784-200-10 f32 (on one thread; with `--baseline-only` on two as well) trained
 * with this checkout's code and with the other one's, in child processes whose epochs take turns (turns.ts), so a change can be shown not
 * to slow training down on a machine whose speed drifts (make the other checkout with
 * `git worktree add DIR <commit>`).
 *
 * A child imports the checkout's own modules by path (core/data, core/model, core/training:
 * loadDataset, createNetwork, createRandom, trainEpoch, which every version has); the ratio
 * reported is the median of each round's ratio.
 *
 * @module
 */
import { InputError } from "../core/errors.ts";
import { median, medianOfRatios, serveEpochs, takeTurns } from "./turns.ts";

/** One checkout's epochs. */
export interface EpochRun {
  /** the checkout's directory */
  root: string;
  /** the median epoch, seconds */
  epochSeconds: number;
  /** every epoch, by round */
  epochs: number[];
  /** the first weights' first bytes after the child's last epoch, hex: both checkouts should train the same numbers */
  weights: string;
}

/** This checkout's directory. */
export const HERE = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Throw an InputError unless `root` holds a myonn checkout the probe can import. */
export async function checkBaseline(root: string): Promise<void> {
  for (const module of ["core/data/mod.ts", "core/model/mod.ts", "core/training/mod.ts"]) {
    const info = await Deno.stat(`${root}/${module}`).catch(() => undefined);
    if (!info?.isFile) {
      throw new InputError(`--baseline ${root}: no ${module} there; expected a checkout of myonn`);
    }
  }
}

/**
 * In the child: serve epochs (turns.ts) of 784-200-10 f32 with `root`'s code (on the first
 * `limit` records, when given); last, the weights' first bytes.
 */
export async function epochProbe(root: string, limit?: number, threads = 1): Promise<void> {
  const { limitDataset, loadDataset, shareDataset } = await import(`${root}/core/data/mod.ts`);
  const { createNetwork, createRandom } = await import(`${root}/core/model/mod.ts`);
  const { startRowThreads, trainEpoch } = await import(`${root}/core/training/mod.ts`);
  // on shared memory, as a training's Worker loads it: the helpers read the records themselves
  const full = shareDataset(await loadDataset("mnist:train"));
  const train = limit === undefined ? full : limitDataset(full, limit);
  const net = createNetwork({
    layers: [784, 200, 10],
    learningRate: 0.1,
    random: createRandom(1),
    precision: "f32",
  });
  const helpers = threads > 1 ? await startRowThreads(net, threads, { train }) : undefined;
  try {
    await serveEpochs(() => trainEpoch(net, train, { threads: helpers }), train.count, () => {
      const data = net.weights[0].data as Float32Array;
      const bytes = new Uint8Array(data.buffer, data.byteOffset, 16);
      return { weights: Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("") };
    });
  } finally {
    helpers?.close();
  }
}

/**
 * In the parent: `rounds` epochs of this checkout and `baseline` taking turns, each in
 * `processes` child processes (`probeArgs` starts one), this checkout's and the baseline's
 * alternating. Several processes each: one process's epochs keep to one speed, and two
 * processes of the same code differed by up to 4% here (where the JIT and the memory landed),
 * so one process a side measures that luck as much as the code. A round's ratio is the
 * geometric mean of this checkout's epochs in it over the baseline's; the median of the
 * rounds' ratios is returned, with each checkout's epochs (every process's, round after round).
 */
export async function measureBaseline(
  rounds: number,
  baseline: string,
  probeArgs: (root: string) => string[],
  threads = 1,
  processes = 1,
): Promise<{ ratio: number; runs: EpochRun[] }> {
  const roots = [HERE, baseline];
  const contenders = Array.from({ length: processes }, (_, k) =>
    roots.map((root) => ({
      label: `784-200-10 f32, ${threads} thread${threads > 1 ? "s" : ""}, ${
        root === HERE ? "this checkout" : baseline
      }${processes > 1 ? ` (process ${k + 1})` : ""}`,
      args: probeArgs(root),
      // one thread each: all on the same core (two threads each: both cores, unpinned)
      ...(threads === 1 ? { pin: navigator.hardwareConcurrency - 1 } : {}),
    }))).flat();
  const { epochs, finals } = await takeTurns(contenders, rounds);
  // contender 2k is this checkout's process k, 2k + 1 the baseline's
  const side = (i: number) => epochs.filter((_, c) => c % 2 === i);
  const geometricMean = (values: number[]) =>
    Math.exp(values.reduce((sum, x) => sum + Math.log(x), 0) / values.length);
  const perRound = (i: number) =>
    Array.from({ length: rounds }, (_, r) => geometricMean(side(i).map((e) => e[r])));
  const runs = roots.map((root, i) => ({
    root,
    epochSeconds: median(perRound(i)),
    epochs: side(i).flat(),
    weights: String(finals[i].weights),
  }));
  return { ratio: medianOfRatios(perRound(0), perRound(1)), runs };
}
