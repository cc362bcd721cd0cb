/**
 * The benchmark's comparison with another checkout of myonn (bench.ts `--baseline DIR`): the
 * same one-thread epoch of 784-200-10 f32 timed with this checkout's code and with the other
 * one's, in child processes taking turns, so a change can be shown not to slow training down
 * on a machine whose speed drifts (make the other checkout with `git worktree add DIR <commit>`).
 *
 * A child imports the checkout's own modules by path (core/data, core/model, core/training:
 * loadDataset, createNetwork, createRandom, trainEpoch, which every version has), trains one
 * epoch unmeasured and times 3 more (threads.ts, timeEpochs); the ratio reported is the median of each
 * turn's ratio of medians.
 *
 * @module
 */
import { InputError } from "../core/errors.ts";
import { median, timeEpochs } from "./threads.ts";

/** What one child reports. */
export interface EpochProbe {
  /** the checkout's directory */
  root: string;
  /** the median timed epoch, seconds */
  epochSeconds: number;
  epochs: number[];
  /** the first weights' first bytes, hex: both checkouts should train the same numbers */
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
 * In the child: one epoch of 784-200-10 f32 with `root`'s code, then 3 timed (timeEpochs)
 * (on the first `limit` records, scaled to 60,000, when given).
 */
export async function epochProbe(root: string, limit?: number): Promise<EpochProbe> {
  const { limitDataset, loadDataset } = await import(`${root}/core/data/mod.ts`);
  const { createNetwork, createRandom } = await import(`${root}/core/model/mod.ts`);
  const { trainEpoch } = await import(`${root}/core/training/mod.ts`);
  const full = await loadDataset("mnist:train");
  const train = limit === undefined ? full : limitDataset(full, limit);
  const net = createNetwork({
    layers: [784, 200, 10],
    learningRate: 0.1,
    random: createRandom(1),
    precision: "f32",
  });
  const epochs = timeEpochs(train.count, () => trainEpoch(net, train));
  const data = net.weights[0].data as Float32Array;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, 16);
  return {
    root,
    epochSeconds: median(epochs),
    epochs,
    weights: Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join(""),
  };
}

/**
 * In the parent: `repeat` turns of this checkout and `baseline`, each in a child process
 * (`probeArgs` starts one). Returns the median of each turn's ratio (this ÷ baseline) and
 * every run.
 */
export async function measureBaseline(
  repeat: number,
  baseline: string,
  probeArgs: (root: string) => string[],
): Promise<{ ratio: number; runs: EpochProbe[] }> {
  const runs: EpochProbe[] = [];
  const ratios: number[] = [];
  for (let turn = 0; turn < repeat; turn++) {
    const pair: EpochProbe[] = [];
    for (const root of [HERE, baseline]) {
      const output = await new Deno.Command(Deno.execPath(), {
        args: probeArgs(root),
        stdout: "piped",
        stderr: "inherit",
      }).output();
      if (output.code !== 0) throw new Error(`the epoch probe of ${root} failed`);
      const probe = JSON.parse(new TextDecoder().decode(output.stdout)) as EpochProbe;
      console.error(
        `  epoch 784-200-10 f32, 1 thread, ${root === HERE ? "this checkout" : baseline}: ${
          probe.epochSeconds.toFixed(3)
        } s`,
      );
      pair.push(probe);
    }
    runs.push(...pair);
    ratios.push(pair[0].epochSeconds / pair[1].epochSeconds);
  }
  return { ratio: median(ratios), runs };
}
