/**
 * The README's numbers about the book come from a report, never typed by hand: its table is
 * the committed full report's, exactly (`deno task reproduce --readme README.md` writes it),
 * and every four-decimal figure in its "The book, reproduced" section is in a committed report.
 */
import assert from "node:assert/strict";
import { README_BEGIN, README_END, readmeBlock } from "../../scripts/reproduce.ts";
import { EXPERIMENT_IDS } from "../../core/experiments/mod.ts";
import { readReport } from "../../core/experiments/mod.ts";
import { ROOT } from "../helpers.ts";

const README = await Deno.readTextFile(`${ROOT}README.md`);
const FULL = await readReport(`${ROOT}docs/reproduce/full`);
const QUICK = await readReport(`${ROOT}docs/reproduce/quick`);

Deno.test("the README's table is the committed full report's table", () => {
  const begin = README.indexOf(README_BEGIN), end = README.indexOf(README_END);
  assert.ok(begin >= 0 && end > begin, "the README has its reproduce markers");
  // as deno fmt leaves it: paragraphs re-wrapped, table columns padded
  const normal = (text: string) => text.replace(/-{3,}/g, "---").replace(/\s+/g, " ").trim();
  const block = README.slice(begin + README_BEGIN.length, end);
  assert.equal(normal(block), normal(readmeBlock(FULL)), "run: deno task reproduce --readme README.md");
});

Deno.test("every figure the README's book section quotes is in a committed report", () => {
  const start = README.indexOf("## The book, reproduced");
  const section = README.slice(start, README.indexOf("\n## ", start + 10));
  const numbers = (text: string) => new Set(text.match(/\b0\.\d{4}\b/g) ?? []);
  const known = new Set([
    ...numbers(JSON.stringify(FULL, (_, v) => (typeof v === "number" ? v.toFixed(4) : v))),
    ...numbers(JSON.stringify(QUICK, (_, v) => (typeof v === "number" ? v.toFixed(4) : v))),
  ]);
  const quoted = [...numbers(section)];
  assert.ok(quoted.length > 20, `the section quotes the table (${quoted.length} figures)`);
  assert.deepEqual(
    quoted.filter((n) => !known.has(n)),
    [],
    "figures in the README that no committed report holds",
  );
});

Deno.test("the committed reports are whole: the full one and the quick one list every experiment", () => {
  for (const report of [FULL, QUICK]) {
    assert.deepEqual(report.experiments.map((e) => e.id), [...EXPERIMENT_IDS]);
    assert.deepEqual(report.seeds, [1, 2, 3]);
  }
  assert.equal(FULL.quick, false);
  assert.equal(QUICK.quick, true);
  assert.ok(
    FULL.experiments.flatMap((e) => e.lines.flatMap((l) => l.published)).every((f) =>
      f.verdict !== "reduced data"
    ),
  );
});

Deno.test("the README's and docs/beyond.md's ladder is the committed beyond report's, exactly", async () => {
  const { BEYOND_BEGIN, BEYOND_END, beyondBlock, readBeyondReport } = await import(
    "../../core/experiments/mod.ts"
  );
  const report = await readBeyondReport(`${ROOT}docs/beyond/full`);
  // as deno fmt leaves it: paragraphs re-wrapped, table cells padded
  const normal = (text: string) =>
    text.replace(/-{3,}/g, "---").replace(/\s*\|\s*/g, "|").replace(/\s+/g, " ").trim();
  for (const file of ["README.md", "docs/beyond.md"]) {
    const text = await Deno.readTextFile(`${ROOT}${file}`);
    const begin = text.indexOf(BEYOND_BEGIN), end = text.indexOf(BEYOND_END);
    assert.ok(begin >= 0 && end > begin, `${file} has its beyond markers`);
    assert.equal(
      normal(text.slice(begin + BEYOND_BEGIN.length, end)),
      normal(beyondBlock(report)),
      `run: deno task beyond --readme README.md,docs/beyond.md`,
    );
  }
  assert.equal(report.quick, false);
  assert.deepEqual(report.seeds, [1, 2, 3]);
});
