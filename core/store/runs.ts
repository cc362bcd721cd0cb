/**
 * Saved runs on disk (this file does file I/O). A run is a folder `<runs>/<id>/` with
 * `run.json` and one `weights_<l>.npy` per weight matrix. It is written into a hidden
 * temporary folder and renamed into place, so a crash or a full disk never leaves a
 * half-written run, and a reader never sees one.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import type { KernelsName, Matrix, Precision } from "../kernels/plain.ts";
import { checkWeightShapes, createNetwork, type InitRule, type Network } from "../model/network.ts";
import { formatNpy, parseNpy } from "./npy.ts";
import type { EpochResult } from "../training/epoch.ts";

/** Written in run.json; a reader refuses other formats and newer versions. */
export const RUN_FORMAT = "myonn-run";
export const RUN_VERSION = 1;

/** Where runs go unless told otherwise (relative to the current directory). */
export const DEFAULT_RUNS_DIR = "data/runs";

/** Where a run stands; see RunRecord.status. */
export type RunStatus = "complete" | "incomplete" | "failed";

/** Everything needed to repeat a training. */
export interface RunConfig {
  /** nodes per layer, input first */
  layers: number[];
  learningRate: number;
  epochs: number;
  seed: number;
  init: InitRule;
  /** rotated copies: each record is also trained rotated by ±rotate degrees (0: none) */
  rotate: number;
  /** the training rule: the book's (see network.ts) */
  rule: "book";
  /** float32 or float64 arithmetic */
  precision: Precision;
  /** which implementation of the hot loops */
  kernels: KernelsName;
  train: { source: string; count: number };
  test: { source: string; count: number };
  /** the folder the starting weights came from, if not drawn from the seed */
  initWeights: string | null;
}

/** The machine a run was made on. */
export interface Machine {
  deno: string;
  v8: string;
  os: string;
  arch: string;
  cpu: string;
  cores: number;
}

/** The contents of run.json. */
export interface RunRecord {
  format: typeof RUN_FORMAT;
  version: typeof RUN_VERSION;
  id: string;
  /**
   * complete: all epochs trained; incomplete: a checkpoint after `history.length` epochs
   * (interrupted, or still training), resumable; failed: training stopped (see `failure`).
   * Runs written before this field existed are complete.
   */
  status?: RunStatus;
  /** why a failed run stopped */
  failure?: string;
  name: string;
  createdAt: string;
  config: RunConfig;
  history: EpochResult[];
  /** performance on the test set after the last epoch */
  performance: number;
  /** confusion[label][answer] */
  confusion: number[][];
  /** per digit; null where the test set has none of that digit */
  perClassAccuracy: (number | null)[];
  timings: { loadSeconds: number; trainSeconds: number; testSeconds: number; totalSeconds: number };
  machine: Machine;
  /** the weight files, in layer order */
  weights: { file: string; rows: number; cols: number; book?: string }[];
}

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
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const slug = name
    ? name.toLowerCase().replace(/[^a-z0-9_]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40)
    : `h${config.layers.slice(1, -1).join("x")}-lr${config.learningRate}-e${config.epochs}`.replace(
      /[^A-Za-z0-9._-]/g,
      "",
    );
  return slug ? `${stamp}-${slug}` : stamp;
}

/**
 * Write a run into `runsDir/<record.id>` atomically. If that folder exists already (two
 * runs started in the same second) a suffix `-2`, `-3`, … is added; the id written into
 * run.json is the final one. `files` (images, by file name) are saved with it. Returns
 * the run's folder.
 */
