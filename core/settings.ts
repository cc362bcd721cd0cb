/**
 * Every training setting, once: its name, type, default, allowed range and help text, and
 * trainingJob(), the one place where settings become a run's config. The
 * `train` and `sweep` flags, their `--help`, the dashboard API's validation, the train
 * form's fields and defaults, the `config` written into run.json, and the test fixtures
 * are all built from this table. Adding a setting is one entry here plus the code that
 * uses it.
 *
 * Values arrive as text (a flag, a form field) or as JSON (the API): `parse` takes either
 * and throws a SettingError naming the setting as the caller spells it (`--limit-train` on
 * the command line, `limitTrain` in the API).
 *
 * Longer than most files on purpose: the table and the four kinds of value it is built
 * from (whole numbers, real numbers, choices, text) read best in one place.
 *
 * @module
 */
import { decimalNumber, wholeNumber as wholeNumberOf } from "./values.ts";
import { LABELS, PIXELS } from "./data/mod.ts";
import { SettingError } from "./errors.ts";
import { KERNELS, type KernelsName, type Precision, PRECISIONS } from "./kernels/mod.ts";
import {
  ACTIVATION_NAMES,
  type ActivationName,
  INIT_RULE_SPECS,
  INIT_RULES,
  type InitRule,
} from "./model/mod.ts";

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
  /** the dashboard may train only up to this (per value; for lists, per element) */
  dashboardMax?: number;
  /** the browser's keyboard for the form field */
  inputMode?: "numeric" | "decimal" | "text";
}

/** A value as trimmed text, or a SettingError when it is neither text nor a number. */
function text(value: unknown, name: string, expected: string): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value.trim();
  throw new SettingError(name, `${name} must be ${expected}, got ${JSON.stringify(value) ?? typeof value}`);
}

