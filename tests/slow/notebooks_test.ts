/**
 * The notebooks: their code type-checks (the Jupyter kernel does not check types), and
 * they execute headlessly with Deno's kernel without a cell error, giving the outputs the
 * book's path promises (skipped, saying why, where Debian's jupyter packages are missing).
 */
import assert from "node:assert/strict";
import { canRunNotebooks } from "../../notebooks/run.ts";
import { ROOT } from "../helpers.ts";

const NOTEBOOKS = `${ROOT}notebooks`;
const names = [...Deno.readDirSync(NOTEBOOKS)].map((entry) => entry.name).filter((name) =>
  name.endsWith(".ipynb")
)
  .sort();

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: { output_type: string; text?: string | string[]; data?: Record<string, unknown> }[];
}

function cells(path: string): Cell[] {
  return JSON.parse(Deno.readTextFileSync(path)).cells;
}

const text = (value: string | string[] | undefined) => Array.isArray(value) ? value.join("") : value ?? "";

Deno.test("there are the eight notebooks of the book's path and the ninth beyond it", () => {
  assert.equal(names.length, 9, names.join(", "));
  assert.ok(names.includes("09_beyond.ipynb"));
});

Deno.test("every notebook's code type-checks (deno check of its cells, in order)", async () => {
  const files: string[] = [];
  try {
    for (const name of names) {
      const code = cells(`${NOTEBOOKS}/${name}`).filter((cell) => cell.cell_type === "code")
        .map((cell) => text(cell.source)).join("\n\n");
      // beside the notebook, so that its relative imports resolve the same way; `export {}` makes it a module
      const file = `${NOTEBOOKS}/.check_${name.replace(".ipynb", "")}.ts`;
      // Deno.jupyter is declared with the unstable APIs
      await Deno.writeTextFile(file, `/// <reference lib="deno.unstable" />\n${code}\nexport {};\n`);
      files.push(file);
    }
    const checked = await new Deno.Command(Deno.execPath(), {
      args: ["check", ...files],
      stderr: "piped",
      stdout: "null",
    })
      .output();
    assert.ok(checked.success, new TextDecoder().decode(checked.stderr));
  } finally {
    for (const file of files) await Deno.remove(file).catch(() => {});
  }
});

Deno.test("every notebook executes with Deno's Jupyter kernel, and shows what the book shows", async (t) => {
  if (!(await canRunNotebooks())) {
    await t.step({
      name:
        "skipped: /usr/bin/python3 lacks jupyter-client and nbformat (apt install python3-jupyter-client python3-nbformat)",
      ignore: true,
      fn: () => {},
    });
    return;
  }
  const out = await Deno.makeTempDir({ prefix: "myonn-notebooks-" });
  try {
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${NOTEBOOKS}/run.ts`, "--out", out],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(run.success, new TextDecoder().decode(run.stderr));
    const outputs = (name: string) => cells(`${out}/${name}`).flatMap((cell) => cell.outputs ?? []);
    const printed = (name: string) => outputs(name).map((output) => text(output.text)).join("");
    const hasImage = (name: string, type: string) =>
      outputs(name).some((output) => output.data?.[type] !== undefined);
    // the book's worked examples and its small-set scorecard
    assert.match(printed("01_part1_ideas.ipynb"), /"0\.7408", "0\.6457"/);
    assert.match(printed("02_the_network.ipynb"), /scorecard: \[(\d, ){9}\d\]\nperformance = 0\.\d/);
    // the book's query of the "7": ten outputs, and the class against the fast network
    assert.match(printed("02_the_network.ipynb"), /label: 7\n( {2}\d: 0\.\d{8}.*\n){10}/);
    assert.match(printed("02_the_network.ipynb"), /the fast network over 79400 weights: \d\.\de-1[3-9]/);
    // the book's final network, scored after each of its 5 epochs
    assert.match(printed("03_full_mnist.ipynb"), /epoch 5: performance = 0\.9\d{3}/);
    assert.match(printed("05_own_handwriting.ipynb"), /as is: \d+ of 29 right; MNIST-style: \d+ of 29/);
    for (const name of names) {
      // every chart is also a PNG (JupyterLab shows no SVG output of an untrusted notebook)
      for (const output of outputs(name)) {
        if (output.data?.["image/svg+xml"] !== undefined) {
          assert.ok(output.data["image/png"], `${name}: a chart without a PNG`);
        }
      }
      // no wall-clock times in what is committed: running again changes nothing
      assert.doesNotMatch(printed(name), /\bin \d+(\.\d+)? s\b/, name);
      // a markdown cell after each result says what the book printed
      const all = cells(`${out}/${name}`);
      assert.ok(
        all.some((cell) =>
          cell.cell_type === "markdown" && /\*\*(The book|The tutorial)/.test(text(cell.source))
        ),
        name,
      );
    }
    assert.ok(hasImage("02_the_network.ipynb", "image/png"), "a record drawn inline");
    assert.match(printed("03_full_mnist.ipynb"), /performance = 0\.9\d{3}/);
    assert.ok(hasImage("03_full_mnist.ipynb", "image/svg+xml"), "the confusion matrix drawn inline");
    assert.ok(hasImage("04_tuning.ipynb", "image/svg+xml"), "the tuning graphs inline");
    assert.ok(hasImage("06_inside_the_mind.ipynb", "image/png"), "the brain scans inline");
    assert.match(printed("07_rotations.ipynb"), /with ±10° copies: performance 0\.\d{4}/);
    assert.match(printed("08_single_layer.ipynb"), /60000/);
    assert.ok(hasImage("09_beyond.ipynb", "image/png"), "the distorted copies drawn inline");
    assert.ok(hasImage("09_beyond.ipynb", "image/svg+xml"), "the ladder's chart inline");
    assert.match(printed("09_beyond.ipynb"), /the preset \([\w-]+\): 9\d\.\d\d% on the test set/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
