/**
 * Pictures of 28×28 records: in the terminal (shaded blocks) and as PNG files, scaled up.
 *
 * @module
 */
import { Image } from "imagescript";

const SHADES = ["  ", "░░", "▒▒", "▓▓", "██"];

/**
 * Draw a grey image (bytes, 0 = paper, 255 = ink) with block characters, one line per
 * row; `keepWidth` pads every line to the full width (for pictures side by side).
 */
export function terminalPicture(
  pixels: Uint8Array,
  width: number,
  height = pixels.length / width,
  options: { keepWidth?: boolean } = {},
): string {
  const lines: string[] = [];
  for (let y = 0; y < height; y++) {
    let line = "";
    for (let x = 0; x < width; x++) {
      line += SHADES[Math.min(SHADES.length - 1, Math.floor(pixels[y * width + x] / 256 * SHADES.length))];
    }
    lines.push(options.keepWidth ? line : line.trimEnd());
  }
  return lines.join("\n");
}

/**
 * Encode a grey image (bytes, 0 = paper, 255 = ink) as PNG, ink dark on white, each
 * pixel drawn as a `scale`×`scale` square.
 */
/** The largest scale a picture is drawn at: 28×28 pixels become at most 2,800×2,800. */
export const MAX_SCALE = 100;

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
  // a fixed creation time: the same pixels give the same bytes (imagescript stamps the time of encoding)
  return await image.encode(1, { creationTime: 0 });
}

/** The largest image read: 25 megapixels (100 MB decoded), enough for any phone photo. */
