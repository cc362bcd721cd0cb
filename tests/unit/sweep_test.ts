import assert from "node:assert/strict";
import { parseSweepParameter, parseValues, spread, terminalChart } from "../../core/experiments/sweep.ts";
import { assertAllClose, assertOneLineError, runScript } from "../helpers.ts";

Deno.test("parseSweepParameter() reads lists and ranges of the four settings", () => {
  assert.deepEqual(parseSweepParameter("lr=0.01,0.1,0.3"), { parameter: "lr", values: [0.01, 0.1, 0.3] });
  assert.deepEqual(parseSweepParameter("epochs=1..5"), { parameter: "epochs", values: [1, 2, 3, 4, 5] });
  assert.deepEqual(parseSweepParameter("lr=0.1..0.5:0.1").values, [0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.deepEqual(parseSweepParameter("rotate=0..45:15").values, [0, 15, 30, 45]);
  assert.deepEqual(parseValues("0..0.9:0.1", "--lesion").length, 10);
});

Deno.test("parseSweepParameter() names what is wrong with a bad parameter or range", () => {
  assert.throws(
    () => parseSweepParameter("momentum=0.9"),
    /--param momentum is not a setting a sweep can vary: use one of lr, epochs, hidden, rotate/,
  );
  assert.throws(() => parseSweepParameter("lr"), /--param must look like lr=0.01,0.1,0.3/);
  assert.throws(() => parseSweepParameter("epochs=5..1"), /"5\.\.1" is not a range/);
  assert.throws(() => parseSweepParameter("lr=0.1,abc"), /"abc" is not a number/);
  assert.throws(
    () => parseSweepParameter("hidden=10,2.5"),
    /--param hidden takes whole numbers ≥ 1, got 2\.5/,
  );
  assert.throws(() => parseSweepParameter("lr=0,0.1"), /--param lr takes numbers > 0, got 0/);
});

Deno.test("spread() and terminalChart() summarise points", () => {
  const { mean, standardDeviation, min, max } = spread([0.9, 0.92, 0.94]);
  assertAllClose([mean, standardDeviation, min, max], [0.92, 0.02, 0.9, 0.94], 1e-12);
  assert.equal(spread([0.5]).standardDeviation, 0);
  const chart = terminalChart([
    { value: 0.1, performance: spread([0.9, 0.92]) },
    { value: 0.3, performance: spread([0.95, 0.96]) },
  ], 20);
  assert.equal(chart.split("\n")[0], "     0.1 │├──●──┤             │ 0.9100");
  assert.equal(chart.split("\n")[1], "     0.3 │                ├●─┤│ 0.9550");
});

Deno.test("sweep runs every value × seed on Workers and saves sweep.json and sweep.csv", async () => {
  const directory = await Deno.makeTempDir();
  const result = await runScript("sweep", [
    "--param",
    "hidden=4,8",
    "--seeds",
    "1,2",
    "--epochs",
    "1",
    "--workers",
    "2",
    "--train",
    "data/mnist_train_100.csv",
    "--test",
    "data/mnist_test_10.csv",
    "--sweeps-dir",
    directory,
    "--json",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const sweep = JSON.parse(result.stdout);
  assert.equal(sweep.parameter, "hidden");
  assert.deepEqual(sweep.points.map((p: { value: number }) => p.value), [4, 8]);
  assert.deepEqual(sweep.points[0].runs.map((r: { seed: number }) => r.seed), [1, 2]);
  const saved = JSON.parse(await Deno.readTextFile(`${sweep.directory}/sweep.json`));
  assert.equal(saved.id, sweep.id);
  const csv = (await Deno.readTextFile(`${sweep.directory}/sweep.csv`)).trim().split("\n");
  assert.equal(csv[0], "parameter,value,seed,performance,train_seconds");
  assert.equal(csv.length, 5);
  // the same training as train.ts with the same seed: Workers change nothing
  const single = await runScript("train", [
    "--hidden",
    "8",
    "--seed",
    "2",
    "--epochs",
    "1",
    "--train",
    "data/mnist_train_100.csv",
    "--test",
    "data/mnist_test_10.csv",
    "--runs-dir",
    directory,
    "--json",
  ]);
  assert.equal(JSON.parse(single.stdout).performance, sweep.points[1].runs[1].performance);
  assertOneLineError(
    await runScript("sweep", ["--param", "depth=3"]),
    /--param depth is not a setting a sweep can vary/,
  );
  assertOneLineError(await runScript("sweep", []), /missing --param/);
  await Deno.remove(directory, { recursive: true });
});

Deno.test("an epochs sweep reads each point from one longer training: the same as training that many epochs", async () => {
  const directory = await Deno.makeTempDir();
  const data = ["--train", "data/mnist_train_100.csv", "--test", "data/mnist_test_10.csv", "--hidden", "10"];
  const sweep = await runScript("sweep", [
    "--param",
    "epochs=1..3",
    "--seeds",
    "1",
    ...data,
    "--sweeps-dir",
    directory,
    "--json",
  ]);
  const points = JSON.parse(sweep.stdout).points;
  for (const epochs of [1, 3]) {
    const run = await runScript("train", [
      "--epochs",
      String(epochs),
      ...data,
      "--runs-dir",
      directory,
      "--json",
    ]);
    assert.equal(points[epochs - 1].performance.mean, JSON.parse(run.stdout).performance);
    assert.equal(points[epochs - 1].runs[0].history.length, epochs);
  }
  await Deno.remove(directory, { recursive: true });
});
