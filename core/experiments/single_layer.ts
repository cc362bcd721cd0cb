/**
 * The simplest network there is, for comparison: one layer of 784×10 weights, no
 * activation, targets 0 and 1, trained with the delta rule
 *   weights -= alpha · outer(image, prediction − label)
 * where prediction = image · weights and image is the pixels scaled to 0…1. Its accuracy,
 * measured on the test set as training goes, shows how much the hidden layer adds.
 *
 * @module
 */
import { type Dataset, LABELS, PIXELS } from "../data/mod.ts";
import { argmax, type Random } from "../model/mod.ts";

/** weights[pixel * 10 + label]: 784×10, row per pixel, as numpy's image @ weights wants. */
export interface SingleLayer {
  weights: Float64Array;
  alpha: number;
}

/** How the starting weights are drawn. */
export type SingleLayerInit = "uniform" | "normal";
export const SINGLE_LAYER_INITS: readonly SingleLayerInit[] = ["uniform", "normal"];

/**
 * The starting weights: "uniform", as the tutorial draws them (numpy.random.rand(784, 10):
 * uniform on 0…1 — so the first image's predictions are all about 50, the sum of its
 * scaled pixels, 107.9, times 0.5); or "normal", small (standard deviation 0.01).
 */
export function createSingleLayer(
  alpha: number,
  random: Random,
  init: SingleLayerInit = "uniform",
): SingleLayer {
  const draw = init === "uniform" ? () => random.uniform() : () => random.normal(0, 0.01);
  return { weights: Float64Array.from({ length: PIXELS * LABELS }, draw), alpha };
}

/** prediction = image · weights, image = record's pixels / 255. */
function predict(model: SingleLayer, dataset: Dataset, record: number, prediction: Float64Array): void {
  prediction.fill(0);
  const offset = record * PIXELS;
  for (let pixel = 0; pixel < PIXELS; pixel++) {
    const value = dataset.images[offset + pixel];
    if (value === 0) continue; // a zero pixel adds nothing
    const scaled = value / 255;
    for (let label = 0; label < LABELS; label++) {
      prediction[label] += scaled * model.weights[pixel * LABELS + label];
    }
  }
}

/** What one step of the delta rule saw: the tutorial's walkthrough prints these. */
export interface SingleLayerStep {
  record: number;
  /** image · weights, before the step */
  prediction: number[];
  /** the one-hot target */
  label: number[];
  /** (prediction − label)², per output */
  error: number[];
  /** prediction − label: what the weights move against (weights −= alpha · image ⊗ delta) */
  delta: number[];
}

/** One step of the delta rule on one record; returns what it saw. */
export function trainSingleLayer(model: SingleLayer, dataset: Dataset, record: number): SingleLayerStep {
  const prediction = new Float64Array(LABELS);
  predict(model, dataset, record, prediction);
  const label = Array.from({ length: LABELS }, (_, i) => (i === dataset.labels[record] ? 1 : 0));
  const step: SingleLayerStep = {
    record,
    prediction: [...prediction],
    label,
    error: [...prediction].map((p, i) => (p - label[i]) ** 2),
    delta: [...prediction].map((p, i) => p - label[i]),
  };
  prediction[dataset.labels[record]] -= 1; // prediction − label (one-hot)
  const offset = record * PIXELS;
  for (let pixel = 0; pixel < PIXELS; pixel++) {
    const value = dataset.images[offset + pixel];
    if (value === 0) continue;
    const scaled = model.alpha * value / 255;
    for (let label = 0; label < LABELS; label++) {
      model.weights[pixel * LABELS + label] -= scaled * prediction[label];
    }
  }
  return step;
}

/** The fraction of `dataset` whose largest prediction is its label. */
export function singleLayerAccuracy(model: SingleLayer, dataset: Dataset): number {
  const prediction = new Float64Array(LABELS);
  let correct = 0;
  for (let record = 0; record < dataset.count; record++) {
    predict(model, dataset, record, prediction);
    if (argmax(prediction) === dataset.labels[record]) correct++;
  }
  return dataset.count === 0 ? 0 : correct / dataset.count;
}

/**
 * Train on the first records of `train` in order, measuring test accuracy after each
 * count in `reportAt` (0 = before training; counts beyond the set wrap into a new epoch).
 */
export function singleLayerCurve(
  model: SingleLayer,
  data: {
    train: Dataset;
    test: Dataset;
    reportAt: number[];
    onStep?: (index: number, step: SingleLayerStep) => void;
  },
): { images: number; accuracy: number }[] {
  const points: { images: number; accuracy: number }[] = [];
  let trained = 0;
  for (const target of [...data.reportAt].sort((a, b) => a - b)) {
    for (; trained < target; trained++) {
      const step = trainSingleLayer(model, data.train, trained % data.train.count);
      data.onStep?.(trained, step);
    }
    points.push({ images: trained, accuracy: singleLayerAccuracy(model, data.test) });
  }
  return points;
}
