/**
 * MNIST's shape: what the data reads and what a saved run's network must fit. Imports nothing,
 * so the lowest parts of core (the run format in store/) can name it as data/ does.
 *
 * @module
 */
/** Pixels in one 28×28 image. */
export const PIXELS = 784;
/** Image side in pixels. */
export const SIDE = 28;
/** The ten digits. */
export const LABELS = 10;
