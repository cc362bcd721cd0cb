import assert from "node:assert/strict";
import { formatMnistCsv, parseMnistCsv, PIXELS } from "../../../core/data/mod.ts";
import { InputError } from "../../../core/errors.ts";
import { ROOT } from "../../helpers.ts";

const encode = (text: string) => new TextEncoder().encode(text);
/** A valid line: label then 784 pixels, pixel i = i % 256. */
const line = (
  label: number | string,
  pixels: (number | string)[] = Array.from({ length: PIXELS }, (_, i) => i % 256),
) => [label, ...pixels].join(",");

Deno.test("parseMnistCsv() reads labels and pixels", () => {
  const dataset = parseMnistCsv(encode(line(7) + "\n" + line(2) + "\n"), "two.csv");
  assert.equal(dataset.count, 2);
  assert.deepEqual(Array.from(dataset.labels), [7, 2]);
  assert.equal(dataset.images[PIXELS + 300], 300 % 256);
  assert.equal(dataset.source, "two.csv");
});

Deno.test("parseMnistCsv() accepts CRLF endings, no final newline and trailing blank lines", () => {
  for (
    const text of [
      line(1) + "\r\n" + line(3) + "\r\n",
      line(1) + "\n" + line(3),
      line(1) + "\n" + line(3) + "\n\n\r\n  \n",
    ]
  ) {
    const dataset = parseMnistCsv(encode(text), "x.csv");
    assert.deepEqual(Array.from(dataset.labels), [1, 3]);
    assert.equal(dataset.images[2 * PIXELS - 1], 783 % 256);
  }
});

Deno.test("parseMnistCsv() reads the committed fixtures: test labels 7 2 1 0 4 1 4 9 5 9", async () => {
  const test = parseMnistCsv(await Deno.readFile(`${ROOT}data/mnist_test_10.csv`), "mnist_test_10.csv");
  assert.deepEqual(Array.from(test.labels), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  const train = parseMnistCsv(await Deno.readFile(`${ROOT}data/mnist_train_100.csv`), "mnist_train_100.csv");
  assert.equal(train.count, 100);
  assert.deepEqual(Array.from(train.labels.subarray(0, 5)), [5, 0, 4, 1, 9]);
});

Deno.test("formatMnistCsv() writes what parseMnistCsv() reads, byte for byte like the book's files", async () => {
  const bytes = await Deno.readFile(`${ROOT}data/mnist_test_10.csv`);
  const dataset = parseMnistCsv(bytes, "mnist_test_10.csv");
  assert.deepEqual(formatMnistCsv(dataset), bytes);
  assert.deepEqual(
    formatMnistCsv(dataset, 3, 5),
    encode(new TextDecoder().decode(bytes).split("\n").slice(3, 5).join("\n") + "\n"),
  );
});

/** The InputError message parseMnistCsv gives for `text`. */
function errorFor(text: string): string {
  try {
    parseMnistCsv(encode(text), "bad.csv");
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${error}`);
    return error.message;
  }
  assert.fail("expected an error");
}

Deno.test("parseMnistCsv() names the line and what was expected for every kind of bad line", () => {
  const good = line(5) + "\n";
  const short = Array.from({ length: 783 }, () => 0);
  assert.equal(
    errorFor(good + line(5, short)),
    "Cannot parse line 2 of bad.csv: expected 785 values, found 784",
  );
  assert.equal(
    errorFor(good + good + line(5, [...short, 0, 0])),
    "Cannot parse line 3 of bad.csv: expected 785 values, found 786",
  );
  assert.equal(
    errorFor(line(5, [...short.slice(1), "abc", 0])),
    'Cannot parse line 1 of bad.csv: pixel 783 (value 784) is "abc", expected a whole number 0–255',
  );
  assert.equal(
    errorFor(line(5, [...short.slice(1), "1.5", 0])),
    'Cannot parse line 1 of bad.csv: pixel 783 (value 784) is "1.5", expected a whole number 0–255',
  );
  assert.equal(errorFor(good + line(12)), "Cannot parse line 2 of bad.csv: the label is 12, expected 0–9");
  assert.equal(errorFor(line("x")), 'Cannot parse line 1 of bad.csv: the label is "x", expected a digit 0–9');
  assert.equal(
    errorFor(line(3, [256, ...short])),
    "Cannot parse line 1 of bad.csv: pixel 1 (value 2) is 256, expected 0–255",
  );
  assert.equal(
    errorFor(line(3, [-1, ...short])),
    'Cannot parse line 1 of bad.csv: pixel 1 (value 2) is "-1", expected a whole number 0–255',
  );
  assert.equal(
    errorFor(good + "\n" + good),
    "Cannot parse line 2 of bad.csv: the line is empty, expected 785 values",
  );
  assert.equal(
    errorFor("label,pixel1\n" + good),
    'Cannot parse line 1 of bad.csv: the label is "label", expected a digit 0–9',
  );
});

Deno.test("parseMnistCsv() calls an empty file empty", () => {
  assert.match(errorFor(""), /^bad\.csv is empty: expected lines of a label and 784 pixels/);
  assert.match(errorFor("\n\r\n"), /^bad\.csv is empty/);
});
