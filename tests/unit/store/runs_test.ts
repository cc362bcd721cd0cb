import assert from "node:assert/strict";
import { configFromSettings } from "../../helpers.ts";
import { createNetwork, createRandom } from "../../../core/model/mod.ts";
import {
  describeMachine,
  describeWeights,
  formatNpy,
  loadInitialWeights,
  loadRun,
  makeRunId,
  readRunRecord,
  type RunRecord,
  saveRun,
} from "../../../core/store/mod.ts";

function sampleRun(id: string): { record: RunRecord; net: ReturnType<typeof createNetwork> } {
  const net = createNetwork({ layers: [784, 5, 10], learningRate: 0.2, random: createRandom(9) });
  const record: RunRecord = {
    format: "myonn-run",
    version: 1,
    id,
    name: "",
    createdAt: new Date(0).toISOString(),
    config: {
      ...configFromSettings({ hidden: [5], learningRate: 0.2, epochs: 1, seed: 9, precision: "f64" }),
      train: { source: "a.csv", count: 1 },
      test: { source: "b.csv", count: 1 },
    },
    history: [{ epoch: 1, performance: 1, meanSquaredError: 0.1, trainSeconds: 0, testSeconds: 0 }],
    performance: 1,
    confusion: [],
    perClassAccuracy: [],
    timings: { loadSeconds: 0, trainSeconds: 0, testSeconds: 0, totalSeconds: 0 },
    machine: describeMachine(),
    weights: describeWeights(net.weights),
  };
  return { record, net };
}

Deno.test("saveRun() then loadRun() gives back the record and the exact weights", async () => {
  const runsDir = await Deno.makeTempDir();
  const { record, net } = sampleRun("r1");
  const directory = await saveRun(runsDir, record, net.weights);
  assert.equal(directory, `${runsDir}/r1`);
  const loaded = await loadRun(directory);
  assert.deepEqual(loaded.record, record);
  assert.deepEqual(loaded.weights.map((m) => m.data), net.weights.map((m) => m.data));
  assert.deepEqual(record.weights.map((w) => w.book), ["wih", "who"]);
  assert.deepEqual(
    Array.from(Deno.readDirSync(runsDir), (entry) => entry.name),
    ["r1"],
    "no temporary folder left",
  );
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("saveRun() never overwrites: a second run with the same id gets a suffix", async () => {
  const runsDir = await Deno.makeTempDir();
  const { record, net } = sampleRun("same");
  const directories = await Promise.all([1, 2, 3].map(() => saveRun(runsDir, record, net.weights)));
  assert.deepEqual(directories.map((d) => d.slice(runsDir.length + 1)).sort(), ["same", "same-2", "same-3"]);
  assert.equal((await readRunRecord(`${runsDir}/same-3`)).id, "same-3");
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("loadRun() names a missing run, a folder without run.json, bad JSON, another format and bad weights", async () => {
  const runsDir = await Deno.makeTempDir();
  await assert.rejects(loadRun(`${runsDir}/nope`), new RegExp(`Run ${runsDir}/nope does not exist`));
  await Deno.mkdir(`${runsDir}/empty`);
  await assert.rejects(loadRun(`${runsDir}/empty`), /empty is not a run: it has no run\.json/);
  await Deno.writeTextFile(`${runsDir}/empty/run.json`, "{ not json");
  await assert.rejects(loadRun(`${runsDir}/empty`), /run\.json is not valid JSON/);
  await Deno.writeTextFile(`${runsDir}/empty/run.json`, JSON.stringify({ format: "other" }));
  await assert.rejects(loadRun(`${runsDir}/empty`), /is not a myonn run: expected "format": "myonn-run"/);
  await Deno.writeTextFile(`${runsDir}/empty/run.json`, JSON.stringify({ format: "myonn-run", version: 9 }));
  await assert.rejects(loadRun(`${runsDir}/empty`), /has format version 9, this myonn reads version 1/);

  const { record, net } = sampleRun("bad-weights");
  const directory = await saveRun(runsDir, record, net.weights);
  await Deno.writeFile(`${directory}/weights_1.npy`, formatNpy(net.weights[0]));
  await assert.rejects(
    loadRun(directory),
    /weights_1 has shape \(5, 784\), layers \[784,5,10\] need \(10, 5\)/,
  );
  await Deno.remove(`${directory}/weights_1.npy`);
  await assert.rejects(loadRun(directory), /Cannot read .*weights_1\.npy: no such file/);
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("loadInitialWeights() checks the shapes against the layers asked for", async () => {
  const runsDir = await Deno.makeTempDir();
  const { record, net } = sampleRun("init");
  const directory = await saveRun(runsDir, record, net.weights);
  const weights = await loadInitialWeights(directory, [784, 5, 10]);
  assert.deepEqual(weights[1].data, net.weights[1].data);
  await assert.rejects(
    loadInitialWeights(directory, [784, 6, 10]),
    /--init-weights .*weights_0 has shape \(5, 784\)/,
  );
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("makeRunId() is a time stamp and a safe slug", () => {
  const now = new Date("2026-11-22T08:10:05.123Z");
  assert.equal(
    makeRunId({ layers: [784, 200, 10], learningRate: 0.1, epochs: 5 }, "", now),
    "20261122-081005-h200-lr0.1-e5",
  );
  assert.equal(
    makeRunId({ layers: [784, 200, 100, 10], learningRate: 0.1, epochs: 5 }, "", now),
    "20261122-081005-h200x100-lr0.1-e5",
  );
  assert.equal(
    makeRunId({ layers: [784, 9, 10], learningRate: 1, epochs: 1 }, "My ../First Run!", now),
    "20261122-081005-my-first-run",
  );
});
