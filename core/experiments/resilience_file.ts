/**
 * resilience.json, saved in a run's folder by `resilience`: its type, validator, and how
 * it is written (atomically) and read.
 *
 * @module
 */
import { NotFoundError } from "../errors.ts";
import { SPREAD } from "./spread.ts";
import { replaceFile } from "../store/atomic.ts";
import { readTextFile } from "../store/files.ts";
import {
  checkFile,
  formatField,
  list,
  number,
  record,
  text,
  v,
  versionField,
  whole,
} from "../store/schema.ts";

/** Written in resilience.json. */
export const RESILIENCE_FORMAT = "myonn-resilience";
export const RESILIENCE_VERSION = 1;
/** Its name in a run's folder. */
export const RESILIENCE_FILE = "resilience.json";

/** One point of a curve: a level, the performance's spread over the draws, each draw's performance. */
export const RESILIENCE_POINT = record({ level: number(), performance: SPREAD, draws: list(number()) });
export type ResiliencePoint = v.InferOutput<typeof RESILIENCE_POINT>;

/** The contents of resilience.json. */
export const RESILIENCE_RECORD = record({
  format: formatField(RESILIENCE_FORMAT),
  version: versionField(RESILIENCE_VERSION),
  /** the run's id */
  run: text(),
  test: record({ source: text(), count: whole() }),
  seed: whole(),
  draws: whole(),
  /** performance with a fraction (level) of the hidden nodes removed */
  lesion: list(RESILIENCE_POINT, "a list of points"),
  /** performance with noise of a strength (level) on the test images */
  noise: list(RESILIENCE_POINT, "a list of points"),
  seconds: number(),
  createdAt: text(),
});
export type ResilienceRecord = v.InferOutput<typeof RESILIENCE_RECORD>;

/** Check a resilience.json's text and return the record, or an InputError naming the file and field. */
export function parseResilienceRecord(text: string, path: string): ResilienceRecord {
  return checkFile(RESILIENCE_RECORD, text, path);
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
