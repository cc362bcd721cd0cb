/**
 * myonn against the book's algorithm in numpy (bench/book_reference.py): from the same
 * starting weights, one epoch over the committed 100 records must give the same weights.
 */
import assert from "node:assert/strict";
import { createNetwork, createRandom } from "../../core/model/mod.ts";
import { formatNpy, parseNpy } from "../../core/store/mod.ts";
import { assertAllClose, hasNumpy, runPython, runScript } from "../helpers.ts";

Deno.test("one epoch from the same starting weights gives numpy's weights to 1e-9 (float64)", async (t) => {
  if (!(await hasNumpy())) {
    await t.step({
      name: "skipped: python3 with numpy and scipy is not installed",
      ignore: true,
      fn: () => {},
    });
    return;
  }
  const directory = await Deno.makeTempDir();
  const start = createNetwork({ layers: [784, 100, 10], learningRate: 0.3, random: createRandom(2024) });
  await Deno.mkdir(`${directory}/init`);
  for (const [index, matrix] of start.weights.entries()) {
    await Deno.writeFile(`${directory}/init/weights_${index}.npy`, formatNpy(matrix));
  }
  const common = ["--train", "data/mnist_train_100.csv", "--test", "data/mnist_test_10.csv", "--lr", "0.3"];
  const ours = await runScript("train", [
    ...common,
    "--hidden",
    "100",
    "--precision",
    "f64",
    "--epochs",
    "1",
    "--init-weights",
    `${directory}/init`,
    "--runs-dir",
    `${directory}/runs`,
    "--json",
  ]);
  assert.equal(ours.code, 0, ours.stderr);
  const run = JSON.parse(ours.stdout);
  const theirs = JSON.parse(
    await runPython([
      "bench/book_reference.py",
      ...common,
      "--epochs",
      "1",
      "--init-weights",
      `${directory}/init`,
      "--out",
      `${directory}/numpy`,
    ]),
  );
  for (const file of ["weights_0.npy", "weights_1.npy"]) {
    const a = parseNpy(await Deno.readFile(`${run.directory}/${file}`), file);
    const b = parseNpy(await Deno.readFile(`${directory}/numpy/${file}`), file);
    assert.deepEqual([a.rows, a.cols], [b.rows, b.cols]);
    assertAllClose(a.data, b.data, 1e-9);
    assert.notDeepEqual(
      a.data,
      start.weights[file === "weights_0.npy" ? 0 : 1].data,
      "training changed the weights",
    );
  }
  assert.equal(run.performance, theirs.performance, "same answers on the 10 test records");
  await Deno.remove(directory, { recursive: true });
});
