import assert from "node:assert/strict";
import {
  checkWeightShapes,
  createNetwork,
  createRandom,
  query,
  sigmoid,
  train,
} from "../../../core/model/mod.ts";
import { createMatrix, createPlainKernels } from "../../../core/kernels/mod.ts";
import { assertAllClose } from "../../helpers.ts";
import { BOOK_WHO, BOOK_WIH, NUMPY_AFTER, TWO_STEPS } from "../../book_example.ts";

function bookNetwork(learningRate = 0.3) {
  return createNetwork({
    layers: [3, 3, 3],
    learningRate,
    weights: [
      createMatrix(3, 3, Float64Array.from(BOOK_WIH)),
      createMatrix(3, 3, Float64Array.from(BOOK_WHO)),
    ],
  });
}

Deno.test("the book's two-node example: inputs 1.0, 0.5 give outputs 0.7408 and 0.6457", () => {
  // weights w1,1 = 0.9, w1,2 = 0.2, w2,1 = 0.3, w2,2 = 0.8 (wᵢ,ⱼ links input i to output j)
  const weights = createMatrix(2, 2, new Float64Array([0.9, 0.3, 0.2, 0.8]));
  const outputs = [0, 1].map((j) => sigmoid(weights.data[j * 2] * 1.0 + weights.data[j * 2 + 1] * 0.5));
  assertAllClose(outputs, [0.7408, 0.6457], 5e-5);
  // the same through a network whose only hidden layer is that layer, read before the last layer
  const net = createNetwork({ layers: [2, 2, 1], learningRate: 0.1, weights: [weights, createMatrix(1, 2)] });
  query(net, new Float64Array([1.0, 0.5]));
  assertAllClose(net.signals[1], [0.7408, 0.6457], 5e-5);
});

Deno.test("query() reproduces the book's three-layer worked example", () => {
  // input [0.9, 0.1, 0.8] through the book's wih and who gives outputs 0.726, 0.708, 0.778
  // (the book prints three decimals and cuts 0.7086 to 0.708)
  const outputs = query(bookNetwork(), new Float64Array([0.9, 0.1, 0.8]));
  assertAllClose(outputs, [0.726, 0.708, 0.778], 1e-3);
  assert.deepEqual(Array.from(outputs, (x) => Math.floor(x * 1000) / 1000), [0.726, 0.708, 0.778]);
});

Deno.test("errors split by weight: weights 3.0 and 1.0 share an error ¾ and ¼", () => {
  // one output node fed by two hidden nodes through weights 3.0 and 1.0, error 0.8
  const hiddenErrors = new Float64Array(2);
  createPlainKernels().multiplyTransposed(
    hiddenErrors,
    createMatrix(1, 2, new Float64Array([3.0, 1.0])),
    new Float64Array([0.8]),
  );
  const total = hiddenErrors[0] + hiddenErrors[1];
  assertAllClose([hiddenErrors[0] / total, hiddenErrors[1] / total], [0.75, 0.25], 1e-15);
  // the book drops the normalising factor: the errors are the weights times the error
  assertAllClose(hiddenErrors, [2.4, 0.8], 1e-15);
});

Deno.test("train() matches numpy's golden values for two steps of the book's rule", () => {
  const net = bookNetwork(0.3);
  TWO_STEPS.forEach(({ inputs, targets }, step) => {
    train(net, new Float64Array(inputs), new Float64Array(targets));
    assertAllClose(net.weights[0].data, NUMPY_AFTER[step].wih, 1e-15);
    assertAllClose(net.weights[1].data, NUMPY_AFTER[step].who, 1e-15);
  });
});

Deno.test("train() raises the output of the trained label", () => {
  const net = createNetwork({ layers: [6, 4, 3], learningRate: 0.3, random: createRandom(3) });
  const inputs = new Float64Array([0.1, 0.9, 0.5, 0.3, 0.01, 1.0]);
  const before = query(net, inputs)[2];
  for (let i = 0; i < 20; i++) train(net, inputs, new Float64Array([0.01, 0.01, 0.99]));
  const after = query(net, inputs)[2];
  assert.ok(after > before + 0.1, `output 2 went from ${before} to ${after}`);
});

Deno.test("train() works with two hidden layers and lowers the error", () => {
  const net = createNetwork({ layers: [5, 4, 3, 2], learningRate: 0.5, random: createRandom(11) });
  const inputs = new Float64Array([0.9, 0.1, 0.5, 0.3, 0.7]);
  const targets = new Float64Array([0.99, 0.01]);
  const first = train(net, inputs, targets);
  let last = first;
  for (let i = 0; i < 200; i++) last = train(net, inputs, targets);
  assert.ok(last < first / 10, `mean squared error went from ${first} to ${last}`);
  assert.deepEqual(net.weights.map((m) => [m.rows, m.cols]), [[4, 5], [3, 4], [2, 3]]);
});

Deno.test("createNetwork() with the same seed gives identical weights, another seed different ones", () => {
  const make = (seed: number) =>
    createNetwork({ layers: [784, 20, 10], learningRate: 0.1, random: createRandom(seed) });
  assert.deepEqual(make(5).weights[0].data, make(5).weights[0].data);
  assert.notDeepEqual(make(5).weights[0].data, make(6).weights[0].data);
});

Deno.test("createNetwork() draws weights with the book's and the incoming-links spread", () => {
  const spread = (data: ArrayLike<number>) =>
    Math.sqrt(Array.from(data).reduce((sum, x) => sum + x * x, 0) / data.length);
  const book = createNetwork({ layers: [784, 100, 10], learningRate: 0.1, random: createRandom(1) });
  const incoming = createNetwork({
    layers: [784, 100, 10],
    learningRate: 0.1,
    random: createRandom(1),
    init: "incoming",
  });
  assertAllClose(
    [spread(book.weights[0].data), spread(book.weights[1].data)],
    [100 ** -0.5, 10 ** -0.5],
    0.01,
  );
  assertAllClose([spread(incoming.weights[0].data), spread(incoming.weights[1].data)], [
    784 ** -0.5,
    100 ** -0.5,
  ], 0.01);
});

Deno.test("createNetwork() with --init uniform draws the book's first version: rand() − 0.5, in −0.5…0.5", () => {
  const net = createNetwork({
    layers: [784, 100, 10],
    learningRate: 0.1,
    random: createRandom(1),
    init: "uniform",
  });
  const values = Array.from(net.weights[0].data);
  assert.ok(values.every((x) => x >= -0.5 && x < 0.5));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const spread = Math.sqrt(values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / values.length);
  assertAllClose([mean, spread], [0, Math.sqrt(1 / 12)], 0.01); // a uniform's standard deviation: 1/√12
});

Deno.test("createNetwork() refuses too few layers and weights of the wrong shape", () => {
  assert.throws(
    () => createNetwork({ layers: [784, 10], learningRate: 0.1, random: createRandom(1) }),
    /at least 3 layers/,
  );
  assert.throws(
    () => checkWeightShapes([784, 200, 10], [createMatrix(100, 784), createMatrix(10, 100)]),
    /weights_0 has shape \(100, 784\), layers \[784,200,10\] need \(200, 784\)/,
  );
});
