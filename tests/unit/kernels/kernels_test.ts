import assert from "node:assert/strict";
import {
  createMatrix,
  createPlainKernels,
  createWasmKernels,
  type FloatArray,
  type Kernels,
  type Precision,
} from "../../../core/kernels/mod.ts";
import { createInk, readInk } from "../../../core/training/mod.ts";
import { createRandom, SIGMOID } from "../../../core/model/mod.ts";
import { assertAllClose } from "../../helpers.ts";

const IMPLEMENTATIONS: [string, (precision: Precision) => Kernels][] = [
  ["plain", (precision) => createPlainKernels(precision)],
  ["wasm", (precision) => createWasmKernels(precision, 10_000)],
];

/** An array from `kernels` holding `values`. */
function array(kernels: Kernels, values: number[]) {
  const out = kernels.allocate(values.length);
  out.set(values);
  return out;
}

for (const [name, make] of IMPLEMENTATIONS) {
  for (const precision of ["f32", "f64"] as const) {
    const label = `${name} ${precision}`;

    Deno.test(`${label} kernels: multiply, multiplyTransposed and addOuter on a 2×3 example`, () => {
      const kernels = make(precision);
      // [[1, 2, 3], [4, 5, 6]]
      const matrix = createMatrix(2, 3, array(kernels, [1, 2, 3, 4, 5, 6]));
      const two = kernels.allocate(2), three = kernels.allocate(3);
      kernels.multiply(two, matrix, array(kernels, [1, 0, -1]));
      assert.deepEqual(Array.from(two), [-2, -2]);
      kernels.multiplyTransposed(three, matrix, array(kernels, [1, 2]));
      assert.deepEqual(Array.from(three), [9, 12, 15]);
      kernels.addOuter(matrix, array(kernels, [1, -1]), array(kernels, [1, 2, 3]));
      assert.deepEqual(Array.from(matrix.data), [2, 4, 6, 3, 3, 3]);
    });

    Deno.test(`${label} kernels agree with plain float64 on every shape from 1×1 to 9×37`, () => {
      const reference = createPlainKernels("f64");
      const random = createRandom(99);
      const tolerance = precision === "f64" ? 1e-12 : 1e-5;
      for (let rows = 1; rows <= 9; rows += 4) {
        for (let cols = 1; cols <= 37; cols++) {
          const kernels = make(precision);
          const values = Array.from({ length: rows * cols }, () => random.normal(0, 1));
          const vector = Array.from({ length: cols }, () => random.uniform());
          const column = Array.from({ length: rows }, () => random.normal(0, 1));
          const ours = createMatrix(rows, cols, array(kernels, values));
          const theirs = createMatrix(rows, cols, array(reference, values));
          const [outOurs, outTheirs] = [kernels.allocate(rows), reference.allocate(rows)];
          kernels.multiply(outOurs, ours, array(kernels, vector));
          reference.multiply(outTheirs, theirs, array(reference, vector));
          assertAllClose(outOurs, outTheirs, tolerance * cols);
          const [backOurs, backTheirs] = [kernels.allocate(cols), reference.allocate(cols)];
          kernels.multiplyTransposed(backOurs, ours, array(kernels, column));
          reference.multiplyTransposed(backTheirs, theirs, array(reference, column));
          assertAllClose(backOurs, backTheirs, tolerance * rows);
          kernels.addOuter(ours, array(kernels, column), array(kernels, vector));
          reference.addOuter(theirs, array(reference, column), array(reference, vector));
          assertAllClose(ours.data, theirs.data, tolerance * 4);
        }
      }
    });

    Deno.test(`${label} addOuterThenMultiplyBlocks() and multiplyBlocks() equal addOuter() and multiply() where the vectors are zero outside the blocks`, () => {
      const reference = createPlainKernels("f64");
      const random = createRandom(5);
      const tolerance = precision === "f64" ? 1e-12 : 1e-5;
      for (
        const blockList of [[0], [1, 2, 3, 7], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [2, 5, 9], [
          3,
          4,
          6,
          7,
          8,
          9,
          0,
        ]]
      ) {
        const kernels = make(precision);
        const cols = 40, rows = 7;
        const inBlocks = (values: number[]) => values.map((x, c) => blockList.includes(c >> 2) ? x : 0);
        const values = Array.from({ length: rows * cols }, () => random.normal(0, 0.1));
        const column = Array.from({ length: rows }, () => random.normal(0, 1));
        const row = inBlocks(Array.from({ length: cols }, () => random.uniform()));
        const next = inBlocks(Array.from({ length: cols }, () => random.uniform()));
        const ours = createMatrix(rows, cols, array(kernels, values));
        const theirs = createMatrix(rows, cols, array(reference, values));
        const [outOurs, outTheirs] = [kernels.allocate(rows), reference.allocate(rows)];
        kernels.addOuterThenMultiplyBlocks(
          ours,
          {
            column: array(kernels, column),
            row: array(kernels, row),
            next: array(kernels, next),
            out: outOurs,
          },
          Int32Array.from(blockList),
        );
        reference.addOuter(theirs, array(reference, column), array(reference, row));
        reference.multiply(outTheirs, theirs, array(reference, next));
        assertAllClose(ours.data, theirs.data, tolerance);
        assertAllClose(outOurs, outTheirs, tolerance * cols);
        // multiplyBlocks() alone: the updated matrix times `row`, over the blocks
        kernels.multiplyBlocks(outOurs, ours, array(kernels, row), Int32Array.from(blockList));
        reference.multiply(outTheirs, theirs, array(reference, row));
        assertAllClose(outOurs, outTheirs, tolerance * cols);
      }
    });
  }
}

