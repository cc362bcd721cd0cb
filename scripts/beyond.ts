/**
 * Beyond the book: the ladder from the book's network to `train --preset beyond`, one rung at
 * a time (core/experiments/beyond.ts), each for several seeds with the last 10,000 training
 * records held out. Writes <out>/<id>/report.json, report.md and ladder.svg.
 *
 *   deno task beyond                       # every rung, seeds 1,2,3, on all cores
 *   deno task beyond --quick               # the same ladder on 6,000 records, at most 8 epochs
 *   deno task beyond --json
 *
 * Every training is saved as a run in --runs-dir (named beyond-<rung>-s<seed>): interrupted,
 * the same command again keeps the finished ones and resumes none of the others half-way.
 *
 * @module
 */
import { InputError } from "../core/errors.ts";
import {
  BEYOND_BEGIN,
  BEYOND_END,
  BEYOND_VALIDATION,
  beyondBlock,
  beyondChartSvg,
  type BeyondReport,
  type BeyondRun,
  beyondTable,
  BOOK_BEST,
  KEEP_MARGIN,
  keptDisagreements,
  LADDER,
  ladderSettings,
  parseValues,
  presetIndex,
  presetRungOf,
  QUICK_BEYOND,
  rungRun,
  saveBeyondReport,
  summariseRung,
} from "../core/experiments/mod.ts";
import { runTrainingJobs, trainingJob } from "../core/jobs/mod.ts";
import type { Settings } from "../core/settings.ts";
import {
  checkWritableFolder,
  describeMachine,
  loadRun,
  readRunRecord,
  readTextFile,
  replaceFile,
  type RunConfig,
  runIds,
  runNetwork,
  type RunRecord,
} from "../core/store/mod.ts";
import { PIXELS, scalePixels } from "../core/data/mod.ts";
import { query } from "../core/model/mod.ts";
import { imageInput } from "./query.ts";
import {
  type CommandSpec,
  formatSeconds,
  integerFlag,
  parseFlags,
  printJson,
  runMain,
  stringFlag as flag,
} from "./support.ts";

/** The project's own handwriting, with each image's digit (manifest.json). */
const OWN_IMAGES = new URL("../data/own/", import.meta.url);

export const SPEC: CommandSpec = {
  usage: "beyond [flags]",
  summary: "Climb from the book's network to the preset, one change at a time, for several seeds.",
  flags: {
    quick: {
      type: "boolean",
      description:
        `the same ladder on the first ${QUICK_BEYOND.limitTrain.toLocaleString("en")} training records ` +
        `(${QUICK_BEYOND.validation.toLocaleString("en")} held out), ${
          QUICK_BEYOND.limitTest.toLocaleString("en")
        } ` +
        `test, at most ${QUICK_BEYOND.maxEpochs} epochs`,
    },
    seeds: flag("seeds, one training each per rung", "S[,S…]", "1,2,3"),
    only: flag(`these rungs only: ${LADDER.map((rung) => rung.id).join(", ")}`, "ID[,ID…]"),
    threads: flag("threads per training", "N", "1"),
    workers: flag("trainings at once (default: the cores divided by --threads)", "N"),
    name: flag("the report's folder name (default: quick or full)", "TEXT"),
    "out-dir": flag("where reports go", "DIR", "data/beyond"),
    "runs-dir": flag("where the trainings are saved as runs", "DIR", "data/beyond/runs"),
    readme: flag(
      `also write the ladder's block into these files between their ${BEYOND_BEGIN} markers`,
      "FILE[,FILE…]",
    ),
    json: { type: "boolean", description: "print the report as one JSON object on stdout" },
  },
};

/** One training of the ladder. */
interface Planned {
  rung: number;
  seed: number;
  settings: Settings;
  name: string;
}

