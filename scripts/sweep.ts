/**
 * The book's tuning experiments as data: one setting over a list or range of values,
 * several seeds each, run in parallel on Workers, saved as data/sweeps/<id>/sweep.json and
 * sweep.csv, printed as a table and a terminal chart.
 *
 *   deno run -A scripts/sweep.ts --param lr=0.01,0.1,0.2,0.3,0.6 --hidden 100 --epochs 1 --seeds 1,2,3
 *   deno run -A scripts/sweep.ts --param epochs=1..10 --lr 0.1
 *   deno run -A scripts/sweep.ts --param hidden=5,10,50,100,200,500
 *   deno run -A scripts/sweep.ts --param rotate=5,10,15,20,25,30,45 --lr 0.01 --epochs 5
 *
 * @module
 */
import { LABELS, PIXELS } from "../core/data/dataset.ts";
import { KERNELS, PRECISIONS } from "../core/kernels/plain.ts";
import { INIT_RULES } from "../core/model/network.ts";
import { describeMachine } from "../core/store/runs.ts";
import { parseSweepParameter, parseValues, spread, terminalChart } from "../core/experiments/sweep.ts";
import { saveSweep } from "../core/store/sweeps.ts";
import { runTrainingJobs, type TrainingJob } from "../core/training/pool.ts";
import {
  choiceFlag,
  type CommandSpec,
  formatSeconds,
  integerFlag,
  integerListFlag,
  nonNegativeNumberFlag,
  parseFlags,
  positiveNumberFlag,
  printJson,
  runMain,
  stringFlag as flag,
} from "./support.ts";
import { InputError } from "../core/errors.ts";

/** The fixed settings unless given: the book's first full run (784-100-10, one epoch), three seeds. */
const DEFAULTS = {
  hidden: "100",
  lr: "0.1",
  epochs: "1",
  rotate: "0",
  seeds: "1,2,3", // each point is trained once per seed; the spread is shown
  init: "book",
  precision: "f32",
  train: "mnist:train",
  test: "mnist:test",
  "sweeps-dir": "data/sweeps",
};

export const SPEC: CommandSpec = {
  usage: "sweep --param NAME=VALUES [flags]",
  summary:
    "Vary one setting (lr, epochs, hidden, rotate) over values, several seeds each, on all cores; save and chart.",
  flags: {
    param: flag("the setting and its values: lr=0.01,0.1 or epochs=1..10 or lr=0.1..0.5:0.1", "NAME=VALUES"),
    hidden: flag("hidden layer sizes (fixed)", "N[,N…]", DEFAULTS.hidden),
    lr: flag("learning rate (fixed)", "RATE", DEFAULTS.lr),
    epochs: flag("epochs (fixed)", "N", DEFAULTS.epochs),
    rotate: flag("rotated copies ± degrees (fixed)", "DEG", DEFAULTS.rotate),
    seeds: flag("seeds, one training each per value", "S[,S…]", DEFAULTS.seeds),
    init: flag("book | incoming", "RULE", DEFAULTS.init),
    precision: flag("f32 | f64", "P", DEFAULTS.precision),
    train: flag("training set", "SOURCE", DEFAULTS.train),
    test: flag("test set", "SOURCE", DEFAULTS.test),
    "limit-train": flag("use only the first N training records", "N"),
    "limit-test": flag("use only the first N test records", "N"),
    workers: flag("trainings at once (default: one per core)", "N"),
    name: flag("a name for the sweep (part of its id)", "TEXT"),
    "sweeps-dir": flag("where sweeps are saved", "DIR", DEFAULTS["sweeps-dir"]),
    json: { type: "boolean", description: "print one JSON object on stdout" },
  },
};

