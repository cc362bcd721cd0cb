/**
 * Training: an epoch of the book's rule (the per-record `train()` of model/ is the rule;
 * fast_epoch.ts is the same rule rearranged), the inputs as background plus ink, the
 * rotated training copies, and scoring a test set. Imports the model and the data; the
 * whole training job and its Workers are jobs/.
 *
 * @module
 */
export * from "./answer_records.ts";
export * from "./book_epoch.ts";
export * from "./buffers.ts";
export * from "./epoch.ts";
export * from "./fast_epoch.ts";
export * from "./ink.ts";
export * from "./rotation.ts";
export * from "./score.ts";
export * from "./rows.ts";
export * from "./threads.ts";
export * from "./thread_protocol.ts";
export * from "./thread_policy.ts";
export * from "./brain_scans.ts";
export * from "./distort.ts";
export * from "./schedule.ts";
