/**
 * Reproducing the book: the experiments of book.ts turned into trainings (each shared
 * wherever two points need the same one: the epochs graph, a graph's 5-epoch line read from
 * its 10-epoch trainings, the first full run inside the learning-rate graph), and the
 * finished trainings turned into a report — every line's spread over seeds beside the
 * published figures, with a verdict for each. Pure: the command (scripts/reproduce.ts)
 * runs the trainings and reproduce_file.ts keeps them.
 *
 * @module
 */
import { defaultSettings, formatSetting, type SettingKey, SETTINGS, type Settings } from "../settings.ts";
import {
  BOOK_EXPERIMENTS,
  BOOK_QUERY_OUTPUT,
  type BookExperiment,
  type PublishedFigure,
  SINGLE_LAYER_EXPERIMENT,
  type SingleLayerExperiment,
} from "./book.ts";
import { type Spread, spread } from "./spread.ts";
import { SWEEP_SETTINGS } from "./sweep_file.ts";
import type {
  KeptTraining,
  ReportExperiment,
  ReportLine,
  ReportPoint,
  ReportQueryOutput,
  Verdict,
} from "./reproduce_file.ts";
import { LABELS, loadDataset, PIXELS, scaleInputs } from "../data/mod.ts";
import { createNetwork, createRandom, query } from "../model/mod.ts";
import { trainEpoch } from "../training/mod.ts";

/** --quick: the same experiments on the first 5,000 training and 1,000 test records (under 3 minutes on 2 cores). */
export const QUICK_LIMITS = { limitTrain: 5000, limitTest: 1000 } as const;

/** The book's 100-record training file and 10-record test file (committed in data/). */
const SMALL_DATA = {
  train: new URL("../../data/mnist_train_100.csv", import.meta.url),
  test: new URL("../../data/mnist_test_10.csv", import.meta.url),
};

/** What to reproduce. */
export interface ReproduceOptions {
  seeds: readonly number[];
  quick: boolean;
  /** experiment ids (all when absent) */
  only?: readonly string[];
  /** threads per training */
  threads: number;
}

/** One training the report needs: its settings (epochs: the most any point reads) and its identity. */
export interface PlannedTraining {
  /** the settings that decide its weights, epochs left out: trainings with the same key share */
  key: string;
  settings: Settings;
}

/** One measured point: an experiment's line at an x value for one seed, read from a training's history. */
export interface PlannedPoint {
  experiment: string;
  line: number;
  x: number | null;
  seed: number;
  key: string;
  /** the epoch whose performance is the point */
  epoch: number;
}

/** The settings that decide a training's weights (what `key` is made of), in SETTINGS order. */
const IDENTITY: readonly SettingKey[] = (Object.keys(SETTINGS) as SettingKey[])
  .filter((key) => !["epochs", "threads", "kernels", "name"].includes(key));

/** A training's identity: every setting that changes its numbers, epochs excepted. */
export function trainingKey(settings: Settings): string {
  return JSON.stringify(IDENTITY.map((key) => [key, settings[key] ?? null]));
}

/** The experiments `only` names (all without it); an unknown id is an error naming the known ones. */
export function selectExperiments(only?: readonly string[]): {
  experiments: BookExperiment[];
  singleLayer: SingleLayerExperiment | null;
} {
  const known = [...BOOK_EXPERIMENTS.map((e) => e.id), SINGLE_LAYER_EXPERIMENT.id];
  const unknown = (only ?? []).filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    throw new RangeError(`unknown experiment "${unknown[0]}": expected some of ${known.join(", ")}`);
  }
  const wanted = (id: string) => only === undefined || only.includes(id);
  return {
    experiments: BOOK_EXPERIMENTS.filter((experiment) => wanted(experiment.id)),
    singleLayer: wanted(SINGLE_LAYER_EXPERIMENT.id) ? SINGLE_LAYER_EXPERIMENT : null,
  };
}

