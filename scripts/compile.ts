/**
 * Build the one-file myonn binaries: `deno task compile` → dist/myonn-<target> for every
 * target Deno supports (Linux x86_64 and aarch64 — a Raspberry Pi with a 64-bit OS —,
 * macOS, Windows). Each carries everything: the code, the dashboard's island bundle and
 * static files, and the full MNIST sets gzipped (11 MB instead of 55 MB).
 *
 *   deno task compile
 *   deno task compile --target aarch64-unknown-linux-gnu
 *
 * `deno compile` downloads Deno's runtime (denort) for each target from dl.deno.land;
 * without internet access this fails with one line saying so.
 *
 * @module
 */
import { InputError } from "../core/errors.ts";
import { builtinMnistDirectory, PACKED_MNIST } from "../core/data/mod.ts";
import { buildIslands } from "../islands/build.ts";
import { type CommandSpec, parseFlags, printJson, runMain } from "./support.ts";

/** What the binary may do: read and write files, serve, run python3 for bench, use imagescript's codecs. */
export const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-run",
  "--allow-ffi",
  "--allow-env",
  "--allow-sys",
];

/** The targets `deno compile` supports. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
  "aarch64-pc-windows-msvc",
];

const ROOT = new URL("..", import.meta.url);
const MNIST_FILES = [
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
];

export const SPEC: CommandSpec = {
  usage: "compile [flags]",
  summary: "Build dist/myonn-<target>: one file with the code, the dashboard and MNIST inside.",
  flags: {
    target: { type: "string", value: "T[,T…]", description: `targets (default: all: ${TARGETS.join(", ")})` },
    json: { type: "boolean", description: "print one JSON object on stdout" },
  },
};

/** Gzip the built-in MNIST files into dist/assets/mnist/ (what a compiled myonn reads); returns their bytes. */
export async function packMnist(): Promise<number> {
  const { directory } = await builtinMnistDirectory();
  await Deno.mkdir(PACKED_MNIST, { recursive: true });
  let total = 0;
  for (const name of MNIST_FILES) {
    const raw = await Deno.open(new URL(name, directory));
    const packed = raw.readable.pipeThrough(new CompressionStream("gzip"));
    const bytes = new Uint8Array(await new Response(packed).arrayBuffer());
    await Deno.writeFile(new URL(`${name}.gz`, PACKED_MNIST), bytes);
    total += bytes.length;
  }
  return total;
}

/** The `deno compile` arguments for one target. */
export function compileArgs(target: string): string[] {
  const output = new URL(`dist/myonn-${target}`, ROOT).pathname;
  return [
    "compile",
    ...PERMISSIONS,
    "--target",
    target,
    "--output",
    output,
    "--include",
    new URL("static", ROOT).pathname,
    "--include",
    PACKED_MNIST.pathname,
    // the book's 100/10-record files (reproduce's small-set run) and the shipped reproduce report (the book page)
    "--include",
    new URL("data/mnist_train_100.csv", ROOT).pathname,
    "--include",
    new URL("data/mnist_test_10.csv", ROOT).pathname,
    "--include",
    new URL("docs/reproduce", ROOT).pathname,
    "--include",
    new URL("docs/beyond", ROOT).pathname,
    // the Workers' entry points, loaded by URL at run time
    "--include",
    new URL("core/jobs/training_worker.ts", ROOT).pathname,
    "--include",
    new URL("core/jobs/distort_worker.ts", ROOT).pathname,
    "--include",
    new URL("core/jobs/image_worker.ts", ROOT).pathname,
    "--include",
    new URL("core/jobs/score_worker.ts", ROOT).pathname,
    "--include",
    new URL("core/training/row_worker.ts", ROOT).pathname,
    new URL("cli.ts", ROOT).pathname,
  ];
}

export async function main(args: string[]): Promise<number | void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const targets = parsed.values.target === undefined ? TARGETS : String(parsed.values.target).split(",");
  const unknown = targets.find((target) => !TARGETS.includes(target));
  if (unknown) {
    throw new InputError(`--target ${unknown} is not one Deno can build: use ${TARGETS.join(", ")}`);
  }
  const say = parsed.values.json ? console.error : console.log;

  await buildIslands();
  const packed = await packMnist();
  say(
    `islands bundled; MNIST packed into ${PACKED_MNIST.pathname} (${(packed / 1e6).toFixed(1)} MB gzipped)`,
  );
  const built: { target: string; file: string; bytes: number }[] = [];
  for (const target of targets) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: compileArgs(target),
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    const log = new TextDecoder().decode(output.stderr);
    if (!output.success) {
      if (/dl\.deno\.land|error sending request|dns error|Connect/.test(log)) {
        throw new InputError(
          `deno compile could not download Deno's runtime (denort) for ${target} from dl.deno.land: this machine has no ` +
            `internet access. Run deno task compile on a machine that has it.`,
        );
      }
      throw new InputError(
        `deno compile failed for ${target}: ${log.split("\n").find((line) => /error/i.test(line)) ?? log}`,
      );
    }
    const file = compileArgs(target)[compileArgs(target).indexOf("--output") + 1] +
      (target.includes("windows") ? ".exe" : "");
    const { size } = await Deno.stat(file);
    built.push({ target, file, bytes: size });
    say(`${file}: ${(size / 1e6).toFixed(1)} MB`);
  }
  if (parsed.values.json) printJson({ built });
}

if (import.meta.main) await runMain(main);
