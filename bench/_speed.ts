import { createNetwork } from "/work/main/core/network.ts";
import { createRandom } from "/work/main/core/random.ts";
import { loadDataset } from "/work/main/core/sources.ts";
import { trainEpoch } from "/work/main/core/training.ts";
import { score } from "/work/main/core/score.ts";
import { limitDataset } from "/work/main/core/dataset.ts";
const train = await loadDataset("mnist:train");
const test = await loadDataset("mnist:test");
const [kernels, precision, hidden, n] = Deno.args;
const net = createNetwork({
  layers: [784, +hidden, 10],
  learningRate: 0.1,
  random: createRandom(1),
  precision: precision as "f32",
  kernels: kernels as "wasm",
});
const sub = limitDataset(train, +n);
let t = performance.now();
trainEpoch(net, sub);
const s = (performance.now() - t) / 1000;
t = performance.now();
const sc = score(net, test);
console.log(
  kernels,
  precision,
  hidden,
  `epoch-equivalent ${(s * 60000 / sub.count).toFixed(2)} s`,
  `score ${((performance.now() - t) / 1000).toFixed(3)} s`,
  sc.performance,
);
