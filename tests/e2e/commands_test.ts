/** The commands end to end, as a user runs them: backquery, query, resilience, single_layer, sweep. */
import assert from "node:assert/strict";
import { decode } from "imagescript";
import { assertOneLineError, runScript, trainSmallRun } from "../helpers.ts";

Deno.test("backquery writes ten PNGs and upscaled copies into the run and counts the recognised scans", async () => {
  const runsDir = await Deno.makeTempDir();
  const run = {
    directory: await trainSmallRun(runsDir, ["--hidden", "30", "--epochs", "3", "--backquery-every-epoch"]),
  };
  const epochScan = await decode(await Deno.readFile(`${run.directory}/backquery_epoch3_7.png`));
  assert.deepEqual([epochScan.width, epochScan.height], [28, 28]);
  const result = await runScript("backquery", [run.directory, "--json"]);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.scans.length, 10);
  assert.equal(
    report.recognised,
    report.scans.filter((s: { label: number; answer: number }) => s.label === s.answer).length,
  );
  const large = await decode(await Deno.readFile(`${run.directory}/backquery_3_x10.png`));
  assert.deepEqual([large.width, large.height], [280, 280]);
  const one = await runScript("backquery", [run.directory, "--label", "4"]);
  assert.match(one.stdout, /label 4: fed forward, the network answers \d/);
  assert.match(one.stdout, /of 1 scans read as their own label/);
  assertOneLineError(
    await runScript("backquery", [run.directory, "--label", "12"]),
    /--label must be a digit 0–9/,
  );
  await Deno.remove(runsDir, { recursive: true });
});

/** A white w×h image with a dark rectangle at (x, y, width, height). */

/** Row and column of the ink's centre of mass in a 28×28 image, and the ink's bounding box size. */

Deno.test("query reads files and folders, reports a bad file and still answers the rest", async () => {
  const runsDir = await Deno.makeTempDir();
  const run = await trainSmallRun(runsDir);
  await Deno.writeTextFile(`${runsDir}/broken.png`, "not really a png");
  const result = await runScript("query", [
    run,
    "data/own/clean_4.png",
    `${runsDir}/broken.png`,
    "data/own/photo_7.jpg",
    "--save-previews",
    `${runsDir}/previews`,
  ]);
  assert.equal(result.code, 1, "a failed file makes the exit code non-zero");
  assert.match(
    result.stdout,
    /^data\/own\/clean_4\.png: \d \(0\.\d{3}\), runner-up \d \(0\.\d{3}\)\ndata\/own\/photo_7\.jpg: /,
  );
  assert.match(result.stderr, /error: .*broken\.png is not a PNG, JPEG or GIF image/);
  assert.ok((await Deno.stat(`${runsDir}/previews/clean_4_28x28.png`)).isFile);
  const folder = await runScript("query", [run, "data/own", "--json"]);
  assert.equal(folder.code, 0, folder.stderr);
  const files = JSON.parse(folder.stdout).readings.map((r: { file: string }) => r.file.split("/").pop());
  assert.deepEqual(files, [...files].sort(), "a folder is read in name order");
  assert.equal(files.length, 29);
  assertOneLineError(await runScript("query", [run]), /missing RUN and at least one image or folder/);
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("resilience saves resilience.json into the run; single_layer reports its curve", async () => {
  const runsDir = await Deno.makeTempDir();
  const run = await trainSmallRun(runsDir);
  const result = await runScript("resilience", [
    run,
    "--lesion",
    "0,0.5",
    "--noise",
    "0..0.2:0.1",
    "--draws",
    "2",
    "--json",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.deepEqual(report.lesion.map((p: { level: number }) => p.level), [0, 0.5]);
  assert.deepEqual(report.noise.map((p: { level: number }) => p.level), [0, 0.1, 0.2]);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${run}/resilience.json`)).lesion, report.lesion);
  assertOneLineError(
    await runScript("resilience", [run, "--lesion", "0..2:0.5"]),
    /--lesion levels must be between 0 and 1, got 1\.5/,
  );
  assertOneLineError(
    await runScript("resilience", [run, "--noise", "0..x"]),
    /--noise: "x" is not a number|"0\.\.x"/,
  );
  const single = await runScript("single_layer", [
    "--report-at",
    "0,500",
    "--limit-test",
    "500",
    "--json",
  ]);
  assert.equal(single.code, 0, single.stderr);
  assert.deepEqual(JSON.parse(single.stdout).points.map((p: { images: number }) => p.images), [0, 500]);
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("sweep runs every value × seed on Workers and saves sweep.json and sweep.csv", async () => {
  const directory = await Deno.makeTempDir();
  const result = await runScript("sweep", [
    "--param",
    "hidden=4,8",
    "--seeds",
    "1,2",
    "--epochs",
    "1",
    "--workers",
    "2",
    "--train",
    "data/mnist_train_100.csv",
    "--test",
    "data/mnist_test_10.csv",
    "--sweeps-dir",
    directory,
    "--json",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const sweep = JSON.parse(result.stdout);
  assert.equal(sweep.parameter, "hidden");
  assert.deepEqual(sweep.points.map((p: { value: number }) => p.value), [4, 8]);
  assert.deepEqual(sweep.points[0].runs.map((r: { seed: number }) => r.seed), [1, 2]);
  const saved = JSON.parse(await Deno.readTextFile(`${sweep.directory}/sweep.json`));
  assert.equal(saved.id, sweep.id);
  const csv = (await Deno.readTextFile(`${sweep.directory}/sweep.csv`)).trim().split("\n");
  assert.equal(csv[0], "parameter,value,seed,performance,train_seconds");
  assert.equal(csv.length, 5);
  // the same training as train.ts with the same seed: Workers change nothing
  const single = await runScript("train", [
    "--hidden",
    "8",
    "--seed",
    "2",
    "--epochs",
    "1",
    "--train",
    "data/mnist_train_100.csv",
    "--test",
    "data/mnist_test_10.csv",
    "--runs-dir",
    directory,
    "--json",
  ]);
  assert.equal(JSON.parse(single.stdout).performance, sweep.points[1].runs[1].performance);
  assertOneLineError(
    await runScript("sweep", ["--param", "depth=3"]),
    /--param depth is not a setting a sweep can vary/,
  );
  assertOneLineError(await runScript("sweep", []), /missing --param/);
  await Deno.remove(directory, { recursive: true });
});

Deno.test("an epochs sweep reads each point from one longer training: the same as training that many epochs", async () => {
  const directory = await Deno.makeTempDir();
  const data = ["--train", "data/mnist_train_100.csv", "--test", "data/mnist_test_10.csv", "--hidden", "10"];
  const sweep = await runScript("sweep", [
    "--param",
    "epochs=1..3",
    "--seeds",
    "1",
    ...data,
    "--sweeps-dir",
    directory,
    "--json",
  ]);
  const points = JSON.parse(sweep.stdout).points;
  for (const epochs of [1, 3]) {
    const run = await runScript("train", [
      "--epochs",
      String(epochs),
      ...data,
      "--runs-dir",
      directory,
      "--json",
    ]);
    assert.equal(points[epochs - 1].performance.mean, JSON.parse(run.stdout).performance);
    assert.equal(points[epochs - 1].runs[0].history.length, epochs);
  }
  await Deno.remove(directory, { recursive: true });
});
