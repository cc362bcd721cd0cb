/**
 * The book, reproduced: every experiment of core/experiments/book.ts (the book's runs and
 * graphs, the author's notebooks, the single-layer tutorial) trained for several seeds on
 * all cores, our spread set beside each published figure, saved as
 * data/reproduce/<id>/report.json, report.md and one SVG chart per graph.
 *
 *   deno task reproduce                       # every experiment, seeds 1,2,3, on all cores
 *   deno task reproduce --quick               # the same table on reduced data, a few minutes
 *   deno task reproduce --only rotations-one-epoch,hidden-nodes --seeds 1,2,3,4,5
 *   deno task reproduce --json
 *
 * Finished trainings are kept in data/reproduce/trainings/: interrupted, it keeps them, and
 * the same command again resumes; points that share a training (the epochs graph) train once.
 *
 * @module
 */
import { InputError } from "../core/errors.ts";
import {
  BOOK_QUERY_OUTPUT,
  createSingleLayer,
  EXPERIMENT_IDS,
  experimentChartSvg,
  type KeptTraining,
  parseValues,
  type PlannedTraining,
  planReproduction,
  QUICK_LIMITS,
  reportMarkdown,
  reportTable,
  type ReproduceOptions,
  selectExperiments,
  singleLayerCurve,
  smallSetQuery,
  summariseExperiment,
  summariseSingleLayer,
} from "../core/experiments/mod.ts";
import { limitDataset, loadDataset } from "../core/data/mod.ts";
import { createRandom } from "../core/model/mod.ts";
import { trainingJob } from "../core/jobs/mod.ts";
import { runTrainingJobs } from "../core/jobs/mod.ts";
import { describeMachine, readTextFile, replaceFile } from "../core/store/mod.ts";
import { checkWritableFolder, removeStaleLeftovers } from "../core/store/mod.ts";
import {
  loadKeptTraining,
  type ReproduceReport,
  saveKeptTraining,
  saveReport,
} from "../core/experiments/mod.ts";
import {
  type CommandSpec,
  formatSeconds,
  integerFlag,
  parseFlags,
  printJson,
  runMain,
  stringFlag as flag,
} from "./support.ts";

/** The single-layer tutorial's step size (see scripts/single_layer.ts: not printed where we could read it). */
const SINGLE_LAYER_ALPHA = 0.01;

/** Where the README's copy of the table goes (between these lines), with --readme. */
export const README_BEGIN = "<!-- reproduce:begin -->";
export const README_END = "<!-- reproduce:end -->";

export const SPEC: CommandSpec = {
  usage: "reproduce [flags]",
  summary: "Run the book's experiments for several seeds and set our spread beside each published figure.",
  flags: {
    quick: {
      type: "boolean",
      description: "the same experiments on the first 5,000 training and 1,000 test records",
    },
    only: flag(`these experiments only: ${EXPERIMENT_IDS.join(", ")}`, "ID[,ID…]"),
    seeds: flag("seeds, one training each per point", "S[,S…]", "1,2,3"),
    threads: flag("threads per training", "N", "1"),
    workers: flag("trainings at once (default: the cores divided by --threads)", "N"),
    name: flag("the report's folder name (default: quick or full)", "TEXT"),
    "out-dir": flag("where reports and kept trainings go", "DIR", "data/reproduce"),
    readme: flag("also write the table into this README between its reproduce markers", "FILE"),
    json: { type: "boolean", description: "print the report as one JSON object on stdout" },
  },
};

