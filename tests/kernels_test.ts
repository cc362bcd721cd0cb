import assert from "node:assert/strict";
import { addOuter, createMatrix, multiply, multiplyTransposed } from "../core/kernels.ts";
import { assertAllClose } from "./helpers.ts";

// [[1, 2, 3], [4, 5, 6]]: 2×3
const MATRIX = createMatrix(2, 3, new Float64Array([1, 2, 3, 4, 5, 6]));

Deno.test("multiply() is matrix · vector", () => {
  const out = new Float64Array(2);
  multiply(out, MATRIX, new Float64Array([1, 0, -1]));
  assert.deepEqual(Array.from(out), [-2, -2]);
});

Deno.test("multiplyTransposed() is matrixᵀ · vector", () => {
  const out = new Float64Array(3);
  multiplyTransposed(out, MATRIX, new Float64Array([1, 2]));
  assert.deepEqual(Array.from(out), [9, 12, 15]);
});

Deno.test("addOuter() adds column ⊗ row", () => {
  const matrix = createMatrix(2, 3, MATRIX.data.slice());
  addOuter(matrix, new Float64Array([1, -1]), new Float64Array([1, 2, 3]));
  assert.deepEqual(Array.from(matrix.data), [2, 4, 6, 3, 3, 3]);
});

Deno.test("multiply() handles lengths that are not a multiple of the unrolling", () => {
  for (const cols of [1, 2, 3, 5, 7, 9]) {
    const matrix = createMatrix(3, cols, Float64Array.from({ length: 3 * cols }, (_, i) => (i % 5) - 2));
    const vector = Float64Array.from({ length: cols }, (_, i) => i + 1);
    const out = new Float64Array(3);
    multiply(out, matrix, vector);
    const expected = [0, 1, 2].map((r) =>
      vector.reduce((sum, v, c) => sum + matrix.data[r * cols + c] * v, 0)
    );
    assertAllClose(out, expected, 1e-12);
  }
});

Deno.test("createMatrix() refuses data of the wrong size", () => {
  assert.throws(() => createMatrix(2, 2, new Float64Array(3)), /needs 4 values, got 3/);
});
