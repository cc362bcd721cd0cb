/**
 * Scoring a network on a test set, the book's way: a scorecard of 1 (correct) and 0
 * (wrong) per record, and performance = its mean. Also the confusion matrix and the
 * accuracy per digit.
 *
 * @module
 */
import { type Dataset, LABELS, PIXELS } from "../data/mod.ts";
import type { Matrix } from "../kernels/mod.ts";
import type { Network } from "../model/mod.ts";
import type { RowThreads } from "./threads.ts";
import { answerRecords } from "./answer_records.ts";

/** One test record the network got wrong. */
export interface Mistake {
  index: number;
  label: number;
  answer: number;
  confidence: number;
}

/** What scoring a test set found. */
export interface Score {
  /** 1 where the network's answer was the label, 0 where not; one per record */
  scorecard: Uint8Array;
  /** the network's answer per record */
  answers: Uint8Array;
  /** the output value of the answer per record (the network's confidence) */
  confidences: Float64Array;
  /** the book's performance: Σ scorecard / records */
  performance: number;
  /** confusion[label][answer] = how many records of `label` got `answer` */
  confusion: number[][];
  /** per digit: correct / records of that digit (NaN when the set has none) */
  perClassAccuracy: number[];
}

/**
 * Query the network on every record of `dataset` and score the answers. The first
 * layer's signals are computed from each record's ink (ink.ts): the same numbers as
 * query() up to rounding, in a third of the time. With `threads` (training/threads.ts,
 * started with this test set) the records are shared out between them: the same answers.
 */
export function score(net: Network, dataset: Dataset, options: { threads?: RowThreads } = {}): Score {
  const first = net.weights[0];
  if (first.cols !== PIXELS) {
    throw new RangeError(`score() needs a network with ${PIXELS} inputs, got ${first.cols}`);
  }
  const answers = new Uint8Array(dataset.count);
  const confidences = new Float64Array(dataset.count);
  if (options.threads?.canScore(dataset)) options.threads.score(answers, confidences);
  else answerRecords(net, dataset, { lo: 0, hi: dataset.count }, { answers, confidences });
  const scorecard = answers.map((answer, record) => answer === dataset.labels[record] ? 1 : 0);
  return summarise(dataset.labels, answers, { scorecard, confidences });
}

/**
 * A score rebuilt from saved answers (a run's test_scores.npy): the same scorecard,
 * performance, confusion matrix and per-digit accuracy as scoring again, without the network.
 */
export function scoreFromAnswers(labels: Uint8Array, answers: Uint8Array, confidences: Float64Array): Score {
  const scorecard = answers.map((answer, record) => answer === labels[record] ? 1 : 0);
  return summarise(labels, answers, { scorecard, confidences });
}

/** The file a run keeps its test scores in: one row per test record, its answer and the answer's output. */
export const TEST_SCORES_FILE = "test_scores.npy";

/** A score's answers and confidences as a (records × 2) float64 matrix, for test_scores.npy. */
export function answersMatrix(result: Score): Matrix {
  const data = new Float64Array(result.answers.length * 2);
  result.answers.forEach((answer, record) => {
    data[2 * record] = answer;
    data[2 * record + 1] = result.confidences[record];
  });
  return { rows: result.answers.length, cols: 2, data };
}

/** The answers and confidences of a test_scores.npy matrix; undefined when it is not one for `count` records. */
export function answersFromMatrix(
  matrix: Matrix,
  count: number,
): { answers: Uint8Array; confidences: Float64Array } | undefined {
  if (matrix.rows !== count || matrix.cols !== 2) return undefined;
  const answers = new Uint8Array(count), confidences = new Float64Array(count);
  for (let record = 0; record < count; record++) {
    const answer = matrix.data[2 * record];
    if (!Number.isInteger(answer) || answer < 0 || answer >= LABELS) return undefined;
    answers[record] = answer;
    confidences[record] = matrix.data[2 * record + 1];
  }
  return { answers, confidences };
}

/** Build the performance, confusion matrix and per-digit accuracy from labels and answers. */
function summarise(
  labels: Uint8Array,
  answers: Uint8Array,
  parts: Pick<Score, "scorecard" | "confidences">,
): Score {
  const confusion = Array.from({ length: LABELS }, () => new Array<number>(LABELS).fill(0));
  let correct = 0;
  for (let record = 0; record < labels.length; record++) {
    confusion[labels[record]][answers[record]]++;
    correct += parts.scorecard[record];
  }
  const perClassAccuracy = confusion.map((row, label) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return total === 0 ? NaN : row[label] / total;
  });
  return {
    ...parts,
    answers,
    performance: labels.length === 0 ? 0 : correct / labels.length,
    confusion,
    perClassAccuracy,
  };
}

/** The records the network got wrong, in order, at most `limit`. */
export function misclassified(dataset: Dataset, result: Score, limit = Infinity): Mistake[] {
  const wrong = [];
  for (let record = 0; record < dataset.count && wrong.length < limit; record++) {
    if (result.scorecard[record] === 0) {
      wrong.push({
        index: record,
        label: dataset.labels[record],
        answer: result.answers[record],
        confidence: result.confidences[record],
      });
    }
  }
  return wrong;
}

/** The confusion matrix as a text table: rows are labels, columns the network's answers. */
export function formatConfusion(confusion: number[][], perClassAccuracy: (number | null)[]): string {
  const width = Math.max(5, ...confusion.flat().map((count) => String(count).length + 1));
  const cell = (text: string | number) => String(text).padStart(width);
  const lines = [
    "label \\ answer" + confusion.map((_, answer) => cell(answer)).join("") + "   accuracy",
  ];
  confusion.forEach((row, label) => {
    const accuracy = perClassAccuracy[label];
    const shown = accuracy === null || Number.isNaN(accuracy) ? "—" : accuracy.toFixed(4);
    lines.push(`${String(label).padStart(14)}` + row.map(cell).join("") + `   ${shown}`);
  });
  return lines.join("\n");
}
