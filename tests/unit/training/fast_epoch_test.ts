import assert from "node:assert/strict";
import {
  fillTargets,
  LABELS,
  limitDataset,
  loadDataset,
  PIXELS,
  scaleInputs,
} from "../../../core/data/mod.ts";
import { canTrainFast, rotate, trainEpoch } from "../../../core/training/mod.ts";
import { createNetwork, createRandom, type NetworkOptions, train } from "../../../core/model/mod.ts";
import { assertAllClose, ROOT } from "../../helpers.ts";

const RECORDS = limitDataset(await loadDataset(`${ROOT}data/mnist_train_100.csv`), 60);

/** One epoch the plain way: train() per record with the plain float64 kernels. */
function referenceEpoch(options: NetworkOptions) {
  const net = createNetwork({ ...options, kernels: "plain", precision: "f64" });
  const inputs = new Float64Array(PIXELS), targets = new Float64Array(LABELS);
  let squares = 0;
  for (let record = 0; record < RECORDS.count; record++) {
    squares += train(net, scaleInputs(RECORDS, record, inputs), fillTargets(RECORDS.labels[record], targets));
  }
  return { net, meanSquaredError: squares / RECORDS.count };
}

for (const layers of [[784, 30, 10], [784, 16, 12, 10]]) {
  const options = { layers, learningRate: 0.3, random: createRandom(8) };

  Deno.test(`trainEpoch() gives train()'s weights per record: [${layers}], float64, wasm and plain kernels`, () => {
    const reference = referenceEpoch({ ...options, random: createRandom(8) });
    for (const kernels of ["wasm", "plain"] as const) {
      const net = createNetwork({ ...options, random: createRandom(8), kernels, precision: "f64" });
      assert.ok(canTrainFast(net));
      const meanSquaredError = trainEpoch(net, RECORDS);
      net.weights.forEach((matrix, l) => assertAllClose(matrix.data, reference.net.weights[l].data, 1e-12));
      assertAllClose([meanSquaredError], [reference.meanSquaredError], 1e-14);
    }
  });

  Deno.test(`trainEpoch() in float32 stays close to float64: [${layers}]`, () => {
    const reference = referenceEpoch({ ...options, random: createRandom(8) });
    const net = createNetwork({ ...options, random: createRandom(8), precision: "f32" });
    trainEpoch(net, RECORDS);
    net.weights.forEach((matrix, l) => assertAllClose(matrix.data, reference.net.weights[l].data, 1e-5));
  });
}

Deno.test("trainEpoch() folds its row offsets back on the way: 2,200 records, then 1,500 twice, match train()", async () => {
  // past the fold interval (1,000 records) and across an epoch boundary. (Training amplifies
  // rounding: with 8 hidden nodes even two summation orders of the plain rule drift apart by
  // 1e-11 after 5,000 records and by 0.8 after 10,000, so longer runs cannot be compared.)
  const long = limitDataset(await loadDataset("mnist:train"), 2200);
  const longReference = createNetwork({
    layers: [784, 8, 10],
    learningRate: 0.2,
    random: createRandom(3),
    kernels: "plain",
  });
  const longFast = createNetwork({
    layers: [784, 8, 10],
    learningRate: 0.2,
    random: createRandom(3),
    precision: "f64",
  });
  trainEpoch(longFast, long);
  const inputs = new Float64Array(PIXELS), targets = new Float64Array(LABELS);
  for (let record = 0; record < long.count; record++) {
    train(longReference, scaleInputs(long, record, inputs), fillTargets(long.labels[record], targets));
  }
  longFast.weights.forEach((matrix, l) => assertAllClose(matrix.data, longReference.weights[l].data, 1e-12));

  const records = limitDataset(long, 1500);
  const reference = createNetwork({
    layers: [784, 8, 10],
    learningRate: 0.2,
    random: createRandom(3),
    kernels: "plain",
  });
  const net = createNetwork({
    layers: [784, 8, 10],
    learningRate: 0.2,
    random: createRandom(3),
    precision: "f64",
  });
  for (let epoch = 0; epoch < 2; epoch++) {
    trainEpoch(net, records);
    for (let record = 0; record < records.count; record++) {
      train(reference, scaleInputs(records, record, inputs), fillTargets(records.labels[record], targets));
    }
    net.weights.forEach((matrix, l) => assertAllClose(matrix.data, reference.weights[l].data, 1e-11));
  }
});

Deno.test("trainEpoch() with rotate 10 trains each record, then its +10° and −10° copies, as the book does", () => {
  const records = limitDataset(RECORDS, 20);
  const reference = createNetwork({
    layers: [784, 12, 10],
    learningRate: 0.1,
    random: createRandom(6),
    kernels: "plain",
  });
  const net = createNetwork({
    layers: [784, 12, 10],
    learningRate: 0.1,
    random: createRandom(6),
    precision: "f64",
  });
  trainEpoch(net, records, { rotate: 10 });
  const inputs = new Float64Array(PIXELS),
    rotated = new Float64Array(PIXELS),
    targets = new Float64Array(LABELS);
  for (let record = 0; record < records.count; record++) {
    scaleInputs(records, record, inputs);
    fillTargets(records.labels[record], targets);
    train(reference, inputs, targets);
    // scipy.ndimage.rotate(scaled_input, ±10, cval=0.01, order=1, reshape=False)
    train(reference, rotate(inputs, 10, 0.01, rotated), targets);
    train(reference, rotate(inputs, -10, 0.01, rotated), targets);
  }
  net.weights.forEach((matrix, l) => assertAllClose(matrix.data, reference.weights[l].data, 1e-12));
});
