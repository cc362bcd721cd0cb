/**
 * Images of handwriting for the own-handwriting pipeline, made here from MNIST test
 * digits (never the book's files), reproducibly (seeded):
 *
 *   deno run -A bench/own_images.ts --write-samples data/own
 *     the committed samples: clean digits on paper, and the book's hard cases — pieces cut
 *     out, blurred, wobbly, noisy — plus a transparent PNG, a JPEG and a GIF; manifest.json
 *     lists each file's label.
 *   deno run -A bench/own_images.ts --measure data/runs/<id> [--count 300]
 *     photo-like images (any size and aspect, the digit anywhere, shaded paper, grey ink,
 *     sensor noise, JPEG) read both ways: the MNIST-style pipeline and the book's --as-is.
 *
 * @module
 */
import { Frame, GIF, Image } from "imagescript";
import { asIs, decodeGrey, loadDataset, mnistStyle, PIXELS, scalePixels, SIDE } from "../core/data/mod.ts";
import { argmax, createRandom, query, type Random } from "../core/model/mod.ts";
import { loadRun, runNetwork } from "../core/store/mod.ts";
import { type CommandSpec, integerFlag, parseFlags, printJson, runMain } from "../scripts/support.ts";

export const SPEC: CommandSpec = {
  usage: "own_images (--write-samples DIR | --measure RUN) [flags]",
  summary:
    "Make handwriting images from MNIST test digits: committed samples, or a photo-like accuracy test.",
  flags: {
    "write-samples": {
      type: "string",
      value: "DIR",
      description: "write the sample images and manifest.json here",
    },
    measure: {
      type: "string",
      value: "RUN",
      description: "read photo-like images with this run, both pipelines",
    },
    count: {
      type: "string",
      default: "300",
      value: "N",
      description: "photo-like images to make for --measure",
    },
    json: { type: "boolean", description: "print one JSON object on stdout" },
  },
};

/** A 28×28 MNIST digit drawn on a width×height canvas: ink 0–1 per pixel, bilinear. */
function drawDigit(
  digit: Uint8Array,
  canvas: { width: number; height: number },
  box: { x: number; y: number; size: number },
  warp: (x: number, y: number) => [number, number] = (x, y) => [x, y],
): Float64Array {
  const ink = new Float64Array(canvas.width * canvas.height);
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      const [wx, wy] = warp(x, y);
      const u = (wx - box.x) / box.size * SIDE - 0.5, v = (wy - box.y) / box.size * SIDE - 0.5;
      if (u < -1 || v < -1 || u > SIDE || v > SIDE) continue;
      const u0 = Math.floor(u), v0 = Math.floor(v), du = u - u0, dv = v - v0;
      const at = (
        i: number,
        j: number,
      ) => (i < 0 || j < 0 || i >= SIDE || j >= SIDE ? 0 : digit[j * SIDE + i] / 255);
      ink[y * canvas.width + x] = (1 - dv) * ((1 - du) * at(u0, v0) + du * at(u0 + 1, v0)) +
        dv * ((1 - du) * at(u0, v0 + 1) + du * at(u0 + 1, v0 + 1));
    }
  }
  return ink;
}

/** Ink on paper as an RGBA image: paper and ink greys, optional noise, optional transparent paper. */
function paint(
  ink: Float64Array,
  canvas: { width: number; height: number },
  look: {
    paper: (x: number, y: number) => number;
    ink: number;
    noise?: number;
    random?: Random;
    transparent?: boolean;
  },
): Image {
  const image = new Image(canvas.width, canvas.height);
  const bitmap = image.bitmap;
  for (let i = 0; i < ink.length; i++) {
    const x = i % canvas.width, y = Math.floor(i / canvas.width);
    const paper = look.paper(x, y);
    let grey = paper + (look.ink - paper) * Math.min(1, ink[i]);
    if (look.noise && look.random) grey += look.random.normal(0, look.noise);
    grey = Math.max(0, Math.min(255, Math.round(grey)));
    bitmap.set([grey, grey, grey, look.transparent ? Math.round(255 * Math.min(1, ink[i])) : 255], 4 * i);
  }
  return image;
}

/** A box blur of radius r, in place. */
function blur(ink: Float64Array, width: number, radius: number): void {
  const height = ink.length / width, copy = ink.slice();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0, count = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const yy = y + dy, xx = x + dx;
          if (yy >= 0 && xx >= 0 && yy < height && xx < width) sum += copy[yy * width + xx], count++;
        }
      }
      ink[y * width + x] = sum / count;
    }
  }
}

/** The first test record of each label at or after `start`. */
function firstOfEachLabel(labels: Uint8Array, start: number): number[] {
  return [...Array(10).keys()].map((label) => labels.indexOf(label, start));
}

