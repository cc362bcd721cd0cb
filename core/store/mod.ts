/**
 * The store: the only code that touches the file system. One atomic folder write (a
 * temporary folder renamed into place, the folder name being the claim) and one atomic
 * file replace (atomic.ts); reading files that must be regular files of bounded size
 * (files.ts); saved runs (run_format.ts: run.json's type and validator; runs.ts: saving,
 * checkpoints, loading, listing), sweeps and resilience results, each format's type and
 * validator declared once; numpy's .npy; the machine description written into records.
 * Imports the model (to rebuild a saved network) and types only from elsewhere.
 *
 * @module
 */
export * from "./atomic.ts";
export * from "./files.ts";
export * from "./machine.ts";
export * from "./npy.ts";
export * from "./run_format.ts";
export * from "./run_edits.ts";
export * from "./runs.ts";
