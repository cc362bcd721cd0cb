/**
 * Every training setting, once: its name, kind of value (values.ts), default, allowed range
 * and help text. The `train` and `sweep` flags, their `--help`, the dashboard API's
 * validation, the train form's fields and defaults, the `config` written into run.json
 * (jobs' trainingJob()) and the test fixtures are all built from this table. Adding a
 * setting is one entry here plus the code that uses it. What the dashboard allows is the
 * dashboard's policy (routes/context.ts).
 *
 * Values arrive as text (a flag, a form field) or as JSON (the API): `parse` takes either
 * and throws a SettingError naming the setting as the caller spells it (`--limit-train` on
 * the command line, `limitTrain` in the API).
 *
 * @module
 */
import { choice, freeText, realNumber, type Setting, text, wholeNumber } from "./values.ts";
// the kinds of value are values.ts's; a setting is one of them
export type { Setting };
import { LABELS, PIXELS, SIDE } from "./data/mod.ts";

/** Records in mnist:train and mnist:test. */
const MNIST_TRAIN_RECORDS = 60_000;
const MNIST_TEST_RECORDS = 10_000;
import { SettingError } from "./errors.ts";
import { KERNELS, type KernelsName, type Precision, PRECISIONS } from "./kernels/mod.ts";
import { type ScheduleName, scheduleProblem, SCHEDULES } from "./training/mod.ts";
import {
  ACTIVATION_NAMES,
  type ActivationName,
  INIT_RULE_SPECS,
  INIT_RULES,
  type InitRule,
} from "./model/mod.ts";

