/**
 * How much damage a trained network survives (the book: knowledge is spread over many
 * weights). Lesion: remove a random fraction of the hidden nodes; noise: add noise of
 * rising strength to the test images. Each level is scored over several random draws,
 * saved into the run as resilience.json, and printed as a table and a chart.
 *
 *   deno run -A scripts/resilience.ts data/runs/<id> --lesion 0..0.9:0.1 --noise 0..0.5:0.05
 *
 * @module
 */
import { limitDataset, loadDataset } from "../core/data/mod.ts";
import { InputError } from "../core/errors.ts";
import {
  lesionCurve,
  noiseCurve,
  parseValues,
  type ResiliencePoint,
  terminalChart,
} from "../core/experiments/mod.ts";

import { createRandom } from "../core/model/mod.ts";
import { loadRun, runNetwork } from "../core/store/mod.ts";
import {
  RESILIENCE_FORMAT,
  RESILIENCE_VERSION,
  type ResilienceRecord,
  saveResilience,
} from "../core/experiments/mod.ts";
import { type CommandSpec, formatSeconds, integerFlag, parseFlags, printJson, runMain } from "./support.ts";

const DEFAULTS = {
  lesion: "0..0.9:0.1", // fractions of hidden nodes removed
  noise: "0..0.5:0.05", // noise standard deviations, in units of full ink
  draws: "3", // random draws per level
  seed: "1",
};

export const SPEC: CommandSpec = {
  usage: "resilience RUN [flags]",
  summary: "Damage a saved network (remove hidden nodes) or its test images (noise) and score what is left.",
  positionals: { min: 1, max: 1, names: "RUN (a folder in data/runs)" },
  flags: {
    lesion: {
      type: "string",
      default: DEFAULTS.lesion,
      value: "RANGE",
      description: "fractions of hidden nodes to remove",
    },
    noise: { type: "string", default: DEFAULTS.noise, value: "RANGE", description: "noise strengths (0…1)" },
    draws: { type: "string", default: DEFAULTS.draws, value: "N", description: "random draws per level" },
    seed: { type: "string", default: DEFAULTS.seed, value: "N", description: "seed for the draws" },
    test: { type: "string", value: "SOURCE", description: "test set (default: the run's)" },
    "limit-test": { type: "string", value: "N", description: "score only the first N test records" },
    json: { type: "boolean", description: "print one JSON object on stdout" },
  },
};

/** A list of levels from a flag, each in [0, limit]. */
function levels(value: unknown, flag: string, limit: number): number[] {
  const values = parseValues(String(value), `--${flag}`);
  const bad = values.find((level) => level < 0 || level > limit);
  if (bad !== undefined) throw new InputError(`--${flag} levels must be between 0 and ${limit}, got ${bad}`);
  return values;
}

export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const fractions = levels(flags.lesion, "lesion", 1);
  const strengths = levels(flags.noise, "noise", 1);
  const draws = integerFlag(flags.draws, "draws");
  const seed = integerFlag(flags.seed, "seed", 0);
  const limit = flags["limit-test"] === undefined
    ? undefined
    : integerFlag(flags["limit-test"], "limit-test");
  const run = await loadRun(parsed.positionals[0]);
  const test = limitDataset(await loadDataset(String(flags.test ?? run.record.config.test.source)), limit);
  const net = runNetwork(run);
  const started = performance.now();
  const lesionPoints = lesionCurve(net, test, { fractions, draws, random: createRandom(seed) });
  const noisePoints = noiseCurve(net, test, { strengths, draws, random: createRandom(seed + 1) });
  const result: ResilienceRecord = {
    format: RESILIENCE_FORMAT,
    version: RESILIENCE_VERSION,
    run: run.record.id,
    test: { source: test.source, count: test.count },
    seed,
    draws,
    lesion: lesionPoints,
    noise: noisePoints,
    seconds: (performance.now() - started) / 1000,
    createdAt: new Date().toISOString(),
  };
  const path = await saveResilience(run.directory, result);
  if (flags.json) return printJson({ ...result, file: path });
  const show = (title: string, points: ResiliencePoint[]) => {
    console.log(`\n${title} (● mean, ├─┤ lowest to highest over ${draws} draws):`);
    console.log(terminalChart(points.map(({ level, performance }) => ({ value: level, performance }))));
  };
  show("performance with a fraction of the hidden nodes removed", lesionPoints);
  show("performance with noise on the test images", noisePoints);
  console.log(`\n${test.count} test records, ${formatSeconds(result.seconds)} — saved ${path}`);
}

if (import.meta.main) await runMain(main);
