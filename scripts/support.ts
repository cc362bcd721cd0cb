/**
 * What every script shares: flags parsed with `node:util`'s parseArgs plus a generated
 * `--help`, flag value checks that name the flag, progress bars on stderr, and
 * `runMain`, which turns an InputError into one line on stderr and a non-zero exit.
 *
 * @module
 */
import { decimalNumber, wholeNumberOf } from "../core/values.ts";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { InputError } from "../core/errors.ts";
import {
  formatSetting,
  parseSettings,
  type Setting,
  type SettingKey,
  SETTINGS,
  type Settings,
} from "../core/settings.ts";

/** One flag: its type, default and the line `--help` prints. */
export interface FlagSpec {
  type: "string" | "boolean";
  default?: string | boolean;
  description: string;
  /** the value's placeholder in --help, e.g. N or FILE */
  value?: string;
  /** may be given more than once */
  multiple?: boolean;
  /**
   * the default --help shows when the value is filled in later (a training setting's, by
   * parseSettings): the flag stays unset when not given, so a check can tell "not given" apart
   */
  shownDefault?: string;
}

/** A script's command line: its usage line, flags and how many positional arguments it takes. */
export interface CommandSpec {
  /** e.g. "train [flags]" */
  usage: string;
  summary: string;
  flags: Record<string, FlagSpec>;
  positionals?: { min: number; max: number; names: string };
}

/** Parsed flag values and positional arguments. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** A string flag for a command's table: its help line, value placeholder and default. */
export function stringFlag(description: string, value: string, defaultValue?: string): FlagSpec {
  return {
    type: "string",
    description,
    value,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
  };
}

/**
 * The flags of these training settings (core/settings.ts): their help, placeholder, range
 * and default (`defaults` overrides a setting's own, e.g. a sweep's smaller network).
 */
export function settingFlags(
  keys: readonly SettingKey[],
  defaults: Partial<Settings> = {},
): Record<string, FlagSpec> {
  return Object.fromEntries(keys.map((key) => {
    const setting = SETTINGS[key] as Setting<unknown>;
    const value = key in defaults ? defaults[key] : setting.default;
    const shown = formatSetting(key, value as never);
    return [setting.flag, {
      ...stringFlag(setting.help, setting.placeholder),
      ...(shown === "" ? {} : { shownDefault: shown }),
    }];
  }));
}

/** The training settings from parsed flags (see settingFlags), each checked; errors name the flag. */
export function settingsFromFlags(
  values: Parsed["values"],
  keys: readonly SettingKey[],
  defaults: Partial<Settings> = {},
): Settings {
  const raw: Partial<Record<SettingKey, unknown>> = {};
  for (const key of keys) raw[key] = values[SETTINGS[key].flag];
  return parseSettings(raw, { defaults, spell: (key) => `--${SETTINGS[key].flag}` });
}

/** The `--help` text of a command. */
export function helpText(spec: CommandSpec): string {
  const lines = [spec.summary, "", `Usage: ${spec.usage}`, "", "Flags:"];
  const entries = Object.entries({
    ...spec.flags,
    help: { type: "boolean", description: "show this help" } as FlagSpec,
  });
  const left = entries.map(([name, flag]) =>
    `  --${name}${flag.type === "string" ? ` ${flag.value ?? "VALUE"}` : ""}`
  );
  const width = Math.max(...left.map((text) => text.length)) + 2;
  entries.forEach(([, flag], i) => {
    const fallback = flag.default ?? flag.shownDefault;
    const shown = flag.type === "string" && fallback !== undefined ? ` (default: ${fallback})` : "";
    lines.push(left[i].padEnd(width) + flag.description + shown);
  });
  return lines.join("\n");
}

/**
 * Parse `args` against `spec`. Returns undefined after printing help for `--help`;
 * throws an InputError for an unknown flag, a missing value or the wrong number of
 * positional arguments.
 */
