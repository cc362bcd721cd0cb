import assert from "node:assert/strict";
import { createInk, rotate, trainingSamples } from "../../../core/training/mod.ts";
import { loadDataset } from "../../../core/data/mod.ts";
import { assertAllClose, ROOT } from "../../helpers.ts";

const IMAGE = Float64Array.from({ length: 784 }, (_, i) => ((i * 37) % 101) / 100);

Deno.test("rotate() by 0° is the identity and by 90° four times comes back", () => {
  assertAllClose(rotate(IMAGE, 0, 0.01, new Float64Array(784)), IMAGE, 1e-15);
  let image = Float64Array.from(IMAGE);
  for (let i = 0; i < 4; i++) image = rotate(image, 90, 0.01, new Float64Array(784));
  assertAllClose(image, IMAGE, 1e-12);
});

Deno.test("rotate() by 45° fills the corners with the fill value", () => {
  const out = rotate(IMAGE, 45, 0.5, new Float64Array(784));
  for (const corner of [0, 27, 27 * 28, 783]) assert.equal(out[corner], 0.5);
  assert.notEqual(out[14 * 28 + 14], 0.5, "the centre is image, not fill");
});

Deno.test("trainingSamples() gives each record then its ±A° copies, with their labels", async () => {
  const dataset = await loadDataset(`${ROOT}data/mnist_test_10.csv`);
  const samples = trainingSamples(dataset, { rotate: 15 });
  assert.equal(samples.count, 30);
  assert.deepEqual([0, 1, 2, 3].map(samples.label), [7, 7, 7, 2]);
  const ink = createInk(new Float64Array(784));
  samples.read(1, ink);
  const plain = createInk(new Float64Array(784));
  samples.read(0, plain);
  assert.notDeepEqual(ink.values, plain.values);
  assertAllClose([ink.sum], [plain.sum], plain.sum * 0.05); // rotation moves ink, keeps about as much
  assert.equal(trainingSamples(dataset).count, 10);
});