export async function saveRun(
  runsDir: string,
  record: RunRecord,
  weights: readonly Matrix[],
  files: Record<string, Uint8Array> = {},
): Promise<string> {
  await Deno.mkdir(runsDir, { recursive: true });
  const temporary = await Deno.makeTempDir({ dir: runsDir, prefix: `.saving-${record.id}-` });
  try {
    for (const [index, matrix] of weights.entries()) {
      await Deno.writeFile(
        `${temporary}/${record.weights[index]?.file ?? `weights_${index}.npy`}`,
        formatNpy(matrix),
      );
    }
    for (const [name, bytes] of Object.entries(files)) await Deno.writeFile(`${temporary}/${name}`, bytes);
    for (let attempt = 1;; attempt++) {
      const id = attempt === 1 ? record.id : `${record.id}-${attempt}`;
      const final = `${runsDir}/${id}`;
      await Deno.writeTextFile(`${temporary}/run.json`, JSON.stringify({ ...record, id }, null, 2) + "\n");
      try {
        await Deno.rename(temporary, final);
        return final;
      } catch (error) {
        // the name is taken (rename onto a non-empty folder fails): try the next suffix
        if (!(await exists(final)) || attempt > 1000) throw error;
      }
    }
  } catch (error) {
    await Deno.remove(temporary, { recursive: true }).catch(() => {});
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
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
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      const folder = await Deno.stat(directory).catch(() => undefined);
      throw new InputError(
        folder ? `${directory} is not a run: it has no run.json` : `Run ${directory} does not exist`,
      );
    }
    throw new InputError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  return parseRunRecord(text, path);
}

/**
 * Check a run.json's text and return the record; anything a reader of runs relies on
 * that is missing or of the wrong kind is an InputError naming the file and the field.
 */
export function parseRunRecord(text: string, path: string): RunRecord {
  let record: RunRecord;
  try {
    record = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (
    typeof record !== "object" || record === null || Array.isArray(record) || record.format !== RUN_FORMAT
  ) {
    throw new InputError(`${path} is not a myonn run: expected "format": "${RUN_FORMAT}"`);
  }
  if (record.version !== RUN_VERSION) {
    throw new InputError(
      `${path} has format version ${record.version}, this myonn reads version ${RUN_VERSION}: use the myonn that wrote it`,
    );
  }
  const fail = (field: string, expected: string): never => {
    throw new InputError(`${path}: "${field}" must be ${expected}`);
  };
  const isNumber = (value: unknown) => typeof value === "number" && Number.isFinite(value);
  const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
  const config = record.config;
  if (typeof config !== "object" || config === null) fail("config", "an object");
  const layers = config.layers;
  if (
    !Array.isArray(layers) || layers.length < 3 ||
    !layers.every((n) => Number.isInteger(n) && n > 0 && n <= 100_000)
  ) {
    fail("config.layers", "a list of at least 3 positive integers");
  }
  if (layers[0] !== 784 || layers[layers.length - 1] !== 10) {
    fail("config.layers", "784 inputs and 10 outputs");
  }
  if (!isNumber(config.learningRate)) fail("config.learningRate", "a number");
  if (!isCount(config.epochs) || !isCount(config.seed)) {
    fail("config.epochs and config.seed", "whole numbers");
  }
  if (config.rotate !== undefined && !isNumber(config.rotate)) fail("config.rotate", "a number");
  if (config.precision !== undefined && config.precision !== "f32" && config.precision !== "f64") {
    fail("config.precision", `"f32" or "f64"`);
  }
  for (const set of ["train", "test"] as const) {
    if (typeof config[set]?.source !== "string" || !isCount(config[set]?.count)) {
      fail(`config.${set}`, "{ source: text, count: a whole number }");
    }
  }
  if (
    typeof record.id !== "string" || typeof record.name !== "string" || typeof record.createdAt !== "string"
  ) {
    fail("id, name and createdAt", "text");
  }
  if (record.status !== undefined && !["complete", "incomplete", "failed"].includes(record.status)) {
    fail("status", `"complete", "incomplete" or "failed"`);
  }
  const epochFields = ["epoch", "performance", "meanSquaredError", "trainSeconds", "testSeconds"] as const;
  if (
    !Array.isArray(record.history) ||
    // a failed run's last epoch may have no finite error (JSON writes NaN as null)
    !record.history.every((epoch) =>
      isNumber(epoch?.epoch) &&
      epochFields.every((field) => isNumber(epoch?.[field]) || epoch?.[field] === null)
    )
  ) {
    fail(
      "history",
      "a list of epochs with numbers for epoch, performance, meanSquaredError, trainSeconds, testSeconds",
    );
  }
  if (!isNumber(record.performance)) fail("performance", "a number");
  if (
    !Array.isArray(record.confusion) ||
    !record.confusion.every((row) => Array.isArray(row) && row.every(isCount))
  ) {
    fail("confusion", "a list of lists of counts");
  }
  if (
    !Array.isArray(record.perClassAccuracy) ||
    !record.perClassAccuracy.every((a) => a === null || isNumber(a))
  ) {
    fail("perClassAccuracy", "a list of numbers or null");
  }
  const timings = record.timings;
  if (
    typeof timings !== "object" || timings === null ||
    !["loadSeconds", "trainSeconds", "testSeconds", "totalSeconds"].every((field) =>
      isNumber((timings as Record<string, unknown>)[field])
    )
  ) {
    fail("timings", "numbers for loadSeconds, trainSeconds, testSeconds, totalSeconds");
  }
  if (typeof record.machine !== "object" || record.machine === null) fail("machine", "an object");
  if (!Array.isArray(record.weights) || record.weights.length !== layers.length - 1) {
    fail("weights", `a list of ${layers.length - 1} weight files`);
  }
  for (const entry of record.weights) {
    if (typeof entry?.file !== "string" || !/^weights_\d+(\.epoch\d+)?\.npy$/.test(entry.file)) {
      fail("weights", "entries with file names like weights_0.npy");
    }
  }
  return record;
}

/** Read one `.npy` weights file. */
export async function loadWeightsFile(path: string): Promise<Matrix> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new InputError(`Cannot read ${path}: no such file`);
    throw new InputError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  return parseNpy(bytes, path);
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

/** Describe this machine for run.json. */
export function describeMachine(): Machine {
  let cpu = "unknown";
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    cpu = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ??
      /^Hardware\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ??
      cpu;
  } catch {
    // not Linux, or not allowed to read it
  }
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    os: Deno.build.os,
    arch: Deno.build.arch,
    cpu,
    cores: navigator.hardwareConcurrency,
  };
}

