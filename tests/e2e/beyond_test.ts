/**
 * Beyond the book, end to end: distortions, a schedule and held-out records give the same
 * weights on one thread and two and after a resume; the epochs report validation and the
 * rate; bad settings are refused in one line before any work.
 */
import assert from "node:assert/strict";
import { limitDataset, loadDataset, shareDataset } from "../../core/data/mod.ts";
import { runTraining, type TrainingResult } from "../../core/jobs/mod.ts";
import { createEpochDistorter } from "../../core/jobs/distortion.ts";
import { createNetwork, createRandom } from "../../core/model/mod.ts";
import { rateAt, startRowThreads, trainEpoch } from "../../core/training/mod.ts";
import { canShareMemory, type Matrix } from "../../core/kernels/mod.ts";
import { assertOneLineError, configFromSettings, runScript } from "../helpers.ts";

const BEYOND = {
  hidden: [48],
  epochs: 3,
  validation: 300,
  schedule: "exponential" as const,
  decay: 0.5,
  distortRotate: 10,
  distortScale: 0.1,
  distortShear: 5,
  distortShift: 2,
  elasticSigma: 4,
  elasticAlpha: 12,
  seed: 5,
};

const train = shareDataset(limitDataset(await loadDataset("mnist:train"), 1500));
const test = limitDataset(await loadDataset("mnist:test"), 200);

function copyWeights(weights: Matrix[]): Matrix[] {
  return weights.map((matrix) => ({ ...matrix, data: matrix.data.slice() }));
}

Deno.test({
  name: "distorted, scheduled, validated training: the same weights on 1 and 2 threads and after a resume",
  ignore: !canShareMemory(),
  async fn() {
    const config = configFromSettings(BEYOND);
    const whole = await runTraining({ config, train, test, threads: 1 });
    const twoThreads = await runTraining({ config, train, test, threads: 2 });
    whole.net.weights.forEach((matrix, l) => assert.deepEqual(twoThreads.net.weights[l].data, matrix.data));
    // the epochs: the rate each trained at, and the held-out records' score
    assert.deepEqual(whole.record.history.map((epoch) => epoch.learningRate), [0.1, 0.05, 0.025]);
    for (const epoch of whole.record.history) assert.ok(epoch.validation! > 0.1 && epoch.validation! <= 1);
    assert.equal(whole.record.config.validation, 300);
    assert.equal(whole.record.config.train.count, 1500);
    // stopped after epoch 1, resumed from its checkpoint: the uninterrupted weights, bit for bit
    let first: TrainingResult | undefined;
    await runTraining({ config: { ...config, epochs: 1 }, train, test, threads: 1 }, {
      checkpoint(state) {
        first = { ...state, net: { ...state.net, weights: copyWeights(state.net.weights) } };
        return Promise.resolve();
      },
    });
    const resumed = await runTraining({
      config,
      train,
      test,
      threads: 2,
      resume: {
        record: { ...first!.record, config: { ...first!.record.config, epochs: 3 } },
        weights: first!.net.weights,
      },
    });
    whole.net.weights.forEach((matrix, l) => assert.deepEqual(resumed.net.weights[l].data, matrix.data));
    assert.deepEqual(
      resumed.record.history.map((epoch) => epoch.validation),
      whole.record.history.map((e) => e.validation),
    );
  },
});

Deno.test({
  name: "helpers made to share every record train distorted epochs at scheduled rates to the same weights",
  ignore: !canShareMemory(),
  async fn() {
    const distortion = { rotate: 10, scale: 0.1, shear: 5, shift: 2, sigma: 4, alpha: 12 };
    const schedule = { name: "cosine" as const, decay: 1, every: 1, finalRate: 0.01 };
    const weights: Float32Array[][] = [];
    for (const threads of [1, 2, 3]) {
      const net = createNetwork({
        layers: [784, 64, 10],
        learningRate: 0.1,
        random: createRandom(9),
        precision: "f32",
      });
      // helpers given the plain records, asked to share even when it does not pay: the distorted
      // epochs are other records, whose block lists they must be given
      const helpers = threads > 1 ? await startRowThreads(net, threads, { always: true, train }) : undefined;
      const distorter = createEpochDistorter(limitDataset(train, 600), distortion, 9);
      try {
        for (let epoch = 1; epoch <= 3; epoch++) {
          net.learningRate = rateAt(schedule, 0.1, epoch, 3);
          const records = await distorter.images(epoch);
          if (epoch < 3) distorter.prepare(epoch + 1);
          trainEpoch(net, records, { threads: helpers });
        }
      } finally {
        helpers?.close();
        distorter.close();
      }
      weights.push(net.weights.map((matrix) => Float32Array.from(matrix.data)));
    }
    for (const other of weights.slice(1)) other.forEach((data, l) => assert.deepEqual(data, weights[0][l]));
  },
});

Deno.test("the distortions change the training: other weights than without them, from the same seed", async () => {
  const {
    distortRotate: _r,
    distortScale: _s,
    distortShear: _h,
    distortShift: _t,
    elasticAlpha: _a,
    elasticSigma: _g,
    ...plain
  } = BEYOND;
  const config = configFromSettings({ ...BEYOND, epochs: 1 });
  const without = configFromSettings({ ...plain, epochs: 1 });
  assert.equal(without.distortion, undefined);
  const a = await runTraining({ config, train, test, threads: 1 });
  const b = await runTraining({ config: without, train, test, threads: 1 });
  assert.notDeepEqual(a.net.weights[0].data, b.net.weights[0].data);
});

