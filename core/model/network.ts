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
import { logit } from "./activation.ts";
import {
  createMatrix,
  createPlainKernels,
  type FloatArray,
  type Kernels,
  type KernelsName,
  type Matrix,
  type Precision,
} from "../kernels/plain.ts";
import type { Random } from "./random.ts";
import { createWasmKernels } from "../kernels/wasm.ts";

/**
 * How the starting weights are drawn: `book` is normal(0, n_next^-0.5), as printed in
 * the book (`pow(self.hnodes, -0.5)`); `incoming` is normal(0, n_in^-0.5), the rule of
 * the book's later code (one over the root of the links coming into a node).
 */
export type InitRule = "book" | "incoming";

/** The initialisation rules, for flag validation. */
export const INIT_RULES: readonly InitRule[] = ["book", "incoming"];

/** Input-sized buffers the kernels keep room for, for the training loop's own use. */
const TRAINING_BUFFERS = 2;

/** A network and the buffers it reuses for one record. */
export interface Network {
  /** nodes per layer, input first: [784, 200, 10] */
  readonly layers: readonly number[];
  /** weights[l] has shape layers[l+1]×layers[l]; weights[0] is the book's wih */
  readonly weights: Matrix[];
  /** the book's `lr` */
  learningRate: number;
  /** the hot loops, and the memory every array below lives in */
  readonly kernels: Kernels;
  /** signals[l] = outputs of layer l (signals[0] is the input); reused per record */
  readonly signals: FloatArray[];
  /** errors[l] = errors at layer l's outputs, l ≥ 1; reused per record */
  readonly errors: FloatArray[];
  /** input-sized buffers in the kernels' memory, for the training loop's own use */
  readonly scratch: FloatArray[];
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
  /** start from these weights instead (copied; shapes must match `layers`) */
  weights?: readonly Matrix[];
  /** float32 or float64 arithmetic; default f64 */
  precision?: Precision;
  /** WebAssembly SIMD or plain TypeScript loops; default wasm */
  kernels?: KernelsName;
}

