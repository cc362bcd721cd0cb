/**
 * What every record file's validator shares: its text parsed as a JSON object, and a way
 * to fail that names the file and the field.
 *
 * @module
 */
import { InputError } from "../errors.ts";

/** The text as JSON, or an InputError naming the file. */
export function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A function that throws `<path>: "<field>" must be <expected>`. */
export function fieldError(path: string): (field: string, expected: string) => never {
  return (field, expected) => {
    throw new InputError(`${path}: "${field}" must be ${expected}`);
  };
}

/** A finite number. */
export function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}
