/**
 * The book's brain scans: run a saved network backwards from each label to the image it
 * "thinks" that label looks like. Writes backquery_<label>.png (28×28) and an upscaled
 * backquery_<label>_x10.png into the run, draws each in the terminal, and reports how many
 * scans the network itself reads as their own label.
 *
 *   deno run -A scripts/backquery.ts data/runs/<id>
 *   deno run -A scripts/backquery.ts data/runs/<id> --label 3
 *
 * @module
 */
import { brainScans } from "../core/training/mod.ts";
import { encodePng, MAX_SCALE, SIDE, terminalPicture } from "../core/data/mod.ts";

import { loadRun, replaceFile, runNetwork } from "../core/store/mod.ts";
import { type CommandSpec, integerFlag, parseFlags, printJson, runMain } from "./support.ts";
import { InputError } from "../core/errors.ts";

const DEFAULTS = {
  scale: "10", // pixels per input in the upscaled copies
};

export const SPEC: CommandSpec = {
  usage: "backquery RUN [flags]",
  summary: "Run a saved network backwards: the image it associates with each label (the book's brain scans).",
  positionals: { min: 1, max: 1, names: "RUN (a folder in data/runs)" },
  flags: {
    label: { type: "string", value: "L", description: "only this label (0–9); default all ten" },
    scale: {
      type: "string",
      default: DEFAULTS.scale,
      value: "N",
      description: "upscaling of the _xN copies",
    },
    "no-pictures": { type: "boolean", description: "do not draw the scans in the terminal" },
    json: { type: "boolean", description: "print one JSON object on stdout" },
  },
};

export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const scale = integerFlag(flags.scale, "scale");
  if (scale > MAX_SCALE) throw new InputError(`--scale must be at most ${MAX_SCALE}, got ${scale}`);
  let labels = [...Array(10).keys()];
  if (flags.label !== undefined) {
    const label = integerFlag(flags.label, "label", 0);
    if (label > 9) throw new InputError(`--label must be a digit 0–9, got "${flags.label}"`);
    labels = [label];
  }
  const run = await loadRun(parsed.positionals[0]);
  const net = runNetwork(run);
  const scans = brainScans(net, labels);
  const files = [];
  for (const scan of scans) {
    const plain = `${run.directory}/backquery_${scan.label}.png`;
    const large = `${run.directory}/backquery_${scan.label}_x${scale}.png`;
    await replaceFile(plain, await encodePng(scan.pixels, SIDE));
    await replaceFile(large, await encodePng(scan.pixels, SIDE, { scale }));
    files.push(plain, large);
  }
  const recognised = scans.filter((scan) => scan.answer === scan.label).length;
  const recognisedRaw = scans.filter((scan) => scan.rawAnswer === scan.label).length;
  if (flags.json) {
    return printJson({
      run: run.record.id,
      recognised,
      recognisedRaw,
      scans: scans.map(({ label, answer, confidence, rawAnswer, inputs }) => ({
        rawAnswer,
        label,
        answer,
        confidence,
        inputs: Array.from(inputs),
      })),
      files,
    });
  }
  for (const scan of scans) {
    if (!flags["no-pictures"]) console.log(terminalPicture(scan.pixels, SIDE));
    console.log(
      `label ${scan.label}: fed forward, the network answers ${scan.answer} (${scan.confidence.toFixed(3)})` +
        (scan.answer === scan.label ? "" : "  ← not its own label"),
    );
  }
  console.log(
    `\n${recognised} of ${scans.length} scans read as their own label (background moved to 0.01; ` +
      `${recognisedRaw} of ${scans.length} fed raw); images in ${run.directory}`,
  );
}

if (import.meta.main) await runMain(main);
