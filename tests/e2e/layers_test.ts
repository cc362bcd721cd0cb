/// <reference lib="deno.unstable" />
/**
 * core/'s layers point one way, type imports counted: each part imports only the parts below
 * it in LAYERS (docs/ARCHITECTURE.md draws the same order), and no file of core is in an import
 * circle. Read from `deno info --json` over every entry point; a failure names the import.
 */
import assert from "node:assert/strict";
import { ROOT } from "../helpers.ts";
import functionLength from "../../lint/function_length.ts";

/** core's parts, lowest first: a part may import only those before it. */
export const LAYERS = [
  "errors",
  "values",
  "mnist",
  "book",
  "kernels",
  "model",
  "store",
  "data",
  "training",
  "settings",
  "jobs",
  "experiments",
] as const;

const CORE = `file://${ROOT}core/`;

/** Every TypeScript file of core, as core/<file> or core/<part>/<file>. */
async function coreFiles(): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(`${ROOT}core`)) {
    if (entry.isFile && entry.name.endsWith(".ts")) files.push(`core/${entry.name}`);
    if (!entry.isDirectory) continue;
    for await (const inner of Deno.readDir(`${ROOT}core/${entry.name}`)) {
      if (inner.isFile && inner.name.endsWith(".ts")) files.push(`core/${entry.name}/${inner.name}`);
    }
  }
  return files;
}

/** core's import graph, file to files, code and type imports alike. */
async function coreGraph(): Promise<Map<string, Set<string>>> {
  // one entry that imports every file of core (Workers' entries and all), beside the project's deno.json
  const files = await coreFiles();
  const entry = await Deno.makeTempFile({ dir: `${ROOT}tests`, prefix: ".layers-", suffix: ".ts" });
  await Deno.writeTextFile(entry, files.map((file) => `import "../${file}";`).join("\n") + "\n");
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
  } finally {
    await Deno.remove(entry);
  }
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier?: string }; type?: { specifier?: string } }[];
    }[];
  };
  const graph = new Map<string, Set<string>>();
  for (const module of info.modules) {
    if (!module.specifier.startsWith(CORE)) continue;
    const to = new Set<string>();
    for (const dependency of module.dependencies ?? []) {
      for (const target of [dependency.code?.specifier, dependency.type?.specifier]) {
        if (target?.startsWith(CORE)) to.add(target);
      }
    }
    graph.set(module.specifier, to);
  }
  return graph;
}

/** A file's part: its folder under core/, or its name for core/errors.ts, values.ts, settings.ts. */
function partOf(file: string): string {
  const path = file.slice(CORE.length);
  return path.includes("/") ? path.split("/")[0] : path.replace(/\.ts$/, "");
}

const short = (file: string) => file.slice(CORE.length - "core/".length);

Deno.test("core's parts import only the parts below them (type imports too), in the order ARCHITECTURE.md draws", async () => {
  const graph = await coreGraph();
  assert.ok(graph.size > 50, `read ${graph.size} files of core`);
  const wrong: string[] = [];
  for (const [file, targets] of graph) {
    const from = LAYERS.indexOf(partOf(file) as typeof LAYERS[number]);
    assert.ok(from >= 0, `${short(file)} is in no layer: add its part to LAYERS`);
    for (const target of targets) {
      const to = LAYERS.indexOf(partOf(target) as typeof LAYERS[number]);
      if (partOf(target) !== partOf(file) && to > from) wrong.push(`${short(file)} imports ${short(target)}`);
    }
  }
  assert.deepEqual(wrong, [], "imports that point up");
});

Deno.test("no file of core is in an import circle (type imports counted)", async () => {
  const graph = await coreGraph();
  // Tarjan's strongly connected components: a component of more than one file is a circle
  let index = 0;
  const indices = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>();
  const stack: string[] = [], circles: string[][] = [];
  function visit(file: string): void {
    indices.set(file, index);
    low.set(file, index++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!indices.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, indices.get(target)!));
    }
    if (low.get(file) === indices.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(short(member));
      } while (member !== file);
      if (component.length > 1) circles.push(component.sort());
    }
  }
  for (const file of graph.keys()) if (!indices.has(file)) visit(file);
  assert.deepEqual(circles, [], "files that import each other, directly or around a circle");
});

Deno.test("no function of core is over 80 lines (lint/function_length.ts, the rule deno lint runs)", async () => {
  const long: string[] = [];
  const files = await coreFiles();
  for (const file of files) {
    const source = await Deno.readTextFile(`${ROOT}${file}`);
    for (const problem of Deno.lint.runPlugin(functionLength, `${ROOT}${file}`, source)) {
      const line = source.slice(0, problem.range[0]).split("\n").length;
      long.push(`${file}:${line}: ${problem.message}`);
    }
  }
  assert.ok(files.length > 50, `read ${files.length} files of core`);
  assert.deepEqual(long, []);
});

Deno.test("the function-length rule finds a function of 81 lines in core, and leaves other folders and generated code alone", () => {
  const body = Array.from({ length: 79 }, (_, i) => `  const a${i} = ${i};`).join("\n");
  const source = (lines: string) =>
    `export function f() {\n${lines}\n}\nexport const g = () => {\n${lines}\n};\n`;
  assert.equal(Deno.lint.runPlugin(functionLength, "/p/core/a.ts", source(body)).length, 2);
  assert.equal(
    Deno.lint.runPlugin(functionLength, "/p/core/a.ts", source(body.slice(body.indexOf("\n") + 1))).length,
    0,
  );
  assert.equal(Deno.lint.runPlugin(functionLength, "/p/scripts/a.ts", source(body)).length, 0);
  assert.equal(
    Deno.lint.runPlugin(functionLength, "/p/core/kernels/wasm/kernels_wasm.ts", source(body)).length,
    0,
  );
});
