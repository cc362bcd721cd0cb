import { createNetwork } from "../core/network.ts";
import { createRandom } from "../core/random.ts";
import { loadDataset } from "../core/sources.ts";
import { trainEpoch } from "../core/training.ts";
const train = await loadDataset("mnist:train");
const net = createNetwork({
  layers: [784, 200, 10],
  learningRate: 0.1,
  random: createRandom(1),
  precision: "f32",
});
trainEpoch(net, { ...train, count: 5000, images: train.images.subarray(0, 5000 * 784) });
const t = performance.now();
trainEpoch(net, train);
console.log(((performance.now() - t) / 1000).toFixed(2));