export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  if (flags.param === undefined) {
    throw new InputError("missing --param, e.g. --param lr=0.01,0.1,0.2 (see sweep --help)");
  }
  const { parameter, values } = parseSweepParameter(String(flags.param));
  const seeds = parseValues(String(flags.seeds), "--seeds");
  if (seeds.some((seed) => !Number.isSafeInteger(seed) || seed < 0)) {
    throw new InputError(`--seeds must be whole numbers ≥ 0, got "${flags.seeds}"`);
  }
  const fixed = {
    hidden: integerListFlag(flags.hidden, "hidden"),
    learningRate: positiveNumberFlag(flags.lr, "lr"),
    epochs: integerFlag(flags.epochs, "epochs"),
    rotate: nonNegativeNumberFlag(flags.rotate, "rotate"),
    init: choiceFlag(flags.init, "init", INIT_RULES),
    precision: choiceFlag(flags.precision, "precision", PRECISIONS),
  };
  const limitTrain = flags["limit-train"] === undefined
    ? undefined
    : integerFlag(flags["limit-train"], "limit-train");
  const limitTest = flags["limit-test"] === undefined
    ? undefined
    : integerFlag(flags["limit-test"], "limit-test");
  const workers = flags.workers === undefined ? undefined : integerFlag(flags.workers, "workers");
  const say = flags.json ? console.error : console.log;

  // Training is deterministic and does not depend on how many epochs follow, so an epochs
  // sweep trains each seed once for the most epochs and reads the others from its history.
  const trained = parameter === "epochs" ? [Math.max(...values)] : values;
  const jobs: TrainingJob[] = trained.flatMap((value) =>
    seeds.map((seed) => {
      const setting = {
        hidden: parameter === "hidden" ? [value] : fixed.hidden,
        learningRate: parameter === "lr" ? value : fixed.learningRate,
        epochs: parameter === "epochs" ? value : fixed.epochs,
        rotate: parameter === "rotate" ? value : fixed.rotate,
      };
      return {
        config: {
          layers: [PIXELS, ...setting.hidden, LABELS],
          learningRate: setting.learningRate,
          epochs: setting.epochs,
          rotate: setting.rotate,
          seed,
          init: fixed.init,
          rule: "book" as const,
          precision: fixed.precision,
          kernels: KERNELS[0],
          initWeights: null,
        },
        train: String(flags.train),
        test: String(flags.test),
        limitTrain,
        limitTest,
      };
    })
  );
  const cores = workers ?? navigator.hardwareConcurrency;
  say(
    `Sweeping ${parameter} over ${values.join(", ")} with seeds ${
      seeds.join(", ")
    }: ${jobs.length} trainings on ` +
      `${Math.min(cores, jobs.length)} workers. Fixed: hidden ${fixed.hidden}, lr ${fixed.learningRate}, ` +
      `epochs ${fixed.epochs}, rotate ${fixed.rotate}, init ${fixed.init}, ${fixed.precision}`,
  );
  const started = performance.now();
  const records = await runTrainingJobs(jobs, {
    workers,
    onDone(index, record, done) {
      console.error(
        `  [${done}/${jobs.length}] ${parameter} ${trained[Math.floor(index / seeds.length)]}, seed ${
          seeds[index % seeds.length]
        }: performance ${record.performance.toFixed(4)} (${formatSeconds(record.timings.trainSeconds)})`,
      );
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const points = values.map((value, v) => {
    const runs = seeds.map((seed, s) => {
      const record = parameter === "epochs" ? records[s] : records[v * seeds.length + s];
      const history = parameter === "epochs" ? record.history.slice(0, value) : record.history;
      return {
        seed,
        performance: history[history.length - 1].performance,
        history: history.map(({ epoch, performance, meanSquaredError }) => ({
          epoch,
          performance,
          meanSquaredError,
        })),
        trainSeconds: history.reduce((sum, epoch) => sum + epoch.trainSeconds, 0),
      };
    });
    return { value, performance: spread(runs.map((run) => run.performance)), runs };
  });
  const sweep = {
    format: "myonn-sweep" as const,
    version: 1 as const,
    id: "",
    name: flags.name === undefined ? "" : String(flags.name),
    createdAt: new Date().toISOString(),
    parameter,
    values,
    seeds,
    fixed: {
      ...fixed,
      train: String(flags.train),
      test: String(flags.test),
      limitTrain: limitTrain ?? null,
      limitTest: limitTest ?? null,
    },
    points,
    seconds,
    machine: describeMachine(),
  };
  const directory = await saveSweep(String(flags["sweeps-dir"]), sweep);
  const id = directory.slice(directory.lastIndexOf("/") + 1);
  if (flags.json) return printJson({ ...sweep, id, directory });
  console.log(`\n${parameter.padStart(8)} │   mean     sd      min     max`);
  for (const point of points) {
    const { mean, standardDeviation, min, max } = point.performance;
    console.log(
      `${String(point.value).padStart(8)} │ ${mean.toFixed(4)} ${standardDeviation.toFixed(4)} ${
        min.toFixed(4)
      } ${max.toFixed(4)}`,
    );
  }
  console.log(`\nperformance by ${parameter} (● mean, ├─┤ lowest to highest over ${seeds.length} seeds):`);
  console.log(terminalChart(points));
  console.log(`\n${jobs.length} trainings in ${formatSeconds(seconds)} — saved ${directory}`);
}

if (import.meta.main) await runMain(main);
