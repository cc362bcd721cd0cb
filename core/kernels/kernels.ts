/**
 * The hot loops' interface: what every implementation of the kernels offers (the plain
 * TypeScript reference in plain.ts, WebAssembly SIMD in wasm.ts), the matrix they work on,
 * and {@link createKernels}, which picks one.
 *
 * @module
 */

/** float32 or float64 arithmetic. */
export type Precision = "f32" | "f64";
/** The precisions, for flag validation. */
export const PRECISIONS: readonly Precision[] = ["f32", "f64"];
/**
 * Which implementation of the kernels: WebAssembly SIMD, the plain TypeScript loops, or
 * `book` — the plain loops, with training going through the book's own class (core/book)
 * instead of the fast epoch.
 */
export type KernelsName = "wasm" | "plain" | "book";
/** The implementations, for flag validation. */
export const KERNELS: readonly KernelsName[] = ["wasm", "plain", "book"];

/**
 * One activation function and everything the network needs to know about it (the functions
 * themselves are model/activation.ts's; the kernels apply them to a layer).
 */
export interface Activation {
  readonly name: string;
  /** y = f(x): the book's `activation_function` */
  f(x: number): number;
  /**
   * `value` times the slope dy/dx, the slope written from the output y: for the sigmoid
   * value·y·(1 − y). One function rather than slope(y) so that the order of the
   * multiplications, which fixes the rounding, stays the one the book's line has.
   */
  timesSlope(value: number, y: number): number;
  /** x = f⁻¹(y): the book's `inverse_activation_function`, used by the back query */
  inverse(y: number): number;
  /**
   * Where the back query puts each layer's signals before taking the inverse: inside the
   * function's open range, as the book rescales to 0.01…0.99 for the sigmoid.
   */
  readonly backQueryRange: readonly [low: number, high: number];
  /** a WebAssembly kernel that applies it to float32 arrays (kernels.wat export), if there is one */
  readonly wasmF32?: string;
}

/**
 * The fused step's block lists, made once per record for every thread: two lists, each
 * the blocks' byte offsets into a row and the blocks of two vectors packed side by side,
 * so the next record's list can be made while this one's is used (training/fast_epoch.ts).
 * Helper threads copy a list into their own kernels' (training/threads.ts).
 */
export interface BlockLists {
  /**
   * make list `list` (0 or 1) for vectors of `cols` values: the blocks of 4 with a value
   * other than 0 in `row` or `next`, in order, and those blocks of both packed side by side;
   * returns how many blocks
   */
  makeList(cols: number, row: FloatArray, next: FloatArray, list: number): number;
  /**
   * values[i] = table[bytes[at + i]] for every value (`table`: 256 numbers, each stored in the
   * kernels' precision), in WebAssembly; returns the sum of the values as stored, added in order
   */
  readBytes(bytes: Uint8Array, at: number, values: FloatArray, table: Float64Array): number;
  /**
   * the fused step (addOuterThenMultiplyBlocks) on rows lo…hi−1, with list `list` (`count`
   * blocks) already made (arguments, not an object: it runs per record)
   */
  fusedRows(
    matrix: Matrix,
    column: FloatArray,
    out: FloatArray,
    lo: number,
    hi: number,
    count: number,
    list: number,
  ): void;
  /** list `list`'s block offsets (room for MAX_BLOCKS), to copy to or from */
  offsets(list: number): Int32Array;
  /** list `list`'s packed blocks (room for MAX_BLOCKS blocks of each vector), to copy to or from */
  packed(list: number): FloatArray;
}

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
  /** the fused step's block lists, made once per record and shared out to threads (WebAssembly kernels; see wasm.ts) */
  readonly lists?: BlockLists;
  /** A zeroed array of `length` floats that these kernels can work on. */
  allocate(length: number): FloatArray;
  /** A zeroed array of `length` float64 values that these kernels can work on, whatever the precision. */
  allocateFloat64(length: number): Float64Array;
  /** out = matrix · vector. out: [rows], vector: [cols]. The book's `numpy.dot(self.wih, inputs)`. */
  multiply(out: FloatArray, matrix: Matrix, vector: FloatArray): void;
  /** out = matrixᵀ · vector. out: [cols], vector: [rows]. The book's `numpy.dot(self.who.T, output_errors)`. */
  multiplyTransposed(out: FloatArray, matrix: Matrix, vector: FloatArray): void;
  /**
   * out = matrix · vector over the blocks of 4 columns listed (block b is columns 4b…4b+3):
   * exactly multiply() when the vector is zero outside them. `cols` must be a multiple of 4.
   */
  multiplyBlocks(out: FloatArray, matrix: Matrix, vector: FloatArray, blocks: Int32Array): void;
  /** values[i] = activation.f(values[i]) in place for lo ≤ i < hi (default: all): the activation function over a layer. */
  activate(values: FloatArray, activation: Activation, lo?: number, hi?: number): void;
  /** matrix += column ⊗ row: matrix[r][c] += column[r] · row[c]. */
  addOuter(matrix: Matrix, column: FloatArray, row: FloatArray): void;
  /**
   * A layer's backward step: below = matrixᵀ · errors (from the weights before they change),
   * then matrix += scaled ⊗ inputs — multiplyTransposed() then addOuter(), the same numbers
   * (the WebAssembly kernels do both in one pass over the weights).
   */
  backward(
    matrix: Matrix,
    errors: FloatArray,
    scaled: FloatArray,
    below: FloatArray,
    inputs: FloatArray,
  ): void;
  /**
   * Fold rows lo…hi−1 of a matrix kept as V + offsets·1ᵀ (training/fast_epoch.ts): each row
   * with an offset ≠ 0 gets it added to every value (summed in float64, rounded once when
   * stored), the offset becomes 0, and sums[r] = Σ of the row, summed in float64 in order.
   * Every implementation gives the same numbers. Arguments, not an object: it runs per record.
   */
  foldRows(matrix: Matrix, offsets: Float64Array, sums: Float64Array, lo: number, hi: number): void;
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