export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const quick = Boolean(flags.quick);
  const seeds = parseValues(String(flags.seeds), "--seeds");
  if (seeds.some((seed) => !Number.isSafeInteger(seed) || seed < 0)) {
    throw new InputError(`--seeds must be whole numbers ≥ 0, got "${flags.seeds}"`);
  }
  const threads = integerFlag(flags.threads, "threads");
  const workers = flags.workers === undefined
    ? Math.max(1, Math.floor(navigator.hardwareConcurrency / threads))
    : integerFlag(flags.workers, "workers");
  const id = flags.name === undefined ? (quick ? "quick" : "full") : String(flags.name);
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,100}$/.test(id) || id === "runs") {
    throw new InputError(`--name "${id}" must be letters, digits, . _ - (and not "runs")`);
  }
  const outDir = String(flags["out-dir"]), runsDir = String(flags["runs-dir"]);
  const say = flags.json ? console.error : console.log;
  const started = performance.now();
  await checkWritableFolder(outDir, "write the report", "choose another folder with --out-dir");
  await checkWritableFolder(runsDir, "save the trainings", "choose another folder with --runs-dir");

  const all = ladderSettings();
  const only = flags.only === undefined ? undefined : String(flags.only).split(",").map((id) => id.trim());
  const unknown = only?.filter((id) => !LADDER.some((rung) => rung.id === id));
  if (unknown && unknown.length > 0) {
    throw new InputError(
      `--only: no rung "${unknown[0]}"; the rungs are ${LADDER.map((rung) => rung.id).join(", ")}`,
    );
  }
  const chosen = LADDER.map((_, i) => i).filter((i) => !only || only.includes(LADDER[i].id));
  const planned: Planned[] = chosen.flatMap((i) =>
    seeds.map((seed) => ({
      rung: i,
      seed,
      settings: { ...rungRun(all[i], { seed, quick }), threads },
      name: `beyond-${quick ? "quick-" : ""}${LADDER[i].id}-s${seed}`,
    }))
  );
  const kept = await keptRuns(runsDir, planned);
  const missing = planned.filter((training) => !kept.has(training.name));
  say(
    `The ladder: ${chosen.length} rungs × ${seeds.length} seeds${
      quick ? `, on ${QUICK_BEYOND.limitTrain.toLocaleString("en")} training records` : ""
    }: ${planned.length - missing.length} kept from before, ${missing.length} to train on ${
      Math.min(workers, missing.length || 1)
    } workers.`,
  );
  // longest first: the last minutes are not spent waiting for one long training
  missing.sort((a, b) => cost(b.settings) - cost(a.settings));
  await runTrainingJobs(
    missing.map((training) => trainingJob(training.settings, { save: { runsDir, name: training.name } })),
    {
      workers,
      onDone(index, record, done) {
        const training = missing[index];
        const last = record.history.at(-1)!;
        console.error(
          `  [${done}/${missing.length}] ${LADDER[training.rung].id}, seed ${training.seed}: validation ${
            last.validation?.toFixed(4)
          } (${formatSeconds(record.timings.totalSeconds)})`,
        );
      },
    },
  );

  const found = await keptRuns(runsDir, planned);
  const presetRung = presetIndex();
  const rungs = [];
  for (const i of chosen) {
    const rung = LADDER[i];
    const runs: BeyondRun[] = [];
    for (const training of planned.filter((t) => t.rung === i)) {
      const directory = found.get(training.name);
      if (!directory) throw new Error(`the training ${training.name} was not saved in ${runsDir}`);
      const record = await readRunRecord(directory);
      // the book's network and the preset also read the project's own handwriting
      const own = i === 0 || i === presetRung
        ? await readOwnImages(directory).catch(() => undefined)
        : undefined;
      runs.push(beyondRun(record, training.seed, own));
    }
    rungs.push(summariseRung(rung, all[i], runs));
  }
  const report: BeyondReport = {
    format: "myonn-beyond",
    version: 1,
    id,
    createdAt: new Date().toISOString(),
    command: ["deno task beyond", ...args.filter((arg) => !arg.startsWith("--json"))].join(" "),
    quick,
    seeds,
    validation: quick ? QUICK_BEYOND.validation : BEYOND_VALIDATION,
    limits: quick
      ? {
        limitTrain: QUICK_BEYOND.limitTrain,
        limitTest: QUICK_BEYOND.limitTest,
        maxEpochs: QUICK_BEYOND.maxEpochs,
      }
      : null,
    seconds: (performance.now() - started) / 1000,
    trainingSeconds: rungs.reduce(
      (sum, rung) => sum + rung.runs.reduce((all, run) => all + run.seconds, 0),
      0,
    ),
    rungs,
    machine: describeMachine(),
  };
  const folder = await saveBeyondReport(outDir, report, {
    "ladder.svg": beyondChartSvg(report),
    "report.md": beyondMarkdown(report),
  });
  for (const path of flags.readme === undefined ? [] : String(flags.readme).split(",")) {
    await writeBlock(path.trim(), report);
  }
  if (flags.json) return printJson({ ...report, folder });
  say(`\n${beyondTable(report)}\n`);
  for (const line of disagreement(report)) if (line) say(line);
  say(`${missing.length} trainings in ${formatSeconds(report.seconds)} — saved ${folder}/report.md`);
}