export function parseFlags(args: string[], spec: CommandSpec): Parsed | undefined {
  const options: Record<
    string,
    { type: "string" | "boolean"; default?: string | boolean; multiple?: boolean }
  > = {
    help: { type: "boolean" },
  };
  for (const [name, flag] of Object.entries(spec.flags)) {
    options[name] = { type: flag.type, ...(flag.default !== undefined ? { default: flag.default } : {}) };
    if (flag.multiple) options[name].multiple = true;
  }
  // "--lr -1" would be refused as ambiguous: join a negative number to its flag so the
  // value check can say what is wrong with it
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const takesValue = args[i].startsWith("--") && options[args[i].slice(2)]?.type === "string";
    joined.push(takesValue && /^-\d/.test(args[i + 1] ?? "") ? `${args[i]}=${args[++i]}` : args[i]);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: joined, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.split("\n")[0]
      .replace(/\. To specify a positional argument.*$/, "")
      .replace(/^Unknown option '(.+?)'.*$/, "unknown flag $1");
    throw new InputError(`${message} (see ${spec.usage.split(" ")[0]} --help)`);
  }
  if (parsed.values.help) {
    console.log(helpText(spec));
    return undefined;
  }
  const { min, max, names } = spec.positionals ?? { min: 0, max: 0, names: "" };
  if (parsed.positionals.length < min) throw new InputError(`missing ${names} (usage: ${spec.usage})`);
  if (parsed.positionals.length > max) {
    throw new InputError(`unexpected argument "${parsed.positionals[max]}" (usage: ${spec.usage})`);
  }
  return parsed as Parsed;
}

/** A flag's value as a whole number ≥ `min`, or an InputError naming the flag. */
export function integerFlag(value: unknown, flag: string, min = 1): number {
  const number = wholeNumberOf(String(value));
  if (!Number.isSafeInteger(number) || number < min) {
    throw new InputError(`--${flag} must be a whole number ≥ ${min}, got "${value}"`);
  }
  return number;
}

/** A flag's value as a number > 0, or an InputError naming the flag. */
export function positiveNumberFlag(value: unknown, flag: string): number {
  const number = decimalNumber(String(value));
  if (!Number.isFinite(number) || number <= 0) {
    throw new InputError(`--${flag} must be a number > 0, got "${value}"`);
  }
  return number;
}

/** A flag's value as a number ≥ 0, or an InputError naming the flag. */
export function nonNegativeNumberFlag(value: unknown, flag: string): number {
  const number = decimalNumber(String(value));
  if (!Number.isFinite(number) || number < 0) {
    throw new InputError(`--${flag} must be a number ≥ 0, got "${value}"`);
  }
  return number;
}

/** A flag's value as a comma-separated list of whole numbers ≥ 1 ("200,100"). */
export function integerListFlag(value: unknown, flag: string): number[] {
  const parts = String(value).split(",");
  try {
    return parts.map((part) => integerFlag(part, flag));
  } catch {
    throw new InputError(
      `--${flag} must be whole numbers ≥ 1 separated by commas, like 200 or 200,100; got "${value}"`,
    );
  }
}

/** A flag's value as one of `choices`. */
export function choiceFlag<T extends string>(value: unknown, flag: string, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    throw new InputError(`--${flag} must be one of ${choices.join(", ")}; got "${value}"`);
  }
  return value as T;
}

/** A progress bar on stderr with rate and ETA; plain lines every few seconds when stderr is not a terminal. */
export function createProgressBar(
  label: string,
): { update(done: number, total: number): void; stop(): void } {
  const bar = new cliProgress.SingleBar({
    format: `${label} {bar} {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    hideCursor: true,
    etaBuffer: 20,
  }, cliProgress.Presets.shades_classic);
  let started = 0;
  let running = false;
  return {
    update(done, total) {
      if (!running) {
        started = performance.now();
        bar.start(total, 0, { rate: 0 });
        running = true;
      }
      const seconds = (performance.now() - started) / 1000;
      bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds) : 0 });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

/** Print one JSON object on stdout (the `--json` output of every command). */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/**
 * Run a script's main(args): an InputError becomes `error: <message>` on stderr and exit
 * code 1; a number returned by main is the exit code.
 */
export async function runMain(
  main: (args: string[]) => Promise<number | void>,
  args: string[] = Deno.args,
): Promise<void> {
  try {
    const code = await main(args);
    if (typeof code === "number" && code !== 0) Deno.exit(code);
  } catch (error) {
    if (error instanceof InputError) {
      console.error(`error: ${error.message}`);
      Deno.exit(1);
    }
    throw error;
  }
}

/** Format a number of seconds: "0.42 s", "8.1 s", "2 min 05 s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${String(Math.round(seconds % 60)).padStart(2, "0")} s`;
}
