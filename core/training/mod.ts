/**
 * Training: an epoch of the book's rule (the per-record `train()` of model/ is the rule;
 * fast_epoch.ts is the same rule rearranged), the rotated training copies, scoring a test
 * set, one whole training from settings to a run record (job.ts), and trainings on Workers
 * (pool.ts, worker.ts). Imports the model, the data and, in the Worker only, the store.
 *
 * @module
 */
export * from "./epoch.ts";
export * from "./fast_epoch.ts";
export * from "./ink.ts";
export * from "./job.ts";
export * from "./pool.ts";
export * from "./rotation.ts";
export * from "./score.ts";
