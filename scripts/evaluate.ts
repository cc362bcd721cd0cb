/**
 * Score a saved run on its test set: the book's performance, the confusion matrix,
 * accuracy per digit and the first records it got wrong.
 *
 *   deno task evaluate data/runs/<id>
 *   deno task evaluate data/runs/<id> --verbose --limit-test 10
 *   deno task evaluate data/runs/<id> --min-performance 0.97    # exit code 1 below it
 *
 * @module
 */
import { limitDataset, loadDataset } from "../core/data/mod.ts";

import { loadRun, readRunRecord, runNetwork } from "../core/store/mod.ts";
import { InputError } from "../core/errors.ts";
import { formatConfusion, misclassified, score } from "../core/training/mod.ts";
import {
  type CommandSpec,
  integerFlag,
  parseFlags,
  positiveNumberFlag,
  printJson,
  runMain,
} from "./support.ts";

const DEFAULTS = {
  misclassified: "10", // how many wrong records to list
};

export const SPEC: CommandSpec = {
  usage: "evaluate RUN [flags]",
  summary: "Score a saved run on the test set: performance, confusion matrix, per-digit accuracy, mistakes.",
  positionals: { min: 1, max: 1, names: "RUN (a folder in data/runs)" },
  flags: {
    test: {
      type: "string",
      value: "SOURCE",
      description: "test set (default: the one the run was trained with)",
    },
    "limit-test": { type: "string", value: "N", description: "score only the first N test records" },
    misclassified: {
      type: "string",
      default: DEFAULTS.misclassified,
      value: "N",
      description: "list the first N records it got wrong",
    },
    verbose: {
      type: "boolean",
      description: `print the book's "correct label / network's answer" per record`,
    },
    scorecard: {
      type: "boolean",
      description: "print the book's scorecard: 1 for each record answered right, 0 for each wrong, in order",
    },
    "min-performance": {
      type: "string",
      value: "P",
      description: "exit with code 1 if performance is below P",
    },
    json: { type: "boolean", description: "print one JSON object on stdout" },
  },
};

export async function main(args: string[]): Promise<number | void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const limit = flags["limit-test"] === undefined
    ? undefined
    : integerFlag(flags["limit-test"], "limit-test");
  const listed = integerFlag(flags.misclassified, "misclassified", 0);
  const minimum = flags["min-performance"] === undefined
    ? undefined
    : positiveNumberFlag(flags["min-performance"], "min-performance");
  const record = await readRunRecord(parsed.positionals[0]);
  if (record.status === "failed") {
    throw new InputError(
      `${parsed.positionals[0]} is a failed run (${record.failure}): there is nothing to evaluate`,
    );
  }
  const run = await loadRun(parsed.positionals[0]);
  const test = limitDataset(await loadDataset(String(flags.test ?? run.record.config.test.source)), limit);
  const net = runNetwork(run);

  const started = performance.now();
  const result = score(net, test);
  const seconds = (performance.now() - started) / 1000;
  const wrong = misclassified(test, result, listed);
  const passed = minimum === undefined || result.performance >= minimum;
  const perClassAccuracy = result.perClassAccuracy.map((accuracy) =>
    Number.isNaN(accuracy) ? null : accuracy
  );

  if (flags.json) {
    printJson({
      run: run.record.id,
      test: { source: test.source, count: test.count },
      performance: result.performance,
      correct: result.scorecard.reduce((sum, mark) => sum + mark, 0),
      confusion: result.confusion,
      perClassAccuracy,
      misclassified: wrong,
      seconds,
      ...(minimum === undefined ? {} : { minPerformance: minimum, passed }),
      ...(flags.verbose ? { answers: Array.from(result.answers), labels: Array.from(test.labels) } : {}),
      ...(flags.scorecard ? { scorecard: Array.from(result.scorecard) } : {}),
    });
  } else {
    if (flags.verbose) {
      for (let record = 0; record < test.count; record++) {
        console.log(`${test.labels[record]} correct label`);
        console.log(`${result.answers[record]} network's answer`);
      }
    }
    const correct = result.scorecard.reduce((sum, mark) => sum + mark, 0);
    console.log(
      `run ${run.record.id} (${
        run.record.config.layers.join("-")
      }) on ${test.count} records of ${test.source}`,
    );
    // the book prints its scorecard as a Python list: [1, 1, 0, 1, …]
    if (flags.scorecard) console.log(`scorecard = [${Array.from(result.scorecard).join(", ")}]`);
    console.log(`performance = ${result.performance.toFixed(4)} (${correct} of ${test.count} correct)\n`);
    console.log(formatConfusion(result.confusion, perClassAccuracy));
    if (wrong.length > 0) {
      console.log(`\nfirst ${wrong.length} misclassified (record: label → answer, confidence):`);
      for (const mistake of wrong) {
        console.log(
          `  ${String(mistake.index).padStart(5)}: ${mistake.label} → ${mistake.answer}  (${
            mistake.confidence.toFixed(3)
          })`,
        );
      }
    }
    if (!passed) {
      console.log(`\nperformance ${result.performance.toFixed(4)} is below --min-performance ${minimum}`);
    }
  }
  return passed ? 0 : 1;
}

if (import.meta.main) await runMain(main);
