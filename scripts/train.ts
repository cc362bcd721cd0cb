/**
 * Train the book's network and save the run.
 *
 *   deno task train                                          # 784-200-10, lr 0.1, 5 epochs, full MNIST
 *   deno run -A scripts/train.ts --hidden 100 --lr 0.3 --epochs 1
 *   deno run -A scripts/train.ts --rotate 10 --lr 0.01 --epochs 10   # the book's rotated copies
 *   deno run -A scripts/train.ts --train data/mnist_train_100.csv --test data/mnist_test_10.csv
 *   deno task train --preset beyond                          # beyond the book: docs/beyond.md
 *
 * @module
 */
import { InputError } from "../core/errors.ts";
import { checkWritableFolder, removeEpochLeftovers, removeStaleLeftovers } from "../core/store/mod.ts";
import { createLiveWriter, removeDeadLiveFiles } from "../core/jobs/mod.ts";
import {
  type CommandSpec,
  createProgressBar,
  formatSeconds,
  parseFlags,
  printJson,
  runMain,
  settingFlags,
  settingsFromFlags,
  stringFlag as flag,
} from "./support.ts";
import { startTraining, StatusTracker, type TrainingJob } from "../core/jobs/mod.ts";
import { BEYOND_KEYS, type SettingKey, SETTINGS, type Settings } from "../core/settings.ts";
import { type PresetName, PRESETS } from "../core/experiments/mod.ts";
import { resumeJob, trainingJob } from "../core/jobs/mod.ts";

/** Where runs go unless told otherwise (relative to the current directory). */
export const DEFAULT_RUNS_DIR = "data/runs";

/** The training settings train takes (their defaults, ranges and help: core/settings.ts). */
const SETTING_KEYS: readonly SettingKey[] = [
  "hidden",
  "learningRate",
  "epochs",
  "seed",
  "init",
  "activation",
  "rotate",
  "rotateOrder",
  "precision",
  "kernels",
  "train",
  "test",
  "limitTrain",
  "limitTest",
  "name",
  "threads",
  "trainAccuracy",
  ...BEYOND_KEYS,
];

export const SPEC: CommandSpec = {
  usage: "train [flags]",
  summary:
    "Train the book's network on MNIST (or your CSV/IDX files), score it after every epoch, save the run.",
  flags: {
    ...settingFlags(SETTING_KEYS),
    "init-weights": flag("start from DIR/weights_0.npy, weights_1.npy, …", "DIR"),
    resume: flag("continue an interrupted run from its last finished epoch (its own settings)", "RUN"),
    "runs-dir": flag("where runs are saved", "DIR", DEFAULT_RUNS_DIR),
    preset: flag(
      `start from a recipe's settings (flags given beside it win): ${
        Object.keys(PRESETS).join(", ")
      } — beyond: the ladder's top, docs/beyond.md`,
      "NAME",
    ),
    "backquery-every-epoch": { type: "boolean", description: "save the ten brain scans after every epoch" },
    json: { type: "boolean", description: "print one JSON object on stdout (progress stays on stderr)" },
  },
};

