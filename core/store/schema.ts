/**
 * The file formats' schemas: each format (run.json, sweep.json, resilience.json, the
 * reports, live files) is declared once as a valibot schema, which gives both its type
 * (`v.InferOutput`) and its check. The pieces here are the value kinds those declarations
 * share, each carrying what a reader is told when a value is not one ("a number", "text"…),
 * and `checkFile`, which turns the first wrong field into the one-line error every reader
 * gives: `<file>: "<field>" must be <expected>`.
 *
 * Why valibot (npm): one declaration instead of a type and a hand-written validator that
 * drift apart (parseRunRecord had missed three fields); its schemas are plain functions, and
 * checking a run.json costs about what the hand-written code did (bench/schema.ts measures).
 *
 * @module
 */
import * as v from "valibot";
import { InputError } from "../errors.ts";
import { parseJson } from "./json.ts";

export { v };

/** A finite number. */
export const number = (expected = "a number") => v.pipe(v.number(expected), v.finite(expected));

/** A finite number ≥ 0. */
export const nonNegative = (expected = "a number ≥ 0") => v.pipe(number(expected), v.minValue(0, expected));

/** A whole number ≥ `min` that a float holds exactly. */
export const whole = (min = 0, expected = min === 0 ? "a whole number" : `a whole number ≥ ${min}`) =>
  v.pipe(v.number(expected), v.safeInteger(expected), v.minValue(min, expected));

/** Text. */
export const text = (expected = "text") => v.string(expected);

/** true or false. */
export const flag = () => v.boolean("true or false");

/** One of `values` (compared as they are: a name from outside is never looked up on an object). */
export const oneOf = <const T extends readonly string[]>(values: T) =>
  v.picklist(values, `one of ${values.join(", ")}`);

/**
 * An object with `entries`. A field no schema names is not kept: a format is what its schema
 * declares (a newer myonn's fields come with a newer version, which is refused).
 */
export const record = <const E extends v.ObjectEntries>(entries: E, expected = "an object") =>
  v.object(entries, expected);

/** A list of `item`. */
export const list = <const T extends v.GenericSchema>(item: T, expected = "a list") =>
  v.array(item, expected);

/** A number that JSON wrote as null because it was not finite (NaN): read back as NaN. */
export const numberOrNaN = (expected = "a number or null") =>
  v.pipe(v.union([number(expected), v.null_(expected)], expected), v.transform((value) => value ?? NaN));

/** A format's name and version: a file of another format, or of a newer version, is refused. */
export const formatField = <const F extends string>(format: F) => v.literal(format, `"${format}"`);
export const versionField = <const N extends number>(version: N) =>
  v.literal(version, `${version} (written by another myonn)`);

/** How a field's place reads in an error: config.layers, rungs[1].test.mean. */
function fieldName(path: v.IssuePathItem[] | undefined): string {
  let name = "";
  for (const item of path ?? []) {
    const key = item.key;
    name += typeof key === "number" ? `[${key}]` : `${name ? "." : ""}${String(key)}`;
  }
  return name;
}

/** `value` checked against `schema`, or an InputError naming `path` and the first field that is wrong. */
export function checkValue<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  path: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, value, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = fieldName(issue.path);
  // a field that is not there is reported by its object: say it is missing
  const missing = issue.type === "object" && issue.received === "undefined" &&
    issue.path?.at(-1)?.origin === "key";
  if (missing) throw new InputError(`${path}: "${field}" is missing`);
  throw new InputError(
    field ? `${path}: "${field}" must be ${issue.message}` : `${path} must be ${issue.message}`,
  );
}

/** A file's text as JSON, checked against `schema` (checkValue). */
export function checkFile<S extends v.GenericSchema>(
  schema: S,
  text: string,
  path: string,
): v.InferOutput<S> {
  const value = parseJson(text, path);
  // every format is an object (valibot's objects take a list too, and would name its first missing field)
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(`${path} must be an object`);
  }
  return checkValue(schema, value, path);
}