Deno.test("wasm kernels refuse arrays they did not allocate, and running out of room", () => {
  const kernels = createWasmKernels("f32", 100);
  const foreign = new Float32Array(3);
  assert.throws(
    () => kernels.multiply(kernels.allocate(1), createMatrix(1, 3, foreign), foreign),
    /not allocated by these/,
  );
  assert.throws(() => kernels.allocate(1_000_000), /full/);
});

Deno.test("createMatrix() refuses data of the wrong size", () => {
  assert.throws(() => createMatrix(2, 2, new Float64Array(3)), /needs 4 values, got 3/);
});

Deno.test("wasm f32 sigmoid() is Math.exp's sigmoid to within a float32 step, and 0 or 1 at the extremes", () => {
  const kernels = createWasmKernels("f32", 40_000);
  const inputs = Array.from({ length: 24_001 }, (_, i) => -120 + i * 0.01).concat([
    -1000,
    1000,
    -Infinity,
    Infinity,
    0,
  ]);
  const values = kernels.allocate(inputs.length);
  values.set(inputs);
  kernels.activate(values, SIGMOID);
  const reference = createPlainKernels("f32").allocate(inputs.length);
  reference.set(inputs);
  createPlainKernels("f32").activate(reference, SIGMOID);
  let worst = 0;
  for (let i = 0; i < inputs.length; i++) {
    const step = Math.max(Math.abs(reference[i]) * 2 ** -23, 2 ** -149);
    worst = Math.max(worst, Math.abs(values[i] - reference[i]) / step);
  }
  assert.ok(worst <= 1, `worst difference ${worst} float32 steps`);
  assert.deepEqual(Array.from(values.subarray(-5)), [0, 1, 0, 1, 0.5]);
});

Deno.test("wasm f32 sigmoid() passes NaN through, as Math.exp does, instead of trapping", () => {
  const kernels = createWasmKernels("f32", 100);
  const values = kernels.allocate(3);
  values.set([NaN, 1, NaN]);
  kernels.activate(values, SIGMOID);
  assert.ok(Number.isNaN(values[0]) && Number.isNaN(values[2]));
  assert.equal(values[1], Math.fround(1 / (1 + Math.exp(-1))));
});

for (const precision of ["f32", "f64"] as const) {
  Deno.test(`wasm ${precision} readBytes() reads records as readInk()'s loop does: the same values and sum, bit for bit`, () => {
    const kernels = createWasmKernels(precision, 10_000);
    const lists = kernels.lists!;
    const random = createRandom(7);
    // records: blank, full, sparse strokes, and one pixel at each end
    const records = [
      new Uint8Array(784),
      Uint8Array.from({ length: 784 }, () => 1 + random.integer(255)),
      Uint8Array.from({ length: 784 }, () => (random.uniform() < 0.2 ? random.integer(256) : 0)),
      Uint8Array.from({ length: 784 }, (_, i) => (i === 0 || i === 783 ? 255 : 0)),
    ];
    const images = new Uint8Array(784 * records.length);
    records.forEach((record, i) => images.set(record, 784 * i));
    const dataset = { images, labels: new Uint8Array(records.length), count: records.length, source: "test" };
    const fast = createInk(kernels.allocate(784), lists);
    const loop = createInk(kernels.allocate(784));
    for (let record = 0; record < records.length; record++) {
      fast.values.fill(9); // stale values from an earlier record are all overwritten
      readInk(dataset, record, fast);
      readInk(dataset, record, loop);
      assert.deepEqual(fast.values, loop.values, `record ${record}`);
      assert.equal(fast.sum, loop.sum, `record ${record}`);
    }
    assert.equal(fast.blocks, undefined); // block lists come from the values (makeList)
  });

  Deno.test(`wasm ${precision} makeList() lists the blocks with a value other than 0 in either vector (−0 is 0) and packs them`, () => {
    const kernels = createWasmKernels(precision, 10_000);
    const lists = kernels.lists!;
    const row = kernels.allocate(32), next = kernels.allocate(32);
    row[1] = 0.5; // block 0
    next[9] = -2; // block 2
    row[12] = -0; // block 3: only a negative zero, not listed
    row[30] = 1e-30; // block 7
    next[31] = 3;
    for (const list of [0, 1]) {
      const count = lists.makeList(32, row, next, list);
      assert.equal(count, 3);
      const bytesPerBlock = precision === "f32" ? 16 : 32;
      assert.deepEqual([...lists.offsets(list).subarray(0, count)], [0, 2, 7].map((b) => b * bytesPerBlock));
      const packed = [...lists.packed(list).subarray(0, 8 * count)];
      const blocksOf = (v: FloatArray) => [0, 2, 7].flatMap((b) => [...v.subarray(4 * b, 4 * b + 4)]);
      assert.deepEqual(packed, [...blocksOf(row), ...blocksOf(next)]);
    }
    assert.throws(() => lists.makeList(30, row, next, 0), RangeError);
  });
}

