/**
 * What checking a file against its schema costs (core/store/schema.ts): a run.json read
 * with `parseRunRecord` against `JSON.parse` alone, per file, on a run of 40 epochs with
 * their training-error curves (the largest run.json myonn writes: the beyond preset's).
 *
 *   deno run -A bench/schema.ts [run.json] [--json]
 *
 * @module
 */
import { describeMachine, parseRunRecord, type RunRecord } from "../core/store/mod.ts";

/** A run.json of `epochs` epochs, each with a 60-point error curve. */
function sampleText(epochs: number): string {
  const run: RunRecord = {
    format: "myonn-run",
    version: 1,
    id: "sample",
    name: "sample",
    createdAt: new Date(0).toISOString(),
    config: {
      layers: [784, 1600, 10],
      learningRate: 0.1,
      epochs,
      seed: 1,
      init: "book",
      rotate: 0,
      precision: "f32",
      kernels: "wasm",
      train: { source: "mnist:train", count: 50_000 },
      test: { source: "mnist:test", count: 10_000 },
      initWeights: null,
      validation: 10_000,
      schedule: { name: "cosine", decay: 1, every: 1, finalRate: 0.001 },
      distortion: { rotate: 10, scale: 0.1, shear: 0, shift: 2, sigma: 4, alpha: 12 },
    },
    history: Array.from({ length: epochs }, (_, i) => ({
      epoch: i + 1,
      performance: 0.98,
      meanSquaredError: 0.01,
      trainSeconds: 9,
      testSeconds: 0.3,
      learningRate: 0.05,
      validation: 0.98,
      records: 50_000,
      errorCurve: Array.from({ length: 50 }, (_, j) => 0.01 + j * 1e-5),
    })),
    performance: 0.9857,
    confusion: Array.from({ length: 10 }, () => Array(10).fill(100)),
    perClassAccuracy: Array(10).fill(0.98),
    timings: { loadSeconds: 1, trainSeconds: 300, testSeconds: 10, totalSeconds: 311 },
    machine: describeMachine(),
    weights: [{ file: "weights_0.npy", rows: 1600, cols: 784 }, {
      file: "weights_1.npy",
      rows: 10,
      cols: 1600,
    }],
  };
  return JSON.stringify(run, null, 2);
}

/** Microseconds per call of `work`, the median of 5 batches of `count`. */
function microseconds(work: () => void, count: number): number {
  for (let i = 0; i < count; i++) work();
  const batches: number[] = [];
  for (let b = 0; b < 5; b++) {
    const started = performance.now();
    for (let i = 0; i < count; i++) work();
    batches.push((performance.now() - started) * 1000 / count);
  }
  return batches.sort((a, b) => a - b)[2];
}

if (import.meta.main) {
  const file = Deno.args.find((arg) => !arg.startsWith("--"));
  const text = file ? await Deno.readTextFile(file) : sampleText(40);
  const result = {
    machine: describeMachine(),
    bytes: text.length,
    jsonParseMicroseconds: microseconds(() => JSON.parse(text), 2000),
    parseRunRecordMicroseconds: microseconds(() => parseRunRecord(text, "run.json"), 2000),
    date: new Date().toISOString(),
  };
  if (Deno.args.includes("--json")) console.log(JSON.stringify(result));
  else {
    console.log(
      `run.json of ${result.bytes.toLocaleString("en")} bytes: JSON.parse ${
        result.jsonParseMicroseconds.toFixed(1)
      } µs, ` +
        `parseRunRecord (JSON.parse and the schema) ${result.parseRunRecordMicroseconds.toFixed(1)} µs`,
    );
  }
}
