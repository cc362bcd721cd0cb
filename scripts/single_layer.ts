/**
 * The single-layer comparison model: 784×10 weights, no activation, targets 0 and 1, the
 * delta rule. Reports test accuracy after given numbers of training images; saves no run.
 *
 *   deno run -A scripts/single_layer.ts
 *   deno run -A scripts/single_layer.ts --alpha 0.001 --report-at 0,100,1000,10000,60000 --json
 *
 * @module
 */
import { limitDataset, loadDataset } from "../core/data/mod.ts";
import { InputError } from "../core/errors.ts";
import { parseValues } from "../core/experiments/mod.ts";
import { createRandom } from "../core/model/mod.ts";
import type { SettingKey } from "../core/settings.ts";
import {
  choiceFlag,
  type CommandSpec,
  formatSeconds,
  parseFlags,
  positiveNumberFlag,
  printJson,
  runMain,
  settingFlags,
  settingsFromFlags,
  stringFlag as flag,
} from "./support.ts";
import {
  createSingleLayer,
  SINGLE_LAYER_INITS,
  singleLayerCurve,
  type SingleLayerStep,
} from "../core/experiments/mod.ts";

/** The training settings this model shares with the book's network. */
const SETTING_KEYS: readonly SettingKey[] = ["seed", "train", "test", "limitTrain", "limitTest"];

export const SPEC: CommandSpec = {
  usage: "single-layer [flags]",
  summary: "The single-layer comparison model (784×10, delta rule): test accuracy as training images go by.",
  flags: {
    alpha: flag(
      "step size of the delta rule (the tutorial's was not available here: 0.01 ends nearest its published curve)",
      "A",
      "0.01",
    ),
    init: flag(
      "starting weights: uniform (the tutorial's numpy.random.rand: 0…1) or normal (standard deviation 0.01)",
      "uniform|normal",
      "uniform",
    ),
    walkthrough: {
      type: "boolean",
      description:
        "print what the tutorial prints for the 1st and 101st training image: prediction, label, error, delta",
    },
    "report-at": flag("measure test accuracy after these many images", "N,N…", "0,100,1000,10000,60000"),
    ...settingFlags(SETTING_KEYS),
    json: { type: "boolean", description: "print one JSON object on stdout (progress stays on stderr)" },
  },
};

/** Train the single-layer model, printing its accuracy at each reporting point. */
export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const alpha = positiveNumberFlag(flags.alpha, "alpha");
  const reportAt = parseValues(String(flags["report-at"]), "--report-at");
  if (reportAt.some((count) => !Number.isSafeInteger(count) || count < 0)) {
    throw new InputError(`--report-at must be whole numbers ≥ 0, got "${flags["report-at"]}"`);
  }
  const init = choiceFlag(flags.init, "--init", SINGLE_LAYER_INITS);
  const settings = settingsFromFlags(flags, SETTING_KEYS);
  const train = limitDataset(await loadDataset(settings.train), settings.limitTrain);
  const test = limitDataset(await loadDataset(settings.test), settings.limitTest);
  const past = reportAt.find((count) => count > train.count);
  if (past !== undefined) {
    throw new InputError(
      `--report-at ${past} is past the ${train.count} training images: give counts up to ${train.count}`,
    );
  }
  const say = flags.json ? console.error : console.log;
  say(
    `Single-layer model: 784×10 weights, delta rule, alpha ${alpha}, seed ${settings.seed} — test accuracy on ${test.count} records`,
  );
  const started = performance.now();
  // the tutorial's walkthrough: the 1st and the 101st image's step, as it prints them
  const shown = [0, 100];
  const walkthrough: SingleLayerStep[] = [];
  const points = singleLayerCurve(createSingleLayer(alpha, createRandom(settings.seed), init), {
    train,
    test,
    // the walkthrough trains at least to the 101st image (its accuracy there is measured, not shown)
    reportAt: flags.walkthrough ? [...new Set([...reportAt, shown[1] + 1])] : reportAt,
    onStep(index, step) {
      if (!flags.walkthrough || !shown.includes(index)) return;
      walkthrough.push(step);
      if (!flags.json) say(walkthroughText(index, step));
    },
  }).filter((point) => reportAt.includes(point.images));
  if (flags.json) {
    return printJson({
      model: "single-layer",
      alpha,
      init,
      seed: settings.seed,
      ...(flags.walkthrough ? { walkthrough } : {}),
      train: train.source,
      test: test.source,
      points,
    });
  }
  for (const { images, accuracy } of points) {
    say(`${String(images).padStart(8)} images  accuracy ${accuracy.toFixed(4)}`);
  }
  say(`in ${formatSeconds((performance.now() - started) / 1000)}`);
}

/** One step as the tutorial prints it. */
function walkthroughText(index: number, step: SingleLayerStep): string {
  const row = (numbers: number[]) => numbers.map((x) => x.toFixed(4)).join(" ");
  return [
    `training image ${index + 1} (record ${step.record}, label ${step.label.indexOf(1)}):`,
    `  prediction ${row(step.prediction)}`,
    `  label      ${row(step.label)}`,
    `  error      ${row(step.error)}   (prediction − label)², sum ${
      step.error.reduce((a, b) => a + b, 0).toFixed(4)
    }`,
    `  delta      ${row(step.delta)}   prediction − label; weights −= alpha · image ⊗ delta`,
  ].join("\n");
}

if (import.meta.main) await runMain(main);
