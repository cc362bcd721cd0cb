/**
 * A small PNG decoder for the images the draw page sends (and most others): 8 bits per
 * channel, not interlaced, grey / RGB / palette / grey+alpha / RGBA, inflated by
 * `node:zlib`. Written by hand because it must be fast: imagescript's decoder is several
 * times slower on a drawing, and the dashboard answers a drawing per pen stroke. Anything else (16-bit, interlaced, a transparent colour key) is
 * left to imagescript: {@link decodePng} returns undefined for it. Tests compare the two.
 *
 * @module
 */
import { inflateSync } from "node:zlib";

/** An image as RGBA bytes, row by row. */
export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes: red, green, blue, alpha */
  bitmap: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Channels per pixel by colour type: grey, -, RGB, palette, grey+alpha, -, RGBA. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** The Paeth predictor of the PNG specification. */
function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left),
    toUp = Math.abs(estimate - up),
    toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}

/** Undo one row's filter in place: `row` and `previous` are that row's and the row above's bytes. */
function unfilterRow(
  filter: number,
  row: Uint8Array,
  previous: Uint8Array | undefined,
  step: number,
): boolean {
  const length = row.length;
  switch (filter) {
    case 0:
      return true;
    case 1:
      for (let i = step; i < length; i++) row[i] = (row[i] + row[i - step]) & 255;
      return true;
    case 2:
      if (previous) { for (let i = 0; i < length; i++) row[i] = (row[i] + previous[i]) & 255; }
      return true;
    case 3:
      for (let i = 0; i < length; i++) {
        const left = i >= step ? row[i - step] : 0;
        row[i] = (row[i] + ((left + (previous ? previous[i] : 0)) >> 1)) & 255;
      }
      return true;
    case 4:
      for (let i = 0; i < length; i++) {
        const left = i >= step ? row[i - step] : 0;
        const up = previous ? previous[i] : 0;
        const upLeft = previous && i >= step ? previous[i - step] : 0;
        row[i] = (row[i] + paeth(left, up, upLeft)) & 255;
      }
      return true;
    default:
      return false;
  }
}

/** Spread one row of `channels`-byte pixels into RGBA at `out[offset…]`. */
function toRgba(
  row: Uint8Array,
  channels: number,
  palette: Uint8Array | undefined,
  out: Uint8Array,
  offset: number,
): void {
  if (channels === 4) out.set(row, offset);
  else if (channels === 3) rgbToRgba(row, out, offset);
  else if (channels === 2) greyAlphaToRgba(row, out, offset);
  else if (palette) paletteToRgba(row, palette, out, offset);
  else greyToRgba(row, out, offset);
}

function rgbToRgba(row: Uint8Array, out: Uint8Array, offset: number): void {
  for (let x = 0, o = offset; x < row.length; x += 3, o += 4) {
    out[o] = row[x], out[o + 1] = row[x + 1], out[o + 2] = row[x + 2], out[o + 3] = 255;
  }
}

function greyAlphaToRgba(row: Uint8Array, out: Uint8Array, offset: number): void {
  for (let x = 0, o = offset; x < row.length; x += 2, o += 4) {
    out[o] = out[o + 1] = out[o + 2] = row[x], out[o + 3] = row[x + 1];
  }
}

function paletteToRgba(row: Uint8Array, palette: Uint8Array, out: Uint8Array, offset: number): void {
  for (let x = 0, o = offset; x < row.length; x++, o += 4) {
    const entry = 4 * row[x];
    out[o] = palette[entry], out[o + 1] = palette[entry + 1], out[o + 2] = palette[entry + 2];
    out[o + 3] = palette[entry + 3];
  }
}

function greyToRgba(row: Uint8Array, out: Uint8Array, offset: number): void {
  for (let x = 0, o = offset; x < row.length; x++, o += 4) {
    out[o] = out[o + 1] = out[o + 2] = row[x], out[o + 3] = 255;
  }
}

/**
 * Decode a PNG of the common kind into RGBA, or undefined when it is another kind (or not
 * a PNG, or damaged): the caller then uses a general decoder, which reports what is wrong.
 */
export function decodePng(bytes: Uint8Array): RgbaImage | undefined {
  const png = inflatePng(bytes);
  if (!png) return undefined;
  const { width, height, channels, palette } = png;
  const bitmap = new Uint8Array(width * height * 4);
  const rows = eachRow(png, (row, y) => toRgba(row, channels, palette, bitmap, y * width * 4));
  return rows ? { width, height, bitmap } : undefined;
}

/**
 * Decode a PNG of the common kind straight into grey (0.299·R + 0.587·G + 0.114·B, as
 * images.ts computes it) and alpha (0–1), without the RGBA step in between; undefined as
 * {@link decodePng}.
 */
