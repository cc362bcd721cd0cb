/**
 * Saved runs on disk. A run is a folder `<runs>/<id>/` with `run.json` (run_format.ts) and
 * one `weights_<l>.npy` per weight matrix. A new run's folder is written atomically
 * (atomic.ts: its name is claimed by the rename, and every file agrees with it); a run in
 * training is checkpointed after every epoch by replacing its files one at a time, run.json
 * last. A reader never sees half a run.
 *
 * @module
 */
import { InputError, NotFoundError } from "../errors.ts";
import type { Matrix } from "../kernels/mod.ts";
import { ACTIVATIONS, checkWeightShapes, createNetwork, type Network } from "../model/mod.ts";
import { idSlug, idStamp, replaceFile, writeFolderAtomically } from "./atomic.ts";
import { exists, listFolder, readRegularFile, readTextFile } from "./files.ts";
import { formatNpy, parseNpy } from "./npy.ts";
import { parseRunRecord, RUN_ID, type RunConfig, type RunRecord } from "./run_format.ts";

/** The largest run.json read (a run's record is a few KB). */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** The largest weights file read: 2 GB of float64. */
const MAX_WEIGHTS_BYTES = 2 * 1024 * 1024 * 1024;

/** A run read back from disk. */
export interface LoadedRun {
  directory: string;
  record: RunRecord;
  weights: Matrix[];
}

/** The book's names for the weight matrices of a three-layer network. */
function bookName(layerCount: number, index: number): string | undefined {
  if (layerCount !== 3) return undefined;
  return index === 0 ? "wih" : "who";
}

/** The weights' file list for run.json. */
export function describeWeights(weights: readonly Matrix[]): RunRecord["weights"] {
  return weights.map((matrix, index) => ({
    file: `weights_${index}.npy`,
    rows: matrix.rows,
    cols: matrix.cols,
    ...(bookName(weights.length + 1, index) ? { book: bookName(weights.length + 1, index) } : {}),
  }));
}

/** A run id: time stamp then a readable slug, `20261122-081005-h200-lr0.1-e5`. */
export function makeRunId(
  config: Pick<RunConfig, "layers" | "learningRate" | "epochs">,
  name: string,
  now: Date,
): string {
  const stamp = idStamp(now);
  const slug = name
    ? idSlug(name)
    : `h${config.layers.slice(1, -1).join("x")}-lr${config.learningRate}-e${config.epochs}`.replace(
      /[^A-Za-z0-9._-]/g,
      "",
    );
  return slug ? `${stamp}-${slug}` : stamp;
}

/**
 * Write a run into `runsDir/<record.id>` atomically. If that folder exists already (two
 * runs started in the same second) a suffix `-2`, `-3`, … is added, and the id written
 * into run.json is the final one. `files` (images, by file name) are saved with it.
 * Returns the run's folder.
 */
export async function saveRun(
  runsDir: string,
  record: RunRecord,
  weights: readonly Matrix[],
  files: Record<string, Uint8Array> = {},
): Promise<string> {
  const weightFiles = Object.fromEntries(
    weights.map((
      matrix,
      index,
    ) => [record.weights[index]?.file ?? `weights_${index}.npy`, formatNpy(matrix)]),
  );
  const { directory } = await writeFolderAtomically(runsDir, record.id, (id) => ({
    ...weightFiles,
    ...files,
    "run.json": JSON.stringify({ ...record, id }, null, 2) + "\n",
  }));
  return directory;
}

/** Read `directory/run.json` and its weights; every problem is an InputError naming the file. */
export async function loadRun(directory: string): Promise<LoadedRun> {
  const record = await readRunRecord(directory);
  const weights: Matrix[] = [];
  for (const { file } of record.weights) {
    weights.push(await loadWeightsFile(`${directory}/${file}`));
  }
  try {
    checkWeightShapes(record.config.layers, weights);
  } catch (error) {
    throw new InputError(`${directory}: ${(error as Error).message}`);
  }
  return { directory, record, weights };
}

