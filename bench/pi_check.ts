/**
 * `deno task pi-check`: prove the aarch64 (Raspberry Pi, 64-bit OS) build path by running
 * the aarch64 build of Deno 2.9.5 under qemu user emulation: the fast tests, then a short
 * training through cli.ts. Reports pass or fail for each, and exits non-zero if any failed.
 * Emulated times say nothing about a real Pi and are not reported as such.
 *
 * Needs qemu-user-static, libc6-arm64-cross and libgcc-s1-arm64-cross (apt; installed here
 * when missing and running as root) and fetches @deno/linux-arm64-glibc@2.9.5 from npm
 * into .tools/aarch64/.
 *
 * @module
 */
import { InputError } from "../core/errors.ts";
import { type CommandSpec, parseFlags, printJson, runMain } from "../scripts/support.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const TOOLS = `${ROOT}.tools/aarch64`;
const DENO = `${TOOLS}/package/deno`;
const QEMU = "/usr/bin/qemu-aarch64-static";
const SYSROOT = "/usr/aarch64-linux-gnu";

/** The tests run under emulation: the fast unit tests (kernels, network, training, formats), as `deno task test:unit` runs them. */
const FAST_TESTS = "tests/unit/";

export const SPEC: CommandSpec = {
  usage: "pi-check [flags]",
  summary: "Run the fast tests and a short training with the aarch64 Deno under qemu.",
  flags: { json: { type: "boolean", description: "print one JSON object on stdout" } },
};

async function run(command: string, args: string[], options: { cwd?: string } = {}) {
  const output = await new Deno.Command(command, {
    args,
    cwd: options.cwd ?? ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  })
    .output();
  const decoder = new TextDecoder();
  return { ok: output.success, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** qemu and the aarch64 C library, installed with apt if missing (as root). */
async function ensureEmulator(): Promise<void> {
  if (await exists(QEMU) && await exists(`${SYSROOT}/lib/ld-linux-aarch64.so.1`)) return;
  console.error("installing qemu-user-static and the aarch64 C library with apt…");
  const installed = await run("sh", [
    "-c",
    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static libc6-arm64-cross libgcc-s1-arm64-cross",
  ]);
  if (!installed.ok) {
    throw new InputError(
      "qemu-aarch64-static is missing: install qemu-user-static libc6-arm64-cross libgcc-s1-arm64-cross with apt",
    );
  }
}

/** The aarch64 Deno 2.9.5 from npm, unpacked into .tools/aarch64/. */
async function ensureDeno(): Promise<void> {
  if (await exists(DENO)) return;
  await Deno.mkdir(TOOLS, { recursive: true });
  console.error("fetching @deno/linux-arm64-glibc@2.9.5 from npm…");
  const packed = await run("npm", ["pack", "--silent", "@deno/linux-arm64-glibc@2.9.5"], { cwd: TOOLS });
  if (!packed.ok) {
    throw new InputError(`npm pack @deno/linux-arm64-glibc@2.9.5 failed: ${packed.stderr.trim()}`);
  }
  const unpacked = await run("tar", ["xzf", packed.stdout.trim().split("\n").pop()!], { cwd: TOOLS });
  if (!unpacked.ok) throw new InputError(`unpacking the aarch64 Deno failed: ${unpacked.stderr.trim()}`);
}

/** Deno for aarch64, emulated. */
function emulated(args: string[], cwd?: string) {
  return run(QEMU, ["-L", SYSROOT, DENO, ...args], { cwd });
}

export async function main(args: string[]): Promise<number | void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const say = parsed.values.json ? console.error : console.log;
  await ensureEmulator();
  await ensureDeno();
  const checks: { name: string; passed: boolean; detail: string }[] = [];

  const target = await emulated(["eval", "console.log(Deno.build.target)"]);
  checks.push({
    name: "the aarch64 Deno starts",
    passed: target.stdout.trim() === "aarch64-unknown-linux-gnu",
    detail: target.stdout.trim() || target.stderr.trim(),
  });
  say(`${checks[0].passed ? "pass" : "FAIL"}  ${checks[0].name}: ${checks[0].detail}`);

  say("running the fast tests under emulation (a few minutes)…");
  const tests = await emulated(["test", "-A", "--no-check", FAST_TESTS]);
  const summary = /(ok|FAILED) \| (\d+) passed.*?\| (\d+) failed/.exec(tests.stdout + tests.stderr);
  checks.push({
    name: "fast tests",
    passed: tests.ok && summary !== null && summary[3] === "0",
    detail: summary
      ? `${summary[2]} passed, ${summary[3]} failed`
      : (tests.stderr.trim().split("\n").pop() ?? ""),
  });
  say(`${checks[1].passed ? "pass" : "FAIL"}  ${checks[1].name}: ${checks[1].detail}`);
  // which ones, and why (the first lines of each error)
  if (!checks[1].passed) console.error(failures(tests.stdout + tests.stderr));

  const directory = await Deno.makeTempDir({ prefix: "myonn-pi-check-" });
  say("training 784-50-10 on 3,000 records under emulation…");
  const trained = await emulated([
    "run",
    "-A",
    "--no-check",
    `${ROOT}cli.ts`,
    "train",
    "--hidden",
    "50",
    "--epochs",
    "1",
    "--limit-train",
    "3000",
    "--limit-test",
    "1000",
    "--json",
  ], directory);
  let performance = NaN;
  try {
    performance = JSON.parse(trained.stdout).performance;
  } catch {
    // reported below
  }
  checks.push({
    name: "short training through cli.ts",
    passed: trained.ok && performance > 0.8,
    detail: Number.isNaN(performance)
      ? trained.stderr.trim().split("\n").pop() ?? ""
      : `performance ${performance.toFixed(4)}`,
  });
  say(`${checks[2].passed ? "pass" : "FAIL"}  ${checks[2].name}: ${checks[2].detail}`);
  await Deno.remove(directory, { recursive: true });

  const passed = checks.every((check) => check.passed);
  if (parsed.values.json) printJson({ passed, checks });
  else say(passed ? "pi-check passed" : "pi-check FAILED");
  return passed ? 0 : 1;
}

/** The failed tests in a `deno test` output, each with the first lines of its error. */
export function failures(output: string): string {
  const lines = output.split("\n");
  const failed = lines.filter((line) => / \.\.\. FAILED/.test(line)).map((line) =>
    `  failed: ${line.trim()}`
  );
  const errors = lines.filter((line) => /^error: /.test(line.trim())).slice(0, 10).map((line) =>
    `    ${line.trim()}`
  );
  return [...failed, ...errors].join("\n");
}

if (import.meta.main) await runMain(main);
