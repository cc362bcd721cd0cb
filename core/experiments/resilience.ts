/**
 * The book's claim that knowledge is spread over many weights, measured: damage the
 * network (remove a random fraction of its hidden nodes) or the data (add noise to the
 * test images) and score what is left.
 *
 * @module
 */
import type { Dataset } from "../data/mod.ts";
import { createNetwork, type Network, type Random } from "../model/mod.ts";
import { score } from "../training/mod.ts";
import { spread } from "./spread.ts";
import type { ResiliencePoint } from "./resilience_file.ts";

/** A copy of `net` with `fraction` of every hidden layer's nodes removed (incoming and outgoing weights zero). */
export function lesion(net: Network, fraction: number, random: Random): Network {
  const copy = createNetwork({
    layers: net.layers,
    learningRate: net.learningRate,
    activation: net.activation,
    precision: net.kernels.precision,
    weights: net.weights,
  });
  for (let layer = 1; layer < net.layers.length - 1; layer++) {
    const nodes = net.layers[layer];
    const removed = chooseNodes(nodes, Math.round(fraction * nodes), random);
    const incoming = copy.weights[layer - 1], outgoing = copy.weights[layer];
    for (const node of removed) {
      incoming.data.fill(0, node * incoming.cols, (node + 1) * incoming.cols); // row: links into the node
      for (let row = 0; row < outgoing.rows; row++) outgoing.data[row * outgoing.cols + node] = 0; // column: links out
    }
  }
  return copy;
}

/** `count` distinct nodes of `nodes`, chosen at random (a partial Fisher–Yates shuffle). */
function chooseNodes(nodes: number, count: number, random: Random): number[] {
  const order = [...Array(nodes).keys()];
  for (let i = 0; i < count; i++) {
    const j = i + random.integer(nodes - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count);
}

/** A copy of `dataset` with Gaussian noise of standard deviation `strength` (in 0…1 pixel units) on every pixel. */
export function addNoise(dataset: Dataset, strength: number, random: Random): Dataset {
  const images = new Uint8Array(dataset.images.length);
  for (let i = 0; i < images.length; i++) {
    const noisy = dataset.images[i] + 255 * random.normal(0, strength);
    images[i] = Math.max(0, Math.min(255, Math.round(noisy)));
  }
  return { ...dataset, images, source: `${dataset.source} + noise ${strength}` };
}

/** Performance with `fraction` of the hidden nodes removed, for each fraction, over `draws` random choices. */
export function lesionCurve(
  net: Network,
  test: Dataset,
  options: { fractions: number[]; draws: number; random: Random },
): ResiliencePoint[] {
  return options.fractions.map((level) => {
    const draws = Array.from(
      { length: options.draws },
      () => score(lesion(net, level, options.random), test).performance,
    );
    return { level, performance: spread(draws), draws };
  });
}

/** Performance on test images with noise of each strength, over `draws` noise samples. */
export function noiseCurve(
  net: Network,
  test: Dataset,
  options: { strengths: number[]; draws: number; random: Random },
): ResiliencePoint[] {
  return options.strengths.map((level) => {
    const draws = Array.from(
      { length: level === 0 ? 1 : options.draws },
      () => score(net, level === 0 ? test : addNoise(test, level, options.random)).performance,
    );
    return { level, performance: spread(draws), draws };
  });
}
