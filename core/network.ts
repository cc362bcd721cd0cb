/**
 * The book's neural network: fully connected sigmoid layers, no bias, trained one
 * record at a time. `createNetwork`, `query` and `train` are the book's `neuralNetwork`
 * class, generalised from three layers to any number of hidden layers.
 *
 * In a three-layer network `weights[0]` is the book's `wih` (hidden×input) and
 * `weights[1]` is `who` (output×hidden).
 *
 * @module
 */
import { sigmoid } from "./activation.ts";
import { addOuter, createMatrix, type Matrix, multiply, multiplyTransposed } from "./kernels.ts";
import type { Random } from "./random.ts";

/**
 * How the starting weights are drawn: `book` is normal(0, n_next^-0.5), as printed in
 * the book (`pow(self.hnodes, -0.5)`); `incoming` is normal(0, n_in^-0.5), the rule of
 * the book's later code (one over the root of the links coming into a node).
 */
export type InitRule = "book" | "incoming";

/** The initialisation rules, for flag validation. */
export const INIT_RULES: readonly InitRule[] = ["book", "incoming"];

/** A network and the buffers it reuses for one record. */
export interface Network {
  /** nodes per layer, input first: [784, 200, 10] */
  readonly layers: readonly number[];
  /** weights[l] has shape layers[l+1]×layers[l]; weights[0] is the book's wih */
  readonly weights: Matrix[];
  /** the book's `lr` */
  learningRate: number;
  /** signals[l] = outputs of layer l (signals[0] is the input); reused per record */
  readonly signals: Float64Array[];
  /** errors[l] = errors at layer l's outputs, l ≥ 1; reused per record */
  readonly errors: Float64Array[];
}

/** Options for {@link createNetwork}. */
export interface NetworkOptions {
  /** nodes per layer, input first, at least one hidden layer: [784, 200, 10] */
  layers: readonly number[];
  learningRate: number;
  /** where the starting weights come from (ignored when `weights` is given) */
  random?: Random;
  /** the initialisation rule; default `book` */
  init?: InitRule;
  /** start from these weights instead (shapes must match `layers`) */
  weights?: Matrix[];
}

/** Make a network: random starting weights by the chosen rule, or the given ones. */
export function createNetwork(options: NetworkOptions): Network {
  const { layers, learningRate, init = "book" } = options;
  if (layers.length < 3) throw new RangeError(`a network needs at least 3 layers, got [${layers}]`);
  for (const nodes of layers) {
    if (!Number.isInteger(nodes) || nodes < 1) {
      throw new RangeError(`layer sizes must be positive integers, got [${layers}]`);
    }
  }
  let weights: Matrix[];
  if (options.weights) {
    weights = options.weights;
    checkWeightShapes(layers, weights);
  } else {
    const random = options.random;
    if (!random) throw new TypeError("createNetwork needs `random` or `weights`");
    weights = [];
    for (let l = 0; l + 1 < layers.length; l++) {
      const inputs = layers[l], outputs = layers[l + 1];
      // the book: numpy.random.normal(0.0, pow(self.hnodes, -0.5), (self.hnodes, self.inodes))
      const standardDeviation = Math.pow(init === "book" ? outputs : inputs, -0.5);
      const matrix = createMatrix(outputs, inputs);
      for (let i = 0; i < matrix.data.length; i++) matrix.data[i] = random.normal(0, standardDeviation);
      weights.push(matrix);
    }
  }
  return {
    layers: [...layers],
    weights,
    learningRate,
    signals: layers.map((nodes) => new Float64Array(nodes)),
    errors: layers.map((nodes) => new Float64Array(nodes)),
  };
}

/** Throw a RangeError naming the first weight matrix whose shape does not fit `layers`. */
export function checkWeightShapes(layers: readonly number[], weights: readonly Matrix[]): void {
  if (weights.length !== layers.length - 1) {
    throw new RangeError(
      `layers [${layers}] need ${layers.length - 1} weight matrices, found ${weights.length}`,
    );
  }
  weights.forEach((matrix, l) => {
    if (matrix.rows !== layers[l + 1] || matrix.cols !== layers[l]) {
      throw new RangeError(
        `weights_${l} has shape (${matrix.rows}, ${matrix.cols}), layers [${layers}] need (${
          layers[l + 1]
        }, ${layers[l]})`,
      );
    }
  });
}

/** In place: values[i] = sigmoid(values[i]). */
function applySigmoid(values: Float64Array): void {
  for (let i = 0; i < values.length; i++) values[i] = sigmoid(values[i]);
}

/**
 * Send `inputs` forward and return the final outputs. The returned array is the
 * network's own buffer, overwritten by the next call: copy it to keep it.
 */
export function forward(net: Network, inputs: Float64Array): Float64Array {
  net.signals[0].set(inputs);
  for (let l = 0; l < net.weights.length; l++) {
    // signals into the next layer, then through the activation function
    multiply(net.signals[l + 1], net.weights[l], net.signals[l]);
    applySigmoid(net.signals[l + 1]);
  }
  return net.signals[net.signals.length - 1];
}

/** The book's `query`: the network's outputs for `inputs` (scaled pixels), as a new array. */
export function query(net: Network, inputs: Float64Array): Float64Array {
  return forward(net, inputs).slice();
}

/** errors[i] = targets[i] − outputs[i]; returns Σ errors² (for the epoch's mean squared error). */
function outputErrors(errors: Float64Array, targets: Float64Array, outputs: Float64Array): number {
  let squares = 0;
  for (let i = 0; i < outputs.length; i++) {
    errors[i] = targets[i] - outputs[i];
    squares += errors[i] * errors[i];
  }
  return squares;
}

/** In place: errors[i] = learningRate · errors[i] · outputs[i] · (1 − outputs[i]) (the sigmoid's slope). */
function scaleBySlope(errors: Float64Array, outputs: Float64Array, learningRate: number): void {
  for (let i = 0; i < errors.length; i++) {
    errors[i] = learningRate * errors[i] * outputs[i] * (1 - outputs[i]);
  }
}

/**
 * The book's `train`: one record, weights updated in place.
 * `inputs` are scaled pixels (0.01…1.0), `targets` are 0.01 except 0.99 at the label.
 * Returns the mean of the squared output errors before the update.
 *
 * This is the book's rule, not exact backpropagation: the errors of a layer below are
 * the weights' transpose times the errors above (without the sigmoid's slope), computed
 * from the weights before they change.
 */
export function train(net: Network, inputs: Float64Array, targets: Float64Array): number {
  const outputs = forward(net, inputs);
  const last = net.weights.length;
  // output layer error is the (target - actual)
  const squares = outputErrors(net.errors[last], targets, outputs);
  for (let l = last - 1; l >= 0; l--) {
    const errors = net.errors[l + 1];
    // errors for the layer below: split by the weights and recombined, before this layer's weights change
    if (l > 0) multiplyTransposed(net.errors[l], net.weights[l], errors);
    // W += lr * (errors * out * (1 - out)) ⊗ in
    scaleBySlope(errors, net.signals[l + 1], net.learningRate);
    addOuter(net.weights[l], errors, net.signals[l]);
  }
  return squares / outputs.length;
}

/** The index of the largest output: the network's answer (the book's `numpy.argmax`). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
