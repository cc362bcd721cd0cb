/**
 * The activation function and its inverse: the book's `activation_function`
 * (scipy's `expit`) and `inverse_activation_function` (scipy's `logit`).
 *
 * @module
 */

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
