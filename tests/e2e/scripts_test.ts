/** The scripts run as a user runs them, on the committed 100/10 records. */
import assert from "node:assert/strict";
import { decode } from "imagescript";
import { assertOneLineError, ROOT, runScript } from "../helpers.ts";

const SMALL = ["--train", "data/mnist_train_100.csv", "--test", "data/mnist_test_10.csv"];

Deno.test("train then evaluate on the committed CSV files: a saved run, scored the same way twice", async () => {
  const runsDir = await Deno.makeTempDir();
  const trained = await runScript("train", [
    ...SMALL,
    "--hidden",
    "20",
    "--epochs",
    "2",
    "--runs-dir",
    runsDir,
    "--json",
  ]);
  assert.equal(trained.code, 0, trained.stderr);
  const run = JSON.parse(trained.stdout);
  assert.equal(run.history.length, 2);
  assert.deepEqual(run.config.layers, [784, 20, 10]);
  assert.equal(run.config.train.count, 100);
  assert.equal(run.config.seed, 1);
  assert.ok(run.performance >= 0 && run.performance <= 1);
  assert.deepEqual(run.weights.map((w: { file: string }) => w.file), ["weights_0.npy", "weights_1.npy"]);
  assert.match(trained.stderr, /epoch 2\/2 {2}performance/, "epoch lines go to stderr with --json");
  assert.equal(run.config.precision, "f32", "float32 is the command line's default");
  const header = new TextDecoder().decode(
    (await Deno.readFile(`${run.directory}/weights_0.npy`)).subarray(10, 60),
  );
  assert.match(header, /'descr': '<f4'/, "float32 weights are saved as float32");

  const evaluated = await runScript("evaluate", [run.directory, "--json"]);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const result = JSON.parse(evaluated.stdout);
  assert.equal(result.performance, run.performance);
  assert.deepEqual(result.confusion, run.confusion);
  assert.equal(result.test.count, 10);

  const verbose = await runScript("evaluate", [run.directory, "--verbose"]);
  assert.match(verbose.stdout, /^7 correct label\n\d network's answer\n2 correct label/);
  assert.match(verbose.stdout, /performance = \d\.\d{4} \(\d+ of 10 correct\)/);

  // the book's scorecard: one mark per test record, and their mean is the performance
  const scorecard = await runScript("evaluate", [run.directory, "--scorecard"]);
  const marks = JSON.parse(/^scorecard = (\[.*\])$/m.exec(scorecard.stdout)![1]) as number[];
  assert.equal(marks.length, 10);
  assert.ok(marks.every((mark) => mark === 0 || mark === 1));
  assert.equal(marks.reduce<number>((a, b) => a + b, 0) / 10, run.performance);

  const strict = await runScript("evaluate", [run.directory, "--min-performance", "1.01"]);
  assert.equal(strict.code, 1, "below --min-performance exits 1");
  assert.match(strict.stdout, /is below --min-performance 1\.01/);
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("train with the same seed twice gives identical weights; two hidden layers work", async () => {
  const runsDir = await Deno.makeTempDir();
  const args = [...SMALL, "--hidden", "12,8", "--epochs", "1", "--runs-dir", runsDir, "--json"];
  const [first, second] = await Promise.all([runScript("train", args), runScript("train", args)]);
  const [a, b] = [JSON.parse(first.stdout), JSON.parse(second.stdout)];
  assert.notEqual(a.directory, b.directory, "two runs never share a folder");
  assert.deepEqual(a.config.layers, [784, 12, 8, 10]);
  for (const file of ["weights_0.npy", "weights_1.npy", "weights_2.npy"]) {
    assert.deepEqual(
      await Deno.readFile(`${a.directory}/${file}`),
      await Deno.readFile(`${b.directory}/${file}`),
    );
  }
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("train prints a human summary and saves with --name", async () => {
  const runsDir = await Deno.makeTempDir();
  const result = await runScript("train", [
    ...SMALL,
    "--hidden",
    "10",
    "--epochs",
    "1",
    "--runs-dir",
    runsDir,
    "--name",
    "tiny",
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Training 784-10-10, lr 0\.1, 1 epoch, f32, seed 1, init book/);
  assert.match(result.stdout, /epoch 1\/1 {2}performance \d\.\d{4} {2}mse/);
  assert.match(result.stdout, /performance \d\.\d{4} after 1 epoch .* saved .*-tiny\n$/);
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("show draws a record in the terminal and writes a 28×28 PNG", async () => {
  const directory = await Deno.makeTempDir();
  const result = await runScript("show", ["--set", "test", "--index", "0"], { cwd: directory });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /█/);
  assert.match(result.stdout, /record 0 of mnist:test: label 7 — written to record_test_0\.png/);
  const image = await decode(await Deno.readFile(`${directory}/record_test_0.png`));
  assert.deepEqual([image.width, image.height], [28, 28]);
  const rotated = await runScript("show", ["--rotate", "10", "--json"], { cwd: directory });
  assert.deepEqual(JSON.parse(rotated.stdout).pictures.map((p: { angle: number }) => p.angle), [0, 10, -10]);
  assert.ok((await Deno.stat(`${directory}/record_test_0_rot-10.png`)).isFile);
  const bad = await runScript("show", ["--index", "10000"], { cwd: directory });
  assertOneLineError(bad, /--index 10000 is past the end of mnist:test: it has records 0–9999/);
  await Deno.remove(directory, { recursive: true });
});

Deno.test("data writes the book's CSV files; its first records are the committed fixtures", async () => {
  const directory = await Deno.makeTempDir();
  const result = await runScript("data", [
    "--out-dir",
    directory,
    "--limit-train",
    "100",
    "--limit-test",
    "10",
    "--json",
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout).files.map((f: { records: number }) => f.records), [100, 10]);
  assert.deepEqual(
    await Deno.readFile(`${directory}/mnist_train_100.csv`),
    await Deno.readFile(`${ROOT}data/mnist_train_100.csv`),
  );
  assert.deepEqual(
    await Deno.readFile(`${directory}/mnist_test_10.csv`),
    await Deno.readFile(`${ROOT}data/mnist_test_10.csv`),
  );
  await Deno.remove(directory, { recursive: true });
});

Deno.test("bad flags and bad files: one clear line on stderr and a non-zero exit", async () => {
  const directory = await Deno.makeTempDir();
  const cases: [string, string[], RegExp][] = [
    ["train", ["--lr", "-1"], /--lr must be a number > 0, got "-1"/],
    [
      "train",
      ["--hidden", "0"],
      /--hidden must be 1 to 8 whole numbers 1–100,000, comma-separated, like 200 or 200,100; got "0"/,
    ],
    ["train", ["--epochs", "two"], /--epochs must be a whole number 1–10,000, got "two"/],
    ["train", ["--init", "xavier"], /--init must be one of book, incoming, uniform, got "xavier"/],
    ["train", ["--learning-rate", "0.1"], /unknown flag --learning-rate \(see train --help\)/],
    ["train", ["--train", `${directory}/missing.csv`], /Cannot read .*missing\.csv: no such file/],
    [
      "train",
      ["--train", `${directory}/bad.csv`],
      /Cannot parse line 2 of .*bad\.csv: expected 785 values, found 784/,
    ],
    [
      "train",
      ["--init-weights", directory, "--train", "data/mnist_train_100.csv"],
      /Cannot read .*weights_0\.npy: no such file/,
    ],
    ["evaluate", [`${directory}/no-run`], /Run .*no-run does not exist/],
    ["evaluate", [], /missing RUN/],
    ["data", ["--limit-test", "-5"], /--limit-test must be a whole number ≥ 1, got "-5"/],
  ];
  await Deno.writeTextFile(`${directory}/bad.csv`, `5,${"0,".repeat(783)}0\n5,${"0,".repeat(782)}0\n`);
  await Promise.all(cases.map(async ([script, args, pattern]) => {
    assertOneLineError(
      await runScript(
        script,
        [...args, "--runs-dir", directory].slice(0, script === "train" ? undefined : args.length),
      ),
      pattern,
    );
  }));
  await Deno.remove(directory, { recursive: true });
});

Deno.test("--help lists every flag with its default and exits 0", async () => {
  const result = await runScript("train", ["--help"]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /Usage: train \[flags\]/);
  assert.match(
    result.stdout,
    /--hidden N\[,N…\]\s+hidden layer sizes, comma-separated for more than one layer \(default: 200\)/,
  );
  assert.match(result.stdout, /--lr RATE\s+learning rate \(the book's lr\) \(default: 0\.1\)/);
});
