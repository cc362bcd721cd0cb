import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { decode, Image } from "imagescript";
import { decodePng } from "../../../core/data/png.ts";
import { createRandom } from "../../../core/model/mod.ts";
import { ROOT } from "../../helpers.ts";

/** CRC-32 of the PNG specification, for well-formed chunks. */
function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(name: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(new TextEncoder().encode(name), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/** The PNG specification's filters, applied to one row (the decoder undoes them). */
function filterRow(type: number, row: Uint8Array, previous: Uint8Array, step: number): Uint8Array {
  const out = new Uint8Array(row.length);
  for (let i = 0; i < row.length; i++) {
    const left = i >= step ? row[i - step] : 0, up = previous[i], upLeft = i >= step ? previous[i - step] : 0;
    const p = left + up - upLeft;
    const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
    const paeth = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    const predicted = [0, left, up, (left + up) >> 1, paeth][type];
    out[i] = (row[i] - predicted) & 255;
  }
  return out;
}

/** A PNG of random pixels in a colour type, every row with the given filter (5: each row another). */
function makePng(width: number, height: number, type: number, filter: number, seed: number): Uint8Array {
  const random = createRandom(seed);
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[type]!;
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = Uint8Array.from({ length: stride }, () => random.integer(type === 3 ? 16 : 256));
    const rowFilter = filter === 5 ? y % 5 : filter;
    raw[y * (stride + 1)] = rowFilter;
    raw.set(filterRow(rowFilter, row, previous, channels), y * (stride + 1) + 1);
    previous = row;
  }
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, height);
  header.set([8, type, 0, 0, 0], 8);
  const compressed = new Uint8Array(deflateSync(raw));
  const half = compressed.length >> 1; // two IDAT chunks, as encoders may write
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    ...(type === 3
      ? [
        chunk("PLTE", Uint8Array.from({ length: 48 }, (_, i) => (i * 37) % 256)),
        chunk("tRNS", Uint8Array.from({ length: 16 }, (_, i) => 255 - i * 10)),
      ]
      : []),
    chunk("IDAT", compressed.subarray(0, half)),
    chunk("IDAT", compressed.subarray(half)),
    chunk("IEND", new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) png.set(part, offset), offset += part.length;
  return png;
}

Deno.test("decodePng() gives imagescript's pixels for every colour type and every filter", async () => {
  for (const type of [0, 2, 3, 4, 6]) {
    for (const filter of [0, 1, 2, 3, 4, 5]) {
      const png = makePng(13, 7, type, filter, type * 10 + filter);
      const ours = decodePng(png);
      assert.ok(ours, `type ${type}, filter ${filter} is decoded`);
      const theirs = await decode(png) as Image;
      assert.deepEqual([ours.width, ours.height], [13, 7]);
      assert.deepEqual(Array.from(ours.bitmap), Array.from(theirs.bitmap), `type ${type}, filter ${filter}`);
    }
  }
});

Deno.test("decodePng() gives imagescript's pixels for the sample images and a drawing", async () => {
  const drawing = new Image(280, 280);
  drawing.fill(0xffffffff);
  drawing.drawCircle(140, 140, 60, 0x000000ff);
  const files = [await drawing.encode(), await drawing.encode(9)];
  for (const entry of Deno.readDirSync(`${ROOT}data/own`)) {
    if (entry.name.endsWith(".png")) files.push(await Deno.readFile(`${ROOT}data/own/${entry.name}`));
  }
  for (const png of files) {
    const ours = decodePng(png);
    assert.ok(ours);
    assert.deepEqual(Array.from(ours.bitmap), Array.from((await decode(png) as Image).bitmap));
  }
});

Deno.test("decodePng() leaves what it does not handle to the general decoder: undefined, never a throw", () => {
  const png = makePng(4, 4, 6, 0, 1);
  assert.equal(decodePng(new Uint8Array(0)), undefined);
  assert.equal(decodePng(png.subarray(0, 40)), undefined, "cut short");
  const sixteenBit = png.slice();
  sixteenBit[24] = 16;
  assert.equal(decodePng(sixteenBit), undefined, "16-bit");
  const interlaced = png.slice();
  interlaced[28] = 1;
  assert.equal(decodePng(interlaced), undefined, "interlaced");
  const damaged = png.slice();
  damaged.fill(7, 41, 60);
  assert.equal(decodePng(damaged), undefined, "damaged data");
  // a header that claims a huge image over a tiny stream inflates to no more than the image
  const huge = png.slice();
  new DataView(huge.buffer).setUint32(16, 30000);
  assert.equal(decodePng(huge), undefined);
});
