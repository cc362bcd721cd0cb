import assert from "node:assert/strict";
import {
  BOOK_EXPERIMENTS,
  EXPERIMENT_IDS,
  experimentChartSvg,
  type KeptTraining,
  planReproduction,
  PROVENANCE_FILES,
  QUICK_LIMITS,
  reportMarkdown,
  selectExperiments,
  SINGLE_LAYER_EXPERIMENT,
  summariseExperiment,
  summariseSingleLayer,
  trainingKey,
  verdict,
} from "../../../core/experiments/mod.ts";
import { defaultSettings } from "../../../core/settings.ts";
import {
  loadKeptTraining,
  parseReproduceReport,
  type ReproduceReport,
  saveKeptTraining,
} from "../../../core/experiments/mod.ts";
import { describeMachine } from "../../../core/store/mod.ts";

const OPTIONS = { seeds: [1, 2, 3], quick: false, threads: 1 };

Deno.test("every experiment the issue lists is declared once, each figure with its source and provenance", () => {
  assert.deepEqual(EXPERIMENT_IDS, [
    "small-set",
    "first-full-run",
    "learning-rate",
    "epochs",
    "hidden-nodes",
    "final-network",
    "rotations-one-epoch",
    "rotation-angle",
    "rotations-ten-epochs",
    "raspberry-pi",
    "single-layer",
  ]);
  assert.equal(new Set(EXPERIMENT_IDS).size, EXPERIMENT_IDS.length);
  const figures = [
    ...BOOK_EXPERIMENTS.flatMap((e) => e.lines.flatMap((line) => line.published)),
    ...SINGLE_LAYER_EXPERIMENT.published,
  ];
  for (const figure of figures) {
    assert.ok(figure.value > 0 && figure.value < 1, `${figure.value} is a performance`);
    assert.ok(figure.source.length > 10);
    assert.ok(figure.provenance in PROVENANCE_FILES, figure.provenance);
  }
  // the author's notebooks print these three; the rotation one rotates bilinearly
  assert.deepEqual(figures.filter((f) => f.provenance === "notebook").map((f) => f.value), [
    0.9747,
    0.9711,
    0.975,
  ]);
  const notebookRotation = BOOK_EXPERIMENTS.find((e) => e.id === "rotations-ten-epochs")!.lines[1];
  assert.equal(notebookRotation.settings.rotateOrder, 1);
});

Deno.test("planReproduction() trains each distinct network once and reads every point from it", () => {
  const { trainings, points } = planReproduction(BOOK_EXPERIMENTS, OPTIONS);
  // every point's training exists and has at least the epochs it reads
  const byKey = new Map(trainings.map((t) => [t.key, t.settings]));
  for (const point of points) assert.ok(byKey.get(point.key)!.epochs >= point.epoch);
  assert.equal(new Set(trainings.map((t) => t.key)).size, trainings.length);
  // the epochs graph: one 10-epoch training per learning rate and seed, read at 1…10
  const epochs = points.filter((p) => p.experiment === "epochs");
  assert.equal(epochs.length, 2 * 10 * 3);
  assert.equal(new Set(epochs.map((p) => p.key)).size, 2 * 3);
  // the first full run is the learning-rate graph's point at 0.3: the same trainings
  const first = points.filter((p) => p.experiment === "first-full-run").map((p) => p.key);
  const atPointThree = points.filter((p) => p.experiment === "learning-rate" && p.x === 0.3).map((p) =>
    p.key
  );
  assert.deepEqual(first, atPointThree);
  // the rotation-angle graph's 5-epoch line is read from its 10-epoch trainings, which also give the ±10° cubic line
  const angle5 = points.filter((p) => p.experiment === "rotation-angle" && p.line === 0 && p.x === 10);
  const tenEpochs = points.filter((p) => p.experiment === "rotations-ten-epochs" && p.line === 0);
  assert.deepEqual(angle5.map((p) => p.key), tenEpochs.map((p) => p.key));
  assert.ok(angle5.every((p) => p.epoch === 5 && byKey.get(p.key)!.epochs === 10));
  // seeds make different trainings; settings that decide weights are in the key, threads are not
  const a = defaultSettings({ seed: 1 }),
    b = defaultSettings({ seed: 2 }),
    c = defaultSettings({ seed: 1, threads: 3 });
  assert.notEqual(trainingKey(a), trainingKey(b));
  assert.equal(trainingKey(a), trainingKey(c));
  assert.notEqual(trainingKey(a), trainingKey(defaultSettings({ seed: 1, rotateOrder: 1, rotate: 10 })));
});

