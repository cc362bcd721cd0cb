/**
 * The book's `backquery`: the network run backwards, from an output pattern to the input
 * that would produce it — the "brain scan". Each layer's signals are put through the
 * activation's inverse (the book's `logit`), multiplied by the transposed weights, and
 * rescaled into the activation's range (0.01…0.99 for the sigmoid) before the next
 * inverse; the input layer is rescaled to 0.01…0.99, the range of scaled pixels.
 *
 * @module
 */
import { createPlainKernels } from "../kernels/mod.ts";
import type { Network } from "./network.ts";

/** Where the back query leaves the input layer: the pixels' own 0.01…0.99, whatever the activation. */
const INPUT_RANGE = [0.01, 0.99] as const;

/** In place: values rescaled min–max into low…high, as the book's backquery does (×0.98 + 0.01). */
function rescale(values: Float64Array, [low, high]: readonly [number, number]): void {
  let min = Infinity, max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const range = max - min || 1;
  const span = high - low;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] - min) / range * span + low;
}

/**
 * Run `net` backwards from `targets` (e.g. 0.99 at one label and 0.01 elsewhere) and
 * return the input that would produce it (length layers[0], 0.01…0.99). Float64 throughout,
 * whatever precision the network trains in.
 */
export function backQuery(net: Network, targets: ArrayLike<number>): Float64Array {
  const plain = createPlainKernels("f64");
  const inverse = net.activation.inverse;
  let outputs = Float64Array.from(targets);
  for (let l = net.weights.length - 1; l >= 0; l--) {
    // signals into this layer, through the inverse activation function
    const inputs = outputs.map(inverse);
    // the signals out of the layer below: the book's numpy.dot(self.who.T, final_inputs)
    const below = new Float64Array(net.weights[l].cols);
    plain.multiplyTransposed(below, net.weights[l], inputs);
    rescale(below, l === 0 ? INPUT_RANGE : net.activation.backQueryRange);
    outputs = below;
  }
  return outputs;
}