async function writeSamples(directory: string): Promise<unknown> {
  const test = await loadDataset("mnist:test");
  const digit = (index: number) => test.images.slice(index * PIXELS, (index + 1) * PIXELS);
  const random = createRandom(2016);
  await Deno.mkdir(directory, { recursive: true });
  const manifest: { file: string; label: number; kind: string }[] = [];
  const white = () => 248;
  const canvas = { width: 160, height: 200 };
  const box = { x: 10, y: 25, size: 140 };
  const save = async (file: string, bytes: Uint8Array, label: number, kind: string) => {
    await Deno.writeFile(`${directory}/${file}`, bytes);
    manifest.push({ file, label, kind });
  };
  for (const [label, index] of firstOfEachLabel(test.labels, 2000).entries()) {
    const ink = drawDigit(digit(index), canvas, box);
    await save(
      `clean_${label}.png`,
      await paint(ink, canvas, { paper: white, ink: 25 }).encode(),
      label,
      "clean",
    );
  }
  const hard = firstOfEachLabel(test.labels, 3000);
  for (const label of [2, 3, 5, 8]) {
    const cut = drawDigit(digit(hard[label]), canvas, box);
    for (let y = 95; y < 108; y++) cut.fill(0, y * canvas.width, (y + 1) * canvas.width); // a band cut out
    await save(
      `cut_${label}.png`,
      await paint(cut, canvas, { paper: white, ink: 25 }).encode(),
      label,
      "pieces cut out",
    );
    const blurred = drawDigit(digit(hard[label]), canvas, box);
    blur(blurred, canvas.width, 6);
    await save(
      `blurred_${label}.png`,
      await paint(blurred, canvas, { paper: white, ink: 25 }).encode(),
      label,
      "blurred",
    );
    const wobbly = drawDigit(
      digit(hard[label]),
      canvas,
      box,
      (x, y) => [x + 6 * Math.sin(y / 9), y + 4 * Math.sin(x / 13)],
    );
    await save(
      `wobbly_${label}.png`,
      await paint(wobbly, canvas, { paper: white, ink: 25 }).encode(),
      label,
      "wobbly",
    );
    const noisy = drawDigit(digit(hard[label]), canvas, box);
    await save(
      `noisy_${label}.png`,
      await paint(noisy, canvas, { paper: white, ink: 40, noise: 30, random }).encode(),
      label,
      "noisy",
    );
  }
  const formats = firstOfEachLabel(test.labels, 4000);
  const wide = { width: 400, height: 260 }, placed = { x: 210, y: 40, size: 170 };
  await save(
    "transparent_4.png",
    await paint(drawDigit(digit(formats[4]), wide, placed), wide, {
      paper: white,
      ink: 20,
      transparent: true,
    }).encode(),
    4,
    "transparent background",
  );
  await save(
    "photo_7.jpg",
    await paint(drawDigit(digit(formats[7]), wide, placed), wide, {
      paper: (x, y) => 200 - x / 20 - y / 30,
      ink: 60,
      noise: 6,
      random,
    }).encodeJPEG(75),
    7,
    "JPEG photo, shaded paper",
  );
  await save(
    "white_on_black_1.gif",
    await new GIF([
      Frame.from(paint(drawDigit(digit(formats[1]), canvas, box), canvas, { paper: () => 10, ink: 240 })),
    ])
      .encode(),
    1,
    "GIF, light ink on dark paper",
  );
  await Deno.writeTextFile(`${directory}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
  return { directory, images: manifest.length };
}

/** Photo-like images read both ways; accuracy of each pipeline. */
async function measure(runDirectory: string, count: number): Promise<unknown> {
  const run = await loadRun(runDirectory);
  const net = runNetwork(run);
  const test = await loadDataset("mnist:test");
  const random = createRandom(7);
  const correct = { mnist: 0, asIs: 0 };
  const inputs = new Float64Array(PIXELS);
  const read = (pixels: Uint8Array) => {
    scalePixels(pixels, inputs);
    return argmax(query(net, inputs));
  };
  for (let n = 0; n < count; n++) {
    const index = 5000 + n; // test records: never trained on
    const width = 200 + random.integer(600), height = Math.round(width * (0.7 + random.uniform() * 0.8));
    const size = Math.round(Math.min(width, height) * (0.3 + random.uniform() * 0.6));
    const box = { x: random.integer(width - size + 1), y: random.integer(height - size + 1), size };
    const paperBase = 150 + random.integer(100), slope = random.uniform() * 40;
    const image = paint(
      drawDigit(test.images.slice(index * PIXELS, (index + 1) * PIXELS), { width, height }, box),
      {
        width,
        height,
      },
      {
        paper: (x, y) => paperBase - slope * (x / width + y / height) / 2,
        ink: 10 + random.integer(80),
        noise: 4 + random.uniform() * 8,
        random,
      },
    );
    const jpeg = await image.encodeJPEG((60 + random.integer(31)) as Parameters<Image["encodeJPEG"]>[0]);
    const grey = await decodeGrey(jpeg, `photo ${n}`);
    if (read(mnistStyle(grey, `photo ${n}`)) === test.labels[index]) correct.mnist++;
    if (read(asIs(grey)) === test.labels[index]) correct.asIs++;
  }
  return { run: run.record.id, images: count, mnistStyle: correct.mnist / count, asIs: correct.asIs / count };
}

export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  let result: unknown;
  if (flags["write-samples"] !== undefined) result = await writeSamples(String(flags["write-samples"]));
  else if (flags.measure !== undefined) {
    result = await measure(String(flags.measure), integerFlag(flags.count, "count"));
  } else return console.log("give --write-samples DIR or --measure RUN (see --help)");
  if (flags.json) printJson(result);
  else console.log(JSON.stringify(result));
}

if (import.meta.main) await runMain(main);
