import assert from "node:assert/strict";
import { createMatrix } from "../../../core/kernels/mod.ts";
import { formatNpy, parseNpy } from "../../../core/store/mod.ts";

const MATRIX = createMatrix(2, 3, new Float64Array([0.1, -2, 3.5e-12, 1e300, -0, 7]));

/** A .npy file as numpy writes it, with any header. */
function npyWith(header: string, data: Uint8Array): Uint8Array {
  const padded = header + " ".repeat((64 - ((10 + header.length + 1) % 64)) % 64) + "\n";
  const bytes = new Uint8Array(10 + padded.length + data.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(bytes.buffer).setUint16(8, padded.length, true);
  bytes.set(new TextEncoder().encode(padded), 10);
  bytes.set(data, 10 + padded.length);
  return bytes;
}

Deno.test("formatNpy() then parseNpy() gives back the same matrix, bit for bit", () => {
  const bytes = formatNpy(MATRIX);
  assert.equal((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64, 0, "header padded to 64 bytes");
  const back = parseNpy(bytes, "m.npy");
  assert.deepEqual([back.rows, back.cols], [2, 3]);
  assert.deepEqual(back.data, MATRIX.data);
});

Deno.test("parseNpy() reads float32 files and one-dimensional arrays", () => {
  const data = new Uint8Array(new Float32Array([0.5, -1.25, 3]).buffer);
  const matrix = parseNpy(
    npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", data),
    "v.npy",
  );
  assert.deepEqual([matrix.rows, matrix.cols], [1, 3]);
  assert.deepEqual(Array.from(matrix.data), [0.5, -1.25, 3]);
});

Deno.test("parseNpy() refuses the wrong dtype, Fortran order, a bad shape and cut data, saying how to fix it", () => {
  const data = new Uint8Array(48);
  assert.throws(
    () => parseNpy(npyWith("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", data), "w.npy"),
    /w\.npy holds dtype '<i8', expected float64 \('<f8'\) or float32 \('<f4'\)/,
  );
  assert.throws(
    () => parseNpy(npyWith("{'descr': '>f8', 'fortran_order': False, 'shape': (2, 3), }", data), "w.npy"),
    /dtype '>f8'/,
  );
  assert.throws(
    () => parseNpy(npyWith("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", data), "w.npy"),
    /w\.npy is in Fortran order, expected C order: save it with numpy\.save\(path, numpy\.ascontiguousarray/,
  );
  assert.throws(
    () => parseNpy(npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3, 4), }", data), "w.npy"),
    /shape \(2, 3, 4\), expected a matrix/,
  );
  assert.throws(
    () =>
      parseNpy(
        npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", data.subarray(8)),
        "w.npy",
      ),
    /w\.npy has 40 bytes of data, shape \(2, 3\) of '<f8' needs 48/,
  );
  assert.throws(
    () => parseNpy(new TextEncoder().encode("not numpy at all"), "t.npy"),
    /t\.npy is not a \.npy file/,
  );
});
