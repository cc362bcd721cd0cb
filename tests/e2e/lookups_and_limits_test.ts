/**
 * Names from outside looked up as own keys only; numbers read one way; folders checked before
 * work; no absolute path on a page; checkpoint weights kept for readers and cleaned after.
 * Each bad input is one line (CLI) or a 4xx with one line, and nothing on disk is lost.
 */
import assert from "node:assert/strict";
import { createApp } from "../../main.ts";
import { limitDataset, loadDataset, parseMnistCsv } from "../../core/data/mod.ts";
import { formatNpy, readRunRecord, removeEpochLeftovers, writeCheckpoint } from "../../core/store/mod.ts";
import { assertOneLineError, ROOT, runModule, runScript, trainSmallRun } from "../helpers.ts";

/** `cli.ts` with these arguments. */
function cli(args: string[]) {
  return runModule("cli.ts", args);
}

Deno.test("names an object has by inheritance are unknown commands, sweep parameters and activations", async () => {
  for (const name of ["toString", "constructor", "valueOf", "__proto__", "hasOwnProperty"]) {
    assertOneLineError(await cli([name]), new RegExp(`unknown command "${name}"`));
  }
  assertOneLineError(
    await runScript("sweep", ["--param", "constructor=1,2"]),
    /--param constructor is not a setting a sweep can vary/,
  );
  const runsDir = await Deno.makeTempDir({ prefix: "myonn-lookups-" });
  try {
    const directory = await trainSmallRun(runsDir);
    const id = directory.split("/").at(-1)!;
    const text = await Deno.readTextFile(`${directory}/run.json`);
    for (const activation of ["toString", "__proto__"]) {
      const record = JSON.parse(text);
      record.config.activation = activation;
      await Deno.writeTextFile(`${directory}/run.json`, JSON.stringify(record));
      assertOneLineError(
        await runScript("evaluate", [directory]),
        /"config\.activation" must be one of sigmoid, tanh/,
      );
      const { app } = createApp({ runsDir, sweepsDir: `${runsDir}/sweeps` });
      const page = await app.request(`/runs/${id}`);
      assert.equal(page.status, 422);
      const body = await page.text();
      assert.match(body, /config\.activation/);
      assert.doesNotMatch(body, new RegExp(runsDir), "no absolute path of the server's machine on the page");
    }
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("numbers are decimal everywhere: 0x10, 1_0 and Infinity refused by flags, sweep lists and the API", async () => {
  assertOneLineError(await runScript("train", ["--lr", "0x10"]), /--lr must be a number > 0.*"0x10"/);
  assertOneLineError(await runScript("train", ["--lr", "Infinity"]), /--lr must be/);
  assertOneLineError(await runScript("train", ["--epochs", "1_0"]), /--epochs must be a whole number/);
  assertOneLineError(await runScript("sweep", ["--param", "lr=0x1,0.2"]), /"0x1" is not a number/);
  assertOneLineError(await runScript("single_layer", ["--alpha", "0x1"]), /--alpha must be a number > 0/);
  // the same bound on every command that takes a setting: train's --rotate is 0…180, and so is show's
  assertOneLineError(await runScript("show", ["--rotate", "181"]), /--rotate must be a number ≥ 0 and ≤ 180/);
  assertOneLineError(
    await runScript("single_layer", ["--report-at", "99999999"]),
    /--report-at 99999999 is past the 60000 training images/,
  );
  const runsDir = await Deno.makeTempDir({ prefix: "myonn-numbers-" });
  try {
    const { app } = createApp({ runsDir, sweepsDir: `${runsDir}/sweeps` });
    const response = await app.request("/api/train", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost" },
      body: JSON.stringify({ learningRate: "0x5" }),
    });
    assert.equal(response.status, 400);
    assert.match((await response.json()).error, /learningRate must be a number/);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("a CSV's byte-order mark is skipped; a set of no records is refused in one line", async () => {
  const csv = await Deno.readFile(`${ROOT}data/mnist_test_10.csv`);
  const withMark = new Uint8Array([0xef, 0xbb, 0xbf, ...csv]);
  const dataset = parseMnistCsv(withMark, "marked.csv");
  assert.equal(dataset.count, 10);
  assert.deepEqual(dataset.labels, parseMnistCsv(csv, "plain.csv").labels);
  const folder = await Deno.makeTempDir({ prefix: "myonn-empty-" });
  try {
    // an IDX pair holding 0 images of 28×28 and 0 labels
    const images = new Uint8Array(16), labels = new Uint8Array(8);
    new DataView(images.buffer).setUint32(0, 0x803);
    new DataView(images.buffer).setUint32(8, 28);
    new DataView(images.buffer).setUint32(12, 28);
    new DataView(labels.buffer).setUint32(0, 0x801);
    await Deno.writeFile(`${folder}/empty-images-idx3-ubyte`, images);
    await Deno.writeFile(`${folder}/empty-labels-idx1-ubyte`, labels);
    await assert.rejects(() => loadDataset(`${folder}/empty-images-idx3-ubyte`), /holds no records/);
    assertOneLineError(
      await runScript("train", [
        "--train",
        `${folder}/empty-images-idx3-ubyte`,
        "--runs-dir",
        `${folder}/runs`,
      ]),
      /holds no records/,
    );
    assertOneLineError(
      await runScript("single_layer", ["--train", `${folder}/empty-images-idx3-ubyte`]),
      /holds no records/,
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
  assert.equal(limitDataset(dataset, 3).count, 3);
});

Deno.test("folders that cannot hold the results are refused before any work: sweep, serve, the dashboard's Train", async () => {
  const folder = await Deno.makeTempDir({ prefix: "myonn-folders-" });
  try {
    const file = `${folder}/a-file`;
    await Deno.writeTextFile(file, "not a folder");
    const sweep = await runScript("sweep", ["--param", "lr=0.1,0.2", "--sweeps-dir", `${file}/sweeps`]);
    assertOneLineError(sweep, /Cannot save sweeps in .*a-file\/sweeps/);
    assert.doesNotMatch(sweep.stderr, /Sweeping/, "refused before training");
    assertOneLineError(
      await runScript("serve", ["--runs-dir", file, "--port", "0"]),
      /--runs-dir .*a-file is not a folder/,
    );
    const { app } = createApp({ runsDir: `${file}/runs`, sweepsDir: `${folder}/sweeps` });
    const response = await app.request("/api/train", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost" },
      body: JSON.stringify({ hidden: "20", limitTrain: "100", limitTest: "10" }),
    });
    assert.equal(response.status, 503);
    const { error } = await response.json();
    assert.match(error, /Cannot save runs in/);
    assert.doesNotMatch(error, new RegExp(folder), "no absolute path in the answer");
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("a checkpoint keeps the previous checkpoint's weights for readers; a minute on, the next command removes them", async () => {
  const runsDir = await Deno.makeTempDir({ prefix: "myonn-checkpoints-" });
  try {
    const directory = await trainSmallRun(runsDir, ["--epochs", "3"]);
    const record = await readRunRecord(directory);
    const weights = await Promise.all(
      record.weights.map(async ({ file }) => {
        const { parseNpy } = await import("../../core/store/mod.ts");
        return parseNpy(await Deno.readFile(`${directory}/${file}`), file);
      }),
    );
    // checkpoints of an incomplete run at epochs 1, 2 and 3, as a training writes them
    for (const epoch of [1, 2, 3]) {
      await writeCheckpoint(
        runsDir,
        {
          record: {
            ...record,
            status: "incomplete",
            history: record.history.slice(0, 1).concat(Array(epoch - 1).fill(record.history[0])),
          },
          weights,
        },
        directory,
      );
    }
    const files = () =>
      [...Deno.readDirSync(directory)].map((entry) => entry.name).filter((name) => name.includes(".epoch"));
    // epoch 3's are named by run.json; epoch 2's stay for a reader that read the previous run.json
    assert.deepEqual(files().sort(), [
      "weights_0.epoch2.npy",
      "weights_0.epoch3.npy",
      "weights_1.epoch2.npy",
      "weights_1.epoch3.npy",
    ]);
    // young leftovers stay; once a minute old, the next command's clean-up takes them
    assert.deepEqual(await removeEpochLeftovers(runsDir), []);
    const old = new Date(Date.now() - 120_000);
    for (const name of files()) await Deno.utime(`${directory}/${name}`, old, old);
    const removed = (await removeEpochLeftovers(runsDir)).map((path) => path.split("/").at(-1)).sort();
    assert.deepEqual(removed, ["weights_0.epoch2.npy", "weights_1.epoch2.npy"]);
    assert.deepEqual(
      files().sort(),
      ["weights_0.epoch3.npy", "weights_1.epoch3.npy"],
      "what run.json names stays",
    );
    assert.ok(formatNpy(weights[0]).length > 0);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("a Host header that is no host name is a 400, and nothing is logged", async () => {
  const runsDir = await Deno.makeTempDir({ prefix: "myonn-host-" });
  const { app } = createApp({ runsDir, sweepsDir: `${runsDir}/sweeps` });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  const logged: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await connection.write(
      new TextEncoder().encode(
        "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:8212.evil.com\r\nConnection: close\r\n\r\n",
      ),
    );
    const buffer = new Uint8Array(4096);
    const count = await connection.read(buffer);
    connection.close();
    assert.match(new TextDecoder().decode(buffer.subarray(0, count ?? 0)), /^HTTP\/1\.1 400/);
    assert.deepEqual(logged, []);
  } finally {
    console.error = original;
    await server.shutdown();
    await Deno.remove(runsDir, { recursive: true });
  }
});
