/**
 * The book's experiments on a trained network: sweeps (one setting over values and seeds:
 * plans, statistics, a terminal chart), resilience (lesions and noise), the brain scans
 * (back query images and how the network reads them), pictures of the hidden nodes'
 * weights, and the single-layer comparison model (the tutorial's delta rule). Imports the
 * model, the data, training and the settings; no files.
 *
 * @module
 */
export * from "./resilience.ts";
export * from "./spread.ts";
export * from "./sweep.ts";
export * from "./weight_pictures.ts";
export * from "./single_layer.ts";
export * from "./charts.ts";
export * from "./book.ts";
export * from "./reproduce.ts";
export * from "./report.ts";
export * from "./reproduce_file.ts";
export * from "./sweep_file.ts";
export * from "./sweep_run.ts";
export * from "./resilience_file.ts";
export * from "./beyond.ts";
export * from "./beyond_file.ts";
