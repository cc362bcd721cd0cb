/**
 * The original MNIST IDX format (LeCun et al.): a 4-byte magic number — two zero bytes,
 * a type byte (0x08 = unsigned byte) and the number of dimensions — then each dimension
 * as a big-endian uint32, then the values row by row.
 *
 * @module
 */
import { type Dataset, LABELS, PIXELS, SIDE } from "./dataset.ts";
import { InputError } from "../errors.ts";

/** An IDX file's dimensions and its unsigned-byte values. */
export interface IdxArray {
  readonly dimensions: number[];
  readonly data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Parse an IDX file of unsigned bytes with `rank` dimensions. `name` is used in error messages. */
export function parseIdx(bytes: Uint8Array, name: string, rank: number): IdxArray {
  if (bytes.length < 4) {
    throw new InputError(`${name} is not an IDX file: it is only ${bytes.length} bytes long`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const expected = (UNSIGNED_BYTE << 8) | rank;
  if (magic !== expected) {
    throw new InputError(
      `${name} has magic number 0x${hex(magic)}, expected 0x${
        hex(expected)
      } (IDX, unsigned bytes, ${rank} dimensions)`,
    );
  }
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) {
    throw new InputError(
      `${name} is cut short: its header needs ${headerSize} bytes, the file has ${bytes.length}`,
    );
  }
  const dimensions = Array.from({ length: rank }, (_, d) => view.getUint32(4 + 4 * d));
  const size = dimensions.reduce((product, length) => product * length, 1);
  if (bytes.length < headerSize + size) {
    throw new InputError(
      `${name} is cut short: shape (${dimensions.join(", ")}) needs ${
        headerSize + size
      } bytes, the file has ${bytes.length}`,
    );
  }
  if (bytes.length > headerSize + size) {
    throw new InputError(
      `${name} has ${bytes.length - headerSize - size} bytes more than shape (${
        dimensions.join(", ")
      }) needs`,
    );
  }
  return { dimensions, data: bytes.subarray(headerSize, headerSize + size) };
}

function hex(value: number): string {
  return value.toString(16).padStart(8, "0");
}

/** Names used in a dataset's error messages and its `source`. */
export interface IdxNames {
  images: string;
  labels: string;
  source: string;
}

/** Make a dataset from an IDX images file (n×28×28) and its labels file (n). */
export function parseIdxDataset(imageBytes: Uint8Array, labelBytes: Uint8Array, names: IdxNames): Dataset {
  const images = parseIdx(imageBytes, names.images, 3);
  const labels = parseIdx(labelBytes, names.labels, 1);
  const [count, rows, cols] = images.dimensions;
  if (rows !== SIDE || cols !== SIDE) {
    throw new InputError(`${names.images} holds ${rows}×${cols} images, expected ${SIDE}×${SIDE}`);
  }
  if (labels.dimensions[0] !== count) {
    throw new InputError(
      `${names.labels} has ${labels.dimensions[0]} labels, but ${names.images} has ${count} images`,
    );
  }
  const bad = labels.data.findIndex((label) => label >= LABELS);
  if (bad >= 0) throw new InputError(`${names.labels}: label ${bad} is ${labels.data[bad]}, expected 0–9`);
  return {
    images: images.data.subarray(0, count * PIXELS),
    labels: labels.data,
    count,
    source: names.source,
  };
}

/** Encode an IDX file of unsigned bytes (used by tests and to write fixtures). */
export function formatIdx(dimensions: readonly number[], data: Uint8Array): Uint8Array {
  const headerSize = 4 + 4 * dimensions.length;
  const bytes = new Uint8Array(headerSize + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, (UNSIGNED_BYTE << 8) | dimensions.length);
  dimensions.forEach((length, d) => view.setUint32(4 + 4 * d, length));
  bytes.set(data, headerSize);
  return bytes;
}