/** A line's settings at one x value for one seed (data limits from --quick, small-set files kept). */
function pointSettings(
  experiment: BookExperiment,
  line: number,
  x: number | null,
  seed: number,
  options: ReproduceOptions,
): Settings {
  const settings = defaultSettings({ ...experiment.lines[line].settings, seed, threads: options.threads });
  // a fixed line (the book's "without rotations") is the same training at every x: drawn flat
  if (experiment.vary && x !== null && !experiment.lines[line].fixed) {
    const key = SWEEP_SETTINGS[experiment.vary.parameter];
    (settings as Record<SettingKey, unknown>)[key] = key === "hidden" ? [x] : x;
  }
  if (experiment.smallData) {
    settings.train = decodeURIComponent(SMALL_DATA.train.pathname);
    settings.test = decodeURIComponent(SMALL_DATA.test.pathname);
  } else if (options.quick) {
    settings.limitTrain = QUICK_LIMITS.limitTrain;
    settings.limitTest = QUICK_LIMITS.limitTest;
  }
  return settings;
}

/** Every point of `experiments` and the fewest trainings that give them all. */
export function planReproduction(
  experiments: readonly BookExperiment[],
  options: ReproduceOptions,
): { trainings: PlannedTraining[]; points: PlannedPoint[] } {
  const trainings = new Map<string, Settings>();
  const points: PlannedPoint[] = [];
  for (const experiment of experiments) {
    const xs = experiment.vary?.values ?? [null];
    experiment.lines.forEach((_, line) => {
      for (const x of xs) {
        for (const seed of options.seeds) {
          const settings = pointSettings(experiment, line, x, seed, options);
          const key = trainingKey(settings);
          const planned = trainings.get(key);
          if (!planned || planned.epochs < settings.epochs) trainings.set(key, settings);
          points.push({ experiment: experiment.id, line, x, seed, key, epoch: settings.epochs });
        }
      }
    });
  }
  return { trainings: [...trainings].map(([key, settings]) => ({ key, settings })), points };
}

/**
 * Where a published figure stands against our lowest–highest over seeds, both rounded as
 * the figure is printed: the book prints four decimals, the blog 0.1% (97.9% stands for
 * anything that rounds to it), and 0.9473 "equals" 0.94730000001.
 */
export function verdict(figure: number, ours: Spread): Verdict {
  const decimals = Math.min(4, (String(figure).split(".")[1] ?? "").length);
  const value = Number(figure.toFixed(decimals)),
    low = Number(ours.min.toFixed(decimals)),
    high = Number(ours.max.toFixed(decimals));
  if (value > high) return "book higher";
  if (value < low) return "book lower";
  return "inside our spread";
}

/** The figures of a line, each with the spread of the point it belongs to and its verdict. */
function judge(published: readonly PublishedFigure[], points: readonly ReportPoint[], comparable: boolean) {
  return published.flatMap((figure) => {
    const point = figure.at === "best"
      ? points.reduce((best, p) => (p.performance.mean > best.performance.mean ? p : best))
      : points.find((p) => (figure.at === undefined ? true : p.x === figure.at));
    if (!point) return [];
    return [{
      ...figure,
      x: point.x,
      ours: point.performance,
      verdict: comparable ? verdict(figure.value, point.performance) : "reduced data" as const,
    }];
  });
}

/** Settings of a line written for a reader, as the flags spell them: what differs from the defaults. */
function describeSettings(settings: Partial<Settings>): string {
  return (Object.keys(settings) as SettingKey[])
    .map((key) => `${SETTINGS[key].flag} ${formatSetting(key, settings[key] as never)}`).join(", ");
}