Deno.test("train: each epoch shows the validation score and the rate; the test score comes at the end", async () => {
  const result = await runScript("train", [
    "--hidden",
    "32",
    "--epochs",
    "2",
    "--limit-train",
    "1200",
    "--limit-test",
    "200",
    "--validation",
    "200",
    "--schedule",
    "step",
    "--decay",
    "0.5",
    "--distort-rotate",
    "8",
    "--runs-dir",
    await Deno.makeTempDir(),
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /epoch 1\/2 {2}validation 0\.\d{4} {2}lr 0\.1 {2}mse/);
  assert.match(result.stdout, /epoch 2\/2 {2}validation 0\.\d{4} {2}lr 0\.05 {2}mse/);
  assert.doesNotMatch(result.stdout, /epoch \d\/2 {2}performance/);
  assert.match(result.stdout, /^performance 0\.\d{4} after 2 epochs/m);
});

Deno.test("bad settings beyond the book: one line each, before any work", async () => {
  const runsDir = await Deno.makeTempDir();
  const cases: [string[], RegExp][] = [
    [["--elastic-sigma", "-1"], /--elastic-sigma must be a number ≥ 0/],
    [["--distort-scale", "1"], /--distort-scale 1 would scale an image by 1 − 1 ≤ 0/],
    [["--distort-scale", "-0.1"], /--distort-scale must be a number ≥ 0/],
    [["--distort-shift", "28"], /--distort-shift 28 would shift the digit out of the 28×28 image/],
    [["--distort-rotate", "200"], /--distort-rotate must be a number ≥ 0 and ≤ 180/],
    [["--elastic-alpha", "30"], /--elastic-alpha 30 needs --elastic-sigma > 0/],
    [["--validation", "60000"], /--validation 60000 must be below the 60,000 training records/],
    [
      ["--validation", "500", "--limit-train", "500"],
      /--validation 500 must be below the 500 training records/,
    ],
    [
      ["--schedule", "linear", "--final-rate", "-0.01"],
      /--final-rate -0.01 would make the learning rate negative/,
    ],
    [["--schedule", "exponential", "--decay", "-0.5"], /--decay -0.5 would make the learning rate negative/],
    [["--schedule", "sometimes"], /--schedule must be one of constant, exponential, step, linear, cosine/],
    [["--preset", "best"], /--preset must be one of beyond, got "best"/],
  ];
  for (const [args, pattern] of cases) {
    const result = await runScript("train", [...args, "--runs-dir", runsDir]);
    assertOneLineError(result, pattern);
  }
  // nothing was started, so nothing was saved
  assert.deepEqual([...Deno.readDirSync(runsDir)], []);
});

Deno.test("validation records past a CSV's end are refused once the data is read, naming the file", async () => {
  const result = await runScript("train", [
    "--train",
    "data/mnist_train_100.csv",
    "--test",
    "data/mnist_test_10.csv",
    "--validation",
    "100",
    "--runs-dir",
    await Deno.makeTempDir(),
  ]);
  assertOneLineError(
    result,
    /--validation 100 must be below the 100 training records of data\/mnist_train_100\.csv/,
  );
});

Deno.test("deno task beyond --quick: the rungs asked for, validation and test per seed, own handwriting, kept for next time", async () => {
  const out = await Deno.makeTempDir(), runs = await Deno.makeTempDir();
  const args = [
    "--quick",
    "--seeds",
    "1",
    "--only",
    "book,together",
    "--out-dir",
    out,
    "--runs-dir",
    runs,
    "--json",
  ];
  const first = await runScript("beyond", args);
  assert.equal(first.code, 0, first.stderr);
  const report = JSON.parse(first.stdout);
  assert.deepEqual(report.rungs.map((rung: { id: string }) => rung.id), ["book", "together"]);
  for (const rung of report.rungs) {
    assert.equal(rung.runs.length, 1);
    assert.ok(rung.validation.mean > 0.5 && rung.test.mean > 0.5, JSON.stringify(rung.validation));
    // the book's network and the preset read the project's 29 images
    assert.equal(rung.runs[0].ownImages.of, 29);
  }
  assert.match(
    rung(report, "together").flags,
    /--hidden 1600 .*--distort-shift 2 --elastic-sigma 4 --elastic-alpha 12/,
  );
  assert.match(await Deno.readTextFile(`${out}/quick/report.md`), /^# Beyond the book \(quick/);
  assert.match(await Deno.readTextFile(`${out}/quick/ladder.svg`), /^<svg/);
  // again: both trainings kept, none run
  const again = await runScript("beyond", args);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /2 kept from before, 0 to train/);
  assertOneLineError(
    await runScript("beyond", ["--only", "nope", "--out-dir", out]),
    /--only: no rung "nope"; the rungs are book, /,
  );
});

function rung(report: { rungs: { id: string; flags: string }[] }, id: string) {
  return report.rungs.find((r) => r.id === id)!;
}

Deno.test("train --train-accuracy yes scores the training records each epoch too, beside the test set", async () => {
  const result = await runScript("train", [
    "--hidden",
    "32",
    "--epochs",
    "2",
    "--limit-train",
    "1000",
    "--limit-test",
    "200",
    "--train-accuracy",
    "yes",
    "--runs-dir",
    await Deno.makeTempDir(),
    "--json",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const record = JSON.parse(result.stdout);
  assert.equal(record.config.trainAccuracy, true);
  for (const epoch of record.history) assert.ok(epoch.trainPerformance > 0.5 && epoch.trainPerformance <= 1);
  assert.match(result.stderr, /epoch 2\/2 {2}performance 0\.\d{4} {2}training set 0\.\d{4}/);
});
