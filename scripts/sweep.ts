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
import { InputError } from "../core/errors.ts";
import {
  parseSweepParameter,
  parseValues,
  planSweep,
  runSweep,
  SWEEP_KEYS,
  SWEEP_SETTINGS,
  terminalChart,
} from "../core/experiments/mod.ts";
import { formatSetting, type Settings } from "../core/settings.ts";
import { checkWritableFolder, removeStaleLeftovers } from "../core/store/mod.ts";
import { saveSweep } from "../core/experiments/mod.ts";
import {
  type CommandSpec,
  formatSeconds,
  integerFlag,
  parseFlags,
  printJson,
  runMain,
  settingFlags,
  settingsFromFlags,
  stringFlag as flag,
} from "./support.ts";

/** The settings a sweep holds fixed (or varies, with --param). */
const SETTING_KEYS = SWEEP_KEYS;

/**
 * Unless given: the book's first full run (784-100-10, one epoch), quick enough to repeat per
 * seed, one thread per training (trainings side by side use the cores without a barrier).
 */
const SWEEP_DEFAULTS: Partial<Settings> = { hidden: [100], epochs: 1, threads: 1 };

export const SPEC: CommandSpec = {
  usage: "sweep --param NAME=VALUES [flags]",
  summary:
    "Vary one setting (lr, epochs, hidden, rotate) over values, several seeds each, on all cores; save and chart.",
  flags: {
    param: flag("the setting and its values: lr=0.01,0.1 or epochs=1..10 or lr=0.1..0.5:0.1", "NAME=VALUES"),
    ...settingFlags(SETTING_KEYS, SWEEP_DEFAULTS),
    seeds: flag("seeds, one training each per value", "S[,S…]", "1,2,3"),
    workers: flag("trainings at once (default: the cores divided by --threads)", "N"),
    name: flag("a name for the sweep (part of its id)", "TEXT"),
    "sweeps-dir": flag("where sweeps are saved", "DIR", "data/sweeps"),
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
  const fixed = settingsFromFlags(flags, SETTING_KEYS, SWEEP_DEFAULTS);
  // the cores shared out: trainings at once × threads each ≤ cores
  const workers = flags.workers === undefined
    ? Math.max(1, Math.floor(navigator.hardwareConcurrency / fixed.threads))
    : integerFlag(flags.workers, "workers");
  const say = flags.json ? console.error : console.log;
  const { jobs, trained } = planSweep({ parameter, values, seeds }, fixed);
  const cores = workers ?? navigator.hardwareConcurrency;
  // what was fixed: every setting but the one varied (data limits included)
  const fixedKeys = SETTING_KEYS.filter((key) => key !== SWEEP_SETTINGS[parameter]);
  const described = fixedKeys.filter((key) => fixed[key] !== undefined)
    .map((key) => `${key} ${formatSetting(key, fixed[key] as never)}`).join(", ");
  say(
    `Sweeping ${parameter} over ${values.join(", ")} with seeds ${
      seeds.join(", ")
    }: ${jobs.length} trainings ` +
      `on ${Math.min(cores, jobs.length)} workers. Fixed: ${described}`,
  );
  // before any training: a folder that cannot be written would lose them all
  await checkWritableFolder(
    String(flags["sweeps-dir"]),
    "save sweeps",
    "choose another folder with --sweeps-dir",
  );
  for (const path of await removeStaleLeftovers(String(flags["sweeps-dir"]))) {
    console.error(`removed ${path}, left by a stopped sweep`);
  }
  const sweep = await runSweep(
    { parameter, values, seeds, name: flags.name === undefined ? "" : String(flags.name) },
    fixed,
    {
      workers,
      onDone(index, record, done) {
        console.error(
          `  [${done}/${jobs.length}] ${parameter} ${trained[Math.floor(index / seeds.length)]}, seed ${
            seeds[index % seeds.length]
          }: performance ${record.performance.toFixed(4)} (${formatSeconds(record.timings.trainSeconds)})`,
        );
      },
    },
  );
  const { points, seconds } = sweep;
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