export function decodePngGrey(
  bytes: Uint8Array,
): { width: number; height: number; grey: Float64Array; alpha: Float64Array } | undefined {
  const png = inflatePng(bytes);
  if (!png) return undefined;
  const { width, height, channels, palette } = png;
  const grey = new Float64Array(width * height), alpha = new Float64Array(width * height);
  const rgba = new Uint8Array(width * 4);
  const rows = eachRow(png, (row, y) => {
    toRgba(row, channels, palette, rgba, 0);
    rgbaToGrey(rgba, grey, alpha, y * width);
  });
  return rows ? { width, height, grey, alpha } : undefined;
}

// 0.299·v, 0.587·v, 0.114·v and v/255 for every byte: the same doubles as computing them
const RED = Float64Array.from({ length: 256 }, (_, v) => 0.299 * v);
const GREEN = Float64Array.from({ length: 256 }, (_, v) => 0.587 * v);
const BLUE = Float64Array.from({ length: 256 }, (_, v) => 0.114 * v);
const OPACITY = Float64Array.from({ length: 256 }, (_, v) => v / 255);

/** RGBA bytes into grey (0.299·R + 0.587·G + 0.114·B) and alpha (0–1), from `offset` on. */
export function rgbaToGrey(
  rgba: Uint8Array | Uint8ClampedArray,
  grey: Float64Array,
  alpha: Float64Array,
  offset: number,
): void {
  const end = offset + (rgba.length >> 2);
  for (let i = offset, at = 0; i < end; i++, at += 4) {
    grey[i] = RED[rgba[at]] + GREEN[rgba[at + 1]] + BLUE[rgba[at + 2]];
    alpha[i] = OPACITY[rgba[at + 3]];
  }
}

/** A PNG's header, palette and inflated rows, checked; undefined for a kind this file leaves alone. */
interface InflatedPng {
  width: number;
  height: number;
  channels: number;
  palette: Uint8Array | undefined;
  raw: Uint8Array;
}

function inflatePng(bytes: Uint8Array): InflatedPng | undefined {
  if (bytes.length < 33 || SIGNATURE.some((byte, i) => bytes[i] !== byte)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16), height = view.getUint32(20);
  const [depth, type, , , interlace] = bytes.subarray(24, 29);
  const channels = CHANNELS[type];
  if (depth !== 8 || !channels || interlace !== 0 || width === 0 || height === 0) return undefined;
  const data: Uint8Array[] = [];
  let palette: Uint8Array | undefined;
  for (let offset = 8; offset + 8 <= bytes.length;) {
    const length = view.getUint32(offset);
    const name = String.fromCharCode(
      bytes[offset + 4],
      bytes[offset + 5],
      bytes[offset + 6],
      bytes[offset + 7],
    );
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (body.length !== length) return undefined;
    if (name === "IDAT") data.push(body);
    else if (name === "PLTE") {
      palette = new Uint8Array(256 * 4).fill(255);
      for (let i = 0; i < length / 3 && i < 256; i++) palette.set(body.subarray(3 * i, 3 * i + 3), 4 * i);
    } else if (name === "tRNS") {
      if (type !== 3 || !palette) return undefined; // a colour key: left to the general decoder
      for (let i = 0; i < length && i < 256; i++) palette[4 * i + 3] = body[i];
    } else if (name === "IEND") break;
    offset += 12 + length;
  }
  if (data.length === 0 || (type === 3 && !palette)) return undefined;
  const stride = width * channels;
  const expected = height * (stride + 1);
  let raw: Uint8Array;
  try {
    // never more than the image needs: a small file cannot inflate into gigabytes
    const inflated = inflateSync(data.length === 1 ? data[0] : concat(data), { maxOutputLength: expected });
    raw = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length); // a view, not a copy
  } catch {
    return undefined;
  }
  if (raw.length < expected) return undefined;
  return { width, height, channels, palette, raw };
}

/** Unfilter every row in turn and hand it to `use`; false when a row's filter is unknown. */
function eachRow(png: InflatedPng, use: (row: Uint8Array, y: number) => void): boolean {
  const { width, height, channels, raw } = png;
  const stride = width * channels;
  let previous: Uint8Array | undefined;
  for (let y = 0; y < height; y++) {
    const start = y * (stride + 1);
    const row = raw.subarray(start + 1, start + 1 + stride);
    if (!unfilterRow(raw[start], row, previous, channels)) return false;
    use(row, y);
    previous = row;
  }
  return true;
}

/** The IDAT chunks as one stream. */
function concat(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) joined.set(part, offset), offset += part.length;
  return joined;
}
