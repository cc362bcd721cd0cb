/** Distorted training images (core/training/distort.ts): the field, the affine map, the draws. */
import assert from "node:assert/strict";
import { PIXELS, SIDE } from "../../../core/data/mod.ts";
import {
  distortImage,
  distortRecords,
  NO_DISTORTION,
  smoothNoise,
  transformImage,
} from "../../../core/training/mod.ts";

/** A digit-like test image: a ring of ink. */
function ring(): Uint8Array {
  const image = new Uint8Array(PIXELS);
  for (let row = 0; row < SIDE; row++) {
    for (let column = 0; column < SIDE; column++) {
      const radius = Math.hypot(row - 13.5, column - 13.5);
      if (radius > 5 && radius < 9) {
        image[row * SIDE + column] = Math.round(255 * (1 - Math.abs(radius - 7) / 2));
      }
    }
  }
  return image;
}

const IDENTITY = { angle: 0, rowScale: 1, columnScale: 1, shear: 0, rowShift: 0, columnShift: 0 };

Deno.test("the elastic field's smoothing is scipy's gaussian_filter(mode='constant', truncate=4)", () => {
  const noise = Float64Array.from({ length: PIXELS }, (_, i) => Math.sin(i * 0.7) + Math.cos(i * 1.3) * 0.5);
  // scipy.ndimage.gaussian_filter(noise.reshape(28, 28), sigma, mode="constant", cval=0, truncate=4.0)
  const scipy = {
    4: { at: [0.021824510597927647, 0.00014147559890850619, 0.006162707432330196], sum: 0.24025047357139312 },
    2.5: { at: [0.10463218522581157, 0.02415455029108788, -0.04436541956724393], sum: 0.15921430847679902 },
  };
  for (const [sigma, expected] of Object.entries(scipy)) {
    const out = smoothNoise(noise, Number(sigma));
    const ours = [out[0], out[13 * SIDE + 14], out[27 * SIDE + 5]];
    ours.forEach((value, i) => assert.ok(Math.abs(value - expected.at[i]) < 1e-14, `σ ${sigma}: ${value}`));
    assert.ok(Math.abs(out.reduce((a, b) => a + b, 0) - expected.sum) < 1e-12);
  }
});

Deno.test("the identity map gives the image back; a whole-pixel shift moves it by that pixel", () => {
  const image = ring();
  assert.deepEqual(transformImage(image, IDENTITY), image);
  const shifted = transformImage(image, { ...IDENTITY, rowShift: 1, columnShift: -2 });
  for (let row = 0; row < SIDE; row++) {
    for (let column = 0; column < SIDE; column++) {
      // the output reads the source at (row + 1, column − 2): the digit moves up one and right two
      const source = row + 1 < SIDE && column - 2 >= 0 ? image[(row + 1) * SIDE + column - 2] : 0;
      assert.equal(shifted[row * SIDE + column], source, `(${row}, ${column})`);
    }
  }
});

Deno.test("a rotation by 90° is the image turned a quarter, pixel for pixel", () => {
  const image = ring();
  image[3 * SIDE + 20] = 200; // a mark that tells the turn's direction
  const turned = transformImage(image, { ...IDENTITY, angle: 90 });
  // output (r, c) reads the source at (c, 27 − r): rows become columns
  for (let row = 0; row < SIDE; row++) {
    for (let column = 0; column < SIDE; column++) {
      assert.equal(turned[row * SIDE + column], image[column * SIDE + (SIDE - 1 - row)]);
    }
  }
});

Deno.test("a scale below 1 reads closer to the centre: the digit grows", () => {
  const image = ring();
  const ink = (pixels: Uint8Array) => pixels.reduce((sum, p) => sum + (p > 127 ? 1 : 0), 0);
  const larger = transformImage(image, { ...IDENTITY, rowScale: 0.8, columnScale: 0.8 });
  const smaller = transformImage(image, { ...IDENTITY, rowScale: 1.2, columnScale: 1.2 });
  assert.ok(
    ink(larger) > ink(image) && ink(image) > ink(smaller),
    `${ink(larger)} ${ink(image)} ${ink(smaller)}`,
  );
});

Deno.test("a record's distortion depends on the seed, the epoch and the record only", () => {
  const image = ring();
  const distortion = { rotate: 12, scale: 0.12, shear: 10, shift: 2, sigma: 4, alpha: 20 };
  const a = distortImage(image, { distortion, seed: 3, epoch: 2, index: 5 });
  assert.deepEqual(distortImage(image, { distortion, seed: 3, epoch: 2, index: 5 }), a);
  assert.notDeepEqual(distortImage(image, { distortion, seed: 3, epoch: 3, index: 5 }), a);
  assert.notDeepEqual(distortImage(image, { distortion, seed: 4, epoch: 2, index: 5 }), a);
  assert.notDeepEqual(distortImage(image, { distortion, seed: 3, epoch: 2, index: 6 }), a);
  // a set's records, made in two ranges, are each record made alone
  const images = new Uint8Array(4 * PIXELS);
  for (let i = 0; i < 4; i++) images.set(image, i * PIXELS);
  const source = { images, labels: new Uint8Array(4), count: 4, source: "test" };
  const out = new Uint8Array(4 * PIXELS);
  distortRecords(source, out, { distortion, seed: 3, epoch: 2, from: 2, to: 4 });
  distortRecords(source, out, { distortion, seed: 3, epoch: 2, from: 0, to: 2 });
  for (let i = 0; i < 4; i++) {
    assert.deepEqual(
      out.subarray(i * PIXELS, (i + 1) * PIXELS),
      distortImage(image, { distortion, seed: 3, epoch: 2, index: i }),
    );
  }
});

Deno.test("no distortion leaves every record as it is; the ink stays about the same under a mild one", () => {
  const image = ring();
  assert.deepEqual(distortImage(image, { distortion: NO_DISTORTION, seed: 1, epoch: 1 }), image);
  const total = (pixels: Uint8Array) => pixels.reduce((sum, p) => sum + p, 0);
  const mild = { rotate: 10, scale: 0.1, shear: 0, shift: 2, sigma: 4, alpha: 12 };
  for (let epoch = 1; epoch <= 20; epoch++) {
    const ratio = total(distortImage(image, { distortion: mild, seed: 1, epoch })) / total(image);
    assert.ok(ratio > 0.7 && ratio < 1.45, `epoch ${epoch}: ink ×${ratio.toFixed(2)}`);
  }
});