for (const precision of ["f32", "f64"] as const) {
  Deno.test(`wasm ${precision} fusedRows() two rows at a time gives each row the bits of one row at a time`, () => {
    const kernels = createWasmKernels(precision, 20_000);
    const lists = kernels.lists!;
    const random = createRandom(11);
    const rows = 9, cols = 64;
    const row = kernels.allocate(cols), next = kernels.allocate(cols);
    for (let c = 0; c < cols; c++) {
      if (random.uniform() < 0.5) row[c] = random.uniform();
      if (random.uniform() < 0.5) next[c] = random.uniform();
    }
    const count = lists.makeList(cols, row, next, 0);
    const values = Array.from({ length: rows * cols }, () => random.normal(0, 0.1));
    const column = array(kernels, Array.from({ length: rows }, () => random.normal(0, 1)));
    const [together, apart] = [0, 1].map(() => createMatrix(rows, cols, array(kernels, values)));
    const [outTogether, outApart] = [kernels.allocate(rows), kernels.allocate(rows)];
    lists.fusedRows(together, column, outTogether, 0, rows, count, 0);
    for (let r = 0; r < rows; r++) lists.fusedRows(apart, column, outApart, r, r + 1, count, 0);
    assert.deepEqual(together.data, apart.data);
    assert.deepEqual(outTogether, outApart);
  });
}

Deno.test("wasm f32 sigmoid() four at a time gives the bits of one at a time (extremes, −0, NaN and 10,001 values)", () => {
  const kernels = createWasmKernels("f32", 30_000);
  const inputs = Array.from({ length: 10_001 }, (_, i) => -50 + i * 0.01).concat([
    -1000,
    1000,
    -Infinity,
    Infinity,
    -0,
    NaN,
    1e-30,
  ]);
  const together = kernels.allocate(inputs.length), apart = kernels.allocate(inputs.length);
  together.set(inputs);
  apart.set(inputs);
  kernels.activate(together, SIGMOID);
  for (let i = 0; i < inputs.length; i++) kernels.activate(apart, SIGMOID, i, i + 1);
  assert.deepEqual(
    new Uint8Array(together.buffer, together.byteOffset, together.byteLength),
    new Uint8Array(apart.buffer, apart.byteOffset, apart.byteLength),
  );
});

for (const precision of ["f32", "f64"] as const) {
  Deno.test(`wasm ${precision} backward() in one pass gives the bits of multiplyTransposed() then addOuter()`, () => {
    const kernels = createWasmKernels(precision, 20_000);
    const random = createRandom(13);
    for (const [rows, cols] of [[10, 200], [10, 61], [3, 7], [1, 1]]) {
      const values = Array.from({ length: rows * cols }, () => random.normal(0, 0.3));
      const errors = array(kernels, Array.from({ length: rows }, () => random.normal(0, 1)));
      const scaled = array(kernels, Array.from({ length: rows }, () => random.normal(0, 0.1)));
      const inputs = array(kernels, Array.from({ length: cols }, () => random.uniform()));
      const [fused, apart] = [0, 1].map(() => createMatrix(rows, cols, array(kernels, values)));
      const [belowFused, belowApart] = [kernels.allocate(cols), kernels.allocate(cols)];
      kernels.backward(fused, errors, scaled, belowFused, inputs);
      kernels.multiplyTransposed(belowApart, apart, errors);
      kernels.addOuter(apart, scaled, inputs);
      assert.deepEqual(fused.data, apart.data, `${rows}×${cols} weights`);
      assert.deepEqual(belowFused, belowApart, `${rows}×${cols} errors below`);
    }
  });
}
