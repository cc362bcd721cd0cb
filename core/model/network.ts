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
import {
  createKernels,
  createMatrix,
  type FloatArray,
  type Kernels,
  type KernelsName,
  type Matrix,
  type Precision,
} from "../kernels/mod.ts";
import { type Activation, SIGMOID } from "./activation.ts";
import { drawWeights, type InitRule } from "./init.ts";
import type { Random } from "./random.ts";

/** Input-sized buffers the kernels keep room for, for the training loop's own use (training/buffers.ts). */
const TRAINING_BUFFERS = 3;

/** A network and the buffers it reuses for one record. */
export interface Network {
  /** nodes per layer, input first: [784, 200, 10] */
  readonly layers: readonly number[];
  /** weights[l] has shape layers[l+1]×layers[l]; weights[0] is the book's wih */
  readonly weights: Matrix[];
  /** the book's `lr` */
  learningRate: number;
  /** the activation of every layer above the input: the book's sigmoid unless asked */
  readonly activation: Activation;
  /** the hot loops, and the memory every array below lives in */
  readonly kernels: Kernels;
  /** signals[l] = outputs of layer l (signals[0] is the input); reused per record */
  readonly signals: FloatArray[];
  /** errors[l] = errors at layer l's outputs, l ≥ 1; reused per record */
  readonly errors: FloatArray[];
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
  /** the activation function; default the book's sigmoid */
  activation?: Activation;
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
  const kernels = createKernels(
    options.kernels ?? "wasm",
    precision,
    // the weights, signals, errors and steps, and room for the training loop's buffers: its inputs,
    // and the first rows' offsets and sums (float64: room for two floats each in float32)
    weightCount + 3 * nodeCount + TRAINING_BUFFERS * layers[0] + 4 * layers[1],
  );
  const weights: Matrix[] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const inputs = layers[l], outputs = layers[l + 1];
    const matrix = createMatrix(outputs, inputs, kernels.allocate(outputs * inputs));
    if (options.weights) matrix.data.set(options.weights[l].data);
    else drawWeights(matrix, init, options.random!);
    weights.push(matrix);
  }
  return {
    layers: [...layers],
    weights,
    learningRate,
    activation: options.activation ?? SIGMOID,
    kernels,
    signals: layers.map((nodes) => kernels.allocate(nodes)),
    errors: layers.map((nodes, l) => l === 0 ? kernels.allocate(0) : kernels.allocate(nodes)),
  };
}

// each network's steps (learning rate · error · slope per layer: its weights move by step ⊗ inputs),
// made in its kernels' memory the first time it is trained, and dropped with it
const STEPS = new WeakMap<Network, FloatArray[]>();

/** The training rule's per-layer steps for `net`, made once. */
function stepsOf(net: Network): FloatArray[] {
  let steps = STEPS.get(net);
  if (!steps) {
    steps = net.layers.map((nodes, l) => net.kernels.allocate(l === 0 ? 0 : nodes));
    STEPS.set(net, steps);
  }
  return steps;
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
 * activation, as {@link prepare} leaves them — or with `activated`, after): activations,
 * then every layer above. Returns the final outputs (the network's own buffer).
 */
export function forwardPrepared(net: Network, activated = false): FloatArray {
  const { kernels, signals, weights, activation } = net;
  if (!activated) kernels.activate(signals[1], activation);
  for (let l = 1; l < weights.length; l++) {
    // signals into the next layer, then through the activation function
    kernels.multiply(signals[l + 1], weights[l], signals[l]);
    kernels.activate(signals[l + 1], activation);
  }
  return signals[signals.length - 1];
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

/**
 * steps[i] = learningRate · errors[i] · slope(outputs[i]) (steps may be errors itself), the
 * activation's slope written from its output (the sigmoid's: outputs[i] · (1 − outputs[i])).
 */
function scaleBySlope(
  steps: FloatArray,
  errors: FloatArray,
  outputs: FloatArray,
  learningRate: number,
  activation: Activation,
  lo = 0,
  hi = errors.length,
): void {
  const timesSlope = activation.timesSlope;
  for (let i = lo; i < hi; i++) {
    steps[i] = timesSlope(learningRate * errors[i], outputs[i]);
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
 *
 * `split`, for the training loop's threads (training/rows.ts), leaves the per-node ends of
 * the first hidden layer's work to the caller, node by node: its activation was done
 * before, and its update is left as the errors for {@link firstLayerUpdate} to finish.
 */
export function trainAboveFirstLayer(net: Network, targets: ArrayLike<number>, split = false): number {
  const outputs = forwardPrepared(net, split);
  const last = net.weights.length;
  const { kernels, signals, errors, weights } = net;
  const steps = stepsOf(net);
  // output layer error is the (target - actual)
  const squares = outputErrors(errors[last], targets, outputs);
  for (let l = last - 1; l > 0; l--) {
    // W += lr * (errors * out * (1 - out)) ⊗ in, and the errors for the layer below: split by
    // the weights and recombined, before this layer's weights change
    scaleBySlope(steps[l + 1], errors[l + 1], signals[l + 1], net.learningRate, net.activation);
    kernels.backward(weights[l], errors[l + 1], steps[l + 1], errors[l], signals[l]);
  }
  // the first layer's step: its errors scaled in place (split: left to the rows)
  if (!split) scaleBySlope(errors[1], errors[1], signals[1], net.learningRate, net.activation);
  return squares / outputs.length;
}

/**
 * The end of {@link trainAboveFirstLayer} with `split`, for first-layer nodes lo…hi−1:
 * their update lr · errors · slope, in place of their errors in `net.errors[1]`.
 */
export function firstLayerUpdate(net: Network, lo: number, hi: number): void {
  scaleBySlope(net.errors[1], net.errors[1], net.signals[1], net.learningRate, net.activation, lo, hi);
}

/** The index of the largest output: the network's answer (the book's `numpy.argmax`). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
