/** Nothing lost: interruptions and resume, divergence, a full disk, concurrent writers and readers. */
import assert from "node:assert/strict";
import { createNetwork, createRandom } from "../../core/model/mod.ts";
import {
  describeMachine,
  describeWeights,
  listRuns,
  loadRun,
  type RunRecord,
  saveRun,
  writeCheckpoint,
} from "../../core/store/mod.ts";
import { assertOneLineError, configFromSettings, ROOT, runScript } from "../helpers.ts";

const SMALL = ["--hidden", "100", "--limit-test", "1000", "--seed", "4"];

/** Start `train` and send `signal` once it has printed `after` on stderr. */
async function interruptTraining(args: string[], after: RegExp, signal: Deno.Signal) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}scripts/train.ts`, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const decoder = new TextDecoder();
  let stderr = "";
  const reader = child.stderr.getReader();
  while (!after.test(stderr)) {
    const { value, done } = await reader.read();
    if (done) break;
    stderr += decoder.decode(value);
  }
  child.kill(signal);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    stderr += decoder.decode(value);
  }
  const status = await child.status;
  await child.stdout.cancel();
  return { code: status.code, stderr };
}

/** The weight files of a run, by name. */
async function weightFiles(directory: string): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  for await (const entry of Deno.readDir(directory)) {
    if (entry.name.startsWith("weights_")) {
      files[entry.name] = await Deno.readFile(`${directory}/${entry.name}`);
    }
  }
  return files;
}

Deno.test("Ctrl-C saves the finished epochs as an incomplete run; --resume ends with exactly the uninterrupted weights", async () => {
  const runsDir = await Deno.makeTempDir();
  const whole = await runScript("train", [...SMALL, "--epochs", "3", "--runs-dir", runsDir, "--json"]);
  assert.equal(whole.code, 0, whole.stderr);
  const uninterrupted = JSON.parse(whole.stdout);

  const stopped = await interruptTraining(
    [...SMALL, "--epochs", "3", "--runs-dir", runsDir, "--json"],
    /epoch 1\/3/,
    "SIGINT",
  );
  assert.equal(stopped.code, 130, stopped.stderr);
  const line = stopped.stderr.trim().split("\n").pop()!;
  assert.match(
    line,
    /^error: interrupted during epoch [23] of 3: epochs 1–[12] are saved as incomplete run .*; continue with: deno task train --resume /,
  );
  const directory = /--resume (\S+)$/.exec(line)![1];
  const checkpoint = await loadRun(directory);
  assert.equal(checkpoint.record.status, "incomplete");
  assert.ok(checkpoint.record.history.length >= 1 && checkpoint.record.history.length < 3);

  const resumed = await runScript("train", ["--resume", directory, "--json"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  const finished = JSON.parse(resumed.stdout);
  assert.equal(finished.status, "complete");
  assert.equal(finished.history.length, 3);
  assert.deepEqual(
    finished.history.map((e: { performance: number }) => e.performance),
    uninterrupted.history.map((e: { performance: number }) => e.performance),
  );
  assert.deepEqual(
    await weightFiles(directory),
    await weightFiles(uninterrupted.directory),
    "the same weights, bit for bit",
  );
  assertOneLineError(
    await runScript("train", ["--resume", directory]),
    /is complete \(3 of 3 epochs\): nothing to resume/,
  );
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("SIGTERM before the first epoch ends: a clear line, exit 143 (128 + SIGTERM), nothing saved", async () => {
  const runsDir = await Deno.makeTempDir();
  const stopped = await interruptTraining(
    [...SMALL, "--epochs", "2", "--runs-dir", runsDir, "--json"],
    /Training 784/,
    "SIGTERM",
  );
  assert.equal(stopped.code, 143);
  assert.match(
    stopped.stderr,
    /error: interrupted during epoch 1 of 2: no epoch was finished, nothing was saved/,
  );
  assert.deepEqual([...Deno.readDirSync(runsDir)].filter((entry) => !entry.name.startsWith(".")), []);
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("a learning rate so large that the weights overflow stops with the epoch named; the run is saved as failed", async () => {
  const runsDir = await Deno.makeTempDir();
  const result = await runScript("train", [
    "--lr",
    "1e300",
    "--hidden",
    "10",
    "--limit-train",
    "300",
    "--limit-test",
    "100",
    "--runs-dir",
    runsDir,
  ]);
  assertOneLineError(
    result,
    /training diverged in epoch 1: the weights are no longer finite numbers \(learning rate 1e\+300 is too large\)/,
  );
  const [listing] = await listRuns(runsDir);
  assert.ok("record" in listing && listing.record.status === "failed");
  assertOneLineError(
    await runScript("train", ["--resume", `${runsDir}/${listing.id}`]),
    /failed .*it cannot be resumed/,
  );
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("an unwritable runs folder is reported before any training", async () => {
  const started = performance.now();
  const result = await runScript("train", ["--runs-dir", "/proc/version/runs"]);
  assertOneLineError(
    result,
    /Cannot save runs in \/proc\/version\/runs: .*\(choose another folder with --runs-dir\)/,
  );
  // a guard against training first (minutes), not a timing: a process starts in about a second
  assert.ok(performance.now() - started < 30_000, "it stops before training");
});

function sampleRecord(epochs: number): RunRecord {
  return {
    format: "myonn-run",
    version: 1,
    id: "checkpointed",
    status: "incomplete",
    name: "",
    createdAt: new Date(0).toISOString(),
    config: {
      ...configFromSettings({ hidden: [100] }),
      train: { source: "mnist:train", count: 60000 },
      test: { source: "mnist:test", count: 10000 },
    },
    history: Array.from(
      { length: epochs },
      (_, i) => ({
        epoch: i + 1,
        performance: 0.9,
        meanSquaredError: 0.01,
        trainSeconds: 1,
        testSeconds: 0.1,
      }),
    ),
    performance: 0.9,
    confusion: [],
    perClassAccuracy: [],
    timings: { loadSeconds: 0, trainSeconds: 0, testSeconds: 0, totalSeconds: 0 },
    machine: describeMachine(),
    weights: [],
  };
}

Deno.test("a full disk while checkpointing leaves the previous checkpoint whole and readable", async (t) => {
  const mountPoint = await Deno.makeTempDir();
  const mounted = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=500k", "tmpfs", mountPoint],
    stderr: "null",
  })
    .output().then((output) => output.success, () => false);
  if (!mounted) {
    await t.step({
      name: "skipped: cannot mount a small tmpfs here (needs root)",
      ignore: true,
      fn: () => {},
    });
    return;
  }
  try {
    const net = createNetwork({
      layers: [784, 100, 10],
      learningRate: 0.1,
      random: createRandom(1),
      precision: "f32",
    });
    const first = await writeCheckpoint(mountPoint, { record: sampleRecord(1), weights: net.weights });
    const saved = Float32Array.from(net.weights[0].data);
    net.weights[0].data.fill(0.5); // the next epoch's weights: 314 KB more than the disk has
    await assert.rejects(
      writeCheckpoint(mountPoint, { record: sampleRecord(2), weights: net.weights }, first.directory),
    );
    const run = await loadRun(first.directory);
    assert.equal(run.record.history.length, 1, "run.json still describes epoch 1");
    assert.deepEqual(Float32Array.from(run.weights[0].data), saved, "and its weights are epoch 1's, whole");
  } finally {
    await new Deno.Command("umount", { args: [mountPoint] }).output();
    await Deno.remove(mountPoint, { recursive: true });
  }
});

Deno.test("listing runs while several are being written never shows a half-written run", async () => {
  const runsDir = await Deno.makeTempDir();
  const net = createNetwork({ layers: [784, 30, 10], learningRate: 0.1, random: createRandom(1) });
  const template = sampleRecord(1);
  const record: RunRecord = {
    ...template,
    status: "complete",
    config: { ...template.config, layers: [784, 30, 10] },
    weights: describeWeights(net.weights),
  };
  let writing = true;
  const seen: string[] = [];
  const reader = (async () => {
    while (writing) {
      for (const listing of await listRuns(runsDir)) {
        if ("broken" in listing) seen.push(`${listing.id}: ${listing.broken}`);
      }
    }
  })();
  await Promise.all(
    Array.from(
      { length: 12 },
      () => saveRun(runsDir, record, net.weights),
    ),
  );
  writing = false;
  await reader;
  assert.deepEqual(seen, [], seen.join("\n"));
  assert.equal((await listRuns(runsDir)).length, 12, "twelve distinct runs");
  await Deno.remove(runsDir, { recursive: true });
});