export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const seeds = parseValues(String(flags.seeds), "--seeds");
  if (seeds.some((seed) => !Number.isSafeInteger(seed) || seed < 0)) {
    throw new InputError(`--seeds must be whole numbers ≥ 0, got "${flags.seeds}"`);
  }
  const only = flags.only === undefined ? undefined : String(flags.only).split(",").map((id) => id.trim());
  let selected: ReturnType<typeof selectExperiments>;
  try {
    selected = selectExperiments(only);
  } catch (error) {
    throw new InputError(`--only: ${(error as Error).message}`);
  }
  const threads = integerFlag(flags.threads, "--threads");
  const workers = flags.workers === undefined
    ? Math.max(1, Math.floor(navigator.hardwareConcurrency / threads))
    : integerFlag(flags.workers, "--workers");
  const options: ReproduceOptions = { seeds, quick: Boolean(flags.quick), only, threads };
  const outDir = String(flags["out-dir"]);
  const id = flags.name === undefined ? (options.quick ? "quick" : "full") : String(flags.name);
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,100}$/.test(id) || id === "trainings") {
    throw new InputError(`--name "${id}" must be letters, digits, . _ - (and not "trainings")`);
  }
  const say = flags.json ? console.error : console.log;
  const started = performance.now();
  // before any training: a folder that cannot be written would lose them all
  await checkWritableFolder(`${outDir}/trainings`, "keep trainings", "choose another folder with --out-dir");
  for (const path of await removeStaleLeftovers(`${outDir}/trainings`)) {
    console.error(`removed ${path}, left by a stopped reproduction`);
  }

  // the trainings: those kept from an earlier reproduction, and the rest to run
  const { trainings, points } = planReproduction(selected.experiments, options);
  const results = new Map<string, KeptTraining>();
  const missing: PlannedTraining[] = [];
  for (const training of trainings) {
    const kept = await loadKeptTraining(outDir, training.key, training.settings.epochs);
    if (kept) results.set(training.key, kept);
    else missing.push(training);
  }
  say(
    `Reproducing ${selected.experiments.length + (selected.singleLayer ? 1 : 0)} experiments, seeds ${
      seeds.join(", ")
    }${
      options.quick ? `, on ${QUICK_LIMITS.limitTrain} training / ${QUICK_LIMITS.limitTest} test records` : ""
    }: ${trainings.length} trainings, ${results.size} kept from before, ${missing.length} to run on ${
      Math.min(workers, missing.length || 1)
    } workers.`,
  );
  // which experiments each training serves, for the progress lines
  const servedBy = new Map<string, string[]>();
  for (const point of points) {
    const ids = servedBy.get(point.key) ?? [];
    if (!ids.includes(point.experiment)) ids.push(point.experiment);
    servedBy.set(point.key, ids);
  }
  // longest first: the last minutes are not spent waiting for one long training
  missing.sort((a, b) => cost(b.settings) - cost(a.settings));
  const totalCost = missing.reduce((sum, t) => sum + cost(t.settings), 0);
  let doneCost = 0;
  const saving: Promise<void>[] = [];
  let exitStatus = 130;
  const onInterrupt = async () => {
    await Promise.allSettled(saving); // a training being written is kept whole
    console.error(
      `\nstopped: ${results.size} of ${trainings.length} trainings are kept in ${outDir}/trainings; run the same command again to resume`,
    );
    Deno.exit(exitStatus);
  };
  // 128 + the signal's number: 130 for Ctrl-C, 143 for SIGTERM
  const onTerminate = () => {
    exitStatus = 143;
    onInterrupt();
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", onTerminate);
  try {
    await runTrainingJobs(missing.map((training) => trainingJob(training.settings)), {
      workers,
      onDone(index, record, done) {
        const training = missing[index];
        const result: KeptTraining = {
          key: training.key,
          epochs: record.history.length,
          performance: record.history.map((epoch) => epoch.performance),
          seconds: record.timings.totalSeconds,
        };
        results.set(training.key, result);
        // awaited after the pool (a failure then reported once, as one line)
        const saved = saveKeptTraining(outDir, result);
        saved.catch(() => {});
        saving.push(saved);
        doneCost += cost(training.settings);
        const elapsed = (performance.now() - started) / 1000;
        const left = elapsed / doneCost * (totalCost - doneCost);
        console.error(
          `  [${done}/${missing.length}] ${servedBy.get(training.key)!.join(", ")} — ${
            describe(training.settings)
          }: ${result.performance.at(-1)!.toFixed(4)} (${formatSeconds(result.seconds)}) — about ${
            formatSeconds(left)
          } left`,
        );
      },
    });
  } finally {
    await Promise.all(saving); // what finished is kept, even when another training failed
    Deno.removeSignalListener("SIGINT", onInterrupt);
    if (Deno.build.os !== "windows") Deno.removeSignalListener("SIGTERM", onTerminate);
  }

  const experiments = selected.experiments.map((experiment) =>
    summariseExperiment(experiment, points, results, !options.quick || Boolean(experiment.smallData))
  );
  if (selected.singleLayer) {
    const limit = options.quick ? QUICK_LIMITS : undefined;
    const train = limitDataset(await loadDataset("mnist:train"), limit?.limitTrain);
    const test = limitDataset(await loadDataset("mnist:test"), limit?.limitTest);
    const reportAt = selected.singleLayer.reportAt.filter((n) => n <= train.count);
    if (!reportAt.includes(train.count)) reportAt.push(train.count);
    const curves = seeds.map((seed) => {
      const curve = singleLayerCurve(createSingleLayer(SINGLE_LAYER_ALPHA, createRandom(seed)), {
        train,
        test,
        reportAt,
      });
      console.error(
        `  single layer, seed ${seed}: ${curve.at(-1)!.accuracy.toFixed(4)} after ${train.count} images`,
      );
      return { seed, points: curve };
    });
    experiments.push(
      summariseSingleLayer(
        selected.singleLayer,
        curves,
        `alpha ${SINGLE_LAYER_ALPHA}, uniform 0…1 start`,
        !options.quick,
      ),
    );
  }

  const queryOutput = selected.experiments.some((e) => e.id === BOOK_QUERY_OUTPUT.experiment)
    ? await smallSetQuery(seeds)
    : undefined;
  const files: Record<string, string> = {};
  for (const experiment of experiments) {
    const svg = experimentChartSvg(experiment);
    if (svg) {
      experiment.chart = `${experiment.id}.svg`;
      files[experiment.chart] = svg;
    }
  }
  const report: ReproduceReport = {
    format: "myonn-reproduce",
    version: 1,
    id,
    createdAt: new Date().toISOString(),
    command: ["deno task reproduce", ...args.filter((arg) => !arg.startsWith("--json"))].join(" "),
    quick: options.quick,
    seeds,
    limits: options.quick ? { ...QUICK_LIMITS } : null,
    seconds: (performance.now() - started) / 1000,
    trained: missing.length,
    reused: trainings.length - missing.length,
    trainingSeconds: trainings.reduce((sum, t) => sum + (results.get(t.key)?.seconds ?? 0), 0),
    machine: describeMachine(),
    experiments,
    ...(queryOutput ? { queryOutput } : {}),
  };
  files["report.md"] = reportMarkdown(report);
  const folder = await saveReport(outDir, report, files);
  if (flags.readme !== undefined) await writeReadme(String(flags.readme), report);
  if (flags.json) return printJson({ ...report, folder });
  say(`\n${reportTable(experiments)}\n`);
  say(`${report.trained} trainings in ${formatSeconds(report.seconds)} — saved ${folder}/report.md`);
}

