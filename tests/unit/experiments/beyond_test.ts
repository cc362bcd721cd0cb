/** The ladder beyond the book (core/experiments/beyond.ts) and its report file (beyond_file.ts). */
import assert from "node:assert/strict";
import {
  BEYOND_VALIDATION,
  beyondPreset,
  type BeyondReport,
  beyondTable,
  keptDisagreements,
  LADDER,
  ladderSettings,
  parseBeyondReport,
  presetIndex,
  presetRungOf,
  QUICK_BEYOND,
  type Rung,
  rungRun,
  settingsFlags,
  summariseRung,
} from "../../../core/experiments/mod.ts";
import { describeMachine } from "../../../core/store/mod.ts";
import { defaultSettings } from "../../../core/settings.ts";

Deno.test("the ladder starts at the book's final network and keeps its rule; every rung holds records out", () => {
  const [book] = ladderSettings();
  assert.deepEqual(book.hidden, [200]);
  assert.equal(book.learningRate, 0.1);
  assert.equal(book.epochs, 5);
  for (const settings of ladderSettings()) {
    assert.equal(settings.validation, BEYOND_VALIDATION);
    // the book's network and rule: sigmoid, one hidden layer, its init, in order, no rotated copies
    assert.equal(settings.activation, "sigmoid");
    assert.equal(settings.init, defaultSettings().init);
    assert.equal(settings.rotate, 0);
  }
});

Deno.test("a rung not kept is built on and measured, but the rungs above and the preset leave it out", () => {
  const ladder: Rung[] = [
    { id: "a", adds: "", settings: { hidden: [100] }, kept: true },
    { id: "b", adds: "", settings: { epochs: 9 }, kept: false },
    { id: "c", adds: "", settings: { learningRate: 0.2 }, kept: true },
    { id: "d", adds: "", settings: { distortShift: 2 }, kept: false },
  ];
  const all = ladderSettings(ladder);
  assert.equal(all[1].epochs, 9);
  assert.equal(all[2].epochs, 5); // c is over a, not b
  assert.equal(all[2].learningRate, 0.2);
  assert.equal(all[3].distortShift, 2);
  assert.deepEqual(beyondPreset(ladder), all[2]);
  assert.ok(LADDER[0].kept, "the book's network is the ladder's foot");
  // a kept rung with two hidden layers is not the preset: the book's network has one
  const two: Rung[] = [...ladder, { id: "e", adds: "", settings: { hidden: [100, 50] }, kept: true }];
  assert.deepEqual(beyondPreset(two), all[2]);
  assert.equal(beyondPreset().hidden.length, 1);
});

Deno.test("--quick runs every rung on reduced data and epochs; the flags repeat a rung on the command line", () => {
  const preset = beyondPreset();
  const quick = rungRun(preset, { seed: 2, quick: true });
  assert.equal(quick.seed, 2);
  assert.equal(quick.limitTrain, QUICK_BEYOND.limitTrain);
  assert.equal(quick.validation, QUICK_BEYOND.validation);
  assert.ok(quick.epochs <= QUICK_BEYOND.maxEpochs);
  assert.equal(rungRun(preset, { seed: 3, quick: false }).epochs, preset.epochs);
  assert.equal(
    settingsFlags(defaultSettings({ hidden: [800], distortShift: 2 })),
    "--hidden 800 --distort-shift 2",
  );
});

function report(): BeyondReport {
  const all = ladderSettings();
  const rungs = LADDER.map((rung, i) =>
    summariseRung(
      rung,
      all[i],
      [1, 2, 3].map((seed) => ({
        seed,
        validation: [0.95, 0.97 + i / 1000 + seed / 10000],
        test: 0.97 + i / 1000,
        seconds: 60 * (i + 1),
        epochSeconds: 3,
        ...(i === 0 ? { ownImages: { right: 20 + seed, of: 29 } } : {}),
      })),
    )
  );
  return {
    format: "myonn-beyond",
    version: 1,
    id: "full",
    createdAt: "2026-12-06T00:00:00.000Z",
    command: "deno task beyond",
    quick: false,
    seeds: [1, 2, 3],
    validation: BEYOND_VALIDATION,
    limits: null,
    seconds: 100,
    trainingSeconds: 1000,
    rungs,
    machine: describeMachine(),
  };
}

Deno.test("a ladder report reads back as written; a wrong field is named", () => {
  const written = report();
  assert.deepEqual(parseBeyondReport(JSON.stringify(written), "r.json"), written);
  assert.equal(presetRungOf(written).id, LADDER[presetIndex()].id);
  const broken = (change: (r: BeyondReport) => void) => {
    const copy = structuredClone(written);
    change(copy);
    return () => parseBeyondReport(JSON.stringify(copy), "r.json");
  };
  assert.throws(
    broken((r) => ((r as { format: string }).format = "other")),
    /r\.json: "format" must be "myonn-beyond"/,
  );
  assert.throws(broken((r) => (r.rungs[1].test.mean = NaN)), /"rungs\[1\]\.test\.mean" must be a number/);
  assert.throws(
    broken((r) => ((r.rungs[0] as { kept: unknown }).kept = "yes")),
    /"rungs\[0\]\.kept" must be true or false/,
  );
  assert.throws(
    broken((r) => (r.rungs[2].runs[0].validation = ["x" as unknown as number])),
    /"rungs\[2\]\.runs\[0\]\.validation\[0\]" must be a number/,
  );
  assert.throws(
    broken((r) => ((r.rungs[0].runs[0].ownImages as { right: unknown }).right = -0.5)),
    /"rungs\[0\]\.runs\[0\]\.ownImages\.right" must be a whole number/,
  );
  assert.throws(broken((r) => delete (r.machine as { cpu?: string }).cpu), /"machine\.cpu" is missing/);
  assert.throws(broken((r) => (r.seeds = [])), /"seeds" must be a list of whole numbers/);
  assert.throws(() => parseBeyondReport("{", "r.json"), /r\.json/);
});

Deno.test("the ladder's table: validation and test with the seeds' range, time per epoch and per seed", () => {
  const table = beyondTable(report());
  const lines = table.split("\n");
  assert.equal(lines.length, LADDER.length + 2);
  assert.match(lines[0], /\| rung \| validation \(10,000 held out\) \| test \| per epoch \| per seed \|/);
  assert.match(
    lines[2],
    /^\| 1\. the book's final network.* \| 97\.\d\d% \(97\.\d\d%–97\.\d\d%\) \| \*\*97\.00%\*\* \(97\.00%\) \| 3\.0 s \| 1\.0 min \|$/,
  );
});

Deno.test("a ladder whose own validation disagrees with the rungs kept says which", () => {
  const written = report();
  // the fixture's validation rises by 0.1 points a rung: every rung would be kept
  const notKept = LADDER.filter((rung) => !rung.kept).map((rung) => rung.id);
  assert.deepEqual(keptDisagreements(written), notKept);
  // flat validation: only the kept rungs disagree — not those kept by the ladder's design, which say why
  for (const rung of written.rungs) rung.validation.mean = 0.98;
  assert.deepEqual(
    keptDisagreements(written),
    LADDER.slice(1).filter((rung) => rung.kept && !rung.byDesign).map((rung) => rung.id),
  );
  assert.ok(written.rungs.some((rung) => rung.byDesign), "the report carries the reason");
});
