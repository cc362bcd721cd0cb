import assert from "node:assert/strict";
import { type Dataset, loadDataset, scaleInputs } from "../../../core/data/mod.ts";
import { createMatrix } from "../../../core/kernels/mod.ts";
import { argmax, createNetwork, createRandom, query } from "../../../core/model/mod.ts";
import { assertAllClose, ROOT } from "../../helpers.ts";
import { formatConfusion, misclassified, score } from "../../../core/training/mod.ts";

// A network that always answers 3: the output layer's weights favour node 3 whatever the input.
function alwaysThree() {
  const who = createMatrix(10, 2);
  who.data[3 * 2] = who.data[3 * 2 + 1] = 5;
  return createNetwork({ layers: [784, 2, 10], learningRate: 0.1, weights: [createMatrix(2, 784), who] });
}
const DATASET: Dataset = {
  images: new Uint8Array(4 * 784),
  labels: new Uint8Array([3, 3, 7, 1]),
  count: 4,
  source: "four",
};

Deno.test("score() gives the book's scorecard and performance", () => {
  const result = score(alwaysThree(), DATASET);
  assert.deepEqual(Array.from(result.scorecard), [1, 1, 0, 0]);
  assert.equal(result.performance, 0.5);
  assert.deepEqual(Array.from(result.answers), [3, 3, 3, 3]);
});

Deno.test("score() counts the confusion matrix and the accuracy per digit", () => {
  const result = score(alwaysThree(), DATASET);
  assert.equal(result.confusion[3][3], 2);
  assert.equal(result.confusion[7][3], 1);
  assert.equal(result.confusion[1][3], 1);
  assert.equal(result.confusion.flat().reduce((a, b) => a + b), 4);
  assert.equal(result.perClassAccuracy[3], 1);
  assert.equal(result.perClassAccuracy[7], 0);
  assert.ok(Number.isNaN(result.perClassAccuracy[5]), "a digit the set lacks has no accuracy");
  assert.match(
    formatConfusion(result.confusion, result.perClassAccuracy),
    /\n\s+7\s+0\s+0\s+0\s+1(\s+0){6}\s+0\.0000\n/,
  );
});

Deno.test("misclassified() lists the wrong records in order, up to a limit", () => {
  const result = score(alwaysThree(), DATASET);
  assert.deepEqual(misclassified(DATASET, result).map((m) => [m.index, m.label, m.answer]), [[2, 7, 3], [
    3,
    1,
    3,
  ]]);
  assert.equal(misclassified(DATASET, result, 1).length, 1);
});

Deno.test("score() gives query()'s answers and confidences on real records, float64 and float32", async () => {
  const test = await loadDataset(`${ROOT}data/mnist_test_10.csv`);
  for (const precision of ["f64", "f32"] as const) {
    const net = createNetwork({
      layers: [784, 30, 10],
      learningRate: 0.1,
      random: createRandom(4),
      precision,
    });
    const result = score(net, test);
    const inputs = new Float64Array(784);
    for (let record = 0; record < test.count; record++) {
      const outputs = query(net, scaleInputs(test, record, inputs));
      assert.equal(result.answers[record], argmax(outputs));
      assertAllClose(
        [result.confidences[record]],
        [outputs[argmax(outputs)]],
        precision === "f64" ? 1e-12 : 1e-6,
      );
    }
  }
});
