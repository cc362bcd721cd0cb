/**
 * The book's class (core/book/network.ts) as the reference: it gives numpy's numbers, the
 * book's worked example, the same starting weights as createNetwork, and every fast path
 * (WebAssembly kernels, one thread and two) trains to its weights within 1e-12 in float64.
 */
import assert from "node:assert/strict";
import { NeuralNetwork } from "../../../core/book/mod.ts";
import { limitDataset, loadDataset } from "../../../core/data/mod.ts";
import { canShareMemory, createMatrix } from "../../../core/kernels/mod.ts";
import { backQuery, createNetwork, createRandom, type Network, query } from "../../../core/model/mod.ts";
import { startRowThreads, trainEpoch } from "../../../core/training/mod.ts";
import { assertAllClose } from "../../helpers.ts";
import { BOOK_WHO, BOOK_WIH, NUMPY_AFTER, TWO_STEPS } from "../../book_example.ts";

function bookExample(lr: number): NeuralNetwork {
  return NeuralNetwork.withWeights(Float64Array.from(BOOK_WIH), Float64Array.from(BOOK_WHO), 3, lr);
}

Deno.test("NeuralNetwork.query() gives the book's three-layer outputs (0.726, 0.708, 0.778)", () => {
  // Part 1: "the final output of the example neural network with three layers is 0.726, 0.708 and 0.778"
  const outputs = bookExample(0.3).query([0.9, 0.1, 0.8]);
  assert.deepEqual(Array.from(outputs, (x) => Math.floor(x * 1000) / 1000), [0.726, 0.708, 0.778]);
});

Deno.test("NeuralNetwork.train() gives numpy's golden values for two steps of the book's rule", () => {
  const n = bookExample(0.3);
  TWO_STEPS.forEach(({ inputs, targets }, step) => {
    n.train(inputs, targets);
    assertAllClose(n.wih, NUMPY_AFTER[step].wih, 1e-15);
    assertAllClose(n.who, NUMPY_AFTER[step].who, 1e-15);
  });
});

Deno.test("new NeuralNetwork() draws the starting weights createNetwork draws by the book's rule", () => {
  const n = new NeuralNetwork(784, 20, 10, 0.1, createRandom(7));
  const net = createNetwork({
    layers: [784, 20, 10],
    learningRate: 0.1,
    random: createRandom(7),
    precision: "f64",
  });
  assert.deepEqual(n.wih, net.weights[0].data);
  assert.deepEqual(n.who, net.weights[1].data);
});

Deno.test("NeuralNetwork.backquery() gives backQuery()'s image", () => {
  const n = new NeuralNetwork(784, 30, 10, 0.1, createRandom(3));
  const net = createNetwork({
    layers: [784, 30, 10],
    learningRate: 0.1,
    precision: "f64",
    kernels: "plain",
    weights: [createMatrix(30, 784, n.wih.slice()), createMatrix(10, 30, n.who.slice())],
  });
  const targets = Float64Array.from({ length: 10 }, (_, k) => k === 4 ? 0.99 : 0.01);
  assertAllClose(n.backquery(targets), backQuery(net, targets), 1e-12);
});

// 1,000 full-MNIST records: the fast epoch folds its row offsets back at the 1,000th
const RECORDS = limitDataset(await loadDataset("mnist:train"), 1000);

/** The largest |a − b| over every weight of two networks' matrices. */
function largestDifference(net: Network, wih: Float64Array, who: Float64Array): number {
  let largest = 0;
  [wih, who].forEach((book, l) => {
    const fast = net.weights[l].data;
    for (let i = 0; i < book.length; i++) largest = Math.max(largest, Math.abs(fast[i] - book[i]));
  });
  return largest;
}

for (const threads of [1, 2]) {
  Deno.test({
    name: `the fast epoch (wasm, float64, ${threads} thread${threads > 1 ? "s" : ""}) ends within 1e-12 ` +
      `of the book's class after 1,000 full-MNIST records`,
    ignore: threads > 1 && !canShareMemory(),
    async fn() {
      const n = new NeuralNetwork(784, 100, 10, 0.3, createRandom(11));
      const net = createNetwork({
        layers: [784, 100, 10],
        learningRate: 0.3,
        random: createRandom(11),
        precision: "f64",
      });
      const book = createNetwork({
        layers: [784, 100, 10],
        learningRate: 0.3,
        random: createRandom(11),
        kernels: "book",
      });
      const helpers = threads > 1 ? await startRowThreads(net, threads, { always: true }) : undefined;
      try {
        trainEpoch(net, RECORDS, { threads: helpers });
      } finally {
        helpers?.close();
      }
      // the book's class directly, and through trainEpoch (--kernels book): the same arithmetic
      const inputs = new Float64Array(784), targets = new Float64Array(10);
      for (let record = 0; record < RECORDS.count; record++) {
        for (let i = 0; i < 784; i++) inputs[i] = RECORDS.images[record * 784 + i] / 255.0 * 0.99 + 0.01;
        targets.fill(0.01)[RECORDS.labels[record]] = 0.99;
        n.train(inputs, targets);
      }
      trainEpoch(book, RECORDS);
      assert.deepEqual(book.weights[0].data, n.wih);
      assert.deepEqual(book.weights[1].data, n.who);
      const largest = largestDifference(net, n.wih, n.who);
      // measured when written: 7.3e-15 on one thread and on two (sums taken in another order)
      assert.ok(largest <= 1e-12, `largest difference ${largest}`);
      // and they answer alike
      assertAllClose(query(net, inputs), n.query(inputs), 1e-12);
    },
  });
}
