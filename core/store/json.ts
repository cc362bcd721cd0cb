/**
 * A file's text as JSON, or an InputError naming the file: the first step of every record
 * file's check (schema.ts gives the rest).
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
