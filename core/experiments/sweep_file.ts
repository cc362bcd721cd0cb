/**
 * Saved sweeps: `<sweeps>/<id>/sweep.json` (its type and validator are here) and
 * `sweep.csv` (one row per training), written atomically (atomic.ts).
 *
 * @module
 */
import { InputError } from "../errors.ts";
import type { SweepParameter, SweepPoint } from "./sweep.ts";
import { idSlug, idStamp, writeFolderAtomically } from "../store/atomic.ts";
import { listFolder, readTextFile } from "../store/files.ts";
import { fieldError, isNumber, parseJson } from "../store/json.ts";
import type { Machine } from "../store/machine.ts";

/** Written in sweep.json. */
export const SWEEP_FORMAT = "myonn-sweep";
export const SWEEP_VERSION = 1;

/** The contents of sweep.json. */
export interface SweepRecord {
  format: typeof SWEEP_FORMAT;
  version: typeof SWEEP_VERSION;
  id: string;
  name: string;
  createdAt: string;
  parameter: SweepParameter;
  values: number[];
  seeds: number[];
  /** every other setting, as it was held fixed (null: not set, e.g. no data limit) */
  fixed: Record<string, unknown>;
  points: SweepPoint[];
  seconds: number;
  machine: Machine;
}

/**
 * Check a sweep.json's text and return the record; what a reader relies on that is missing
 * or of the wrong kind is an InputError naming the file and the field.
 */
export function parseSweepRecord(text: string, path: string): SweepRecord {
  const sweep = parseJson(text, path) as SweepRecord;
  const fail = fieldError(path);
  if (typeof sweep !== "object" || sweep === null || sweep.format !== SWEEP_FORMAT) {
    fail("format", `"${SWEEP_FORMAT}"`);
  }
  if (sweep.version !== SWEEP_VERSION) fail("version", `${SWEEP_VERSION} (written by another myonn)`);
  if (typeof sweep.id !== "string" || typeof sweep.createdAt !== "string") fail("id and createdAt", "text");
  if (typeof sweep.parameter !== "string") fail("parameter", "text");
  if (!Array.isArray(sweep.values) || !sweep.values.every(isNumber)) fail("values", "a list of numbers");
  if (!Array.isArray(sweep.seeds) || !sweep.seeds.every(isNumber)) fail("seeds", "a list of numbers");
  if (typeof sweep.fixed !== "object" || sweep.fixed === null) fail("fixed", "an object");
  const spreadFields = ["mean", "standardDeviation", "min", "max"] as const;
  if (
    !Array.isArray(sweep.points) ||
    !sweep.points.every((point) =>
      isNumber(point?.value) && spreadFields.every((field) => isNumber(point?.performance?.[field])) &&
      Array.isArray(point.runs)
    )
  ) {
    fail("points", "a list of { value, performance: { mean, standardDeviation, min, max }, runs }");
  }
  return sweep;
}

/** One row per training: parameter, value, seed, performance, train seconds. */
export function sweepCsv(sweep: SweepRecord): string {
  const rows = ["parameter,value,seed,performance,train_seconds"];
  for (const point of sweep.points) {
    for (const run of point.runs) {
      rows.push(
        `${sweep.parameter},${point.value},${run.seed},${run.performance},${run.trainSeconds.toFixed(3)}`,
      );
    }
  }
  return rows.join("\n") + "\n";
}

/** Save a sweep as `sweepsDir/<time>-<parameter>[-name]`, atomically; returns its folder. */
export async function saveSweep(sweepsDir: string, sweep: SweepRecord): Promise<string> {
  const slug = idSlug(sweep.name);
  const base = `${idStamp(new Date(sweep.createdAt))}-${sweep.parameter}${slug ? `-${slug}` : ""}`;
  const csv = sweepCsv(sweep);
  const { directory } = await writeFolderAtomically(sweepsDir, base, (id) => ({
    "sweep.json": JSON.stringify({ ...sweep, id }, null, 2) + "\n",
    "sweep.csv": csv,
  }));
  return directory;
}

/** Read and check one sweep.json. */
export async function readSweep(path: string): Promise<SweepRecord> {
  return parseSweepRecord(await readTextFile(path, { maxBytes: 64 * 1024 * 1024 }), path);
}

/**
 * Every sweep in `sweepsDir`, newest first, and the folders that are not readable sweeps
 * with the reason (a dashboard shows them rather than hiding them).
 */
export async function listSweeps(
  sweepsDir: string,
): Promise<{ sweeps: SweepRecord[]; broken: { id: string; reason: string }[] }> {
  const sweeps: SweepRecord[] = [];
  const broken: { id: string; reason: string }[] = [];
  for (const entry of await listFolder(sweepsDir)) {
    if (!entry.isDirectory || entry.name.startsWith(".")) continue;
    try {
      sweeps.push(await readSweep(`${sweepsDir}/${entry.name}/sweep.json`));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      broken.push({ id: entry.name, reason: error.message });
    }
  }
  return { sweeps: sweeps.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)), broken };
}
