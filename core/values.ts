/**
 * The kinds of value a setting takes — a whole number, a real number, one of a list, free
 * text — each with its range in words and its check, used by the settings table
 * (settings.ts), and so by flags, the API and the form alike. And how a number is read from
 * text, the one way everywhere: decimal only — "0x10", "1_000", "Infinity" and " " are not
 * numbers here, though JavaScript's Number() reads them.
 *
 * @module
 */
import { SettingError } from "./errors.ts";

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const WHOLE = /^[+-]?\d+$/;

/** The decimal number `text` writes (surrounding spaces aside), or NaN when it writes none. */
export function decimalNumber(text: string): number {
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : NaN;
}

/** The whole number `text` writes in decimal digits, or NaN (also past what a float holds exactly). */
export function wholeNumberOf(text: string): number {
  const trimmed = text.trim();
  const number = WHOLE.test(trimmed) ? Number(trimmed) : NaN;
  return Number.isSafeInteger(number) ? number : NaN;
}

/** One setting: how it is named, checked, defaulted and explained. */
export interface Setting<T> {
  /** the command-line flag, without `--` */
  flag: string;
  /** one line for --help and the form */
  help: string;
  /** the value's placeholder in --help: N, RATE, DIR */
  placeholder: string;
  /** the default (the book's final network); undefined: unset unless given */
  default: T | undefined;
  /** the allowed values, in words, for --help and error messages */
  range: string;
  /** the value from text or JSON, checked; `name` is how the caller spells the setting */
  parse(value: unknown, name: string): T;
  /** how a value is written back as text (the form's default, --help) */
  format(value: T): string;
  /** the choices, for a select */
  choices?: readonly string[];
  /** what kind of value: forms pick their keyboard from it */
  kind: "whole" | "real" | "choice" | "text" | "list";
}

/** A value as trimmed text, or a SettingError when it is neither text nor a number. */
export function text(value: unknown, name: string, expected: string): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value.trim();
  throw new SettingError(name, `${name} must be ${expected}, got ${JSON.stringify(value) ?? typeof value}`);
}

/** A whole-number setting in min…max. */
export function wholeNumber(options: {
  flag: string;
  help: string;
  placeholder?: string;
  default: number | undefined;
  min: number;
  max: number;
}): Setting<number> {
  const range = options.max === Number.MAX_SAFE_INTEGER
    ? `a whole number ≥ ${options.min}`
    : `a whole number ${options.min}–${options.max.toLocaleString("en")}`;
  return {
    flag: options.flag,
    help: options.help,
    placeholder: options.placeholder ?? "N",
    default: options.default,
    range,
    kind: "whole",
    format: String,
    parse(value, name) {
      const given = text(value, name, range);
      const number = wholeNumberOf(given);
      if (!Number.isSafeInteger(number) || number < options.min || number > options.max) {
        throw new SettingError(name, `${name} must be ${range}, got "${given}"`);
      }
      return number;
    },
  };
}

/** A real-number setting: above `above` (or at least `min`), at most `max`. */
export function realNumber(options: {
  flag: string;
  help: string;
  placeholder: string;
  default: number;
  min?: number;
  above?: number;
  max: number;
}): Setting<number> {
  const low = options.above !== undefined ? `> ${options.above}` : `≥ ${options.min}`;
  const range = options.max === Number.MAX_VALUE ? `a number ${low}` : `a number ${low} and ≤ ${options.max}`;
  return {
    flag: options.flag,
    help: options.help,
    placeholder: options.placeholder,
    default: options.default,
    range,
    kind: "real",
    format: String,
    parse(value, name) {
      const given = text(value, name, range);
      const number = decimalNumber(given);
      const tooLow = options.above !== undefined ? number <= options.above : number < options.min!;
      if (!Number.isFinite(number) || tooLow || number > options.max) {
        throw new SettingError(name, `${name} must be ${range}, got "${given}"`);
      }
      return number;
    },
  };
}

/** One of a fixed list of names. */
export function choice<T extends string>(
  options: { flag: string; help: string; placeholder: string; default: T; choices: readonly T[] },
): Setting<T> {
  const range = `one of ${options.choices.join(", ")}`;
  return {
    ...options,
    range,
    kind: "choice",
    format: String,
    parse(value, name) {
      const given = text(value, name, range);
      if (!options.choices.includes(given as T)) {
        throw new SettingError(name, `${name} must be ${range}, got "${given}"`);
      }
      return given as T;
    },
  };
}

/** Free text up to `max` characters (a name, a path, a data source). */
export function freeText(
  options: { flag: string; help: string; placeholder: string; default: string | undefined; max: number },
): Setting<string> {
  const range = `text of at most ${options.max} characters`;
  return {
    ...options,
    range,
    kind: "text",
    format: String,
    parse(value, name) {
      if (typeof value !== "string") {
        throw new SettingError(name, `${name} must be text, got ${JSON.stringify(value) ?? typeof value}`);
      }
      if (value.length > options.max) throw new SettingError(name, `${name} must be ${range}`);
      return value;
    },
  };
}
