/**
 * What `deno task reproduce` keeps: `<dir>/trainings/<hash>.json`, one per finished
 * training (so an interrupted reproduction resumes where it stopped), and
 * `<dir>/<id>/report.json`, `report.md` and one SVG per graph. Every file is replaced
 * atomically; report.json is written last and names only files already there.
 *
 * @module
 */
import { SPREAD } from "./spread.ts";
import { PROVENANCES, PUBLISHED_FIGURE, PUBLISHED_TIME } from "./book.ts";
import { makeFolder, replaceFile, writeReportFolder } from "../store/atomic.ts";
import { listReportFolders, readTextFile } from "../store/files.ts";
import { MACHINE } from "../store/machine.ts";
import {
  checkFile,
  flag,
  formatField,
  list,
  number,
  oneOf,
  record,
  text,
  v,
  versionField,
  whole,
} from "../store/schema.ts";

export const REPRODUCE_FORMAT = "myonn-reproduce";
export const REPRODUCE_VERSION = 1;

/** What a finished training leaves for the report: its performance after each epoch. */
export const KEPT_TRAINING = v.pipe(
  record({
    key: text(),
    epochs: whole(),
    /** performance after epoch 1, 2, … */
    performance: list(number()),
    seconds: number(),
  }),
  v.check((kept) => kept.performance.length === kept.epochs, "one performance per epoch"),
);
export type KeptTraining = v.InferOutput<typeof KEPT_TRAINING>;

/**
 * Where a published figure stands against our lowest–highest over seeds; "reduced data"
 * when ours was measured on less data than the figure (--quick), so no verdict is given.
 */
export const VERDICTS = ["inside our spread", "book higher", "book lower", "reduced data"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** One x value of a line (x null: a line without a graph): the spread over seeds and each seed's figure. */
export const REPORT_POINT = record({
  x: v.nullable(number("a number or null")),
  performance: SPREAD,
  runs: list(record({ seed: whole(), performance: number() })),
});
export type ReportPoint = v.InferOutput<typeof REPORT_POINT>;

/** A line of an experiment, and the published figures set against it. */
export const REPORT_LINE = record({
  label: text(),
  /** its settings as a reader reads them (what differs from the defaults) */
  settings: text(),
  points: list(REPORT_POINT),
  published: list(v.object({
    ...PUBLISHED_FIGURE.entries,
    x: v.nullable(number("a number or null")),
    ours: SPREAD,
    verdict: oneOf(VERDICTS),
  }, "an object")),
  /** the wall-clock seconds of the line's trainings, one per seed (absent in reports before 2026-12) */
  seconds: v.optional(SPREAD),
  /** times the texts give for the same training, set beside ours */
  times: v.optional(list(PUBLISHED_TIME)),
});
export type ReportLine = v.InferOutput<typeof REPORT_LINE>;

/** The outputs the book prints for one test record, beside ours per seed. */
export const REPORT_QUERY_OUTPUT = record({
  experiment: text(),
  record: whole(),
  label: whole(),
  /** the book's ten outputs */
  outputs: list(number()),
  source: text(),
  provenance: oneOf(PROVENANCES),
  quote: text(),
  /** ours, per output node: the spread over seeds */
  ours: list(SPREAD),
});
export type ReportQueryOutput = v.InferOutput<typeof REPORT_QUERY_OUTPUT>;

export const REPORT_EXPERIMENT = record({
  id: text(),
  title: text(),
  source: text(),
  note: text(),
  /** the graph's x axis (null: no graph) */
  parameter: v.nullable(text("text or null")),
  lines: list(REPORT_LINE),
  /** the chart's file beside report.json, when it has one */
  chart: v.optional(text()),
});
export type ReportExperiment = v.InferOutput<typeof REPORT_EXPERIMENT>;

/** The contents of report.json. */
export const REPRODUCE_REPORT = record({
  format: formatField(REPRODUCE_FORMAT),
  version: versionField(REPRODUCE_VERSION),
  id: text(),
  createdAt: text(),
  /** the command that made it */
  command: text(),
  quick: flag(),
  seeds: list(whole(), "a list of whole numbers"),
  /** data limits of --quick (null: the full sets) */
  limits: v.nullable(
    record({ limitTrain: whole(), limitTest: whole() }, "null or { limitTrain, limitTest }"),
  ),
  /** wall-clock time of this invocation, and how many trainings it ran (the rest were kept from before) */
  seconds: number(),
  trained: whole(),
  reused: whole(),
  /** the trainings' own times added up (kept ones included): what the report costs from nothing, on one core */
  trainingSeconds: number(),
  machine: MACHINE,
  experiments: list(REPORT_EXPERIMENT),
  /** the first test record's outputs after the 100-record training, beside the book's */
  queryOutput: v.optional(REPORT_QUERY_OUTPUT),
});
export type ReproduceReport = v.InferOutput<typeof REPRODUCE_REPORT>;

/** Check a report.json's text: an InputError naming the file and field when it is not one. */
export function parseReproduceReport(text: string, path: string): ReproduceReport {
  return checkFile(REPRODUCE_REPORT, text, path);
}

/** A training's file name: its key hashed (the key holds every setting that decides its weights). */
async function trainingFile(directory: string, key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  const hex = Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
  return `${directory}/trainings/${hex}.json`;
}

/** A finished training kept from an earlier reproduction, if there is one with at least `epochs`. */
export async function loadKeptTraining(
  directory: string,
  key: string,
  epochs: number,
): Promise<KeptTraining | null> {
  const path = await trainingFile(directory, key);
  let text: string;
  try {
    text = await readTextFile(path, { maxBytes: 1024 * 1024 });
  } catch {
    return null; // not there (or unreadable): train it again
  }
  try {
    const kept = v.safeParse(KEPT_TRAINING, JSON.parse(text));
    return kept.success && kept.output.key === key && kept.output.epochs >= epochs ? kept.output : null;
  } catch {
    return null; // a damaged file is trained again, and replaced
  }
}

/** Keep a finished training (atomically: an interrupted reproduction never leaves half a file). */
export async function saveKeptTraining(directory: string, result: KeptTraining): Promise<void> {
  await makeFolder(`${directory}/trainings`);
  await replaceFile(await trainingFile(directory, result.key), JSON.stringify(result));
}

/** Write a report's folder: the charts and report.md first, report.json last. */
export function saveReport(
  directory: string,
  report: ReproduceReport,
  files: Record<string, string>,
): Promise<string> {
  return writeReportFolder(directory, report.id, report, files);
}

/** The report in `folder` (its report.json, checked). */
export async function readReport(folder: string): Promise<ReproduceReport> {
  const path = `${folder}/report.json`;
  return parseReproduceReport(await readTextFile(path, { maxBytes: 8 * 1024 * 1024 }), path);
}

/** Every readable report under `directory`, newest first (a damaged one is skipped: the others still show). */
export function listReports(directory: string): Promise<{ report: ReproduceReport; folder: string }[]> {
  return listReportFolders(directory, readReport, ["trainings"]);
}
