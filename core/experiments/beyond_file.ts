/**
 * What `deno task beyond` writes: `<dir>/<id>/report.json` (its validator is here),
 * `report.md` and `ladder.svg`, each replaced atomically; report.json last, naming only
 * files already there.
 *
 * @module
 */
import { SPREAD } from "./spread.ts";
import { writeReportFolder } from "../store/atomic.ts";
import { listReportFolders, readTextFile } from "../store/files.ts";
import { MACHINE } from "../store/machine.ts";
import {
  checkFile,
  flag,
  formatField,
  list,
  number,
  record,
  text,
  v,
  versionField,
  whole,
} from "../store/schema.ts";

export const BEYOND_FORMAT = "myonn-beyond";
export const BEYOND_VERSION = 1;

/** One seed of a rung: validation after every epoch, the test once at the end. */
export const BEYOND_RUN = record({
  seed: whole(),
  validation: list(number(), "a list of numbers"),
  test: number(),
  /** wall-clock seconds of the training (load and scoring included) */
  seconds: number(),
  /** seconds training, per epoch (mean) */
  epochSeconds: number(),
  /** own handwriting images read right, where counted */
  ownImages: v.optional(record({ right: whole(), of: whole() }, "{ right, of } whole numbers")),
});
export type BeyondRun = v.InferOutput<typeof BEYOND_RUN>;

/** One rung's result over the seeds. */
export const BEYOND_RUNG = record({
  id: text(),
  adds: text(),
  /** whether the rungs above build on it (the preset is the last kept rung) */
  kept: flag(),
  /** kept by the ladder's design, not its own validation: why */
  byDesign: v.optional(text()),
  flags: text(),
  epochs: whole(1),
  /** validation after the last epoch */
  validation: SPREAD,
  test: SPREAD,
  seconds: SPREAD,
  epochSeconds: SPREAD,
  runs: v.pipe(list(BEYOND_RUN, "a list of runs"), v.minLength(1, "a list of runs")),
});
export type BeyondRung = v.InferOutput<typeof BEYOND_RUNG>;

/** The ladder's report.json. */
export const BEYOND_REPORT = record({
  format: formatField(BEYOND_FORMAT),
  version: versionField(BEYOND_VERSION),
  id: text(),
  createdAt: text(),
  command: text(),
  quick: flag(),
  seeds: v.pipe(list(whole(), "a list of whole numbers"), v.minLength(1, "a list of whole numbers")),
  validation: whole(1),
  limits: v.nullable(
    record(
      { limitTrain: whole(), limitTest: whole(), maxEpochs: whole() },
      "null or whole numbers for limitTrain, limitTest, maxEpochs",
    ),
  ),
  /** wall-clock seconds of this command (trainings kept from before not counted) */
  seconds: number(),
  /** every training's own seconds, added up: the ladder's cost, kept trainings included */
  trainingSeconds: number(),
  rungs: v.pipe(list(BEYOND_RUNG, "a list of rungs"), v.minLength(1, "a list of rungs")),
  machine: MACHINE,
});
export type BeyondReport = v.InferOutput<typeof BEYOND_REPORT>;

/** Check a report.json's text; a missing or wrong field is an InputError naming the file and the field. */
export function parseBeyondReport(text: string, path: string): BeyondReport {
  return checkFile(BEYOND_REPORT, text, path);
}

/** Write the report's files, then report.json; returns the folder. */
export function saveBeyondReport(
  directory: string,
  report: BeyondReport,
  files: Record<string, string>,
): Promise<string> {
  return writeReportFolder(directory, report.id, report, files);
}

/** The ladder report in `folder`, checked. */
export async function readBeyondReport(folder: string): Promise<BeyondReport> {
  const path = `${folder}/report.json`;
  return parseBeyondReport(await readTextFile(path, { maxBytes: 8 * 1024 * 1024 }), path);
}

/** Every readable ladder report under `directory`, newest first (a damaged one is skipped). */
export function listBeyondReports(directory: string): Promise<{ report: BeyondReport; folder: string }[]> {
  return listReportFolders(directory, readBeyondReport, ["runs"]);
}
