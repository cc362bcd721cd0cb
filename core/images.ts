/**
 * Pictures of 28×28 records: as PNG files (via imagescript) and as block characters for
 * the terminal. Pixels are MNIST bytes: 0 = paper, 255 = ink; pictures show ink dark on
 * light paper, as the book's plots do.
 *
 * @module
 */
import { Image } from "imagescript";

/** Grey levels from paper to ink, two characters a pixel so the picture is square. */
const SHADES = ["  ", "░░", "▒▒", "▓▓", "██"];

/** Draw a grey image (bytes, 0 = paper, 255 = ink) with block characters, one line per row. */
export function terminalPicture(pixels: Uint8Array, width: number, height = pixels.length / width): string {
  const lines: string[] = [];
  for (let y = 0; y < height; y++) {
    let line = "";
    for (let x = 0; x < width; x++) {
      line += SHADES[Math.min(SHADES.length - 1, Math.floor(pixels[y * width + x] / 256 * SHADES.length))];
    }
    lines.push(line.trimEnd());
  }
  return lines.join("\n");
}

/**
 * Encode a grey image (bytes, 0 = paper, 255 = ink) as PNG, ink dark on white, each
 * pixel drawn as a `scale`×`scale` square.
 */
export async function encodePng(
  pixels: Uint8Array,
  width: number,
  options: { scale?: number } = {},
): Promise<Uint8Array> {
  const scale = options.scale ?? 1;
  const height = pixels.length / width;
  const image = new Image(width * scale, height * scale);
  const bitmap = image.bitmap; // RGBA bytes, row by row
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const grey = 255 - pixels[Math.floor(y / scale) * width + Math.floor(x / scale)];
      const offset = (y * width * scale + x) * 4;
      bitmap[offset] = bitmap[offset + 1] = bitmap[offset + 2] = grey;
      bitmap[offset + 3] = 255;
    }
  }
  return await image.encode();
}
