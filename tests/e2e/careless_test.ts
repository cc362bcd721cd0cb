/**
 * The command line used carelessly: full disks, read-only folders, huge settings, broken
 * weights, two trainings in the same second, leftovers of a killed training. Each gets one
 * `error:` line naming what and where, a non-zero exit, and nothing half-written.
 */
import assert from "node:assert/strict";
import { formatNpy, loadWeightsFile, readRunRecord } from "../../core/store/mod.ts";
import { assertOneLineError, runScript, trainSmallRun } from "../helpers.ts";

const SMALL = ["--train", "data/mnist_train_100.csv", "--test", "data/mnist_test_10.csv"];

/** Mount a tmpfs (root only) for the test, or say it was skipped. */
async function withTmpfs(
  t: Deno.TestContext,
  options: string,
  test: (folder: string) => Promise<void>,
): Promise<void> {
  const folder = await Deno.makeTempDir();
  const mounted = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", options, "tmpfs", folder],
    stderr: "null",
  })
    .output().then((output) => output.success, () => false);
  if (!mounted) {
    await t.step({ name: "skipped: cannot mount a tmpfs here (needs root)", ignore: true, fn: () => {} });
    await Deno.remove(folder);
    return;
  }
  try {
    await test(folder);
  } finally {
    await new Deno.Command("umount", { args: ["-l", folder] }).output();
    await Deno.remove(folder, { recursive: true }).catch(() => {});
  }
}

/** Every file below `folder`, for "nothing half-written" checks. */
function filesBelow(folder: string): string[] {
  const found: string[] = [];
  for (const entry of Deno.readDirSync(folder)) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory) found.push(...filesBelow(path));
    else found.push(path);
  }
  return found;
}

Deno.test("a full disk during training: one line, with the saved epochs and how to resume", async (t) => {
  await withTmpfs(t, "size=500k", async (runsDir) => {
    // 784-100-10 float32: a checkpoint is 320 KB; the second one no longer fits beside the first
    const result = await runScript("train", [
      ...SMALL,
      "--hidden",
      "100",
      "--epochs",
      "3",
      "--runs-dir",
      runsDir,
    ]);
    assertOneLineError(
      result,
      /Cannot write .*: No space left on device; epochs 1–1 are saved as incomplete run .*; continue with: deno task train --resume /,
    );
    const run = filesBelow(runsDir).find((path) => path.endsWith("run.json"))!;
    const record = await readRunRecord(run.replace(/\/run\.json$/, ""));
    assert.equal(record.status, "incomplete");
    assert.equal(record.history.length, 1);
    assert.ok(!filesBelow(runsDir).some((path) => path.endsWith(".tmp")), "no temporary file is left");
  });
});

Deno.test("read-only output folders: backquery, resilience, query previews, show, data give one line each", async (t) => {
  await withTmpfs(t, "size=20m", async (folder) => {
    const run = await trainSmallRun(folder);
    await Deno.mkdir(`${folder}/previews`);
    const remounted = await new Deno.Command("mount", { args: ["-o", "remount,ro", folder] }).output();
    assert.ok(remounted.success, "remounted read-only");
    const before = filesBelow(folder);
    const cases: [string, string[], RegExp][] = [
      ["backquery", [run], /Cannot write .*backquery_0\.png: Read-only file system/],
      [
        "resilience",
        [run, "--lesion", "0", "--noise", "0", "--draws", "1"],
        /Cannot write .*resilience\.json: Read-only/,
      ],
      [
        "query",
        [run, "data/own/clean_4.png", "--save-previews", `${folder}/previews`],
        /Cannot write .*previews\/clean_4_28x28\.png: Read-only/,
      ],
      ["show", ["--out", `${folder}/seven.png`], /Cannot write .*seven\.png: Read-only/],
      [
        "data",
        ["--limit-train", "10", "--limit-test", "10", "--out-dir", folder],
        /Cannot write .*mnist_train_10\.csv: Read-only/,
      ],
      ["train", [...SMALL, "--runs-dir", folder], /Cannot save runs in .*Read-only file system/],
    ];
    for (const [script, args, pattern] of cases) assertOneLineError(await runScript(script, args), pattern);
    assert.deepEqual(filesBelow(folder), before, "nothing was written");
  });
});

