import assert from "node:assert/strict";
import { limitDataset, loadDataset } from "../../../core/data/mod.ts";
import { addNoise, lesion, lesionCurve, noiseCurve } from "../../../core/experiments/mod.ts";
import { createNetwork, createRandom } from "../../../core/model/mod.ts";
import { score, trainEpoch } from "../../../core/training/mod.ts";
import {
  createSingleLayer,
  singleLayerAccuracy,
  singleLayerCurve,
  type SingleLayerStep,
} from "../../../core/experiments/mod.ts";

const TRAIN = limitDataset(await loadDataset("mnist:train"), 5000);
const TEST = limitDataset(await loadDataset("mnist:test"), 1000);

Deno.test("lesion() zeroes the incoming and outgoing weights of the chosen hidden nodes, and only those", () => {
  const net = createNetwork({ layers: [784, 10, 10], learningRate: 0.1, random: createRandom(1) });
  const damaged = lesion(net, 0.3, createRandom(2));
  const deadRows = [...Array(10).keys()].filter((node) =>
    damaged.weights[0].data.subarray(node * 784, (node + 1) * 784).every((w) => w === 0)
  );
  assert.equal(deadRows.length, 3);
  for (const node of deadRows) {
    for (let row = 0; row < 10; row++) assert.equal(damaged.weights[1].data[row * 10 + node], 0);
  }
  assert.notEqual(net.weights[0].data[deadRows[0] * 784], 0, "the original network is untouched");
});

Deno.test("removing hidden nodes and adding noise lowers performance step by step, knowledge spread out", () => {
  const net = createNetwork({
    layers: [784, 50, 10],
    learningRate: 0.1,
    random: createRandom(1),
    precision: "f32",
  });
  trainEpoch(net, TRAIN);
  const lesions = lesionCurve(net, TEST, { fractions: [0, 0.1, 0.9], draws: 2, random: createRandom(3) });
  assert.equal(lesions[0].performance.mean, score(net, TEST).performance);
  assert.ok(
    lesions[1].performance.mean > lesions[0].performance.mean - 0.05,
    "10% of the nodes gone costs little",
  );
  assert.ok(lesions[2].performance.mean < lesions[0].performance.mean - 0.2, "90% gone costs a lot");
  const noise = noiseCurve(net, TEST, { strengths: [0, 0.25, 0.5], draws: 2, random: createRandom(4) });
  const [clean, some, much] = noise.map((point) => point.performance.mean);
  assert.ok(clean > some && some > much && much < clean - 0.1, `noise curve ${clean}, ${some}, ${much}`);
  assert.deepEqual(addNoise(TEST, 0, createRandom(1)).images, TEST.images);
});

Deno.test("the single-layer model starts near chance and learns from the delta rule", () => {
  // small normal starting weights learn fast
  const model = createSingleLayer(0.001, createRandom(1), "normal");
  const before = singleLayerAccuracy(model, TEST);
  assert.ok(before < 0.2, `accuracy before training ${before}`);
  const points = singleLayerCurve(model, { train: TRAIN, test: TEST, reportAt: [0, 5000] });
  assert.deepEqual(points.map((p) => p.images), [0, 5000]);
  assert.ok(points[1].accuracy > 0.65, `accuracy after 5,000 images ${points[1].accuracy}`);
  // the tutorial's start (uniform 0…1) is far from the targets: slower, but learning
  const tutorial = singleLayerCurve(createSingleLayer(0.01, createRandom(1)), {
    train: TRAIN,
    test: TEST,
    reportAt: [0, 5000],
  });
  assert.ok(tutorial[1].accuracy > tutorial[0].accuracy + 0.2, `tutorial start: ${JSON.stringify(tutorial)}`);
});

Deno.test("the tutorial's start: the first image's predictions are all about 54 (its pixels sum to 107.9, times ½)", () => {
  const model = createSingleLayer(0.01, createRandom(1));
  const steps: SingleLayerStep[] = [];
  singleLayerCurve(model, {
    train: TRAIN,
    test: TEST,
    reportAt: [101],
    onStep: (i, step) => i % 100 === 0 && steps.push(step),
  });
  const [first, hundredFirst] = steps;
  assert.ok(first.prediction.every((p) => p > 45 && p < 63), `first predictions ${first.prediction}`);
  const label = TRAIN.labels[0];
  assert.deepEqual(first.label, Array.from({ length: 10 }, (_, i) => (i === label ? 1 : 0)));
  first.delta.forEach((d, i) => {
    assert.equal(d, first.prediction[i] - first.label[i]);
    assert.equal(first.error[i], d * d);
  });
  assert.equal(hundredFirst.record, 100);
  // by the 101st image the predictions have come down near the 0…1 targets
  assert.ok(
    Math.max(...hundredFirst.prediction.map(Math.abs)) < 10,
    `101st predictions ${hundredFirst.prediction}`,
  );
});
