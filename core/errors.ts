/**
 * The error a user can fix: bad input data, a bad flag, a missing file. Scripts print
 * its message as one line (no stack trace) and exit non-zero; any other error is a bug
 * and keeps its stack trace.
 *
 * @module
 */

/** The longest message, in characters: a quoted piece of a bad file must not flood the terminal. */
const MAX_MESSAGE = 400;

/**
 * An error whose message names the input (file and line, flag, field) and what was
 * expected. The message is always one line: line breaks and control characters from
 * quoted input become spaces, and it is cut at 400 characters.
 */
export class InputError extends Error {
  override name = "InputError";

  constructor(message: string) {
    // deno-lint-ignore no-control-regex
    const line = message.replace(/[\u0000-\u001f\u007f]+/g, " ");
    super(line.length > MAX_MESSAGE ? line.slice(0, MAX_MESSAGE - 1) + "…" : line);
  }
}