/** Read and check one run's run.json. */
export async function readRunRecord(directory: string): Promise<RunRecord> {
  const path = `${directory}/run.json`;
  let text: string;
  try {
    text = await readTextFile(path, { maxBytes: MAX_RECORD_BYTES });
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new NotFoundError(
        (await exists(directory))
          ? `${directory} is not a run: it has no run.json`
          : `Run ${directory} does not exist`,
      );
    }
    throw error;
  }
  return parseRunRecord(text, path);
}

/** Read one `.npy` weights file. */
export async function loadWeightsFile(path: string): Promise<Matrix> {
  const matrix = parseNpy(await readRegularFile(path, { maxBytes: MAX_WEIGHTS_BYTES }), path);
  // a network with NaN or infinite weights answers nonsense: refuse it here, naming the file
  const bad = matrix.data.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    throw new InputError(
      `${path} holds a weight that is not a finite number (${matrix.data[bad]} at row ${
        Math.floor(bad / matrix.cols)
      }, column ${bad % matrix.cols}): these weights cannot be used`,
    );
  }
  return matrix;
}

/**
 * Read starting weights from a folder of `weights_0.npy`, `weights_1.npy`, … (written by
 * numpy or by myonn) and check they fit `layers`.
 */
export async function loadInitialWeights(directory: string, layers: readonly number[]): Promise<Matrix[]> {
  const weights: Matrix[] = [];
  for (let index = 0; index < layers.length - 1; index++) {
    weights.push(await loadWeightsFile(`${directory}/weights_${index}.npy`));
  }
  try {
    checkWeightShapes(layers, weights);
  } catch (error) {
    throw new InputError(`--init-weights ${directory}: ${(error as Error).message}`);
  }
  return weights;
}

/** One entry of the runs folder: its record, or why it cannot be read. */
export type RunListing = { id: string; record: RunRecord } | { id: string; broken: string };

/**
 * Every run in `runsDir`, newest first. A folder whose run.json cannot be read is listed
 * as broken (with the reason) and never stops the others; hidden temporary folders (runs
 * being written) are skipped. A missing runs folder is an empty list.
 */
export async function listRuns(runsDir: string): Promise<RunListing[]> {
  const listings: RunListing[] = [];
  for (const id of await runIds(runsDir)) listings.push(await listRun(runsDir, id));
  return sortRuns(listings);
}

/** The names of the run folders in `runsDir` (not the hidden ones being written). */
export async function runIds(runsDir: string): Promise<string[]> {
  return (await listFolder(runsDir)).filter((entry) => entry.isDirectory && RUN_ID.test(entry.name))
    .map((entry) => entry.name);
}

/** One run folder's listing: its record, or why it cannot be read. */
export async function listRun(runsDir: string, id: string): Promise<RunListing> {
  try {
    const record = await readRunRecord(`${runsDir}/${id}`);
    // a run whose weights are gone cannot be drawn against nor scored: listed as broken, saying which
    for (const { file } of record.weights) {
      const info = await Deno.stat(`${runsDir}/${id}/${file}`).catch(() => undefined);
      if (!info?.isFile) return { id, broken: `its weights file ${file} is missing` };
    }
    return { id, record };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { id, broken: error.message };
  }
}

/** Listings newest first (ids start with their time). */
export function sortRuns(listings: RunListing[]): RunListing[] {
  return listings.sort((a, b) => (a.id < b.id ? 1 : -1));
}

/**
 * Save a training's state after an epoch. The first time (no `directory`) the run folder
 * is made atomically, as saveRun does; afterwards its files are replaced one at a time so
 * that run.json, written last, only ever names complete files: weights of an unfinished
 * run are `weights_<l>.epoch<k>.npy` (new names each epoch, the previous ones removed
 * after run.json moved on), a complete run's are `weights_<l>.npy`. A crash or a full
 * disk at any point leaves the previous checkpoint readable. Returns the folder and the
 * record as written.
 */