/** A whole-number setting in min…max. */
function wholeNumber(options: {
  flag: string;
  help: string;
  placeholder?: string;
  default: number | undefined;
  min: number;
  max: number;
  dashboardMax?: number;
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
    inputMode: "numeric",
    dashboardMax: options.dashboardMax,
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
function realNumber(options: {
  flag: string;
  help: string;
  placeholder: string;
  default: number;
  min?: number;
  above?: number;
  max: number;
  dashboardMax?: number;
}): Setting<number> {
  const low = options.above !== undefined ? `> ${options.above}` : `≥ ${options.min}`;
  const range = options.max === Number.MAX_VALUE ? `a number ${low}` : `a number ${low} and ≤ ${options.max}`;
  return {
    flag: options.flag,
    help: options.help,
    placeholder: options.placeholder,
    default: options.default,
    range,
    inputMode: "decimal",
    dashboardMax: options.dashboardMax,
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
function choice<T extends string>(
  options: { flag: string; help: string; placeholder: string; default: T; choices: readonly T[] },
): Setting<T> {
  const range = `one of ${options.choices.join(", ")}`;
  return {
    ...options,
    range,
    inputMode: "text",
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
function freeText(
  options: { flag: string; help: string; placeholder: string; default: string | undefined; max: number },
): Setting<string> {
  const range = `text of at most ${options.max} characters`;
  return {
    ...options,
    range,
    inputMode: "text",
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

/** The most nodes in one layer, and hidden layers, anything may ask for (the kernels' memory is sized from them). */
const MAX_NODES = 100_000;
const MAX_HIDDEN_LAYERS = 8;
/** The most weights in one network: 3.2 GB in float64, inside WebAssembly's 4 GB memory. */
export const MAX_WEIGHTS = 400_000_000;
/** The most weights a training started from the dashboard may have (784-2000-10 is 1.6 million). */
export const DASHBOARD_MAX_WEIGHTS = 4_000_000;

/** How many weights a network with these hidden layers has (784 inputs, 10 outputs). */
export function weightCount(hidden: readonly number[]): number {
  const layers = [PIXELS, ...hidden, LABELS];
  return layers.slice(1).reduce((sum, nodes, l) => sum + nodes * layers[l], 0);
}

/** The hidden layers: "200" or "200,100". */
const hidden: Setting<number[]> = {
  flag: "hidden",
  help: "hidden layer sizes, comma-separated for more than one layer",
  placeholder: "N[,N…]",
  default: [200],
  range: `1 to ${MAX_HIDDEN_LAYERS} whole numbers 1–${MAX_NODES.toLocaleString("en")}, comma-separated`,
  inputMode: "text",
  dashboardMax: 2000,
  format: (layers) => layers.join(","),
  parse(value, name) {
    const given = text(value, name, "whole numbers separated by commas");
    const parts = given.split(",").map((part) => part.trim());
    const layers = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : NaN));
    if (
      layers.length > MAX_HIDDEN_LAYERS ||
      layers.some((nodes) => !Number.isSafeInteger(nodes) || nodes < 1 || nodes > MAX_NODES)
    ) {
      throw new SettingError(
        name,
        `${name} must be ${hidden.range}, like 200 or 200,100; got "${given}"`,
      );
    }
    return layers;
  },
};

/** Every training setting. The defaults are the book's final network: 784-200-10, lr 0.1, 5 epochs. */
export const SETTINGS = {
  hidden,
  learningRate: realNumber({
    flag: "lr",
    help: "learning rate (the book's lr)",
    placeholder: "RATE",
    default: 0.1,
    above: 0,
    max: Number.MAX_VALUE,
    dashboardMax: 10,
  }),
  epochs: wholeNumber({
    flag: "epochs",
    help: "passes over the training set",
    default: 5,
    min: 1,
    max: 10_000,
    dashboardMax: 100,
  }),
  seed: wholeNumber({
    flag: "seed",
    help: "seed for the starting weights",
    default: 1,
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
  }),
  init: choice<InitRule>({
    flag: "init",
    help: INIT_RULES.map((rule) => `${rule}: ${INIT_RULE_SPECS[rule].description}`).join("; "),
    placeholder: "RULE",
    default: INIT_RULES[0],
    choices: INIT_RULES,
  }),
  activation: choice<ActivationName>({
    flag: "activation",
    help: "the activation function (sigmoid is the book's)",
    placeholder: "NAME",
    default: ACTIVATION_NAMES[0],
    choices: ACTIVATION_NAMES,
  }),
  rotate: realNumber({
    flag: "rotate",
    help: "also train on copies rotated by ± this many degrees (the book uses 10)",
    placeholder: "DEG",
    default: 0,
    min: 0,
    max: 180,
  }),
  rotateOrder: {
    ...wholeNumber({
      flag: "rotate-order",
      help:
        "how rotated copies are interpolated: 3, a cubic spline (the book's printed call); 1, bilinear (its later notebook)",
      default: 3,
      min: 1,
      max: 3,
    }),
    range: "3 or 1",
    choices: ["3", "1"],
    parse(value: unknown, name: string): number {
      const given = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
      if (given !== "3" && given !== "1") {
        throw new SettingError(
          name,
          `${name} must be 3 (cubic spline, the book's) or 1 (bilinear), got ${
            JSON.stringify(value) ?? typeof value
          }`,
        );
      }
      return Number(given);
    },
  } as Setting<number>,
  precision: choice<Precision>({
    flag: "precision",
    help: "f32: fastest, same accuracy; f64: numpy's numbers",
    placeholder: "P",
    default: "f32",
    choices: PRECISIONS,
  }),
  kernels: choice<KernelsName>({
    flag: "kernels",
    help: "wasm: WebAssembly SIMD; plain: the TypeScript reference loops; book: the book's own class " +
      "(core/book/network.ts), line by line: one hidden layer, sigmoid, f64, one thread",
    placeholder: "K",
    default: "wasm",
    choices: KERNELS,
  }),
  threads: wholeNumber({
    flag: "threads",
    help: "threads sharing each record's work, used while they pay (the same weights for any number; " +
      "default: the cores, at most 4; see docs/speed.md)",
    default: undefined, // training/threads.ts DEFAULT_THREADS where threads can be used (jobs/job.ts)
    min: 1,
    max: 16,
    dashboardMax: 4,
  }),
  train: freeText({
    flag: "train",
    help: "mnist:train (60,000 records), a book-format .csv, or an IDX images file",
    placeholder: "SOURCE",
    default: "mnist:train",
    max: 4096,
  }),
  test: freeText({
    flag: "test",
    help: "mnist:test (10,000 records), a book-format .csv, or an IDX images file",
    placeholder: "SOURCE",
    default: "mnist:test",
    max: 4096,
  }),
  limitTrain: wholeNumber({
    flag: "limit-train",
    help: "use only the first N training records",
    default: undefined,
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
  }),
  limitTest: wholeNumber({
    flag: "limit-test",
    help: "use only the first N test records",
    default: undefined,
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
  }),
  name: freeText({
    flag: "name",
    help: "a name for the run (part of its id)",
    placeholder: "TEXT",
    default: "",
    max: 60,
  }),
} as const;

/** The settings' keys. */
export type SettingKey = keyof typeof SETTINGS;

/** A value for every setting (unset optional ones are undefined). */
export type Settings = {
  -readonly [K in SettingKey]: (typeof SETTINGS)[K] extends Setting<infer T> ? T : never;
};

/** What a setting's value type is. */
type ValueOf<K extends SettingKey> = Settings[K];

/** Every setting at its default. */
export function defaultSettings(overrides: Partial<Settings> = {}): Settings {
  const values = Object.fromEntries(
    Object.entries(SETTINGS).map(([key, setting]) => [key, setting.default]),
  ) as Settings;
  return { ...values, ...overrides };
}

/**
 * Settings from raw values (flags as text, API fields as JSON), each checked by its setting;
 * missing ones take `defaults`. `spell` names a setting the way the caller's user knows it.
 * Unknown keys are not looked at: the caller decides what else it accepts.
 */
export function parseSettings(
  raw: Partial<Record<SettingKey, unknown>>,
  options: { defaults?: Partial<Settings>; spell: (key: SettingKey) => string },
): Settings {
  const values = defaultSettings(options.defaults);
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    if (raw[key] === undefined) continue;
    const setting = SETTINGS[key] as Setting<ValueOf<typeof key>>;
    (values as Record<SettingKey, unknown>)[key] = setting.parse(raw[key], options.spell(key));
  }
  if (values.kernels === "book") checkBookKernels(values, raw, options.spell);
  const weights = weightCount(values.hidden);
  if (weights > MAX_WEIGHTS) {
    throw new SettingError(
      "hidden",
      `${options.spell("hidden")} ${values.hidden.join(",")} makes a network of ${
        weights.toLocaleString("en")
      } ` +
        `weights; at most ${MAX_WEIGHTS.toLocaleString("en")} fit in memory`,
    );
  }
  return values;
}

/**
 * `kernels: book` trains through the book's class (core/book/network.ts), which is what the
 * book prints: one hidden layer, the sigmoid, float64, one thread. Anything else is refused
 * in one line; the precision, unless asked for, becomes f64.
 */
function checkBookKernels(
  values: Settings,
  raw: Partial<Record<SettingKey, unknown>>,
  spell: (key: SettingKey) => string,
): void {
  const covers = `${
    spell("kernels")
  } book is the book's own class: one hidden layer, sigmoid, f64, one thread`;
  if (values.hidden.length !== 1) {
    throw new SettingError(
      "hidden",
      `${covers}; ${spell("hidden")} ${values.hidden.join(",")} has ${values.hidden.length}`,
    );
  }
  if (values.activation !== "sigmoid") {
    throw new SettingError("activation", `${covers}; ${spell("activation")} is ${values.activation}`);
  }
  if (raw.precision !== undefined && values.precision !== "f64") {
    throw new SettingError("precision", `${covers}; ${spell("precision")} is ${values.precision}`);
  }
  if (values.threads !== undefined && values.threads > 1) {
    throw new SettingError("threads", `${covers}; ${spell("threads")} is ${values.threads}`);
  }
  values.precision = "f64";
}

/**
 * Check `settings` against the dashboard's limits (each setting's dashboardMax); throws a
 * SettingError naming the first one past its limit.
 */
export function checkDashboardLimits(settings: Settings, spell: (key: SettingKey) => string): void {
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const max = (SETTINGS[key] as Setting<unknown>).dashboardMax;
    const value = settings[key];
    if (max === undefined || value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.some((number) => typeof number === "number" && number > max)) {
      throw new SettingError(
        key,
        `${spell(key)} can be at most ${max} on the dashboard (use the command line for more)`,
      );
    }
  }
  const weights = weightCount(settings.hidden);
  if (weights > DASHBOARD_MAX_WEIGHTS) {
    throw new SettingError(
      "hidden",
      `${spell("hidden")} ${settings.hidden.join(",")} makes ${
        weights.toLocaleString("en")
      } weights; the dashboard ` +
        `trains at most ${DASHBOARD_MAX_WEIGHTS.toLocaleString("en")} (use the command line for more)`,
    );
  }
}

/** A setting's value written as text (for --help and the form). */
export function formatSetting<K extends SettingKey>(key: K, value: ValueOf<K> | undefined): string {
  if (value === undefined) return "";
  return (SETTINGS[key] as Setting<ValueOf<K>>).format(value);
}
