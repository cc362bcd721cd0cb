/**
 * Training jobs: one whole training from a config to a run record (job.ts: the network
 * made or resumed, trained epoch by epoch, scored, checkpointed, brain scans per epoch if
 * asked), and trainings on Workers (pool.ts; training_worker.ts is the Worker's entry) — many at
 * once for sweeps, one in the background with progress for `train` and the dashboard.
 * Puts the other concerns together: imports training, experiments, store, data and model.
 *
 * @module
 */
export * from "./job.ts";
export * from "./pool.ts";
export * from "./image_reader.ts";
export * from "./scoring.ts";
export * from "./status.ts";
export * from "./live.ts";
