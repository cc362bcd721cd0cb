/**
 * Write the full MNIST sets in the book's CSV format (label then 784 pixels a line).
 *
 *   deno run -A scripts/data.ts                                   # data/mnist_train.csv, data/mnist_test.csv
 *   deno run -A scripts/data.ts --limit-train 100 --limit-test 10 # data/mnist_train_100.csv, data/mnist_test_10.csv
 *
 * @module
 */
import { type Dataset, formatMnistCsv, limitDataset, loadDataset } from "../core/data/mod.ts";
import { makeFolder, replaceFileWith } from "../core/store/mod.ts";
import { type CommandSpec, formatSeconds, integerFlag, parseFlags, printJson, runMain } from "./support.ts";

const DEFAULTS = {
  "out-dir": "data", // where the CSV files go
  train: "mnist:train", // what to convert: the built-in sets, or any CSV / IDX file
  test: "mnist:test",
};

/** Records written per chunk, so the 110 MB text is never in memory at once. */
const RECORDS_PER_CHUNK = 2000;

export const SPEC: CommandSpec = {
  usage: "data [flags]",
  summary:
    "Write the MNIST training and test sets as the book's CSV files (mnist_train.csv, mnist_test.csv).",
  flags: {
    "out-dir": {
      type: "string",
      default: DEFAULTS["out-dir"],
      value: "DIR",
      description: "folder for the CSV files",
    },
    train: {
      type: "string",
      default: DEFAULTS.train,
      value: "SOURCE",
      description: "training set to convert",
    },
    test: { type: "string", default: DEFAULTS.test, value: "SOURCE", description: "test set to convert" },
    "limit-train": {
      type: "string",
      value: "N",
      description: "only the first N records (file mnist_train_N.csv)",
    },
    "limit-test": {
      type: "string",
      value: "N",
      description: "only the first N records (file mnist_test_N.csv)",
    },
    json: { type: "boolean", description: "print one JSON object on stdout" },
  },
};

export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const outDir = String(flags["out-dir"]);
  await makeFolder(outDir);
  const written = [];
  for (const set of ["train", "test"] as const) {
    const limitFlag = flags[`limit-${set}`];
    const limit = limitFlag === undefined ? undefined : integerFlag(limitFlag, `limit-${set}`);
    const dataset = limitDataset(await loadDataset(String(flags[set])), limit);
    const path = `${outDir}/mnist_${set}${limit === undefined ? "" : `_${limit}`}.csv`;
    const started = performance.now();
    const bytes = await writeCsvAtomically(path, dataset);
    written.push({ set, path, records: dataset.count, bytes, seconds: (performance.now() - started) / 1000 });
  }
  if (flags.json) return printJson({ files: written });
  for (const file of written) {
    console.log(
      `${file.path}: ${file.records} records, ${(file.bytes / 1e6).toFixed(1)} MB in ${
        formatSeconds(file.seconds)
      }`,
    );
  }
}

/** Write the CSV through a temporary file and a rename (store/): never a half-written file. */
async function writeCsvAtomically(path: string, dataset: Dataset): Promise<number> {
  let bytes = 0;
  await replaceFileWith(path, async (file) => {
    for (let start = 0; start < dataset.count; start += RECORDS_PER_CHUNK) {
      const chunk = formatMnistCsv(dataset, start, Math.min(dataset.count, start + RECORDS_PER_CHUNK));
      for (let offset = 0; offset < chunk.length;) offset += await file.write(chunk.subarray(offset));
      bytes += chunk.length;
    }
  });
  return bytes;
}

if (import.meta.main) await runMain(main);
