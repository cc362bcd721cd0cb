/**
 * Show one record: drawn in the terminal with block characters, and written as a PNG.
 *
 *   deno run -A scripts/show.ts --set test --index 0            # record_test_0.png
 *   deno run -A scripts/show.ts --set train --index 7 --scale 10 --out seven.png
 *   deno run -A scripts/show.ts --rotate 10                     # and its ±10° copies
 *   deno run -A scripts/show.ts --distort 5                     # five distorted copies, as the preset makes them
 *
 * @module
 */
import {
  encodePng,
  loadDataset,
  MAX_SCALE,
  PIXELS,
  scaleInputs,
  SIDE,
  terminalPicture,
} from "../core/data/mod.ts";
import { replaceFile } from "../core/store/mod.ts";
import { InputError } from "../core/errors.ts";
import { distortImage, rotate, type RotationOrder } from "../core/training/mod.ts";
import { DISTORTION_KEYS, SETTINGS } from "../core/settings.ts";
import { beyondPreset } from "../core/experiments/mod.ts";
import { distortionOf } from "../core/jobs/mod.ts";
import {
  choiceFlag,
  type CommandSpec,
  integerFlag,
  parseFlags,
  printJson,
  runMain,
  settingFlags,
  settingsFromFlags,
} from "./support.ts";

/** The most distorted copies one picture shows. */
const MAX_COPIES = 100;

const DEFAULTS = {
  set: "test", // train or test
  index: "0", // which record, from 0
  scale: "1", // PNG pixels per MNIST pixel (1 = a 28×28 PNG)
};

export const SPEC: CommandSpec = {
  usage: "show [flags]",
  summary: "Show one MNIST record in the terminal and write it as a PNG.",
  flags: {
    set: { type: "string", default: DEFAULTS.set, value: "SET", description: "train or test" },
    index: {
      type: "string",
      default: DEFAULTS.index,
      value: "N",
      description: "which record, counting from 0",
    },
    source: {
      type: "string",
      value: "SOURCE",
      description: "read from this .csv or IDX file instead of mnist:<set>",
    },
    out: { type: "string", value: "FILE", description: "PNG to write (default: record_<set>_<index>.png)" },
    scale: { type: "string", default: DEFAULTS.scale, value: "N", description: "PNG pixels per MNIST pixel" },
    rotate: {
      type: "string",
      default: "0",
      value: "DEG",
      description: "also show the copies rotated by ± this many degrees",
    },
    "rotate-order": {
      type: "string",
      default: "3",
      value: "ORDER",
      description: "3: cubic spline, the book's printed call; 1: bilinear",
    },
    distort: {
      type: "string",
      default: "0",
      value: "N",
      description:
        "also write N distorted copies, as epochs 1…N of a training make them, beside the record " +
        "(one PNG); the distortion flags below, or the beyond preset's when none is given",
    },
    ...settingFlags(DISTORTION_KEYS),
    seed: {
      type: "string",
      default: "1",
      value: "N",
      description: "the training's seed the copies are drawn from",
    },
    json: { type: "boolean", description: "print one JSON object on stdout (with the pixels)" },
  },
};

