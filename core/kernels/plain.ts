/**
 * The hot loops of the network, behind one interface so that the WebAssembly SIMD
 * kernels (wasm_kernels.ts) and these plain TypeScript ones are interchangeable and
 * tested against each other. The plain ones are the reference.
 *
 * A matrix is row-major: element (row r, column c) is `data[r * cols + c]`. Every loop
 * walks a row contiguously, the order the CPU cache likes. Each inner loop is its own
 * small function: V8 optimises small monomorphic loops well and deoptimises big nested ones.
 *
 * @module
 */

import { sigmoid } from "../model/activation.ts";

/** float32 or float64 arithmetic. */
export type Precision = "f32" | "f64";
/** The precisions, for flag validation. */
export const PRECISIONS: readonly Precision[] = ["f32", "f64"];
/** Which implementation of the kernels. */
export type KernelsName = "wasm" | "plain";
/** The implementations, for flag validation. */
export const KERNELS: readonly KernelsName[] = ["wasm", "plain"];

/** An array of floats of either precision. */
export type FloatArray = Float32Array | Float64Array;

/** A dense row-major matrix, shape rows×cols. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** rows×cols values, row by row */
  readonly data: FloatArray;
}

/** The hot loops. Arrays passed in must come from the same kernels' `allocate`. */
export interface Kernels {
  readonly name: KernelsName;
  readonly precision: Precision;
  /** A zeroed array of `length` floats that these kernels can work on. */
  allocate(length: number): FloatArray;
  /** out = matrix · vector. out: [rows], vector: [cols]. The book's `numpy.dot(self.wih, inputs)`. */
  multiply(out: FloatArray, matrix: Matrix, vector: FloatArray): void;
  /** out = matrixᵀ · vector. out: [cols], vector: [rows]. The book's `numpy.dot(self.who.T, output_errors)`. */
  multiplyTransposed(out: FloatArray, matrix: Matrix, vector: FloatArray): void;
  /**
   * out = matrix · vector over the blocks of 4 columns listed (block b is columns 4b…4b+3):
   * exactly multiply() when the vector is zero outside them. `cols` must be a multiple of 4.
   */
  multiplyBlocks(out: FloatArray, matrix: Matrix, vector: FloatArray, blocks: Int32Array): void;
  /** values[i] = sigmoid(values[i]) in place: the activation function over a layer. */
  sigmoid(values: FloatArray): void;
  /** matrix += column ⊗ row: matrix[r][c] += column[r] · row[c]. */
  addOuter(matrix: Matrix, column: FloatArray, row: FloatArray): void;
  /**
   * The fused step, on blocks of 4 columns: for the columns 4b…4b+3 of every block b in
   * `blocks`, matrix += column ⊗ row, then out = matrix · next over those columns only.
   * Each row is updated and used again while it is still in cache. When `row` and `next`
   * are zero outside the blocks this is exactly addOuter then multiply. `cols` must be a
   * multiple of 4.
   */
  addOuterThenMultiplyBlocks(
    matrix: Matrix,
    vectors: { column: FloatArray; row: FloatArray; next: FloatArray; out: FloatArray },
    blocks: Int32Array,
  ): void;
}

/** Make a rows×cols float64 matrix of zeros, or wrap existing row-major data of that size. */
export function createMatrix(rows: number, cols: number, data?: FloatArray): Matrix {
  if (data && data.length !== rows * cols) {
    throw new RangeError(`matrix ${rows}×${cols} needs ${rows * cols} values, got ${data.length}`);
  }
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

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

/** In place: values[i] = sigmoid(values[i]), with Math.exp (the reference). */
export function applySigmoid(values: FloatArray): void {
  for (let i = 0; i < values.length; i++) values[i] = sigmoid(values[i]);
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
    multiply,
    multiplyTransposed,
    multiplyBlocks,
    sigmoid: applySigmoid,
    addOuter,
    addOuterThenMultiplyBlocks,
  };
}
