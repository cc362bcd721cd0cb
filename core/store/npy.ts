/**
 * numpy's `.npy` format, so weights move between myonn and the book's Python:
 * the magic "\x93NUMPY", a version (1.0, 2.0 or 3.0), the header length, a Python-dict
 * header `{'descr': '<f8', 'fortran_order': False, 'shape': (200, 784), }` padded with
 * spaces to a multiple of 64 bytes, then the values.
 *
 * Only what weights need is read: little-endian float64 or float32, C order, 2 dimensions
 * (1-dimensional arrays are read as one row).
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { createMatrix, type Matrix } from "../kernels/mod.ts";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Read a `.npy` file's bytes as a matrix. `name` is used in error messages. */
export function parseNpy(bytes: Uint8Array, name: string): Matrix {
  if (bytes.length < 10 || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new InputError(`${name} is not a .npy file: it does not start with \\x93NUMPY`);
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number, headerLength: number;
  if (major === 1) {
    headerStart = 10;
    headerLength = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new InputError(`${name} is cut short inside its header`);
    headerStart = 12;
    headerLength = view.getUint32(8, true);
  } else {
    throw new InputError(`${name} is .npy version ${major}.${bytes[7]}, expected 1.0, 2.0 or 3.0`);
  }
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) throw new InputError(`${name} is cut short inside its header`);
  const header = new TextDecoder().decode(bytes.subarray(headerStart, dataStart));

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new InputError(`${name} has a header without descr, fortran_order and shape: ${header.trim()}`);
  }
  if (descr !== "<f8" && descr !== "<f4") {
    throw new InputError(
      `${name} holds dtype '${descr}', expected float64 ('<f8') or float32 ('<f4'): save it with weights.astype(numpy.float64)`,
    );
  }
  if (fortran === "True") {
    throw new InputError(
      `${name} is in Fortran order, expected C order: save it with numpy.save(path, numpy.ascontiguousarray(weights))`,
    );
  }
  const shape = shapeText.split(",").map((part) => part.trim()).filter((part) => part !== "").map(Number);
  if (
    shape.length < 1 || shape.length > 2 || shape.some((length) => !Number.isInteger(length) || length < 1)
  ) {
    throw new InputError(`${name} has shape (${shapeText}), expected a matrix (rows, columns)`);
  }
  const [rows, cols] = shape.length === 2 ? shape : [1, shape[0]];
  const itemSize = descr === "<f8" ? 8 : 4;
  const expectedBytes = rows * cols * itemSize;
  if (bytes.length - dataStart !== expectedBytes) {
    throw new InputError(
      `${name} has ${
        bytes.length - dataStart
      } bytes of data, shape (${rows}, ${cols}) of '${descr}' needs ${expectedBytes}`,
    );
  }
  const matrix = createMatrix(rows, cols);
  for (let i = 0; i < rows * cols; i++) {
    matrix.data[i] = itemSize === 8
      ? view.getFloat64(dataStart + 8 * i, true)
      : view.getFloat32(dataStart + 4 * i, true);
  }
  return matrix;
}

/**
 * A matrix as `.npy` bytes (version 1.0, C order, little-endian float32 for a Float32Array,
 * float64 otherwise), readable by `numpy.load`.
 */
export function formatNpy(matrix: Matrix): Uint8Array {
  const itemSize = matrix.data instanceof Float32Array ? 4 : 8;
  let header =
    `{'descr': '<f${itemSize}', 'fortran_order': False, 'shape': (${matrix.rows}, ${matrix.cols}), }`;
  const unpadded = 10 + header.length + 1; // magic, version, length, header, newline
  header += " ".repeat((64 - (unpadded % 64)) % 64) + "\n";
  const bytes = new Uint8Array(10 + header.length + matrix.data.length * itemSize);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  const view = new DataView(bytes.buffer);
  view.setUint16(8, header.length, true);
  bytes.set(new TextEncoder().encode(header), 10);
  const dataStart = 10 + header.length;
  for (let i = 0; i < matrix.data.length; i++) {
    if (itemSize === 4) view.setFloat32(dataStart + 4 * i, matrix.data[i], true);
    else view.setFloat64(dataStart + 8 * i, matrix.data[i], true);
  }
  return bytes;
}