export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const set = choiceFlag(flags.set, "set", ["train", "test"] as const);
  const index = integerFlag(flags.index, "index", 0);
  const scale = integerFlag(flags.scale, "scale");
  if (scale > MAX_SCALE) throw new InputError(`--scale must be at most ${MAX_SCALE}, got ${scale}`);
  const dataset = await loadDataset(String(flags.source ?? `mnist:${set}`));
  if (index >= dataset.count) {
    throw new InputError(
      `--index ${index} is past the end of ${dataset.source}: it has records 0–${dataset.count - 1}`,
    );
  }
  const pixels = dataset.images.slice(index * PIXELS, (index + 1) * PIXELS);
  const label = dataset.labels[index];
  const out = String(flags.out ?? `record_${set}_${index}.png`);
  // the bound train has: one setting, one rule
  const rotation = SETTINGS.rotate.parse(flags.rotate, "--rotate");
  // the record, then (with --rotate) its copies rotated by +A° and −A° as training makes them
  const order = SETTINGS.rotateOrder.parse(flags["rotate-order"], "--rotate-order") as RotationOrder;
  // the input as the network receives it (0.01…1.00), and each copy rotated as training makes it:
  // the book's scipy.ndimage.rotate(inputs, ±angle, cval=0.01, reshape=False)
  const inputs = scaleInputs(dataset, index, new Float64Array(PIXELS));
  const pictures = [{ angle: 0, pixels, inputs, file: out }];
  for (const angle of rotation > 0 ? [rotation, -rotation] : []) {
    const rotatedInputs = rotate(inputs, angle, 0.01, new Float64Array(PIXELS), order);
    pictures.push({
      angle,
      // back to 0–255 for pictures (clamped: a spline can overshoot)
      pixels: Uint8Array.from(
        rotatedInputs,
        (x) => Math.round(Math.min(255, Math.max(0, (x - 0.01) / 0.99 * 255))),
      ),
      inputs: rotatedInputs,
      file: out.replace(/(\.png)?$/i, `_rot${angle > 0 ? "+" : ""}${angle}.png`),
    });
  }
  for (const picture of pictures) {
    await replaceFile(picture.file, await encodePng(picture.pixels, SIDE, { scale }));
  }
  const copies = integerFlag(flags.distort, "distort", 0);
  if (copies > MAX_COPIES) throw new InputError(`--distort must be at most ${MAX_COPIES}, got ${copies}`);
  const distorted = copies > 0 ? await writeDistorted(pixels, index, copies, flags, out, scale) : undefined;
  if (flags.json) {
    return printJson({
      source: dataset.source,
      index,
      label,
      pictures: pictures.map((picture) => ({
        angle: picture.angle,
        png: picture.file,
        pixels: Array.from(picture.pixels),
        inputs: Array.from(picture.inputs),
      })),
      ...(rotation > 0 ? { rotateOrder: order } : {}),
      ...(distorted ? { distorted } : {}),
    });
  }
  const drawn = pictures.map((picture) =>
    terminalPicture(picture.pixels, SIDE, SIDE, { keepWidth: true }).split("\n")
  );
  for (let row = 0; row < SIDE; row++) console.log(drawn.map((lines) => lines[row]).join("  │  ").trimEnd());
  if (pictures.length > 1) {
    console.log(pictures.map((p) => `${p.angle}°`.padEnd(SIDE * 2)).join("     ").trimEnd());
  }
  console.log(
    `record ${index} of ${dataset.source}: label ${label} — written to ${
      pictures.map((p) => p.file).join(", ")
    }`,
  );
  if (distorted) {
    const drawn = distorted.copies.map((copy) =>
      terminalPicture(Uint8Array.from(copy.pixels), SIDE).split("\n")
    );
    for (let row = 0; row < drawn[0].length; row++) console.log(drawn.map((lines) => lines[row]).join(" │ "));
    console.log(
      `${copies} distorted copies (epochs 1–${copies}, seed ${distorted.seed}) — written to ${distorted.png}`,
    );
  }
}

/**
 * Write the record and `copies` distorted copies (epochs 1…copies of record `index`, as a
 * training seeded --seed makes them) side by side as one PNG: <out>_distorted.png.
 */
async function writeDistorted(
  pixels: Uint8Array,
  index: number,
  copies: number,
  flags: Parameters<typeof settingsFromFlags>[0],
  out: string,
  scale: number,
) {
  const given = DISTORTION_KEYS.some((key) => flags[SETTINGS[key].flag] !== undefined);
  const settings = settingsFromFlags(flags, DISTORTION_KEYS, given ? {} : beyondPreset());
  const distortion = distortionOf(settings);
  const seed = integerFlag(flags.seed, "seed", 0);
  const images = [pixels];
  for (let epoch = 1; epoch <= copies; epoch++) {
    images.push(distortImage(pixels, { distortion, seed, epoch, index }));
  }
  // one strip, a 2-pixel paper gap between pictures
  const gap = 2, width = images.length * (SIDE + gap) - gap;
  const strip = new Uint8Array(width * SIDE);
  images.forEach((image, i) => {
    for (let row = 0; row < SIDE; row++) {
      strip.set(image.subarray(row * SIDE, (row + 1) * SIDE), row * width + i * (SIDE + gap));
    }
  });
  const png = out.replace(/(\.png)?$/i, "_distorted.png");
  await replaceFile(png, await encodePng(strip, width, { scale }));
  return {
    png,
    seed,
    distortion,
    copies: images.slice(1).map((image, i) => ({ epoch: i + 1, pixels: Array.from(image) })),
  };
}

if (import.meta.main) await runMain(main);