export async function writeCheckpoint(
  runsDir: string,
  state: { record: RunRecord; weights: readonly Matrix[]; files?: Record<string, Uint8Array> },
  directory?: string,
): Promise<{ directory: string; record: RunRecord }> {
  const epoch = state.record.history.length;
  const final = state.record.status === "complete";
  const record: RunRecord = {
    ...state.record,
    weights: describeWeights(state.weights).map((entry, index) => ({
      ...entry,
      file: final ? `weights_${index}.npy` : `weights_${index}.epoch${epoch}.npy`,
    })),
  };
  if (!directory) {
    const made = await saveRun(runsDir, record, state.weights, state.files);
    return { directory: made, record: { ...record, id: made.slice(made.lastIndexOf("/") + 1) } };
  }
  // the folder is the claim on the id: every checkpoint's run.json says the folder's name
  record.id = directory.slice(directory.lastIndexOf("/") + 1);
  for (const [index, matrix] of state.weights.entries()) {
    await replaceFile(`${directory}/${record.weights[index].file}`, formatNpy(matrix));
  }
  for (const [name, bytes] of Object.entries(state.files ?? {})) {
    if (!(await exists(`${directory}/${name}`))) await replaceFile(`${directory}/${name}`, bytes);
  }
  await replaceFile(`${directory}/run.json`, JSON.stringify(record, null, 2) + "\n");
  // weights no longer named by run.json go — except the previous checkpoint's: a reader that
  // read the previous run.json a moment ago may still be about to open them. They go at the next
  // checkpoint, or (after the last) by removeEpochLeftovers() once they are a minute old.
  const named = new Set(record.weights.map((entry) => entry.file));
  const previous = (name: string) => name.endsWith(`.epoch${epoch - 1}.npy`);
  for (const entry of await listFolder(directory)) {
    if (WEIGHTS_FILE.test(entry.name) && !named.has(entry.name) && !previous(entry.name)) {
      await Deno.remove(`${directory}/${entry.name}`).catch(() => {});
    }
  }
  return { directory, record };
}

/** A run's weights file: weights_0.npy, or a checkpoint's weights_0.epoch3.npy. */
const WEIGHTS_FILE = /^weights_\d+(\.epoch\d+)?\.npy$/;
/** How old a checkpoint's weights must be before removeEpochLeftovers() takes them: time for any reader. */
const LEFTOVER_AFTER_MS = 60_000;

/**
 * Remove the checkpoint weights no run.json names any more (a training killed, or the grace
 * its last checkpoint left): `weights_<l>.epoch<k>.npy` files over a minute old in each run
 * folder of `runsDir`. A run whose run.json cannot be read is left alone. Returns what was removed.
 */
export async function removeEpochLeftovers(runsDir: string): Promise<string[]> {
  const removed: string[] = [];
  const now = Date.now();
  let folders: Deno.DirEntry[];
  try {
    folders = await Array.fromAsync(Deno.readDir(runsDir));
  } catch {
    return removed; // missing or unreadable: nothing to clean
  }
  for (const folder of folders.filter((entry) => entry.isDirectory && RUN_ID.test(entry.name))) {
    const directory = `${runsDir}/${folder.name}`;
    const files = (await listFolder(directory).catch(() => [])).filter((entry) =>
      /\.epoch\d+\.npy$/.test(entry.name)
    );
    if (files.length === 0) continue;
    const record = await readRunRecord(directory).catch(() => undefined);
    if (!record) continue;
    const named = new Set(record.weights.map((entry) => entry.file));
    for (const { name } of files) {
      if (named.has(name) || !WEIGHTS_FILE.test(name)) continue;
      const info = await Deno.lstat(`${directory}/${name}`).catch(() => undefined);
      if (info?.isFile && now - (info.mtime?.getTime() ?? now) > LEFTOVER_AFTER_MS) {
        await Deno.remove(`${directory}/${name}`).then(() => removed.push(`${directory}/${name}`), () => {});
      }
    }
  }
  return removed;
}

/** The network a loaded run describes, in the precision it was trained in, ready to query. */
export function runNetwork(run: LoadedRun): Network {
  return createNetwork({
    layers: run.record.config.layers,
    learningRate: run.record.config.learningRate,
    activation: ACTIVATIONS[run.record.config.activation ?? "sigmoid"],
    precision: run.record.config.precision ?? "f64",
    weights: run.weights,
  });
}
