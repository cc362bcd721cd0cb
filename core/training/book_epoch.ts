/**
 * An epoch through the book's own class (core/book/network.ts): every sample in order,
 * `n.train(inputs, targets)` as the book's loop calls it. This is `--kernels book`: slow,
 * plain, and a learner can step through it in a debugger. The fast epoch is tested against it.
 *
 * @module
 */
import { NeuralNetwork } from "../book/mod.ts";
import { fillTargets, LABELS } from "../data/mod.ts";
import type { Network } from "../model/mod.ts";
import { BACKGROUND, createInk } from "./ink.ts";
import type { SampleSource } from "./rotation.ts";

/** How often (in records) progress is reported. */
const PROGRESS_EVERY = 1000;

/**
 * Train `net` (one hidden layer, float64 weights) on every sample once through the book's
 * class, its weights updated in place. Returns the epoch's mean squared error, measured by a
 * query before each record's training (the book's train() returns nothing).
 */
export function trainEpochBook(
  net: Network,
  samples: SampleSource,
  options: { progress?: (done: number, total: number, meanSquaredError: number) => void } = {},
): number {
  const [wih, who] = net.weights.map((matrix) => matrix.data);
  if (net.weights.length !== 2 || !(wih instanceof Float64Array) || !(who instanceof Float64Array)) {
    throw new RangeError("the book's class trains one hidden layer in float64");
  }
  const n = NeuralNetwork.withWeights(wih, who, net.layers[1], net.learningRate);
  const ink = createInk(new Float64Array(net.layers[0]));
  const inputs = new Float64Array(net.layers[0]);
  const targets = new Float64Array(LABELS);
  let squaredErrors = 0;
  for (let sample = 0; sample < samples.count; sample++) {
    // inputs = (numpy.asfarray(all_values[1:]) / 255.0 * 0.99) + 0.01
    samples.read(sample, ink);
    for (let i = 0; i < inputs.length; i++) inputs[i] = BACKGROUND + ink.values[i];
    // targets = numpy.zeros(output_nodes) + 0.01; targets[int(all_values[0])] = 0.99
    fillTargets(samples.label(sample), targets);
    const outputs = n.query(inputs);
    for (let k = 0; k < outputs.length; k++) squaredErrors += (targets[k] - outputs[k]) ** 2 / outputs.length;
    n.train(inputs, targets);
    if (options.progress && (sample + 1) % PROGRESS_EVERY === 0) {
      options.progress(sample + 1, samples.count, squaredErrors / (sample + 1));
    }
  }
  const meanSquaredError = samples.count === 0 ? 0 : squaredErrors / samples.count;
  options.progress?.(samples.count, samples.count, meanSquaredError);
  return meanSquaredError;
}
