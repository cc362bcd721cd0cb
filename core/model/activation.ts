/**
 * Activation functions, each one object: the function, its slope written in terms of its
 * output (what the learning rule multiplies by), and its inverse for the back query. The
 * network, the fast epoch, scoring, the back query and the kernels all read these objects;
 * none writes a slope or an inverse of its own.
 *
 * The book's is the sigmoid (scipy's `expit`, with `logit` as its inverse). To add another,
 * add one entry to ACTIVATIONS below; `--activation NAME` and the dashboard pick it up.
 *
 * @module
 */
// the type lives with the kernels, the lowest layer that reads it (they apply it to a layer)
import type { Activation } from "../kernels/mod.ts";
export type { Activation };

/** The logistic sigmoid 1 / (1 + e^-x). Never NaN: ±Infinity gives 1 and 0. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * The inverse of {@link sigmoid}: ln(y / (1 − y)), defined for 0 < y < 1.
 * Used by the back query to run the network backwards.
 */
export function logit(y: number): number {
  return Math.log(y / (1 - y));
}

/** The book's activation: the sigmoid, slope y·(1 − y), inverse logit. */
export const SIGMOID: Activation = {
  name: "sigmoid",
  f: sigmoid,
  // the book: output_errors * final_outputs * (1.0 - final_outputs)
  timesSlope: (value, y) => value * y * (1 - y),
  inverse: logit,
  backQueryRange: [0.01, 0.99],
  wasmF32: "sigmoid_f32",
};

/** The hyperbolic tangent: outputs −1…1, slope 1 − y², inverse atanh. */
export const TANH: Activation = {
  name: "tanh",
  f: Math.tanh,
  timesSlope: (value, y) => value * (1 - y * y),
  inverse: Math.atanh,
  backQueryRange: [-0.99, 0.99],
};

/** Every activation by name; the first is the default (the book's). */
export const ACTIVATIONS = { sigmoid: SIGMOID, tanh: TANH } as const satisfies Record<string, Activation>;

/** The name of an activation in {@link ACTIVATIONS}. */
export type ActivationName = keyof typeof ACTIVATIONS;

/** The activation names, for flags and forms. */
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];