/** An experiment's report section from the finished trainings. */
export function summariseExperiment(
  experiment: BookExperiment,
  points: readonly PlannedPoint[],
  results: ReadonlyMap<string, KeptTraining>,
  /** false when measured on less data than the book (--quick): figures get no verdict */
  comparable: boolean,
): ReportExperiment {
  const lines: ReportLine[] = experiment.lines.map((line, index) => {
    const mine = points.filter((p) => p.experiment === experiment.id && p.line === index);
    const xs = [...new Set(mine.map((p) => p.x))];
    const reportPoints: ReportPoint[] = xs.map((x) => {
      const runs = mine.filter((p) => p.x === x).map((p) => {
        const result = results.get(p.key);
        if (!result || result.performance.length < p.epoch) {
          throw new RangeError(`no training result for ${experiment.id} at ${x}, seed ${p.seed}`);
        }
        return { seed: p.seed, performance: result.performance[p.epoch - 1] };
      });
      return { x, performance: spread(runs.map((run) => run.performance)), runs };
    });
    // the line's trainings' times (a fixed line's one training counted once per seed)
    const keys = [...new Map(mine.map((p) => [p.key, p])).values()];
    const seconds = spread(keys.map((p) => results.get(p.key)!.seconds));
    return {
      label: line.label,
      settings: describeSettings(line.settings),
      points: reportPoints,
      published: judge(line.published, reportPoints, comparable),
      seconds,
      ...(line.times ? { times: line.times } : {}),
    };
  });
  return {
    id: experiment.id,
    title: experiment.title,
    source: experiment.source,
    note: experiment.note ?? "",
    parameter: experiment.vary?.parameter ?? null,
    lines,
  };
}

/** The single-layer section from its curve per seed (accuracy at each of `reportAt`). */
export function summariseSingleLayer(
  experiment: SingleLayerExperiment,
  curves: readonly { seed: number; points: { images: number; accuracy: number }[] }[],
  label: string,
  comparable: boolean,
): ReportExperiment {
  const counts = curves[0]?.points.map((p) => p.images) ?? [];
  const points: ReportPoint[] = counts.map((images, i) => {
    const runs = curves.map((curve) => ({ seed: curve.seed, performance: curve.points[i].accuracy }));
    return { x: images, performance: spread(runs.map((run) => run.performance)), runs };
  });
  return {
    id: experiment.id,
    title: experiment.title,
    source: experiment.source,
    note: experiment.note ?? "",
    parameter: "images",
    lines: [{ label, settings: label, points, published: judge(experiment.published, points, comparable) }],
  };
}

/**
 * The book's query of the first test record after the 100-record training (Part 2, In [41]),
 * for each seed: the small-set experiment's settings, trained here (100 records take
 * milliseconds), and the spread of each output node beside the book's printed outputs.
 */
export async function smallSetQuery(seeds: readonly number[]): Promise<ReportQueryOutput> {
  const experiment = BOOK_EXPERIMENTS.find((e) => e.id === BOOK_QUERY_OUTPUT.experiment)!;
  const [train, test] = await Promise.all([
    loadDataset(decodeURIComponent(SMALL_DATA.train.pathname)),
    loadDataset(decodeURIComponent(SMALL_DATA.test.pathname)),
  ]);
  const outputs = seeds.map((seed) => {
    const settings = pointSettings(experiment, 0, null, seed, { seeds, quick: false, threads: 1 });
    const net = createNetwork({
      layers: [PIXELS, ...settings.hidden, LABELS],
      learningRate: settings.learningRate,
      init: settings.init,
      precision: settings.precision,
      random: createRandom(seed),
    });
    for (let epoch = 0; epoch < settings.epochs; epoch++) trainEpoch(net, train);
    return query(net, scaleInputs(test, BOOK_QUERY_OUTPUT.record, new Float64Array(PIXELS)));
  });
  const { experiment: id, record, label, source, provenance, quote } = BOOK_QUERY_OUTPUT;
  return {
    experiment: id,
    record,
    label,
    outputs: [...BOOK_QUERY_OUTPUT.outputs],
    source,
    provenance,
    quote,
    ours: BOOK_QUERY_OUTPUT.outputs.map((_, node) => spread(outputs.map((values) => values[node]))),
  };
}
