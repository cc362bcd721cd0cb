/**
 * Images coming in: a PNG, JPEG or GIF of any size decoded into grey and alpha, for the
 * MNIST-style pipeline (mnist_style.ts). The size is read from the header first, so an
 * image too large is refused before it is decoded; the common PNG is decoded by png.ts,
 * the rest by imagescript; anything over 2 megapixels is shrunk first. Pictures going
 * out are pictures.ts.
 *
 * @module
 */
import { decode, GIF, Image } from "imagescript";
import { InputError } from "../errors.ts";
import { decodePng, decodePngGrey, rgbaToGrey } from "./png.ts";

export const MAX_PIXELS = 25_000_000;

/** A grey image: `pixels` 0–255 row by row, plus how opaque each pixel is (0–1). */
export interface GreyImage {
  width: number;
  height: number;
  grey: Float64Array;
  alpha: Float64Array;
}

/** Width and height from a PNG, GIF or JPEG header, without decoding; undefined if unknown. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50) {
    return { width: view.getUint32(16), height: view.getUint32(20) }; // PNG IHDR
  }
  if (bytes.length >= 10 && bytes[0] === 0x47 && bytes[1] === 0x49) {
    return { width: view.getUint16(6, true), height: view.getUint16(8, true) }; // GIF screen
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let i = 2; i + 9 < bytes.length;) {
      if (bytes[i] !== 0xff) return undefined;
      const marker = bytes[i + 1];
      const length = view.getUint16(i + 2);
      // start of frame: baseline, extended, progressive, lossless (not DHT 0xC4, JPG 0xC8, DAC 0xCC)
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: view.getUint16(i + 7), height: view.getUint16(i + 5) };
      }
      i += 2 + length;
    }
  }
  return undefined;
}

/** Decode PNG, JPEG or GIF (its first frame) into grey and alpha. `name` is for error messages. */
export async function decodeGrey(bytes: Uint8Array, name: string): Promise<GreyImage> {
  if (bytes.length === 0) throw new InputError(`${name} is empty`);
  const size = imageSize(bytes);
  if (!size) throw new InputError(`${name} is not a PNG, JPEG or GIF image`);
  if (size.width * size.height > MAX_PIXELS) {
    throw new InputError(
      `${name} is ${size.width}×${size.height} pixels, more than the ${
        MAX_PIXELS / 1e6
      } megapixels myonn reads: make it smaller`,
    );
  }
  // a drawing-sized PNG straight to grey (png.ts); a larger one, everything else and any damage, by
  // imagescript (a large image is shrunk first: see shrink())
  if (size.width * size.height <= MAX_WORKING_PIXELS) {
    const direct = decodePngGrey(bytes);
    if (direct) return direct;
  }
  let image: { width: number; height: number; bitmap: Uint8Array | Uint8ClampedArray } | undefined =
    decodePng(
      bytes,
    );
  if (!image) {
    try {
      const decoded = await decode(bytes);
      image = decoded instanceof GIF ? decoded[0] : decoded as Image;
      if (!image) throw new Error("no frames");
    } catch (error) {
      throw new InputError(
        `${name} cannot be decoded (${(error as Error).message || "damaged or cut short"})`,
      );
    }
  }
  const { width, height, bitmap } = shrink(image);
  const grey = new Float64Array(width * height), alpha = new Float64Array(width * height);
  greyAndAlpha(bitmap, grey, alpha);
  return { width, height, grey, alpha };
}

/**
 * The most pixels the pipeline works on: a larger image (a phone photo) is first shrunk by
 * averaging k×k blocks, so its memory stays bounded (about 50 MB) whatever its size. The
 * digit ends up 20 pixels tall either way.
 */
export const MAX_WORKING_PIXELS = 2_097_152;

/** An RGBA image at most MAX_WORKING_PIXELS large: itself, or averaged over k×k blocks. */
function shrink<T extends { width: number; height: number; bitmap: Uint8Array | Uint8ClampedArray }>(
  image: T,
): { width: number; height: number; bitmap: Uint8Array | Uint8ClampedArray } {
  const { width, height, bitmap } = image;
  if (width * height <= MAX_WORKING_PIXELS) return image;
  const k = Math.ceil(Math.sqrt(width * height / MAX_WORKING_PIXELS));
  const small = { width: Math.ceil(width / k), height: Math.ceil(height / k) };
  const out = new Uint8Array(small.width * small.height * 4);
  for (let y = 0; y < small.height; y++) averageBlocks(bitmap, { width, height, k, y }, out, small.width);
  return { ...small, bitmap: out };
}

/** Row y of the shrunk image: each pixel the mean of the k×k block (cut at the edges) it stands for. */
function averageBlocks(
  bitmap: Uint8Array | Uint8ClampedArray,
  source: { width: number; height: number; k: number; y: number },
  out: Uint8Array,
  outWidth: number,
): void {
  const { width, height, k, y } = source;
  const sums = new Float64Array(4);
  for (let x = 0; x < outWidth; x++) {
    sums.fill(0);
    let count = 0;
    for (let sy = y * k; sy < Math.min(height, y * k + k); sy++) {
      for (let sx = x * k; sx < Math.min(width, x * k + k); sx++) {
        const at = 4 * (sy * width + sx);
        sums[0] += bitmap[at],
          sums[1] += bitmap[at + 1],
          sums[2] += bitmap[at + 2],
          sums[3] += bitmap[at + 3];
        count++;
      }
    }
    for (let c = 0; c < 4; c++) out[4 * (y * outWidth + x) + c] = Math.round(sums[c] / count);
  }
}

/** RGBA bytes to grey (ITU-R 601 luma, 0–255) and alpha (0–1), as png.ts's rowToGrey. */
function greyAndAlpha(bitmap: Uint8Array | Uint8ClampedArray, grey: Float64Array, alpha: Float64Array): void {
  rgbaToGrey(bitmap, grey, alpha, 0);
}

/** The paper's grey: the median of the opaque border pixels (white if there are none). */
