import assert from "node:assert/strict";
import {
  fillTargets,
  LABELS,
  limitDataset,
  loadDataset,
  PIXELS,
  scaleInputs,
} from "../../../core/data/mod.ts";
import {
  ACTIVATIONS,
  backQuery,
  createNetwork,
  createRandom,
  logit,
  SIGMOID,
  sigmoid,
  TANH,
  train,
} from "../../../core/model/mod.ts";
import { trainEpoch } from "../../../core/training/mod.ts";
import { assertAllClose, ROOT } from "../../helpers.ts";

Deno.test("sigmoid() matches scipy's expit at known points", () => {
  // scipy.special.expit([-2, 0, 0.5, 3]) = 0.11920292, 0.5, 0.62245933, 0.95257413
  assertAllClose([-2, 0, 0.5, 3].map(sigmoid), [
    0.11920292202211755,
    0.5,
    0.6224593312018546,
    0.9525741268224334,
  ], 1e-15);
});

Deno.test("sigmoid() at ±1000 and ±Infinity gives 0 or 1, never NaN", () => {
  assert.equal(sigmoid(1000), 1);
  assert.equal(sigmoid(-1000), 0);
  assert.equal(sigmoid(Infinity), 1);
  assert.equal(sigmoid(-Infinity), 0);
});

Deno.test("logit() undoes sigmoid()", () => {
  for (const x of [-5, -0.3, 0, 0.7, 4]) assertAllClose([logit(sigmoid(x))], [x], 1e-12);
  assert.equal(logit(0.5), 0);
});

for (const activation of Object.values(ACTIVATIONS)) {
  Deno.test(`${activation.name}: timesSlope() is the derivative at the output, and inverse() undoes f()`, () => {
    for (const x of [-3, -0.4, 0, 0.25, 2]) {
      const y = activation.f(x);
      // a central difference of f at x, against the slope written from the output y
      const h = 1e-6;
      const numeric = (activation.f(x + h) - activation.f(x - h)) / (2 * h);
      assertAllClose([activation.timesSlope(1, y)], [numeric], 1e-8);
      assertAllClose([activation.timesSlope(0.3, y)], [0.3 * numeric], 1e-8);
      assertAllClose([activation.inverse(y)], [x], 1e-9);
    }
  });

  Deno.test(`${activation.name}: the back query's range lies inside the function's outputs`, () => {
    const [low, high] = activation.backQueryRange;
    assert.ok(low < high);
    assert.ok(Number.isFinite(activation.inverse(low)) && Number.isFinite(activation.inverse(high)));
  });
}

Deno.test("the sigmoid's timesSlope multiplies in the book's order: value · y · (1 − y)", () => {
  // the order fixes the rounding; training's weights are bit-identical to the inline rule's
  const value = 0.1 * 0.37, y = 0.8123;
  assert.equal(SIGMOID.timesSlope(value, y), value * y * (1 - y));
});

Deno.test("tanh: a network trains with it, the fast epoch gives train()'s weights, the back query uses atanh", async () => {
  const records = limitDataset(await loadDataset(`${ROOT}data/mnist_train_100.csv`), 50);
  const options = { layers: [784, 20, 10], learningRate: 0.05, activation: TANH };
  const reference = createNetwork({
    ...options,
    random: createRandom(4),
    kernels: "plain",
    precision: "f64",
  });
  const fast = createNetwork({ ...options, random: createRandom(4), precision: "f64" });
  const inputs = new Float64Array(PIXELS), targets = new Float64Array(LABELS);
  const errors: number[] = [];
  for (let record = 0; record < records.count; record++) {
    errors.push(
      train(reference, scaleInputs(records, record, inputs), fillTargets(records.labels[record], targets)),
    );
  }
  trainEpoch(fast, records);
  fast.weights.forEach((matrix, l) => assertAllClose(matrix.data, reference.weights[l].data, 1e-12));
  // the error falls: the last ten records against the first ten
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(
    mean(errors.slice(-10)) < mean(errors.slice(0, 10)),
    `errors ${errors.slice(0, 3)} … ${errors.slice(-3)}`,
  );
  const scan = backQuery(reference, fillTargets(3, new Float64Array(LABELS)));
  assert.equal(scan.length, 784);
  assert.ok(
    Math.min(...scan) >= 0.01 - 1e-12 && Math.max(...scan) <= 0.99 + 1e-12,
    "the input layer stays 0.01…0.99",
  );
  // with the sigmoid's logit in place of atanh, the scan would differ
  const asSigmoid = backQuery(
    { ...reference, activation: SIGMOID },
    fillTargets(3, new Float64Array(LABELS)),
  );
  assert.ok(scan.some((value, i) => Math.abs(value - asSigmoid[i]) > 1e-3));
});
