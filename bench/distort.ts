/**
 * The benchmark's distortion measurement (bench.ts --distort): what distorting the training
 * images afresh each epoch costs a training, as a user runs it. Trainings of the preset's
 * network (beyond.ts) on its 50,000 records take turns — plain, affine, the preset's, again —
 * and each epoch after the first is timed (the first waits for its images; later ones are
 * made a step ahead on a Worker, jobs/distortion.ts). The ratio is distorted ÷ plain, epochs
 * at the same size, on 1 and 2 threads.
 *
 * @module
 */
import { limitDataset, loadDataset, shareDataset } from "../core/data/mod.ts";
import { beyondPreset, LADDER, ladderSettings } from "../core/experiments/mod.ts";
import { runTraining, trainingJob } from "../core/jobs/mod.ts";
import { defaultSettings, type Settings } from "../core/settings.ts";
import { median } from "./turns.ts";

/** Epochs per training: the first is not timed. */
const EPOCHS = 4;

/** One thread count's measurement. */
export interface DistortionCost {
  threads: number;
  hidden: number;
  /** median seconds a plain training epoch, and every timed one */
  plainSeconds: number;
  plain: number[];
  /** each kind of distortion: what it does, its median epoch, the ratio to plain, every timed epoch */
  distorted: { name: string; distortion: string; seconds: number; ratio: number; epochs: number[] }[];
}

/**
 * Time plain against distorted epochs of the preset's network on `threads` threads, `turns`
 * turns each: the affine rung's distortions, and the preset's (affine and elastic).
 */
export async function distortionCost(threads: number, turns = 2, limit?: number): Promise<DistortionCost> {
  const preset = beyondPreset();
  const affine = ladderSettings()[LADDER.findIndex((rung) => rung.id === "affine")];
  const full = shareDataset(await loadDataset("mnist:train"));
  const train = limit === undefined ? full : limitDataset(full, limit);
  const test = limitDataset(await loadDataset("mnist:test"), 1000);
  const plain: Settings = defaultSettings({
    hidden: preset.hidden,
    epochs: EPOCHS,
    validation: preset.validation,
    threads,
  });
  const distortionsOf = (settings: Settings): Partial<Settings> => ({
    distortRotate: settings.distortRotate,
    distortScale: settings.distortScale,
    distortShear: settings.distortShear,
    distortShift: settings.distortShift,
    elasticSigma: settings.elasticSigma,
    elasticAlpha: settings.elasticAlpha,
  });
  const kinds: [string, Settings][] = [
    ["plain", plain],
    ["affine", { ...plain, ...distortionsOf(affine) }],
    ["the preset's (affine and elastic)", { ...plain, ...distortionsOf(preset) }],
  ];
  const times = new Map<string, number[]>(kinds.map(([name]) => [name, []]));
  for (let turn = 0; turn < turns; turn++) {
    for (const [name, settings] of kinds) {
      const { config } = trainingJob(settings);
      const { record } = await runTraining({ config, train, test, threads });
      const epochs = record.history.slice(1).map((epoch) => epoch.trainSeconds);
      times.get(name)!.push(...epochs);
      console.error(
        `  ${threads} thread${threads === 1 ? "" : "s"}, ${name}: ${
          epochs.map((s) => s.toFixed(2)).join(", ")
        } s`,
      );
    }
  }
  const plainSeconds = median(times.get("plain")!);
  return {
    threads,
    hidden: preset.hidden[0],
    plainSeconds,
    plain: times.get("plain")!,
    distorted: kinds.slice(1).map(([name, settings]) => {
      const d = trainingJob(settings).config.distortion!;
      const seconds = median(times.get(name)!);
      return {
        name,
        distortion: `±${d.rotate}°, ×(1 ± ${d.scale}), shear ±${d.shear}°, shift ±${d.shift} px` +
          (d.alpha > 0 ? `, elastic σ ${d.sigma} α ${d.alpha}` : ""),
        seconds,
        ratio: seconds / plainSeconds,
        epochs: times.get(name)!,
      };
    }),
  };
}

/** The measurement as lines for the terminal. */
export function formatDistortionCost(costs: DistortionCost[]): string {
  return [
    `distorting the training images afresh each epoch (784-${
      costs[0].hidden
    }-10, 50,000 records; epochs after the first):`,
    ...costs.flatMap((cost) => [
      `  ${cost.threads} thread${cost.threads === 1 ? "" : "s"}: plain epoch ${
        cost.plainSeconds.toFixed(2)
      } s`,
      ...cost.distorted.map((kind) =>
        `    ${kind.name} (${kind.distortion}): ${kind.seconds.toFixed(2)} s — ×${kind.ratio.toFixed(2)}`
      ),
    ]),
  ].join("\n");
}
