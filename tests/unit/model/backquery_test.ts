import assert from "node:assert/strict";
import { brainScans } from "../../../core/training/mod.ts";
import { createMatrix } from "../../../core/kernels/mod.ts";
import { backQuery, createNetwork, createRandom } from "../../../core/model/mod.ts";
import { assertAllClose } from "../../helpers.ts";

// the book's three-layer worked example
const BOOK = createNetwork({
  layers: [3, 3, 3],
  learningRate: 0.3,
  weights: [
    createMatrix(3, 3, new Float64Array([0.9, 0.3, 0.4, 0.2, 0.8, 0.2, 0.1, 0.5, 0.6])),
    createMatrix(3, 3, new Float64Array([0.3, 0.7, 0.5, 0.6, 0.5, 0.2, 0.8, 0.1, 0.9])),
  ],
});

Deno.test("backQuery() matches the book's backquery in numpy on the worked example", () => {
  // recorded from the book's backquery (logit, whoᵀ, rescale to 0.01…0.99, logit, wihᵀ, rescale)
  assertAllClose(backQuery(BOOK, [0.99, 0.01, 0.01]), [0.01, 0.99, 0.3983278319766948], 1e-12);
  assertAllClose(backQuery(BOOK, [0.01, 0.01, 0.99]), [0.4871745402769102, 0.01, 0.99], 1e-12);
});

Deno.test("backQuery() works through two hidden layers and stays in 0.01…0.99", () => {
  const net = createNetwork({ layers: [784, 20, 15, 10], learningRate: 0.1, random: createRandom(2) });
  const inputs = backQuery(net, [0.01, 0.01, 0.99, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]);
  assert.equal(inputs.length, 784);
  assertAllClose([Math.min(...inputs), Math.max(...inputs)], [0.01, 0.99], 1e-12);
});

Deno.test("brainScans() gives ten scans with the network's own reading of each", () => {
  const net = createNetwork({ layers: [784, 20, 10], learningRate: 0.1, random: createRandom(2) });
  const scans = brainScans(net);
  assert.deepEqual(scans.map((scan) => scan.label), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  for (const scan of scans) assert.ok(scan.answer >= 0 && scan.answer <= 9 && scan.pixels.length === 784);
});