/** Put the ladder's block between the markers of the file at `path`. */
async function writeBlock(path: string, report: BeyondReport): Promise<void> {
  const text = await readTextFile(path);
  const begin = text.indexOf(BEYOND_BEGIN), end = text.indexOf(BEYOND_END);
  if (begin < 0 || end < begin) {
    throw new InputError(`${path} has no ${BEYOND_BEGIN} … ${BEYOND_END} lines to put the ladder between`);
  }
  await replaceFile(
    path,
    `${text.slice(0, begin)}${BEYOND_BEGIN}\n\n${beyondBlock(report)}\n\n${text.slice(end)}`,
  );
}

/** A rough cost of a training, to start the longest first. */
function cost(settings: Settings): number {
  return settings.epochs * settings.hidden.reduce((sum, nodes) => sum + nodes, 0) *
    (settings.elasticAlpha > 0 ? 1.5 : 1);
}

/** The complete runs in `runsDir` that are planned trainings (same name, same settings), by name. */
async function keptRuns(runsDir: string, planned: Planned[]): Promise<Map<string, string>> {
  const wanted = new Map(planned.map((training) => [training.name, training]));
  const found = new Map<string, string>();
  for (const id of await runIds(runsDir)) {
    let record: RunRecord;
    try {
      record = await readRunRecord(`${runsDir}/${id}`);
    } catch {
      continue; // a broken folder is not a kept training
    }
    const training = wanted.get(record.name);
    if (!training || record.status !== "complete" || !sameConfig(record.config, training.settings)) continue;
    found.set(record.name, `${runsDir}/${id}`);
  }
  return found;
}

/** Whether a saved run was trained with these settings. */
function sameConfig(config: RunConfig, settings: Settings): boolean {
  const { train: _train, test: _test, ...saved } = config;
  const planned = trainingJob(settings).config;
  return JSON.stringify(sortKeys(saved)) === JSON.stringify(sortKeys(planned)) &&
    config.train.count === (settings.limitTrain ?? 60_000) &&
    config.test.count === (settings.limitTest ?? 10_000);
}

