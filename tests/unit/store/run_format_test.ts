import assert from "node:assert/strict";
import { configFromSettings } from "../../helpers.ts";
import { describeMachine, parseRunRecord, type RunRecord } from "../../../core/store/mod.ts";

/** A whole run.json, as myonn writes it. */
function sample(): RunRecord {
  return {
    format: "myonn-run",
    version: 1,
    id: "r",
    name: "",
    createdAt: new Date(0).toISOString(),
    config: {
      ...configFromSettings({ hidden: [5], learningRate: 0.2, epochs: 1, seed: 9, precision: "f64" }),
      train: { source: "mnist:train", count: 10 },
      test: { source: "mnist:test", count: 10 },
    },
    history: [{ epoch: 1, performance: 0.5, meanSquaredError: 0.1, trainSeconds: 1, testSeconds: 1 }],
    performance: 0.5,
    confusion: [[1, 0], [0, 1]],
    perClassAccuracy: [1, null],
    timings: { loadSeconds: 0, trainSeconds: 1, testSeconds: 1, totalSeconds: 2 },
    machine: describeMachine(),
    weights: [{ file: "weights_0.npy", rows: 5, cols: 784 }, { file: "weights_1.npy", rows: 10, cols: 5 }],
  };
}

/** A run.json as loose JSON, to break a field of (any field, at any depth). */
// deno-lint-ignore no-explicit-any
type Loose = Record<string, any>;

/** The error parseRunRecord gives for `sample()` changed by `change`. */
function errorOf(change: (run: Loose) => void): string {
  const run = structuredClone(sample()) as Loose;
  change(run);
  try {
    parseRunRecord(JSON.stringify(run), "r/run.json");
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

Deno.test("run.json: a run as myonn writes it reads back the same", () => {
  const run = sample();
  assert.deepEqual(parseRunRecord(JSON.stringify(run), "r/run.json"), run);
});

Deno.test("run.json: every field is checked, and the error names the file and the field in one line", () => {
  const cases: [(run: Loose) => void, RegExp][] = [
    [
      (r) => (r.config.init = "zeros"),
      /^r\/run\.json: "config\.init" must be one of book, incoming, uniform$/,
    ],
    [(r) => (r.config.kernels = "gpu"), /"config\.kernels" must be one of wasm, plain, book/],
    [(r) => (r.config.initWeights = 3), /"config\.initWeights" must be a folder's name or null/],
    [(r) => (r.config.activation = "toString"), /"config\.activation" must be one of sigmoid, tanh/],
    [
      (r) => (r.config.layers = [783, 5, 10]),
      /"config\.layers" must be 784 inputs first and 10 outputs last/,
    ],
    [(r) => (r.config.layers = [784, 10]), /"config\.layers" must be a list of at least 3/],
    [(r) => (r.config.layers = [784, 0, 10]), /"config\.layers\[1\]" must be/],
    [(r) => (r.config.precision = "f16"), /"config\.precision" must be "f32" or "f64"/],
    [(r) => (r.config.rotateOrder = 2), /"config\.rotateOrder" must be 1 or 3/],
    [(r) => (r.config.seed = -1), /"config\.seed" must be a whole number/],
    [(r) => (r.config.train.count = "10"), /"config\.train\.count" must be a whole number/],
    [
      (r) => (r.config.schedule = { name: "cosine", decay: 0, every: 1, finalRate: 0 }),
      /"config\.schedule\.decay"/,
    ],
    [
      (r) => (r.config.distortion = { rotate: 1, scale: 1, shear: 0, shift: 0, sigma: 0, alpha: 0 }),
      /"config\.distortion\.scale" must be a number ≥ 0 and below 1/,
    ],
    [(r) => (r.history[0].performance = "high"), /"history\[0\]\.performance" must be a number or null/],
    [(r) => (r.history[0].errorCurve = [0.1, "x"]), /"history\[0\]\.errorCurve\[1\]"/],
    [(r) => (r.confusion[1][0] = 0.5), /"confusion\[1\]\[0\]" must be counts/],
    [(r) => (r.machine.cores = "two"), /"machine\.cores" must be a whole number/],
    [(r) => delete r.machine.cpu, /"machine\.cpu" is missing/],
    [(r) => (r.timings.totalSeconds = null), /"timings\.totalSeconds" must be a number/],
    [(r) => (r.weights[1].file = "../x.npy"), /"weights\[1\]\.file" must be a file name like weights_0\.npy/],
    [(r) => r.weights.pop(), /"weights" must be one weight file per layer of links/],
    [(r) => (r.tags = ["<b>"]), /"tags\[0\]" must be words of letters/],
    [(r) => (r.note = "x".repeat(2001)), /"note" must be text of at most 2,000 characters/],
    [(r) => (r.status = "done"), /"status" must be one of complete, incomplete, failed/],
  ];
  for (const [change, expected] of cases) {
    const message = errorOf(change);
    assert.match(message, expected);
    assert.ok(!message.includes("\n"), message);
  }
});

Deno.test("run.json: runs written before a field existed read with what they were trained with", () => {
  const run = structuredClone(sample()) as unknown as Record<string, Record<string, unknown>>;
  for (
    const field of ["init", "kernels", "precision", "rotate", "initWeights", "activation", "rotateOrder"]
  ) {
    delete run.config[field];
  }
  const config = parseRunRecord(JSON.stringify(run), "old/run.json").config;
  assert.equal(config.init, "book");
  assert.equal(config.kernels, "plain");
  assert.equal(config.precision, "f64");
  assert.equal(config.rotate, 0);
  assert.equal(config.initWeights, null);
  assert.equal(config.activation, undefined);
});

Deno.test("run.json: a failed run's last epoch written with null for NaN reads back as NaN", () => {
  const run = structuredClone(sample());
  run.history[0].meanSquaredError = NaN;
  const read = parseRunRecord(JSON.stringify(run), "r/run.json");
  assert.ok(Number.isNaN(read.history[0].meanSquaredError));
});