/** The most nodes in one layer, and hidden layers, anything may ask for (the kernels' memory is sized from them). */
const MAX_NODES = 100_000;
const MAX_HIDDEN_LAYERS = 8;
/** The most weights in one network: 3.2 GB in float64, inside WebAssembly's 4 GB memory. */
export const MAX_WEIGHTS = 400_000_000;

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
  kind: "list",
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
  }),
  epochs: wholeNumber({
    flag: "epochs",
    help: "passes over the training set",
    default: 5,
    min: 1,
    max: 10_000,
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
  validation: wholeNumber({
    flag: "validation",
    help: "hold out the last N training records and score them after every epoch (the test set only at the " +
      "end): choose settings on these, never on the test set",
    default: 0,
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
  }),
  trainAccuracy: choice<"no" | "yes">({
    flag: "train-accuracy",
    help:
      "also score the training records after every epoch, to see the gap to the test set (costs about as " +
      "many records' scoring as the training set holds: 6× the test set's for MNIST)",
    placeholder: "no|yes",
    default: "no",
    choices: ["no", "yes"],
  }),
  schedule: choice<ScheduleName>({
    flag: "schedule",
    help:
      "the learning rate per epoch: constant (the book's), exponential (lr·decay^(e−1)), step (× decay every " +
      "N epochs), linear or cosine (lr down to --final-rate)",
    placeholder: "NAME",
    default: "constant",
    choices: SCHEDULES,
  }),
  decay: realNumber({
    flag: "decay",
    help: "exponential and step schedules: the rate's factor per epoch (per step)",
    placeholder: "F",
    default: 1,
    min: -Number.MAX_VALUE,
    max: 1,
  }),
  decayEvery: wholeNumber({
    flag: "decay-every",
    help: "step schedule: epochs per step",
    default: 1,
    min: 1,
    max: 10_000,
  }),
  finalRate: realNumber({
    flag: "final-rate",
    help: "linear and cosine schedules: the rate in the last epoch",
    placeholder: "RATE",
    default: 0,
    min: -Number.MAX_VALUE,
    max: Number.MAX_VALUE,
  }),
  distortRotate: realNumber({
    flag: "distort-rotate",
    help: "distort the training images afresh each epoch: rotate by up to ± this many degrees",
    placeholder: "DEG",
    default: 0,
    min: 0,
    max: 180,
  }),
  distortScale: realNumber({
    flag: "distort-scale",
    help: "… scale each axis by 1 ± up to this fraction (below 1)",
    placeholder: "F",
    default: 0,
    min: 0,
    max: Number.MAX_VALUE,
  }),
  distortShear: realNumber({
    flag: "distort-shear",
    help: "… shear horizontally by up to ± this many degrees",
    placeholder: "DEG",
    default: 0,
    min: 0,
    max: 60,
  }),
  distortShift: realNumber({
    flag: "distort-shift",
    help: "… shift by up to ± this many pixels along each axis (below 28)",
    placeholder: "PX",
    default: 0,
    min: 0,
    max: Number.MAX_VALUE,
  }),
  elasticSigma: realNumber({
    flag: "elastic-sigma",
    help: "elastic distortion (Simard 2003): the random field's Gaussian smoothing σ, pixels",
    placeholder: "PX",
    default: 0,
    min: 0,
    max: 100,
  }),
  elasticAlpha: realNumber({
    flag: "elastic-alpha",
    help: "elastic distortion: the field's strength α, pixels (0: none)",
    placeholder: "PX",
    default: 0,
    min: 0,
    max: 1000,
  }),
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

/** The distortions' settings (training/distort.ts): train's flags, show --distort's, the dashboard's. */
export const DISTORTION_KEYS = [
  "distortRotate",
  "distortScale",
  "distortShear",
  "distortShift",
  "elasticSigma",
  "elasticAlpha",
] as const;

/** Every setting beyond the book (docs/beyond.md): held-out records, the rate's schedule, the distortions. */
export const BEYOND_KEYS = [
  "validation",
  "schedule",
  "decay",
  "decayEvery",
  "finalRate",
  ...DISTORTION_KEYS,
] as const;

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
  checkBeyondTheBook(values, options.spell);
  checkDataLimits(values, options.spell);
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
 * The settings that go beyond the book — distortions, schedule, validation — checked against
 * each other and the image, before any work; a SettingError names the first that is wrong.
 */
function checkBeyondTheBook(values: Settings, spell: (key: SettingKey) => string): void {
  const problem = scheduleProblem(
    { name: values.schedule, decay: values.decay, every: values.decayEvery, finalRate: values.finalRate },
    values.learningRate,
    values.epochs,
    { finalRate: spell("finalRate"), decay: spell("decay") },
  );
  if (problem) {
    throw new SettingError(
      values.schedule === "linear" || values.schedule === "cosine" ? "finalRate" : "decay",
      problem,
    );
  }
  if (values.distortScale >= 1) {
    throw new SettingError(
      "distortScale",
      `${
        spell("distortScale")
      } ${values.distortScale} would scale an image by 1 − ${values.distortScale} ≤ 0; ` +
        `it must be below 1 (0.15: ×0.85 to ×1.15)`,
    );
  }
  if (values.distortShift >= SIDE) {
    throw new SettingError(
      "distortShift",
      `${
        spell("distortShift")
      } ${values.distortShift} would shift the digit out of the ${SIDE}×${SIDE} image; ` +
        `it must be below ${SIDE} pixels`,
    );
  }
  if (values.elasticAlpha > 0 && values.elasticSigma === 0) {
    throw new SettingError(
      "elasticSigma",
      `${spell("elasticAlpha")} ${values.elasticAlpha} needs ${spell("elasticSigma")} > 0 (Simard uses 4)`,
    );
  }
  const records = values.limitTrain ?? (values.train === "mnist:train" ? MNIST_TRAIN_RECORDS : undefined);
  if (records !== undefined && values.validation >= records) {
    throw new SettingError(
      "validation",
      `${spell("validation")} ${values.validation} must be below the ${
        records.toLocaleString("en")
      } training ` +
        `records it is carved from`,
    );
  }
}

/** A limit past the records mnist: has is refused (for files, the count is known once they are read: capped then). */
function checkDataLimits(values: Settings, spell: (key: SettingKey) => string): void {
  const sets = [["limitTrain", values.train, "mnist:train", MNIST_TRAIN_RECORDS], [
    "limitTest",
    values.test,
    "mnist:test",
    MNIST_TEST_RECORDS,
  ]] as const;
  for (const [key, source, mnist, records] of sets) {
    const limit = values[key];
    if (source === mnist && limit !== undefined && limit > records) {
      throw new SettingError(
        key,
        `${spell(key)} ${limit} is more than the ${records.toLocaleString("en")} records of ${mnist}`,
      );
    }
  }
}

/** A setting's value written as text (for --help and the form). */
export function formatSetting<K extends SettingKey>(key: K, value: ValueOf<K> | undefined): string {
  if (value === undefined) return "";
  return (SETTINGS[key] as Setting<ValueOf<K>>).format(value);
}