function sortKeys(value: object): object {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** What one seed of a rung measured. */
function beyondRun(record: RunRecord, seed: number, ownImages?: { right: number; of: number }): BeyondRun {
  return {
    seed,
    validation: record.history.map((epoch) => epoch.validation ?? NaN),
    test: record.performance,
    seconds: record.timings.totalSeconds,
    epochSeconds: record.timings.trainSeconds / record.history.length,
    ...(ownImages ? { ownImages } : {}),
  };
}

/**
 * How many of the project's own handwriting images (MNIST-style pipeline) the run reads right
 * (rejects where they are not there, as in a compiled binary: the report then leaves them out).
 */
async function readOwnImages(directory: string): Promise<{ right: number; of: number }> {
  const net = runNetwork(await loadRun(directory));
  const manifest: { file: string; label: number }[] = JSON.parse(
    await Deno.readTextFile(new URL("manifest.json", OWN_IMAGES)),
  );
  const inputs = new Float64Array(PIXELS);
  let right = 0;
  for (const { file, label } of manifest) {
    const pixels = await imageInput(new URL(file, OWN_IMAGES).pathname);
    const outputs = query(net, scalePixels(pixels, inputs));
    const answer = outputs.indexOf(Math.max(...outputs));
    if (answer === label) right++;
  }
  return { right, of: manifest.length };
}

/** A paragraph when this ladder's own validation disagrees with which rungs are kept. */
function disagreement(report: BeyondReport): string[] {
  // on reduced data (--quick) the held-out scores are too few to decide by: no verdict
  if (report.quick) return [];
  const ids = keptDisagreements(report);
  if (ids.length === 0) return [];
  return [
    `**This ladder's validation disagrees with the rungs kept at ${
      ids.join(", ")
    }**: by the rule above they ` +
    "would be kept or dropped the other way (core/experiments/beyond.ts decides; change it there and run again).",
    "",
  ];
}

/** The report as Markdown: the headline, the table, the chart, how it was chosen. */
export function beyondMarkdown(report: BeyondReport): string {
  const top = presetRungOf(report), book = report.rungs.find((rung) => rung.id === "book") ?? report.rungs[0];
  const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
  const own = (rung: typeof top) => {
    const counts = rung.runs.flatMap((run) => run.ownImages ? [run.ownImages] : []);
    return counts.length === 0 ? "not counted" : counts.map((c) => `${c.right}/${c.of}`).join(", ");
  };
  return [
    `# Beyond the book${report.quick ? " (quick: reduced data, no verdict)" : ""}`,
    "",
    `The book's own network and rule, one change at a time; ${report.seeds.length} seeds per rung ` +
    `(${report.seeds.join(", ")}), the last ${
      report.validation.toLocaleString("en")
    } training records held out ` +
    `to choose settings on, the test set scored once at the end of each training.`,
    "",
    `**The preset (rung ${report.rungs.indexOf(top) + 1}, \`train --preset beyond\`): ${
      percent(top.test.mean)
    } on the test set**, mean of ` +
    `${top.runs.length} seeds (${percent(top.test.min)}–${percent(top.test.max)}); the book's best is ` +
    `${percent(BOOK_BEST.performance)} (${BOOK_BEST.words}). 99% ${
      top.test.mean >= 0.99 ? "was" : "was not"
    } reached.`,
    "",
    beyondTable(report),
    "",
    "A rung _not kept_ was measured on top of the last kept rung below it and left out of the rungs above: its " +
    `validation did not beat that rung's by ${
      (100 * KEEP_MARGIN).toFixed(2)
    } points. Each rung's validation is ` +
    "the last epoch's; its test, scored once after it.",
    ...report.rungs.filter((rung) => rung.byDesign).map((rung) =>
      `Rung ${report.rungs.indexOf(rung) + 1} is _kept by design_: ${rung.byDesign}.`
    ),
    "",
    ...disagreement(report),
    "![the ladder](ladder.svg)",
    "",
    `Own handwriting (the project's ${
      top.runs[0].ownImages?.of ?? 29
    } images, MNIST-style pipeline), right per seed: ` +
    `the book's network ${own(book)}; the preset ${own(top)}.`,
    "",
    "Each rung's flags (over the defaults; `--seed` per seed):",
    "",
    ...report.rungs.map((rung, i) => `${i + 1}. \`deno task train ${rung.flags}\``),
    "",
    `Command: \`${report.command}\`; the trainings took ${
      formatSeconds(report.trainingSeconds)
    } of one core's ` +
    `time (this command ${
      formatSeconds(report.seconds)
    }; trainings kept from before are not counted in it); ` +
    `machine: ${report.machine.cpu}, ${report.machine.cores} cores, Deno ${report.machine.deno}.`,
    "",
  ].join("\n");
}

if (import.meta.main) await runMain(main);
