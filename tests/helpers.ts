/** What the tests share: closeness checks, running a script as a user would, temporary folders. */
import assert from "node:assert/strict";
import { defaultSettings, type Settings } from "../core/settings.ts";
import type { TrainingJob } from "../core/jobs/mod.ts";
import { trainingJob } from "../core/jobs/mod.ts";

/** Assert every actual[i] is within `tolerance` of expected[i]. */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
): void {
  assert.equal(actual.length, expected.length, `length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    assert.ok(
      difference <= tolerance,
      `[${i}]: ${actual[i]} differs from ${expected[i]} by ${difference} > ${tolerance}`,
    );
  }
}

/** The repository's root folder. */
export const ROOT = new URL("..", import.meta.url).pathname;

/** The result of running a script as a separate process. */
export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `deno run -A scripts/<name>.ts …args` as a user would, in `cwd` (default: the repo). */
export function runScript(
  name: string,
  args: string[],
  options: { cwd?: string } = {},
): Promise<ScriptResult> {
  return runModule(`scripts/${name}.ts`, args, options);
}

/** Run one of the project's modules (`cli.ts`, a script) with `args`, as a user would: `-A` unless `permissions` say. */
export async function runModule(
  path: string,
  args: string[],
  options: { cwd?: string; permissions?: string[] } = {},
): Promise<ScriptResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...(options.permissions ?? ["-A"]), `${ROOT}${path}`, ...args],
    cwd: options.cwd ?? ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

/** Whether python3 with numpy and scipy can run here (the reference tests need it). */
export async function hasNumpy(): Promise<boolean> {
  try {
    const { code } = await new Deno.Command("python3", {
      args: ["-c", "import numpy, scipy.special"],
      stdout: "null",
      stderr: "null",
    }).output();
    return code === 0;
  } catch {
    return false;
  }
}

/** Run python3 with `args` (and `input` on its stdin); throws with its stderr if it fails. */
export async function runPython(args: string[], input = ""): Promise<string> {
  const child = new Deno.Command("python3", {
    args,
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input + "\n"));
  await writer.close();
  const output = await child.output();
  const decoder = new TextDecoder();
  if (output.code !== 0) {
    throw new Error(`python3 ${args.join(" ")} failed: ${decoder.decode(output.stderr)}`);
  }
  return decoder.decode(output.stdout);
}

/**
 * The one-line error a script printed: a non-zero exit, the last line of stderr starts
 * "error: " and matches `pattern`, no other error line and no stack trace (progress lines
 * before it are allowed).
 */
export function assertOneLineError(result: ScriptResult, pattern: RegExp): void {
  assert.notEqual(result.code, 0, `expected a non-zero exit, stdout: ${result.stdout}`);
  const lines = result.stderr.trim().split("\n");
  const last = lines[lines.length - 1];
  assert.match(last, /^error: /, `expected an error line last on stderr, got:\n${result.stderr}`);
  assert.match(last, pattern);
  assert.equal(
    lines.filter((line) => line.startsWith("error")).length,
    1,
    `one error line, got:\n${result.stderr}`,
  );
  assert.ok(!lines.some((line) => /^\s+at /.test(line)), `no stack trace, got:\n${result.stderr}`);
}

/**
 * Train a small run with `train` on the committed 100/10 records (784-20-10, 1 epoch
 * unless `extra` says otherwise) into `runsDir`; returns its folder.
 */
export async function trainSmallRun(runsDir: string, extra: string[] = []): Promise<string> {
  const result = await runScript("train", [
    "--train",
    "data/mnist_train_100.csv",
    "--test",
    "data/mnist_test_10.csv",
    "--hidden",
    "20",
    "--epochs",
    "1",
    ...extra,
    "--runs-dir",
    runsDir,
    "--json",
  ]);
  if (result.code !== 0) throw new Error(`train failed: ${result.stderr}`);
  return JSON.parse(result.stdout).directory;
}

/** A run's config from the shared settings (core/settings.ts): their defaults with `overrides`. */
export function configFromSettings(overrides: Partial<Settings> = {}): TrainingJob["config"] {
  return trainingJob(defaultSettings(overrides)).config;
}
