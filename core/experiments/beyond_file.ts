/**
 * What `deno task beyond` writes: `<dir>/<id>/report.json` (its validator is here),
 * `report.md` and `ladder.svg`, each replaced atomically; report.json last, naming only
 * files already there.
 *
 * @module
 */
import type { BeyondReport } from "./beyond.ts";
import { writeReportFolder } from "../store/atomic.ts";
import { listReportFolders, readTextFile } from "../store/files.ts";
import { fieldError, isNumber, parseJson } from "../store/json.ts";

export const BEYOND_FORMAT = "myonn-beyond";
export const BEYOND_VERSION = 1;

const SPREAD_FIELDS = ["mean", "standardDeviation", "min", "max"] as const;

/** Check a report.json's text; a missing or wrong field is an InputError naming the file and the field. */
export function parseBeyondReport(text: string, path: string): BeyondReport {
  const report = parseJson(text, path) as BeyondReport;
  const fail = fieldError(path);
  if (typeof report !== "object" || report === null || report.format !== BEYOND_FORMAT) {
    fail("format", `"${BEYOND_FORMAT}"`);
  }
  if (report.version !== BEYOND_VERSION) fail("version", `${BEYOND_VERSION} (written by another myonn)`);
  for (const field of ["id", "createdAt", "command"] as const) {
    if (typeof report[field] !== "string") fail(field, "text");
  }
  if (typeof report.quick !== "boolean") fail("quick", "true or false");
  if (
    !Array.isArray(report.seeds) || report.seeds.length === 0 || !report.seeds.every(Number.isSafeInteger)
  ) {
    fail("seeds", "a list of whole numbers");
  }
  if (!Number.isSafeInteger(report.validation) || report.validation < 1) {
    fail("validation", "a whole number ≥ 1");
  }
  const limits = report.limits;
  if (
    limits !== null &&
    (typeof limits !== "object" ||
      !["limitTrain", "limitTest", "maxEpochs"].every((field) =>
        Number.isSafeInteger((limits as Record<string, unknown>)[field])
      ))
  ) {
    fail("limits", "null or whole numbers for limitTrain, limitTest, maxEpochs");
  }
  if (!isNumber(report.seconds) || !isNumber(report.trainingSeconds)) {
    fail("seconds and trainingSeconds", "numbers");
  }
  if (typeof report.machine !== "object" || report.machine === null) fail("machine", "an object");
  if (!Array.isArray(report.rungs) || report.rungs.length === 0) fail("rungs", "a list of rungs");
  report.rungs.forEach((rung, i) => checkRung(rung, `rungs[${i}]`, fail));
  return report;
}

function checkRung(
  rung: BeyondReport["rungs"][number],
  at: string,
  fail: (field: string, expected: string) => never,
): void {
  if (typeof rung !== "object" || rung === null) fail(at, "an object");
  for (const field of ["id", "adds", "flags"] as const) {
    if (typeof rung[field] !== "string") fail(`${at}.${field}`, "text");
  }
  if (typeof rung.kept !== "boolean") fail(`${at}.kept`, "true or false");
  if (rung.byDesign !== undefined && typeof rung.byDesign !== "string") fail(`${at}.byDesign`, "text");
  if (!Number.isSafeInteger(rung.epochs) || rung.epochs < 1) fail(`${at}.epochs`, "a whole number ≥ 1");
  for (const field of ["validation", "test", "seconds", "epochSeconds"] as const) {
    const value = rung[field] as unknown as Record<string, unknown> | null;
    if (typeof value !== "object" || value === null || !SPREAD_FIELDS.every((key) => isNumber(value[key]))) {
      fail(`${at}.${field}`, `{ ${SPREAD_FIELDS.join(", ")} } numbers`);
    }
  }
  if (!Array.isArray(rung.runs) || rung.runs.length === 0) fail(`${at}.runs`, "a list of runs");
  rung.runs.forEach((run, j) => {
    const where = `${at}.runs[${j}]`;
    if (
      typeof run !== "object" || run === null || !Number.isSafeInteger(run.seed) ||
      !Array.isArray(run.validation) || !run.validation.every(isNumber) ||
      !isNumber(run.test) || !isNumber(run.seconds) || !isNumber(run.epochSeconds)
    ) {
      fail(where, "{ seed, validation: numbers, test, seconds, epochSeconds }");
    }
    const own = run.ownImages;
    if (own !== undefined && (!Number.isSafeInteger(own?.right) || !Number.isSafeInteger(own?.of))) {
      fail(`${where}.ownImages`, "{ right, of } whole numbers");
    }
  });
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