/** Make a network: random starting weights by the chosen rule, or a copy of the given ones. */
export function createNetwork(options: NetworkOptions): Network {
  const { layers, learningRate, init = "book", precision = "f64" } = options;
  if (layers.length < 3) throw new RangeError(`a network needs at least 3 layers, got [${layers}]`);
  for (const nodes of layers) {
    if (!Number.isInteger(nodes) || nodes < 1) {
      throw new RangeError(`layer sizes must be positive integers, got [${layers}]`);
    }
  }
  if (options.weights) checkWeightShapes(layers, options.weights);
  if (!options.weights && !options.random) throw new TypeError("createNetwork needs `random` or `weights`");

  const weightCount = layers.slice(1).reduce((sum, nodes, l) => sum + nodes * layers[l], 0);
  const nodeCount = layers.reduce((sum, nodes) => sum + nodes, 0);
  const kernels = options.kernels === "plain"
    ? createPlainKernels(precision)
    : createWasmKernels(precision, weightCount + 2 * nodeCount + TRAINING_BUFFERS * layers[0]);
  const weights: Matrix[] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const inputs = layers[l], outputs = layers[l + 1];
    const matrix = createMatrix(outputs, inputs, kernels.allocate(outputs * inputs));
    if (options.weights) {
      matrix.data.set(options.weights[l].data);
    } else {
      // the book: numpy.random.normal(0.0, pow(self.hnodes, -0.5), (self.hnodes, self.inodes))
      const standardDeviation = Math.pow(init === "book" ? outputs : inputs, -0.5);
      for (let i = 0; i < matrix.data.length; i++) {
        matrix.data[i] = options.random!.normal(0, standardDeviation);
      }
    }
    weights.push(matrix);
  }
  return {
    layers: [...layers],
    weights,
    learningRate,
    kernels,
    signals: layers.map((nodes) => kernels.allocate(nodes)),
    errors: layers.map((nodes, l) => l === 0 ? kernels.allocate(0) : kernels.allocate(nodes)),
    scratch: Array.from({ length: TRAINING_BUFFERS }, () => kernels.allocate(layers[0])),
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

/**
 * Put `inputs` on the input layer and compute the signals into the first hidden layer
 * (before its activation), ready for {@link trainAboveFirstLayer}.
 */
export function prepare(net: Network, inputs: ArrayLike<number>): void {
  if (inputs !== net.signals[0]) net.signals[0].set(inputs);
  // signals into the first hidden layer: the book's numpy.dot(self.wih, inputs)
  net.kernels.multiply(net.signals[1], net.weights[0], net.signals[0]);
}

/**
 * Forward from the first hidden layer's incoming signals on (`net.signals[1]`, before
 * activation, as {@link prepare} leaves them): activations, then every layer above.
 * Returns the final outputs (the network's own buffer).
 */
export function forwardPrepared(net: Network): FloatArray {
  net.kernels.sigmoid(net.signals[1]);
  for (let l = 1; l < net.weights.length; l++) {
    // signals into the next layer, then through the activation function
    net.kernels.multiply(net.signals[l + 1], net.weights[l], net.signals[l]);
    net.kernels.sigmoid(net.signals[l + 1]);
  }
  return net.signals[net.signals.length - 1];
}

/**
 * Send `inputs` forward and return the final outputs. The returned array is the
 * network's own buffer, overwritten by the next call: copy it to keep it.
 */
export function forward(net: Network, inputs: ArrayLike<number>): FloatArray {
  prepare(net, inputs);
  return forwardPrepared(net);
}

/** The book's `query`: the network's outputs for `inputs` (scaled pixels), as a new array. */
export function query(net: Network, inputs: ArrayLike<number>): Float64Array {
  return Float64Array.from(forward(net, inputs));
}

/** errors[i] = targets[i] − outputs[i]; returns Σ errors² (for the epoch's mean squared error). */
function outputErrors(errors: FloatArray, targets: ArrayLike<number>, outputs: FloatArray): number {
  let squares = 0;
  for (let i = 0; i < outputs.length; i++) {
    errors[i] = targets[i] - outputs[i];
    squares += errors[i] * errors[i];
  }
  return squares;
}

/** In place: errors[i] = learningRate · errors[i] · outputs[i] · (1 − outputs[i]) (the sigmoid's slope). */
function scaleBySlope(errors: FloatArray, outputs: FloatArray, learningRate: number): void {
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
export function train(net: Network, inputs: ArrayLike<number>, targets: ArrayLike<number>): number {
  prepare(net, inputs);
  const meanSquaredError = trainAboveFirstLayer(net, targets);
  // wih += lr * (hidden_errors * hidden_outputs * (1 - hidden_outputs)) ⊗ inputs
  net.kernels.addOuter(net.weights[0], net.errors[1], net.signals[0]);
  return meanSquaredError;
}

/**
 * {@link train} for a network already {@link prepare}d with a record, up to but not
 * including the first layer's weights: afterwards `net.errors[1]` holds that layer's
 * update, lr · errors · out · (1 − out), for the caller to apply (the training loop's fast
 * path does it its own way). Returns the mean squared output error.
 */
export function trainAboveFirstLayer(net: Network, targets: ArrayLike<number>): number {
  const outputs = forwardPrepared(net);
  const last = net.weights.length;
  const { kernels, signals, errors, weights } = net;
  // output layer error is the (target - actual)
  const squares = outputErrors(errors[last], targets, outputs);
  for (let l = last - 1; l >= 0; l--) {
    // errors for the layer below: split by the weights and recombined, before this layer's weights change
    if (l > 0) kernels.multiplyTransposed(errors[l], weights[l], errors[l + 1]);
    // W += lr * (errors * out * (1 - out)) ⊗ in
    scaleBySlope(errors[l + 1], signals[l + 1], net.learningRate);
    if (l > 0) kernels.addOuter(weights[l], errors[l + 1], signals[l]);
  }
  return squares / outputs.length;
}

/** The index of the largest output: the network's answer (the book's `numpy.argmax`). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** In place: values rescaled to 0.01…0.99 (min–max, ×0.98 + 0.01), as the book's backquery does. */
function rescale(values: Float64Array): void {
  let min = Infinity, max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const range = max - min || 1;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] - min) / range * 0.98 + 0.01;
}

/**
 * The book's `backquery`: run the network backwards from an output pattern (`targets`,
 * e.g. 0.99 at one label and 0.01 elsewhere) to the input that would produce it — the
 * "brain scan". Each layer's outputs are put through logit (the inverse of the
 * activation), multiplied by the transposed weights, and rescaled to 0.01…0.99 before
 * the next logit. Returns the inputs (length layers[0]), 0.01…0.99.
 */
export function backQuery(net: Network, targets: ArrayLike<number>): Float64Array {
  const plain = createPlainKernels("f64");
  let outputs = Float64Array.from(targets);
  for (let l = net.weights.length - 1; l >= 0; l--) {
    // signals into this layer, through the inverse activation function
    const inputs = outputs.map(logit);
    // the signals out of the layer below: the book's numpy.dot(self.who.T, final_inputs)
    const below = new Float64Array(net.weights[l].cols);
    plain.multiplyTransposed(below, net.weights[l], inputs);
    rescale(below);
    outputs = below;
  }
  return outputs;
}
