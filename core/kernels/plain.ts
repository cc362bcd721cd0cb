/**
 * The plain TypeScript kernels: the reference that the WebAssembly ones (wasm.ts) are
 * tested against, and the float64 path that gives numpy's numbers.
 *
 * A matrix is row-major: element (row r, column c) is `data[r * cols + c]`. Every loop
 * walks a row contiguously, the order the CPU cache likes. Each inner loop is its own
 * small function: V8 optimises small monomorphic loops well and deoptimises big nested ones.
 *
 * @module
 */
import type { Activation } from "./kernels.ts";
import type { FloatArray, Kernels, Matrix, Precision } from "./kernels.ts";

/** Σ data[offset + i] · vector[i] for i < n: one row of a matrix times a vector. */
function dotRow(data: FloatArray, offset: number, vector: FloatArray, n: number): number {
  let sum0 = 0, sum1 = 0, sum2 = 0, sum3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    sum0 += data[offset + i] * vector[i];
    sum1 += data[offset + i + 1] * vector[i + 1];
    sum2 += data[offset + i + 2] * vector[i + 2];
    sum3 += data[offset + i + 3] * vector[i + 3];
  }
  for (; i < n; i++) sum0 += data[offset + i] * vector[i];
  return (sum0 + sum1) + (sum2 + sum3);
}

/** target[targetOffset + i] += alpha · source[sourceOffset + i] for i < n. */
function addScaled(
  target: FloatArray,
  targetOffset: number,
  alpha: number,
  source: FloatArray,
  sourceOffset: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) target[targetOffset + i] += alpha * source[sourceOffset + i];
}

function multiply(out: FloatArray, matrix: Matrix, vector: FloatArray): void {
  const { rows, cols, data } = matrix;
  for (let r = 0; r < rows; r++) out[r] = dotRow(data, r * cols, vector, cols);
}

function multiplyTransposed(out: FloatArray, matrix: Matrix, vector: FloatArray): void {
  const { rows, cols, data } = matrix;
  out.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) addScaled(out, 0, vector[r], data, r * cols, cols);
}

function addOuter(matrix: Matrix, column: FloatArray, row: FloatArray): void {
  const { rows, cols, data } = matrix;
  for (let r = 0; r < rows; r++) addScaled(data, r * cols, column[r], row, 0, cols);
}

function foldRows(matrix: Matrix, offsets: Float64Array, sums: Float64Array, lo: number, hi: number): void {
  const { data, cols } = matrix;
  for (let r = lo; r < hi; r++) {
    const offset = offsets[r];
    if (offset !== 0) addToRow(data, r * cols, cols, offset);
    offsets[r] = 0;
    sums[r] = rowSum(data, r * cols, cols);
  }
}

function addToRow(data: FloatArray, start: number, cols: number, value: number): void {
  for (let c = start; c < start + cols; c++) data[c] += value;
}

function rowSum(data: FloatArray, start: number, cols: number): number {
  let sum = 0;
  for (let c = start; c < start + cols; c++) sum += data[c];
  return sum;
}

/** Σ data[offset + c] · vector[c] over the columns of `blocks`. */
function dotBlocks(data: FloatArray, offset: number, vector: FloatArray, blocks: Int32Array): number {
  let sum = 0;
  for (const block of blocks) {
    for (let c = 4 * block; c < 4 * block + 4; c++) sum += data[offset + c] * vector[c];
  }
  return sum;
}

function multiplyBlocks(out: FloatArray, matrix: Matrix, vector: FloatArray, blocks: Int32Array): void {
  for (let r = 0; r < matrix.rows; r++) out[r] = dotBlocks(matrix.data, r * matrix.cols, vector, blocks);
}

/** Row r, the columns of `blocks`: update by alpha·row, then the dot product with next. */
function updateBlocksThenDot(
  data: FloatArray,
  offset: number,
  alpha: number,
  vectors: { row: FloatArray; next: FloatArray },
  blocks: Int32Array,
): number {
  const { row, next } = vectors;
  let sum = 0;
  for (const block of blocks) {
    for (let c = 4 * block; c < 4 * block + 4; c++) {
      data[offset + c] += alpha * row[c];
      sum += data[offset + c] * next[c];
    }
  }
  return sum;
}

function addOuterThenMultiplyBlocks(
  matrix: Matrix,
  vectors: { column: FloatArray; row: FloatArray; next: FloatArray; out: FloatArray },
  blocks: Int32Array,
): void {
  const { rows, cols, data } = matrix;
  for (let r = 0; r < rows; r++) {
    vectors.out[r] = updateBlocksThenDot(data, r * cols, vectors.column[r], vectors, blocks);
  }
}

/** In place: values[i] = activation.f(values[i]) (the reference: Math.exp for the sigmoid). */
export function applyActivation(
  values: FloatArray,
  activation: Activation,
  lo = 0,
  hi = values.length,
): void {
  const f = activation.f;
  for (let i = lo; i < hi; i++) values[i] = f(values[i]);
}

/**
 * The plain TypeScript kernels, float64 (the reference, matches numpy) or float32
 * (sums in float64, rounded when stored).
 */
export function createPlainKernels(precision: Precision = "f64"): Kernels {
  return {
    name: "plain",
    precision,
    allocate: (length) => precision === "f64" ? new Float64Array(length) : new Float32Array(length),
    allocateFloat64: (length) => new Float64Array(length),
    foldRows,
    multiply,
    multiplyTransposed,
    multiplyBlocks,
    activate: applyActivation,
    addOuter,
    backward(matrix, errors, scaled, below, inputs) {
      multiplyTransposed(below, matrix, errors);
      addOuter(matrix, scaled, inputs);
    },
    addOuterThenMultiplyBlocks,
  };
}
