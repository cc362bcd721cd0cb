/**
 * Beyond the book: how far the book's own network goes. The book's rule is kept — sigmoid
 * layers, no biases, targets 0.01/0.99, inputs 0.01…1.0, one record at a time — and only
 * what the ladder below adds is changed, one rung at a time, each rung trained for several
 * seeds with the last 10,000 training records held out. The settings of each rung were
 * chosen on those held-out records (docs/beyond.md says how); the test set is scored once,
 * at the end of each training, and never used to choose.
 *
 * @module
 */
import { defaultSettings, type SettingKey, SETTINGS, type Settings } from "../settings.ts";
import { type Spread, spread } from "./sweep.ts";
import { type ChartSeries, lineChartSvg } from "./charts.ts";
import type { Machine } from "../store/mod.ts";

/** Training records held out for choosing settings: the last 10,000 of mnist:train. */
export const BEYOND_VALIDATION = 10_000;

/** One rung of the ladder: what it adds to the rung below. */
export interface Rung {
  id: string;
  /** what it adds, in a few words */
  adds: string;
  /** its settings, over the rung below's */
  settings: Partial<Settings>;
}

/** The book's final network (Part 2): 784-200-10, lr 0.1, 5 epochs. */
const BOOK: Partial<Settings> = { hidden: [200], learningRate: 0.1, epochs: 5 };

/** The ladder, from the book's network to the preset (`train --preset beyond`). */
export const LADDER: readonly Rung[] = [
  { id: "book", adds: "the book's final network: 784-200-10, lr 0.1, 5 epochs", settings: BOOK },
  { id: "hidden-800", adds: "800 hidden nodes (Simard's size)", settings: { hidden: [800] } },
  {
    id: "schedule",
    adds: "20 epochs, the rate falling from 0.1 to 0.001 along a cosine",
    settings: { epochs: 20, schedule: "cosine", finalRate: 0.001 },
  },
  {
    id: "affine",
    adds: "affine distortions afresh each epoch: ±12°, ×(1 ± 0.12), ±10° shear, ±2 px",
    settings: { distortRotate: 12, distortScale: 0.12, distortShear: 10, distortShift: 2 },
  },
  {
    id: "epochs-40",
    adds: "40 epochs",
    settings: { epochs: 40 },
  },
];

/** Every rung's settings, each over the one below (and the book's defaults). */
export function ladderSettings(ladder: readonly Rung[] = LADDER): Settings[] {
  const all: Settings[] = [];
  let below = defaultSettings({ validation: BEYOND_VALIDATION });
  for (const rung of ladder) {
    below = { ...below, ...rung.settings };
    all.push(below);
  }
  return all;
}

/** The preset: the last rung's settings (`deno task train --preset beyond`). */
export function beyondPreset(): Settings {
  return ladderSettings().at(-1)!;
}

/** The presets `train --preset` knows. */
export const PRESETS = { beyond: beyondPreset } as const;
export type PresetName = keyof typeof PRESETS;

/** `--quick`: every rung on the first 6,000 training records (1,000 held out) and 1,000 test, at most 8 epochs. */
export const QUICK_BEYOND = { limitTrain: 6_000, validation: 1_000, limitTest: 1_000, maxEpochs: 8 } as const;

/** A rung's settings as run: --quick's reduced data and epochs, the seed. */
export function rungRun(settings: Settings, options: { seed: number; quick: boolean }): Settings {
  if (!options.quick) return { ...settings, seed: options.seed };
  return {
    ...settings,
    seed: options.seed,
    limitTrain: QUICK_BEYOND.limitTrain,
    validation: QUICK_BEYOND.validation,
    limitTest: QUICK_BEYOND.limitTest,
    epochs: Math.min(settings.epochs, QUICK_BEYOND.maxEpochs),
  };
}

