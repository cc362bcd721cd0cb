/**
 * What `deno task reproduce` keeps: `<dir>/trainings/<hash>.json`, one per finished
 * training (so an interrupted reproduction resumes where it stopped), and
 * `<dir>/<id>/report.json`, `report.md` and one SVG per graph. Every file is replaced
 * atomically; report.json is written last and names only files already there.
 *
 * @module
 */
import type { Spread } from "./spread.ts";
import type { PublishedFigure, PublishedTime } from "./book.ts";
import { makeFolder, replaceFile, writeReportFolder } from "../store/atomic.ts";
import { listReportFolders, readTextFile } from "../store/files.ts";
import { fieldError, isNumber, parseJson } from "../store/json.ts";
import type { Machine } from "../store/machine.ts";

export const REPRODUCE_FORMAT = "myonn-reproduce";
export const REPRODUCE_VERSION = 1;

/** What a finished training leaves for the report: its performance after each epoch. */
export interface KeptTraining {
  key: string;
  epochs: number;
  /** performance after epoch 1, 2, … */
  performance: number[];
  seconds: number;
}

/**
 * Where a published figure stands against our lowest–highest over seeds; "reduced data"
 * when ours was measured on less data than the figure (--quick), so no verdict is given.
 */
export type Verdict = "inside our spread" | "book higher" | "book lower" | "reduced data";

/** One x value of a line (x null: a line without a graph): the spread over seeds and each seed's figure. */
export interface ReportPoint {
  x: number | null;
  performance: Spread;
  runs: { seed: number; performance: number }[];
}

/** A line of an experiment, and the published figures set against it. */
export interface ReportLine {
  label: string;
  /** its settings as a reader reads them (what differs from the defaults) */
  settings: string;
  points: ReportPoint[];
  published: (PublishedFigure & { x: number | null; ours: Spread; verdict: Verdict })[];
  /** the wall-clock seconds of the line's trainings, one per seed (absent in reports before 2026-12) */
  seconds?: Spread;
  /** times the texts give for the same training, set beside ours */
  times?: PublishedTime[];
}

/** The outputs the book prints for one test record, beside ours per seed. */
export interface ReportQueryOutput {
  experiment: string;
  record: number;
  label: number;
  /** the book's ten outputs */
  outputs: number[];
  source: string;
  provenance: string;
  quote: string;
  /** ours, per output node: the spread over seeds */
  ours: Spread[];
}

export interface ReportExperiment {
  id: string;
  title: string;
  source: string;
  note: string;
  /** the graph's x axis (null: no graph) */
  parameter: string | null;
  lines: ReportLine[];
  /** the chart's file beside report.json, when it has one */
  chart?: string;
}

/** The contents of report.json. */
export interface ReproduceReport {
  format: typeof REPRODUCE_FORMAT;
  version: typeof REPRODUCE_VERSION;
  id: string;
  createdAt: string;
  /** the command that made it */
  command: string;
  quick: boolean;
  seeds: number[];
  /** data limits of --quick (null: the full sets) */
  limits: { limitTrain: number; limitTest: number } | null;
  /** wall-clock time of this invocation, and how many trainings it ran (the rest were kept from before) */
  seconds: number;
  trained: number;
  reused: number;
  /** the trainings' own times added up (kept ones included): what the report costs from nothing, on one core */
  trainingSeconds: number;
  machine: Machine;
  experiments: ReportExperiment[];
  /** the first test record's outputs after the 100-record training, beside the book's */
  queryOutput?: ReportQueryOutput;
}

/** Check a report.json's text: an InputError naming the file and field when it is not one. */
export function parseReproduceReport(text: string, path: string): ReproduceReport {
  const report = parseJson(text, path) as ReproduceReport;
  const fail = fieldError(path);
  if (typeof report !== "object" || report === null || report.format !== REPRODUCE_FORMAT) {
    fail("format", `"${REPRODUCE_FORMAT}"`);
  }
  if (report.version !== REPRODUCE_VERSION) {
    fail("version", `${REPRODUCE_VERSION} (written by another myonn)`);
  }
  if (typeof report.id !== "string" || typeof report.createdAt !== "string") fail("id and createdAt", "text");
  if (!Array.isArray(report.seeds) || !report.seeds.every(isNumber)) fail("seeds", "a list of numbers");
  const isSpread = (s: Spread) =>
    ["mean", "standardDeviation", "min", "max"].every((f) => isNumber(s?.[f as keyof Spread]));
  if (
    !Array.isArray(report.experiments) ||
    !report.experiments.every((experiment) =>
      typeof experiment?.id === "string" && typeof experiment.title === "string" &&
      Array.isArray(experiment.lines) && experiment.lines.every((line) =>
        typeof line?.label === "string" && Array.isArray(line.points) && Array.isArray(line.published) &&
        line.points.every((point) =>
          (point?.x === null || isNumber(point?.x)) && isSpread(point.performance)
        ) &&
        line.published.every((figure) =>
          isNumber(figure?.value) && isSpread(figure.ours) && typeof figure.verdict === "string" &&
          typeof figure.source === "string"
        )
      )
    )
  ) {
    fail("experiments", "a list of { id, title, lines: [{ label, points, published }] }");
  }
  return report;
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
    const result = JSON.parse(text) as KeptTraining;
    const valid = result.key === key && Array.isArray(result.performance) &&
      result.performance.every(isNumber) &&
      result.performance.length === result.epochs;
    return valid && result.epochs >= epochs ? result : null;
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