Deno.test("planReproduction(): --quick limits the data, except the book's own 100/10-record files", () => {
  const { trainings } = planReproduction(BOOK_EXPERIMENTS, { ...OPTIONS, quick: true });
  const small = trainings.filter((t) => t.settings.train.endsWith("mnist_train_100.csv"));
  assert.equal(small.length, 3);
  assert.ok(
    small.every((t) => t.settings.limitTrain === undefined && t.settings.test.endsWith("mnist_test_10.csv")),
  );
  const rest = trainings.filter((t) => !small.includes(t));
  assert.ok(
    rest.every((t) => t.settings.limitTrain === QUICK_LIMITS.limitTrain && t.settings.limitTest === 1000),
  );
});

Deno.test("selectExperiments() picks by id and names the known ones for a wrong one", () => {
  const { experiments, singleLayer } = selectExperiments(["epochs", "single-layer"]);
  assert.deepEqual(experiments.map((e) => e.id), ["epochs"]);
  assert.equal(singleLayer?.id, "single-layer");
  assert.throws(
    () => selectExperiments(["epoch"]),
    /unknown experiment "epoch": expected some of small-set, /,
  );
});

Deno.test("verdict() sets a figure against the lowest–highest, at the book's four decimals", () => {
  const ours = { mean: 0.95, standardDeviation: 0.01, min: 0.9452, max: 0.9536 };
  assert.equal(verdict(0.9473, ours), "inside our spread");
  assert.equal(verdict(0.9536, ours), "inside our spread");
  assert.equal(verdict(0.95364, ours), "inside our spread");
  assert.equal(verdict(0.9669, ours), "book higher");
  assert.equal(verdict(0.9451, ours), "book lower");
});

/** Made-up training results for a plan: performance = 0.9 + seed/100 + epoch/1000. */
function fakeResults(experiments = BOOK_EXPERIMENTS) {
  const { trainings, points } = planReproduction(experiments, OPTIONS);
  const results = new Map<string, KeptTraining>(trainings.map(({ key, settings }) => [key, {
    key,
    epochs: settings.epochs,
    performance: Array.from(
      { length: settings.epochs },
      (_, e) => 0.9 + settings.seed / 100 + (e + 1) / 1000,
    ),
    seconds: 1,
  }]));
  return { points, results };
}