/** The flags that give `settings` on the command line (what differs from the defaults). */
export function settingsFlags(settings: Settings): string {
  const defaults = defaultSettings();
  return (Object.keys(SETTINGS) as SettingKey[])
    .filter((key) => key !== "seed" && key !== "name")
    .filter((key) => JSON.stringify(settings[key]) !== JSON.stringify(defaults[key]))
    .map((key) => `--${SETTINGS[key].flag} ${SETTINGS[key].format(settings[key] as never)}`)
    .join(" ");
}

/** One seed of a rung: validation after every epoch, the test once at the end. */
export interface BeyondRun {
  seed: number;
  validation: number[];
  test: number;
  /** wall-clock seconds of the training (load and scoring included) */
  seconds: number;
  /** seconds training, per epoch (mean) */
  epochSeconds: number;
  /** own handwriting images read right, where counted */
  ownImages?: { right: number; of: number };
}

/** One rung's result over the seeds. */
export interface BeyondRung {
  id: string;
  adds: string;
  flags: string;
  epochs: number;
  /** validation after the last epoch */
  validation: Spread;
  test: Spread;
  seconds: Spread;
  epochSeconds: Spread;
  runs: BeyondRun[];
}

/** The rung's summary from its runs. */
export function summariseRung(rung: Rung, settings: Settings, runs: BeyondRun[]): BeyondRung {
  return {
    id: rung.id,
    adds: rung.adds,
    flags: settingsFlags(settings),
    epochs: settings.epochs,
    validation: spread(runs.map((run) => run.validation.at(-1)!)),
    test: spread(runs.map((run) => run.test)),
    seconds: spread(runs.map((run) => run.seconds)),
    epochSeconds: spread(runs.map((run) => run.epochSeconds)),
    runs,
  };
}

/** The ladder's report (data/beyond/<id>/report.json; its validator is beyond_file.ts). */
export interface BeyondReport {
  format: "myonn-beyond";
  version: 1;
  id: string;
  createdAt: string;
  command: string;
  quick: boolean;
  seeds: number[];
  validation: number;
  limits: { limitTrain: number; limitTest: number; maxEpochs: number } | null;
  seconds: number;
  rungs: BeyondRung[];
  machine: Machine;
}

/** The book's best published figure: rotated copies, 10 epochs (Part 3, "98% Accuracy!" in the blog). */
export const BOOK_BEST = { performance: 0.9787, words: "rotations, 10 epochs" } as const;

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
const range = (s: Spread) => s.min === s.max ? percent(s.mean) : `${percent(s.min)}–${percent(s.max)}`;

/** The ladder as a Markdown table: per rung the validation and test (mean and lowest–highest) and times. */
export function beyondTable(report: BeyondReport): string {
  const rows = report.rungs.map((rung, i) =>
    `| ${i + 1}. ${rung.adds} | ${percent(rung.validation.mean)} (${range(rung.validation)}) | **${
      percent(rung.test.mean)
    }** (${range(rung.test)}) | ${rung.epochSeconds.mean.toFixed(1)} s | ${
      (rung.seconds.mean / 60).toFixed(1)
    } min |`
  );
  return [
    `| rung | validation (${
      report.validation.toLocaleString("en")
    } held out) | test | per epoch | per seed |`,
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** The ladder's chart: validation and test per rung, mean with the seeds' lowest–highest band. */
export function beyondChartSvg(report: BeyondReport): string {
  const line = (label: string, of: (rung: BeyondRung) => Spread): ChartSeries => ({
    label,
    points: report.rungs.map((rung, i) => ({
      x: i + 1,
      y: of(rung).mean,
      low: of(rung).min,
      high: of(rung).max,
    })),
  });
  return lineChartSvg(
    [
      line(`validation (mean, lowest–highest of ${report.seeds.length} seeds)`, (rung) => rung.validation),
      line("test", (rung) => rung.test),
      {
        label: `the book's best, ${percent(BOOK_BEST.performance)} (${BOOK_BEST.words})`,
        points: [{ x: 1, y: BOOK_BEST.performance }],
        markersOnly: true,
      },
    ],
    {
      xLabel: `rung (${report.rungs.map((rung, i) => `${i + 1} ${rung.id}`).join(", ")})`,
      yLabel: "performance",
    },
  );
}
