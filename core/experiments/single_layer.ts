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

/** Small random starting weights (normal, standard deviation 0.01). */
export function createSingleLayer(alpha: number, random: Random): SingleLayer {
  return { weights: Float64Array.from({ length: PIXELS * LABELS }, () => random.normal(0, 0.01)), alpha };
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

/** One step of the delta rule on one record. */
export function trainSingleLayer(model: SingleLayer, dataset: Dataset, record: number): void {
  const prediction = new Float64Array(LABELS);
  predict(model, dataset, record, prediction);
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
  data: { train: Dataset; test: Dataset; reportAt: number[] },
): { images: number; accuracy: number }[] {
  const points: { images: number; accuracy: number }[] = [];
  let trained = 0;
  for (const target of [...data.reportAt].sort((a, b) => a - b)) {
    for (; trained < target; trained++) trainSingleLayer(model, data.train, trained % data.train.count);
    points.push({ images: trained, accuracy: singleLayerAccuracy(model, data.test) });
  }
  return points;
}
