/**
 * The book's experiments (core/experiments/book.ts) against the texts they quote: every
 * figure's `at` is a point its experiment measures, every quote is found in the text it names
 * (the project's shared seeds, beside the repository), and the quote prints the figure.
 */
import assert from "node:assert/strict";
import {
  BOOK_EXPERIMENTS,
  BOOK_QUERY_OUTPUT,
  PROVENANCE_FILES,
  type PublishedFigure,
  SINGLE_LAYER_EXPERIMENT,
} from "../../../core/experiments/mod.ts";

const SEEDS = new URL("../../../../shared/seeds/", import.meta.url);
const haveSeeds = await Deno.stat(SEEDS).then(() => true, () => false);

/** Markdown's ** and line breaks aside, as the texts and the quotes are compared. */
function normalise(text: string): string {
  return text.replaceAll("**", "").replace(/\s+/g, " ");
}

/** Every figure with the experiment and line it belongs to. */
const FIGURES: { where: string; figure: PublishedFigure; xs: readonly (number | null)[] }[] = [
  ...BOOK_EXPERIMENTS.flatMap((experiment) =>
    experiment.lines.flatMap((line) =>
      line.published.map((figure) => ({
        where: `${experiment.id} / ${line.label}`,
        figure,
        xs: experiment.vary?.values ?? [null],
      }))
    )
  ),
  ...SINGLE_LAYER_EXPERIMENT.published.map((figure) => ({
    where: SINGLE_LAYER_EXPERIMENT.id,
    figure,
    xs: SINGLE_LAYER_EXPERIMENT.reportAt,
  })),
];

Deno.test("every published figure's `at` is a point its experiment measures (or its best, on a graph)", () => {
  for (const { where, figure, xs } of FIGURES) {
    if (xs[0] === null) {
      assert.equal(figure.at, undefined, `${where}: a line without a graph takes no \`at\``);
    } else {
      assert.ok(
        figure.at === "best" || xs.includes(figure.at as number),
        `${where}: at ${figure.at} is none of ${xs.join(", ")}`,
      );
    }
    assert.ok(figure.value > 0 && figure.value <= 1, `${where}: ${figure.value} is no performance`);
  }
});

Deno.test("every published figure's quote prints its value", () => {
  for (const { where, figure } of FIGURES) {
    const percent = `${Number((figure.value * 100).toFixed(2))}%`;
    assert.ok(
      figure.quote.includes(String(figure.value)) || figure.quote.includes(percent),
      `${where}: “${figure.quote}” prints neither ${figure.value} nor ${percent}`,
    );
  }
});

Deno.test("the texts give at least 30 figures, each with a quote", () => {
  const quoted = FIGURES.filter(({ figure }) => figure.quote.length > 0);
  assert.ok(quoted.length >= 30, `${quoted.length} figures`);
});

Deno.test({
  name: "every quote is found in the text it names (shared/seeds)",
  ignore: !haveSeeds,
  async fn() {
    const texts = new Map<string, string>();
    const textOf = async (file: string) => {
      if (!texts.has(file)) texts.set(file, normalise(await Deno.readTextFile(new URL(file, SEEDS))));
      return texts.get(file)!;
    };
    const quotes = [
      ...FIGURES.map(({ where, figure }) => ({ where, provenance: figure.provenance, quote: figure.quote })),
      ...BOOK_EXPERIMENTS.flatMap((experiment) =>
        experiment.lines.flatMap((line) =>
          (line.times ?? []).map((time) => ({
            where: experiment.id,
            provenance: time.provenance,
            quote: time.quote,
          }))
        )
      ),
      { where: "query output", provenance: BOOK_QUERY_OUTPUT.provenance, quote: BOOK_QUERY_OUTPUT.quote },
    ];
    let checked = 0;
    for (const { where, provenance, quote } of quotes) {
      const file = PROVENANCE_FILES[provenance];
      if (file === null) continue; // a notebook's output cell: not among the seeds
      assert.ok((await textOf(file)).includes(normalise(quote)), `${where}: “${quote}” is not in ${file}`);
      checked++;
    }
    assert.ok(checked >= 30, `${checked} quotes checked`);
  },
});

Deno.test({
  name: "the ten outputs Part 2 prints for the “7” are the book's, in order",
  ignore: !haveSeeds,
  async fn() {
    const text = await Deno.readTextFile(new URL(PROVENANCE_FILES["book Part 2"]!, SEEDS));
    const printed = text.slice(text.indexOf("Out[41]: array(")).match(/\d\.\d+/g)!.slice(0, 10).map(Number);
    assert.deepEqual(printed, BOOK_QUERY_OUTPUT.outputs);
    assert.equal(printed.indexOf(Math.max(...printed)), BOOK_QUERY_OUTPUT.label);
  },
});