/** Train, print, save. */
export async function main(args: string[]): Promise<number | void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const runsDir = String(flags["runs-dir"]);
  const json = Boolean(flags.json);
  const say = json ? console.error : console.log;
  let job: TrainingJob;
  if (flags.resume !== undefined) {
    // a resumed run goes on with its own settings: a setting given with --resume would be ignored, so refuse it
    const given = SETTING_KEYS.filter((key) => key !== "threads").map((key) => SETTINGS[key].flag)
      .filter((flag) => args.some((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`)))
      .concat(flags.preset !== undefined ? ["preset"] : []);
    if (given.length > 0) {
      throw new InputError(
        `--resume continues the run with its own settings: leave out --${given.join(", --")} ` +
          `(or start a new run without --resume)`,
      );
    }
    job = {
      ...(await resumeJob(String(flags.resume))),
      threads: settingsFromFlags(flags, ["threads"]).threads,
    };
  } else {
    const settings = settingsFromFlags(flags, SETTING_KEYS, presetSettings(flags.preset));
    job = trainingJob(settings, {
      initWeights: flags["init-weights"] === undefined ? null : String(flags["init-weights"]),
      save: { runsDir, name: settings.name },
      backQueryEveryEpoch: Boolean(flags["backquery-every-epoch"]),
    });
    await checkWritable(runsDir);
  }
  const { layers, epochs, learningRate, precision, rotate } = job.config;

  // Training runs on a Worker so that Ctrl-C (SIGINT) or SIGTERM is handled at once: the
  // epochs finished so far are already checkpointed; the one under way is dropped.
  const bar = createProgressBar("training");
  let checkpoint: { directory: string; epoch: number; status: string } | undefined;
  let interrupted = false;
  // the dashboard's live view of this training: <runs>/.live/<pid>.json while it runs
  const liveDir = job.resume
    ? job.resume.replace(/\/+$/, "").split("/").slice(0, -1).join("/") || "."
    : runsDir;
  for (const path of await removeDeadLiveFiles(liveDir)) {
    console.error(`removed ${path}, left by a stopped training`);
  }
  const tracker = new StatusTracker(epochs, { scans: job.backQueryEveryEpoch });
  const live = createLiveWriter(
    liveDir,
    `${layers.join("-")}, lr ${learningRate}, ${epochs} epoch${epochs === 1 ? "" : "s"}${
      rotate > 0 ? `, ±${rotate}°` : ""
    } on ${job.train}${job.resume ? ` (resuming ${job.resume})` : ""}`,
  );
  const training = startTraining(job, (message) => {
    if (tracker.handle(message)) live.update(tracker.status, message.type !== "progress");
    if (message.type === "progress") bar.update(message.done, message.total);
    if (message.type === "checkpoint") {
      checkpoint = { directory: message.directory, epoch: message.epoch, status: message.status };
    }
    if (message.type === "epoch") {
      bar.stop();
      const result = message.result;
      // with validation records held out, the epochs show them; the test set is shown at the end only
      const scored = result.validation !== undefined
        ? `validation ${result.validation.toFixed(4)}`
        : `performance ${result.performance.toFixed(4)}`;
      const rate = result.learningRate !== undefined ? `  lr ${formatRate(result.learningRate)}` : "";
      const trainScore = result.trainPerformance !== undefined
        ? `  training set ${result.trainPerformance.toFixed(4)}`
        : "";
      say(
        `epoch ${result.epoch}/${epochs}  ${scored}${trainScore}${rate}  ` +
          `mse ${result.meanSquaredError.toFixed(5)}  train ${formatSeconds(result.trainSeconds)}  ` +
          `test ${formatSeconds(result.testSeconds)}`,
      );
    }
  });
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  // the exit status says which signal: 128 + 2 for SIGINT, 128 + 15 for SIGTERM (the shells' convention)
  let exitStatus = 130;
  const stoppers = signals.map((signal) => {
    const stop = () => {
      interrupted = true;
      exitStatus = signal === "SIGTERM" ? 143 : 130;
      training.cancel();
    };
    Deno.addSignalListener(signal, stop);
    return { signal, stop };
  });
  say(
    (job.resume ? `Resuming ${job.resume}: ` : "") +
      `Training ${layers.join("-")}, lr ${learningRate}, ${epochs} epoch${
        epochs === 1 ? "" : "s"
      }, ${precision}, ` +
      (job.config.initWeights
        ? `weights from ${job.config.initWeights}`
        : `seed ${job.config.seed}, init ${job.config.init}`) +
      (job.config.activation && job.config.activation !== "sigmoid" ? `, ${job.config.activation}` : "") +
      (rotate > 0 ? `, rotated copies ±${rotate}°` : "") + ` — ${job.train}, tested on ${job.test}`,
  );
  let finished;
  try {
    finished = await training.finished;
  } catch (error) {
    bar.stop();
    if (!interrupted) {
      // a failure after some epochs were saved (a full disk, a data file gone): say how to go on
      if (error instanceof InputError && checkpoint?.status === "incomplete") {
        throw new InputError(
          `${error.message}; epochs 1–${checkpoint.epoch} are saved as incomplete run ${checkpoint.directory}; ` +
            `continue with: deno task train --resume ${checkpoint.directory}`,
        );
      }
      throw error;
    }
    console.error(
      checkpoint
        ? `error: interrupted during epoch ${
          checkpoint.epoch + 1
        } of ${epochs}: epochs 1–${checkpoint.epoch} are saved ` +
          `as incomplete run ${checkpoint.directory}; continue with: deno task train --resume ${checkpoint.directory}`
        : `error: interrupted during epoch 1 of ${epochs}: no epoch was finished, nothing was saved`,
    );
    return exitStatus;
  } finally {
    for (const { signal, stop } of stoppers) Deno.removeSignalListener(signal, stop);
    await live.close();
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

/** The settings of `--preset NAME` (none without it); an unknown name is an InputError listing the known. */
function presetSettings(name: unknown): Partial<Settings> {
  if (name === undefined) return {};
  if (typeof name !== "string" || !Object.hasOwn(PRESETS, name)) {
    throw new InputError(`--preset must be one of ${Object.keys(PRESETS).join(", ")}, got "${name}"`);
  }
  const { seed: _seed, threads: _threads, ...settings } = PRESETS[name as PresetName]();
  return settings;
}

/** A learning rate in at most 4 significant digits. */
function formatRate(rate: number): string {
  return String(Number(rate.toPrecision(4)));
}

/** Fail before training, not after it, when runs cannot be saved. */
async function checkWritable(runsDir: string): Promise<void> {
  await checkWritableFolder(runsDir, "save runs", "choose another folder with --runs-dir");
  for (const path of [...await removeStaleLeftovers(runsDir), ...await removeEpochLeftovers(runsDir)]) {
    console.error(`removed ${path}, left by a stopped training`);
  }
}

if (import.meta.main) await runMain(main);
