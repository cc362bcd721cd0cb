/**
 * The hot loops of the network, in one place so that a faster implementation can replace
 * them behind the same signatures and be tested against these plain ones.
 *
 * A matrix is row-major: element (row r, column c) is `data[r * cols + c]`. Every loop
 * below walks a row contiguously, the order the CPU cache likes. Each inner loop is its
 * own small function: V8 optimises small monomorphic loops well and deoptimises large
 * nested ones.
 *
 * @module
 */

/** A dense row-major matrix of float64 values, shape rows×cols. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** rows×cols values, row by row */
  readonly data: Float64Array;
}

/** Make a rows×cols matrix of zeros, or wrap existing row-major data of that size. */
export function createMatrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (data && data.length !== rows * cols) {
    throw new RangeError(`matrix ${rows}×${cols} needs ${rows * cols} values, got ${data.length}`);
  }
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** Σ data[offset + i] · vector[i] for i < n: one row of a matrix times a vector. */
function dotRow(data: Float64Array, offset: number, vector: Float64Array, n: number): number {
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
  target: Float64Array,
  targetOffset: number,
  alpha: number,
  source: Float64Array,
  sourceOffset: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) target[targetOffset + i] += alpha * source[sourceOffset + i];
}

/** out = matrix · vector. out: [rows], vector: [cols]. The book's `numpy.dot(self.wih, inputs)`. */
export function multiply(out: Float64Array, matrix: Matrix, vector: Float64Array): void {
  const { rows, cols, data } = matrix;
  for (let r = 0; r < rows; r++) out[r] = dotRow(data, r * cols, vector, cols);
}

/** out = matrixᵀ · vector. out: [cols], vector: [rows]. The book's `numpy.dot(self.who.T, output_errors)`. */
export function multiplyTransposed(out: Float64Array, matrix: Matrix, vector: Float64Array): void {
  const { rows, cols, data } = matrix;
  out.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) addScaled(out, 0, vector[r], data, r * cols, cols);
}

/** matrix += column ⊗ row, i.e. matrix[r][c] += column[r] · row[c]. column: [rows], row: [cols]. */
export function addOuter(matrix: Matrix, column: Float64Array, row: Float64Array): void {
  const { rows, cols, data } = matrix;
  for (let r = 0; r < rows; r++) addScaled(data, r * cols, column[r], row, 0, cols);
}
