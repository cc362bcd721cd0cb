/**
 * Saved sweeps: `<sweeps>/<id>/sweep.json` (its type and validator are here) and
 * `sweep.csv` (one row per training), written atomically (atomic.ts).
 *
 * @module
 */
import { InputError } from "../errors.ts";
import type { SettingKey } from "../settings.ts";
import { SPREAD } from "./spread.ts";
import { idSlug, idStamp, writeFolderAtomically } from "../store/atomic.ts";
import { listFolder, readTextFile } from "../store/files.ts";
import { MACHINE } from "../store/machine.ts";
import {
  checkFile,
  formatField,
  list,
  number,
  numberOrNaN,
  oneOf,
  record,
  text,
  v,
  versionField,
  whole,
} from "../store/schema.ts";

/** Written in sweep.json. */
export const SWEEP_FORMAT = "myonn-sweep";
export const SWEEP_VERSION = 1;

/** The settings a sweep can vary, by the name `--param` uses, and the setting each one is. */
export const SWEEP_SETTINGS = {
  lr: "learningRate",
  epochs: "epochs",
  hidden: "hidden",
  rotate: "rotate",
} as const satisfies Record<string, SettingKey>;
export type SweepParameter = keyof typeof SWEEP_SETTINGS;
/** The names `--param` takes. */
export const SWEEP_PARAMETERS = Object.keys(SWEEP_SETTINGS) as SweepParameter[];

/** One point of a sweep: the value, its spread over seeds, and every seed's training. */
export const SWEEP_POINT = record({
  value: number(),
  performance: SPREAD,
  runs: list(record({
    seed: whole(),
    performance: number(),
    history: list(record({ epoch: whole(1), performance: numberOrNaN(), meanSquaredError: numberOrNaN() })),
    trainSeconds: number(),
  })),
});
export type SweepPoint = v.InferOutput<typeof SWEEP_POINT>;

/** The contents of sweep.json. */
export const SWEEP_RECORD = record({
  format: formatField(SWEEP_FORMAT),
  version: versionField(SWEEP_VERSION),
  id: text(),
  /** the name given to the sweep (sweeps saved before names: none) */
  name: v.optional(text(), ""),
  createdAt: text(),
  parameter: oneOf(SWEEP_PARAMETERS as readonly SweepParameter[]),
  values: list(number(), "a list of numbers"),
  seeds: list(whole(), "a list of whole numbers"),
  /** every other setting, as it was held fixed (null: not set, e.g. no data limit) */
  fixed: v.record(v.string(), v.unknown(), "an object"),
  points: list(SWEEP_POINT, "a list of points"),
  seconds: number(),
  machine: MACHINE,
});
export type SweepRecord = v.InferOutput<typeof SWEEP_RECORD>;

/** Check a sweep.json's text and return the record, or an InputError naming the file and the field. */
export function parseSweepRecord(text: string, path: string): SweepRecord {
  return checkFile(SWEEP_RECORD, text, path);
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
      // named from the sweeps folder: a page shows it, and this machine's paths are not for visitors
      broken.push({ id: entry.name, reason: error.message.replaceAll(`${sweepsDir}/`, "") });
    }
  }
  return { sweeps: sweeps.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)), broken };
}
