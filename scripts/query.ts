/**
 * Your own handwriting: read PNG, JPEG or GIF images (files, or folders of them in name
 * order) with a saved network. Each is made into a 28×28 input the way MNIST made its
 * digits (crop to the ink, longest side 20 pixels, centre of mass in the middle), or with
 * --as-is the book's plain way (squash to 28×28, invert).
 *
 *   deno run -A scripts/query.ts data/runs/<id> photo_of_my_7.jpg scans/
 *   deno run -A scripts/query.ts data/runs/<id> data/own --save-previews previews/
 *
 * @module
 */
import {
  asIs,
  decodeGrey,
  encodePng,
  mnistStyle,
  PIXELS,
  scalePixels,
  SIDE,
  terminalPicture,
} from "../core/data/mod.ts";
import { InputError } from "../core/errors.ts";
import { query } from "../core/model/mod.ts";
import { loadRun, makeFolder, readRegularFile, replaceFile, runNetwork } from "../core/store/mod.ts";

/** The largest image file read: 64 MB (the decoder's own limit is in megapixels). */
const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
import { type CommandSpec, parseFlags, printJson, runMain } from "./support.ts";

const IMAGE_FILE = /\.(png|jpe?g|gif)$/i;

export const SPEC: CommandSpec = {
  usage: "query RUN IMAGE|FOLDER… [flags]",
  summary: "Read your own handwritten digits (PNG, JPEG, GIF of any size) with a saved network.",
  positionals: { min: 2, max: Infinity, names: "RUN and at least one image or folder" },
  flags: {
    "as-is": { type: "boolean", description: "the book's plain pipeline: squash to 28×28 and invert" },
    "save-previews": {
      type: "string",
      value: "DIR",
      description: "write each 28×28 input the network sees as a PNG",
    },
    pictures: { type: "boolean", description: "draw each 28×28 input in the terminal" },
    json: { type: "boolean", description: "print one JSON object on stdout" },
  },
};

/** What the network made of one image. */
export interface Reading {
  file: string;
  answer: number;
  confidence: number;
  runnerUp: number;
  runnerUpConfidence: number;
  outputs: number[];
  /** the 28×28 input, as bytes */
  pixels: number[];
}

/** Files to read: each argument a file, or a folder whose images are read in name order. */
async function expand(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await Deno.stat(path).catch(() => undefined);
    if (info?.isDirectory) {
      const names: string[] = [];
      for await (const entry of Deno.readDir(path)) {
        if (entry.isFile && IMAGE_FILE.test(entry.name)) names.push(entry.name);
      }
      names.sort();
      files.push(...names.map((name) => `${path.replace(/\/$/, "")}/${name}`));
    } else {
      files.push(path); // a missing file is reported when it is read
    }
  }
  return files;
}

/** The 28×28 input for one image file. */
export async function imageInput(file: string, options: { asIs?: boolean } = {}): Promise<Uint8Array> {
  const bytes = await readRegularFile(file, { maxBytes: MAX_IMAGE_BYTES });
  const image = await decodeGrey(bytes, file);
  return options.asIs ? asIs(image) : mnistStyle(image, file);
}

export async function main(args: string[]): Promise<number | void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const [runDirectory, ...paths] = parsed.positionals;
  const run = await loadRun(runDirectory);
  const net = runNetwork(run);
  const previews = flags["save-previews"] === undefined ? undefined : String(flags["save-previews"]);
  if (previews) await makeFolder(previews);
  const files = await expand(paths);
  if (files.length === 0) throw new InputError(`no PNG, JPEG or GIF images in ${paths.join(", ")}`);

  const readings: Reading[] = [];
  const failures: { file: string; message: string }[] = [];
  const inputs = new Float64Array(PIXELS);
  for (const file of files) {
    let pixels: Uint8Array;
    try {
      pixels = await imageInput(file, { asIs: Boolean(flags["as-is"]) });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      failures.push({ file, message: error.message });
      console.error(`error: ${error.message}`);
      continue;
    }
    scalePixels(pixels, inputs);
    const outputs = Array.from(query(net, inputs));
    const order = [...outputs.keys()].sort((a, b) => outputs[b] - outputs[a]);
    readings.push({
      file,
      answer: order[0],
      confidence: outputs[order[0]],
      runnerUp: order[1],
      runnerUpConfidence: outputs[order[1]],
      outputs,
      pixels: Array.from(pixels),
    });
    if (previews) {
      const name = file.slice(file.lastIndexOf("/") + 1).replace(/\.[^.]+$/, "");
      await replaceFile(`${previews}/${name}_28x28.png`, await encodePng(pixels, SIDE));
    }
    if (!flags.json) {
      if (flags.pictures) console.log(terminalPicture(pixels, SIDE));
      console.log(
        `${file}: ${order[0]} (${outputs[order[0]].toFixed(3)}), runner-up ${order[1]} (${
          outputs[order[1]].toFixed(3)
        })`,
      );
    }
  }
  if (flags.json) {
    printJson({ run: run.record.id, pipeline: flags["as-is"] ? "as-is" : "mnist", readings, failures });
  }
  return failures.length > 0 ? 1 : 0;
}

if (import.meta.main) await runMain(main);
