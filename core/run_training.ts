/**
 * One whole training, as `train`, the sweeps and the dashboard run it: a network made
 * from a config, trained for its epochs (scoring after each), and the run record that
 * describes it, ready for runs.ts to save. No I/O here.
 *
 * @module
 */
import type { Dataset } from "./dataset.ts";

import { backQueryImages } from "./brain_scans.ts";
import type { Matrix } from "./kernels.ts";
import { createNetwork, type Network } from "./network.ts";
import { createRandom } from "./random.ts";
import {
  describeMachine,
  describeWeights,
  makeRunId,
  RUN_FORMAT,
  RUN_VERSION,
  type RunConfig,
  type RunRecord,
} from "./runs.ts";
import { trainEpochs, type TrainingHooks } from "./training.ts";

/** Everything one training needs. */
export interface TrainingRequest {
  config: Omit<RunConfig, "train" | "test">;
  train: Dataset;
  test: Dataset;
  /** start from these weights instead of drawing them from the seed */
  initialWeights?: Matrix[];
  name?: string;
  /** keep the ten brain scans after every epoch (as PNG bytes, by file name) */
  backQueryEveryEpoch?: boolean;
  /** seconds spent loading the data, for the record */
  loadSeconds?: number;
}

/** A finished training: the network, its record and any files to save with it. */
export interface TrainingResult {
  net: Network;
  record: RunRecord;
  /** extra files for the run folder, by name */
  files: Record<string, Uint8Array>;
}

/** Train as `request` says and describe the run. */
export async function runTraining(
  request: TrainingRequest,
  hooks: TrainingHooks = {},
): Promise<TrainingResult> {
  const { config, train, test } = request;
  const started = performance.now();
  const net = createNetwork({
    layers: config.layers,
    learningRate: config.learningRate,
    init: config.init,
    precision: config.precision,
    kernels: config.kernels,
    random: createRandom(config.seed),
    weights: request.initialWeights,
  });
  const files: Record<string, Uint8Array> = {};
  const scans: Promise<void>[] = [];
  const { history, score } = trainEpochs(net, { train, test, epochs: config.epochs, rotate: config.rotate }, {
    ...hooks,
    onEpoch(result, epochScore) {
      if (request.backQueryEveryEpoch) {
        scans.push(
          backQueryImages(net).then((images) => {
            images.forEach((png, label) => files[`backquery_epoch${result.epoch}_${label}.png`] = png);
          }),
        );
      }
      hooks.onEpoch?.(result, epochScore);
    },
  });
  await Promise.all(scans);
  const trainSeconds = history.reduce((sum, epoch) => sum + epoch.trainSeconds, 0);
  const testSeconds = history.reduce((sum, epoch) => sum + epoch.testSeconds, 0);
  const loadSeconds = request.loadSeconds ?? 0;
  const fullConfig: RunConfig = {
    ...config,
    train: { source: train.source, count: train.count },
    test: { source: test.source, count: test.count },
  };
  const record: RunRecord = {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    id: makeRunId(config, request.name ?? "", new Date()),
    name: request.name ?? "",
    createdAt: new Date().toISOString(),
    config: fullConfig,
    history,
    performance: score.performance,
    confusion: score.confusion,
    perClassAccuracy: score.perClassAccuracy.map((accuracy) => Number.isNaN(accuracy) ? null : accuracy),
    timings: {
      loadSeconds,
      trainSeconds,
      testSeconds,
      totalSeconds: loadSeconds + (performance.now() - started) / 1000,
    },
    machine: describeMachine(),
    weights: describeWeights(net.weights),
  };
  return { net, record, files };
}
