/**
 * The benchmark's distortion measurement (bench.ts --distort): what distorting the training
 * images afresh each epoch costs a training, as a user runs it. Trainings of the preset's
 * network (beyond.ts) on its 50,000 records take turns — plain, distorted, plain, distorted —
 * and each epoch after the first is timed (the first waits for its images; later ones are
 * made a step ahead on a Worker, jobs/distortion.ts). The ratio is distorted ÷ plain, epochs
 * at the same size, on 1 and 2 threads.
 *
 * @module
 */
import { limitDataset, loadDataset, shareDataset } from "../core/data/mod.ts";
import { beyondPreset } from "../core/experiments/mod.ts";
import { runTraining, trainingJob } from "../core/jobs/mod.ts";
import { defaultSettings, type Settings } from "../core/settings.ts";
import { median } from "./turns.ts";

/** Epochs per training: the first is not timed. */
const EPOCHS = 4;

/** One thread count's measurement. */
export interface DistortionCost {
  threads: number;
  hidden: number;
  /** what the distorted trainings did to their images */
  distortion: string;
  /** median seconds a training epoch, plain and distorted */
  plainSeconds: number;
  distortedSeconds: number;
  ratio: number;
  /** every timed epoch, by turn */
  plain: number[];
  distorted: number[];
}

/** Time plain against distorted epochs of the preset's network on `threads` threads, `turns` turns each. */
export async function distortionCost(threads: number, turns = 2, limit?: number): Promise<DistortionCost> {
  const preset = beyondPreset();
  const full = shareDataset(await loadDataset("mnist:train"));
  const train = limit === undefined ? full : limitDataset(full, limit);
  const test = limitDataset(await loadDataset("mnist:test"), 1000);
  const plainSettings: Settings = defaultSettings({
    hidden: preset.hidden,
    epochs: EPOCHS,
    validation: preset.validation,
    threads,
  });
  const distortedSettings: Settings = {
    ...plainSettings,
    distortRotate: preset.distortRotate,
    distortScale: preset.distortScale,
    distortShear: preset.distortShear,
    distortShift: preset.distortShift,
    elasticSigma: preset.elasticSigma,
    elasticAlpha: preset.elasticAlpha,
  };
  const times = { plain: [] as number[], distorted: [] as number[] };
  for (let turn = 0; turn < turns; turn++) {
    for (const [kind, settings] of [["plain", plainSettings], ["distorted", distortedSettings]] as const) {
      const { config } = trainingJob(settings);
      const { record } = await runTraining({ config, train, test, threads });
      times[kind].push(...record.history.slice(1).map((epoch) => epoch.trainSeconds));
      console.error(
        `  ${threads} thread${threads === 1 ? "" : "s"}, ${kind}: ${
          record.history.slice(1).map((e) => e.trainSeconds.toFixed(2)).join(", ")
        } s`,
      );
    }
  }
  const plainSeconds = median(times.plain), distortedSeconds = median(times.distorted);
  const d = trainingJob(distortedSettings).config.distortion!;
  return {
    threads,
    hidden: preset.hidden[0],
    distortion: `±${d.rotate}°, ×(1 ± ${d.scale}), shear ±${d.shear}°, shift ±${d.shift} px` +
      (d.alpha > 0 ? `, elastic σ ${d.sigma} α ${d.alpha}` : ""),
    plainSeconds,
    distortedSeconds,
    ratio: distortedSeconds / plainSeconds,
    ...times,
  };
}

/** The measurement as lines for the terminal. */
export function formatDistortionCost(costs: DistortionCost[]): string {
  return [
    `distorting the training images afresh each epoch (784-${costs[0].hidden}-10, ${costs[0].distortion}):`,
    ...costs.map((cost) =>
      `  ${cost.threads} thread${cost.threads === 1 ? ": " : "s:"} plain epoch ${cost.plainSeconds.toFixed(2)} s, ` +
      `distorted ${cost.distortedSeconds.toFixed(2)} s — ×${cost.ratio.toFixed(2)}`
    ),
  ].join("\n");
}
