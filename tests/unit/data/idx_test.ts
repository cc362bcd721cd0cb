import assert from "node:assert/strict";
import { formatIdx, parseIdx, parseIdxDataset, PIXELS } from "../../../core/data/mod.ts";

const NAMES = { images: "img-idx3-ubyte", labels: "lab-idx1-ubyte", source: "img-idx3-ubyte" };
const images = (count: number) =>
  formatIdx([count, 28, 28], Uint8Array.from({ length: count * PIXELS }, (_, i) => i % 251));

Deno.test("parseIdxDataset() reads images and labels", () => {
  const dataset = parseIdxDataset(images(3), formatIdx([3], new Uint8Array([4, 0, 9])), NAMES);
  assert.equal(dataset.count, 3);
  assert.deepEqual(Array.from(dataset.labels), [4, 0, 9]);
  assert.equal(dataset.images[PIXELS * 2 + 5], (PIXELS * 2 + 5) % 251);
});

Deno.test("parseIdx() refuses a wrong magic number, naming it and the expected one", () => {
  const bytes = images(1);
  bytes[2] = 0x0d; // float type
  assert.throws(
    () => parseIdx(bytes, "x-idx3-ubyte", 3),
    /x-idx3-ubyte has magic number 0x00000d03, expected 0x00000803/,
  );
  assert.throws(() => parseIdx(images(1), "labels", 1), /magic number 0x00000803, expected 0x00000801/);
  assert.throws(
    () => parseIdx(new Uint8Array(2), "tiny", 1),
    /tiny is not an IDX file: it is only 2 bytes long/,
  );
});

Deno.test("parseIdx() refuses a file cut short or too long", () => {
  const bytes = images(2);
  assert.throws(
    () => parseIdx(bytes.subarray(0, bytes.length - 1), "cut", 3),
    /cut is cut short: shape \(2, 28, 28\) needs 1584 bytes, the file has 1583/,
  );
  assert.throws(
    () => parseIdx(bytes.subarray(0, 9), "cut", 3),
    /cut is cut short: its header needs 16 bytes/,
  );
  const longer = new Uint8Array(bytes.length + 3);
  longer.set(bytes);
  assert.throws(() => parseIdx(longer, "long", 3), /long has 3 bytes more than shape/);
});

Deno.test("parseIdxDataset() refuses mismatched counts, wrong image size and labels above 9", () => {
  assert.throws(
    () => parseIdxDataset(images(3), formatIdx([2], new Uint8Array(2)), NAMES),
    /has 2 labels, but img-idx3-ubyte has 3 images/,
  );
  assert.throws(
    () =>
      parseIdxDataset(formatIdx([1, 14, 14], new Uint8Array(196)), formatIdx([1], new Uint8Array(1)), NAMES),
    /holds 14×14 images, expected 28×28/,
  );
  assert.throws(
    () => parseIdxDataset(images(2), formatIdx([2], new Uint8Array([1, 10])), NAMES),
    /label 1 is 10, expected 0–9/,
  );
});
