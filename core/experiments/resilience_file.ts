/**
 * resilience.json, saved in a run's folder by `resilience`: its type, validator, and how
 * it is written (atomically) and read.
 *
 * @module
 */
import { NotFoundError } from "../errors.ts";
import type { ResiliencePoint } from "./resilience.ts";
import { replaceFile } from "../store/atomic.ts";
import { readTextFile } from "../store/files.ts";
import { fieldError, isNumber, parseJson } from "../store/json.ts";

/** Written in resilience.json. */
export const RESILIENCE_FORMAT = "myonn-resilience";
export const RESILIENCE_VERSION = 1;
/** Its name in a run's folder. */
export const RESILIENCE_FILE = "resilience.json";

/** The contents of resilience.json. */
export interface ResilienceRecord {
  format: typeof RESILIENCE_FORMAT;
  version: typeof RESILIENCE_VERSION;
  /** the run's id */
  run: string;
  test: { source: string; count: number };
  seed: number;
  draws: number;
  /** performance with a fraction (level) of the hidden nodes removed */
  lesion: ResiliencePoint[];
  /** performance with noise of a strength (level) on the test images */
  noise: ResiliencePoint[];
  seconds: number;
  createdAt: string;
}

/** Check a resilience.json's text and return the record, or an InputError naming the file and field. */
export function parseResilienceRecord(text: string, path: string): ResilienceRecord {
  const record = parseJson(text, path) as ResilienceRecord;
  const fail = fieldError(path);
  if (typeof record !== "object" || record === null || record.format !== RESILIENCE_FORMAT) {
    fail("format", `"${RESILIENCE_FORMAT}"`);
  }
  if (record.version !== RESILIENCE_VERSION) fail("version", `${RESILIENCE_VERSION}`);
  for (const curve of ["lesion", "noise"] as const) {
    if (
      !Array.isArray(record[curve]) ||
      !record[curve].every((point) =>
        isNumber(point?.level) &&
        ["mean", "min", "max"].every((field) =>
          isNumber((point.performance as unknown as Record<string, unknown>)?.[field])
        )
      )
    ) {
      fail(curve, "a list of { level, performance: { mean, min, max } }");
    }
  }
  return record;
}

/** Save `record` as the run's resilience.json, replacing any earlier one atomically; returns the path. */
export async function saveResilience(runDirectory: string, record: ResilienceRecord): Promise<string> {
  const path = `${runDirectory}/${RESILIENCE_FILE}`;
  await replaceFile(path, JSON.stringify(record, null, 2) + "\n");
  return path;
}

/** The run's resilience.json, or undefined when it has none. */
export async function readResilience(runDirectory: string): Promise<ResilienceRecord | undefined> {
  const path = `${runDirectory}/${RESILIENCE_FILE}`;
  try {
    return parseResilienceRecord(await readTextFile(path, { maxBytes: 16 * 1024 * 1024 }), path);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