/** A run id as myonn makes them: letters, digits, `.`, `_`, `-`, not starting with `.`. */
export const RUN_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;

/** One entry of the runs folder: its record, or why it cannot be read. */
export type RunListing = { id: string; record: RunRecord } | { id: string; broken: string };

/**
 * Every run in `runsDir`, newest first. A folder whose run.json cannot be read is listed
 * as broken (with the reason) and never stops the others; hidden temporary folders (runs
 * being written) are skipped. A missing runs folder is an empty list.
 */
export async function listRuns(runsDir: string): Promise<RunListing[]> {
  const listings: RunListing[] = [];
  try {
    for await (const entry of Deno.readDir(runsDir)) {
      if (!entry.isDirectory || !RUN_ID.test(entry.name)) continue;
      try {
        listings.push({ id: entry.name, record: await readRunRecord(`${runsDir}/${entry.name}`) });
      } catch (error) {
        listings.push({ id: entry.name, broken: (error as Error).message });
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return listings.sort((a, b) => (a.id < b.id ? 1 : -1));
}

/** Write `bytes` to `path` through a temporary file and a rename: the old file or the new one, never half. */
async function replaceFile(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${Deno.pid}.tmp`;
  try {
    await Deno.writeFile(temporary, bytes);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
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
  for (const [index, matrix] of state.weights.entries()) {
    await replaceFile(`${directory}/${record.weights[index].file}`, formatNpy(matrix));
  }
  for (const [name, bytes] of Object.entries(state.files ?? {})) {
    if (!(await exists(`${directory}/${name}`))) await replaceFile(`${directory}/${name}`, bytes);
  }
  await replaceFile(
    `${directory}/run.json`,
    new TextEncoder().encode(JSON.stringify(record, null, 2) + "\n"),
  );
  // the previous checkpoint's weights are no longer named by run.json
  const named = new Set(record.weights.map((entry) => entry.file));
  for await (const entry of Deno.readDir(directory)) {
    if (/^weights_\d+(\.epoch\d+)?\.npy$/.test(entry.name) && !named.has(entry.name)) {
      await Deno.remove(`${directory}/${entry.name}`).catch(() => {});
    }
  }
  return { directory, record };
}

/** The network a loaded run describes, in the precision it was trained in, ready to query. */
export function runNetwork(run: LoadedRun): Network {
  return createNetwork({
    layers: run.record.config.layers,
    learningRate: run.record.config.learningRate,
    precision: run.record.config.precision ?? "f64",
    weights: run.weights,
  });
}
