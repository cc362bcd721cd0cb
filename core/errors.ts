/**
 * The error a user can fix: bad input data, a bad flag, a missing file. Scripts print
 * its message as one line (no stack trace) and exit non-zero; any other error is a bug
 * and keeps its stack trace.
 *
 * @module
 */

/** An error whose message names the input (file and line, flag, field) and what was expected. */
export class InputError extends Error {
  override name = "InputError";
}
