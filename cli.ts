/**
 * The binary's entry: `myonn <command> [flags]` runs the same main(args) as the scripts.
 * Commands are imported when used, so `myonn --help` starts fast.
 *
 *   deno run -A cli.ts train --hidden 50 --epochs 1
 *   ./myonn serve --host 0.0.0.0
 *
 * @module
 */
import config from "./deno.json" with { type: "json" };
import { runMain } from "./scripts/support.ts";

type Main = (args: string[]) => Promise<number | void>;

/** Every command, what it does, and where its main() lives. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ main: Main }> }> = {
  train: {
    summary: "train the book's network on MNIST and save the run",
    load: () => import("./scripts/train.ts"),
  },
  evaluate: {
    summary: "score a saved run: scorecard, confusion matrix, mistakes",
    load: () => import("./scripts/evaluate.ts"),
  },
  query: { summary: "read your own handwriting (PNG, JPEG, GIF)", load: () => import("./scripts/query.ts") },
  backquery: {
    summary: "the brain scans: run a network backwards",
    load: () => import("./scripts/backquery.ts"),
  },
  sweep: {
    summary: "vary one setting over values and seeds, on all cores",
    load: () => import("./scripts/sweep.ts"),
  },
  reproduce: {
    summary: "run the book's experiments for several seeds; our spread beside its figures",
    load: () => import("./scripts/reproduce.ts"),
  },
  runs: {
    summary: "list, rename, tag, note, delete (into the trash) and restore saved runs",
    load: () => import("./scripts/runs.ts"),
  },
  beyond: {
    summary: "climb from the book's network to the preset beyond it, one change at a time",
    load: () => import("./scripts/beyond.ts"),
  },
  "single-layer": {
    summary: "the single-layer tutorial's model (784×10, delta rule), --walkthrough",
    load: () => import("./scripts/single_layer.ts"),
  },
  resilience: {
    summary: "remove hidden nodes or add noise, score what is left",
    load: () => import("./scripts/resilience.ts"),
  },
  show: {
    summary: "draw one MNIST record in the terminal and as a PNG",
    load: () => import("./scripts/show.ts"),
  },
  data: { summary: "write MNIST as the book's CSV files", load: () => import("./scripts/data.ts") },
  serve: { summary: "the dashboard on http://127.0.0.1:8000", load: () => import("./scripts/serve.ts") },
  bench: { summary: "time myonn against the book's numpy code", load: () => import("./bench/bench.ts") },
};

/** `myonn 0.1.0 (Deno 2.9.5, x86_64-unknown-linux-gnu)` */
export function versionLine(): string {
  return `myonn ${config.version} (Deno ${Deno.version.deno}, ${Deno.build.target})`;
}

/** The top-level help: the commands and how to get each one's flags. */
export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  return [
    `${versionLine()} — Make Your Own Neural Network, on Deno`,
    "",
    "Usage: myonn <command> [flags]      myonn <command> --help      myonn --version",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}${command.summary}`),
  ].join("\n");
}

/** Run `myonn args…`; returns the exit code. */
export async function main(args: string[]): Promise<number | void> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(helpText());
    return;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    console.log(versionLine());
    return;
  }
  // own keys only: "toString" or "constructor" are no command
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(
      `error: unknown command "${name}": use one of ${Object.keys(COMMANDS).join(", ")} (see myonn --help)`,
    );
    return 1;
  }
  return await (await command.load()).main(rest);
}

if (import.meta.main) await runMain(main);