Deno.test("settings past what fits, and scales past sense: one line each, before any work", async () => {
  const cases: [string, string[], RegExp][] = [
    ["train", ["--hidden", "100000000"], /--hidden must be 1 to 8 whole numbers 1–100,000/],
    [
      "train",
      ["--hidden", "100000,100000"],
      /makes a network of 10,079,400,000 weights; at most 400,000,000 fit/,
    ],
    ["train", ["--hidden", "5,5,5,5,5,5,5,5,5"], /--hidden must be 1 to 8 whole numbers/],
    ["show", ["--scale", "100000"], /--scale must be at most 100, got 100000/],
    ["backquery", ["/nowhere/run", "--scale", "100000"], /--scale must be at most 100/],
    [
      "serve",
      ["--host", "not a host", "--port", "0"],
      /Cannot serve on not a host:0: .*--host must be an address/,
    ],
  ];
  for (const [script, args, pattern] of cases) assertOneLineError(await runScript(script, args), pattern);
  // eight hidden layers are allowed and train
  const directory = await Deno.makeTempDir();
  await trainSmallRun(directory, ["--hidden", "5,5,5,5,5,5,5,5"]);
  await Deno.remove(directory, { recursive: true });
});

Deno.test("serve on a busy port: one line", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    assertOneLineError(
      await runScript("serve", ["--port", String(port)]),
      new RegExp(`Cannot serve on 127\\.0\\.0\\.1:${port}: the port is in use`),
    );
  } finally {
    listener.close();
  }
});

Deno.test("weights that are not finite numbers are refused on load, naming the file", async () => {
  const runsDir = await Deno.makeTempDir();
  const run = await trainSmallRun(runsDir);
  const weights = await loadWeightsFile(`${run}/weights_0.npy`);
  weights.data[5] = NaN;
  await Deno.writeFile(`${run}/weights_0.npy`, formatNpy(weights));
  const named = /weights_0\.npy holds a weight that is not a finite number \(NaN at row 0, column 5\)/;
  assertOneLineError(await runScript("evaluate", [run]), named);
  assertOneLineError(await runScript("query", [run, "data/own/clean_4.png"]), named);
  assertOneLineError(
    await runScript("train", [...SMALL, "--hidden", "20", "--init-weights", run, "--runs-dir", runsDir]),
    named,
  );
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("evaluate of a failed run says it failed; --resume with settings of its own is refused", async () => {
  const runsDir = await Deno.makeTempDir();
  const failed = await runScript("train", [...SMALL, "--lr", "1e300", "--runs-dir", runsDir]);
  assert.equal(failed.code, 1);
  const run = `${runsDir}/${[...Deno.readDirSync(runsDir)].find((entry) => entry.isDirectory)!.name}`;
  assertOneLineError(await runScript("evaluate", [run]), /is a failed run \(training diverged in epoch 1/);
  assertOneLineError(
    await runScript("train", ["--resume", run, "--lr", "0.3", "--epochs=4"]),
    /--resume continues the run with its own settings: leave out --lr, --epochs/,
  );
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("two trainings started in the same second with the same settings never mix their ids", async () => {
  const runsDir = await Deno.makeTempDir();
  const args = [
    ...SMALL,
    "--hidden",
    "20",
    "--epochs",
    "3",
    "--name",
    "twin",
    "--runs-dir",
    runsDir,
    "--json",
  ];
  const results = await Promise.all([runScript("train", args), runScript("train", args)]);
  const directories = results.map((result) => {
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout).directory as string;
  });
  assert.notEqual(directories[0], directories[1]);
  for (const directory of directories) {
    const record = await readRunRecord(directory);
    assert.equal(record.id, directory.split("/").pop(), "run.json's id is its folder's name");
    assert.equal(record.history.length, 3);
  }
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("leftovers of a killed training are removed at the next start; a live writer's are kept", async () => {
  const runsDir = await Deno.makeTempDir();
  const run = await trainSmallRun(runsDir);
  const old = new Date(Date.now() - 10 * 60_000);
  // a process id that does not run (pid_max is at most 4,194,304)
  const dead = 4_194_999;
  const stale = [`${runsDir}/.saving-${dead}-20990101-x-abc`, `${run}/weights_0.npy.${dead}.tmp`];
  const live = [`${runsDir}/.saving-${Deno.pid}-20990101-y-abc`, `${run}/run.json.${Deno.pid}.tmp`];
  await Deno.mkdir(stale[0]);
  await Deno.mkdir(live[0]);
  for (const file of [stale[1], live[1]]) await Deno.writeTextFile(file, "half");
  for (const path of [...stale, ...live]) await Deno.utime(path, old, old);
  const result = await runScript("train", [
    ...SMALL,
    "--hidden",
    "10",
    "--epochs",
    "1",
    "--runs-dir",
    runsDir,
  ]);
  assert.equal(result.code, 0, result.stderr);
  for (const path of stale) {
    assert.match(result.stderr, new RegExp(`removed ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  }
  for (const path of stale) {
    assert.ok(!(await Deno.stat(path).then(() => true, () => false)), `${path} is gone`);
  }
  for (const path of live) assert.ok(await Deno.stat(path).then(() => true, () => false), `${path} is kept`);
  await Deno.remove(runsDir, { recursive: true });
});