Deno.test("summariseExperiment(): spread per point, figures judged at their x (or the graph's best)", () => {
  const { points, results } = fakeResults();
  const byId = (id: string) => BOOK_EXPERIMENTS.find((e) => e.id === id)!;
  const epochs = summariseExperiment(byId("epochs"), points, results, true);
  assert.equal(epochs.parameter, "epochs");
  assert.deepEqual(epochs.lines[0].points.map((p) => p.x), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const third = epochs.lines[0].points[2];
  assert.deepEqual(third.runs.map((r) => r.performance), [0.913, 0.923, 0.933]);
  assert.ok(Math.abs(third.performance.mean - 0.923) < 1e-12);
  const rate = summariseExperiment(byId("learning-rate"), points, results, true);
  const atRate = (lr: number) => rate.lines[0].published.find((figure) => figure.at === lr)!;
  assert.equal(atRate(0.3).x, 0.3);
  assert.deepEqual(atRate(0.3).ours.max, 0.931); // lr 0.3, 1 epoch, seeds 1–3: 0.911, 0.921, 0.931
  assert.equal(atRate(0.3).verdict, "book higher"); // 0.9473 > 0.931
  const best = rate.lines[0].published.find((figure) => figure.at === "best")!;
  assert.ok(best.x !== null && rate.lines[0].points.some((p) => p.x === best.x));
  const angle = summariseExperiment(byId("rotation-angle"), points, results, true);
  assert.equal(angle.lines[0].published[0].x, 10);
  assert.equal(angle.lines[0].published[0].verdict, "book higher");
  // the no-rotation lines are one training each, drawn flat across the angles
  const flat = angle.lines.find((line) => line.label === "no rotations, 10 epochs")!;
  assert.deepEqual(flat.points.map((p) => p.x), [5, 10, 20, 30]);
  assert.equal(new Set(flat.points.map((p) => p.performance.mean)).size, 1);
  // the Pi lines carry the texts' times beside ours
  const pi = summariseExperiment(byId("raspberry-pi"), points, results, true);
  assert.equal(pi.lines[0].times![0].seconds, 1500);
  assert.equal(pi.lines[0].seconds!.mean, 1);
  const quick = summariseExperiment(byId("final-network"), points, results, false);
  assert.ok(quick.lines[0].published.every((figure) => figure.verdict === "reduced data"));
});

Deno.test("a report round-trips through its validator, renders as Markdown with every figure, charts its graphs", () => {
  const { points, results } = fakeResults();
  const experiments = BOOK_EXPERIMENTS.map((e) => summariseExperiment(e, points, results, true));
  experiments.push(summariseSingleLayer(
    SINGLE_LAYER_EXPERIMENT,
    [1, 2].map((seed) => ({
      seed,
      points: [0, 60000].map((images) => ({ images, accuracy: 0.1 * seed + images / 1e5 })),
    })),
    "alpha 0.01",
    true,
  ));
  const report: ReproduceReport = {
    format: "myonn-reproduce",
    version: 1,
    id: "full",
    createdAt: "2026-12-02T06:00:00.000Z",
    command: "deno task reproduce",
    quick: false,
    seeds: [1, 2, 3],
    limits: null,
    seconds: 1500,
    trained: 57,
    reused: 0,
    trainingSeconds: 100,
    machine: describeMachine(),
    experiments,
  };
  assert.deepEqual(parseReproduceReport(JSON.stringify(report), "report.json"), report);
  assert.throws(
    () => parseReproduceReport(JSON.stringify({ ...report, experiments: [{ id: "x" }] }), "r/report.json"),
    /r\/report.json: "experiments\[0\]\.title" is missing/,
  );
  const figureOff = structuredClone(report);
  (figureOff.experiments[0].lines[0].published[0] as { provenance: string }).provenance = "a dream";
  assert.throws(
    () => parseReproduceReport(JSON.stringify(figureOff), "r/report.json"),
    /"experiments\[0\]\.lines\[0\]\.published\[0\]\.provenance" must be one of book Part 2/,
  );
  assert.throws(() => parseReproduceReport("{", "r/report.json"), /r\/report.json is not valid JSON/);
  const markdown = reportMarkdown(report);
  for (const figure of experiments.flatMap((e) => e.lines.flatMap((l) => l.published))) {
    assert.ok(
      markdown.includes(`${figure.value.toFixed(4)} (${figure.provenance})`),
      `${figure.value} in report.md`,
    );
    assert.ok(markdown.includes(`“${figure.quote}”`), `${figure.value}'s words in report.md`);
  }
  // a verdict outside our spread says why, in one line
  assert.match(
    markdown,
    /\| single-layer \| alpha 0.01 \| 60000 \| 0.6928 \(tutorial\) \| 0.7500 \| 0.7000–0.8000 \| book lower: one run of the tutorial's, with its own random start \|/,
  );
  const chart = experimentChartSvg(experiments.find((e) => e.id === "learning-rate")!)!;
  assert.match(chart, /^<svg /);
  assert.match(chart, /published/);
  assert.equal(experimentChartSvg(experiments.find((e) => e.id === "final-network")!), null);
});

Deno.test("kept trainings: saved atomically, reused only when whole and long enough", async () => {
  const directory = await Deno.makeTempDir();
  const key = trainingKey(defaultSettings({ seed: 7 }));
  assert.equal(await loadKeptTraining(directory, key, 1), null);
  await saveKeptTraining(directory, { key, epochs: 3, performance: [0.9, 0.91, 0.92], seconds: 2 });
  assert.deepEqual((await loadKeptTraining(directory, key, 3))?.performance, [0.9, 0.91, 0.92]);
  assert.equal(await loadKeptTraining(directory, key, 4), null, "fewer epochs than needed: train again");
  const [file] = [...Deno.readDirSync(`${directory}/trainings`)].map((entry) => entry.name);
  assert.match(file, /^[0-9a-f]{32}\.json$/);
  await Deno.writeTextFile(`${directory}/trainings/${file}`, '{"key": "');
  assert.equal(await loadKeptTraining(directory, key, 1), null, "a damaged file is trained again");
});