/** Roughly how long a training takes, in records seen: for the time left and the order. */
function cost(settings: { epochs: number; rotate: number; hidden: number[]; limitTrain?: number }): number {
  const records = (settings.limitTrain ?? 60000) * (settings.rotate > 0 ? 6 : 1); // dense rotated copies cost ~3× more each
  return settings.epochs * records * (settings.hidden.reduce((a, b) => a + b, 0) + 20);
}

/** A training for the progress line. */
function describe(
  settings: { hidden: number[]; learningRate: number; epochs: number; rotate: number; seed: number },
) {
  return `${settings.hidden.join("-")} hidden, lr ${settings.learningRate}, ${settings.epochs} epoch${
    settings.epochs === 1 ? "" : "s"
  }${settings.rotate ? `, ±${settings.rotate}°` : ""}, seed ${settings.seed}`;
}

/** Put the report's table into a README between its markers (which must be there). */
async function writeReadme(path: string, report: ReproduceReport): Promise<void> {
  const text = await readTextFile(path);
  const begin = text.indexOf(README_BEGIN), end = text.indexOf(README_END);
  if (begin < 0 || end < begin) {
    throw new InputError(`${path} has no ${README_BEGIN} … ${README_END} lines to put the table between`);
  }
  const block = `${README_BEGIN}\n\n${readmeBlock(report)}\n\n`;
  await replaceFile(path, text.slice(0, begin) + block + text.slice(end));
}

/** What the README shows of a report: where it came from and its table. */
export function readmeBlock(report: ReproduceReport): string {
  return `From \`${report.command}\` on ${report.createdAt.slice(0, 10)} (seeds ${report.seeds.join(", ")}, ${
    report.limits ? `first ${report.limits.limitTrain} / ${report.limits.limitTest} records` : "full MNIST"
  }; the trainings took ${Math.round(report.trainingSeconds / 60)} min of one core's time here):\n\n${
    reportTable(report.experiments)
  }`;
}

if (import.meta.main) await runMain(main);
