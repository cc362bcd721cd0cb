/**
 * The kinds of error. InputError is one a user can fix: bad input data, a bad flag, a
 * missing file (NotFoundError), a setting out of range (SettingError). Scripts print
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

/** A file, folder or run that does not exist (or is not what it should be): an InputError a server answers with 404. */
export class NotFoundError extends InputError {
  override name = "NotFoundError";
}

/** A value of one setting (a flag, an API field) outside what the setting allows. */
export class SettingError extends InputError {
  override name = "SettingError";
  /** the setting's key, e.g. `limitTrain` */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(message);
    this.setting = setting;
  }
}

/** Work stopped because someone asked it to (Ctrl-C, the dashboard's Cancel): not a failure. */
export class CancelledError extends Error {
  override name = "CancelledError";
}

/** The kinds of error that cross a Worker's message boundary, by name. */
export type ErrorKind = "input" | "not-found" | "cancelled" | "bug";

/** The kind of `error`, for sending it as plain JSON (a Worker's message). */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof NotFoundError) return "not-found";
  if (error instanceof InputError) return "input";
  if (error instanceof CancelledError) return "cancelled";
  return "bug";
}

/** The error a kind and message stand for, on the other side of a Worker's message. */
export function errorOfKind(kind: ErrorKind, message: string): Error {
  if (kind === "not-found") return new NotFoundError(message);
  if (kind === "input") return new InputError(message);
  if (kind === "cancelled") return new CancelledError(message);
  return new Error(message);
}
