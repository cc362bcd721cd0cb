/** `deno task reproduce` as a user runs it, on the book's 100/10-record set and a short single-layer curve. */
import assert from "node:assert/strict";
import { assertOneLineError, ROOT, runScript } from "../helpers.ts";
import { parseReproduceReport } from "../../core/experiments/mod.ts";

const FEW = ["--quick", "--only", "small-set,single-layer", "--seeds", "1,2"];

Deno.test("reproduce: a report with our spread beside the book's figure; run again, it reuses the trainings", async () => {
  const outDir = await Deno.makeTempDir();
  const first = await runScript("reproduce", [...FEW, "--out-dir", outDir, "--json"]);
  assert.equal(first.code, 0, first.stderr);
  const report = JSON.parse(first.stdout);
  assert.equal(report.folder, `${outDir}/quick`);
  assert.deepEqual(report.experiments.map((e: { id: string }) => e.id), ["small-set", "single-layer"]);
  assert.equal(report.trained, 2);
  const small = report.experiments[0].lines[0];
  assert.deepEqual(small.points[0].runs.map((r: { seed: number }) => r.seed), [1, 2]);
  // ten test records: every score a multiple of 0.1; the book's own files are not reduced by --quick
  for (const run of small.points[0].runs) {
    assert.ok(Math.abs(run.performance * 10 - Math.round(run.performance * 10)) < 1e-9);
  }
  assert.equal(small.published[0].value, 0.6);
  assert.notEqual(small.published[0].verdict, "reduced data");
  const curve = report.experiments[1].lines[0].points.map((p: { x: number }) => p.x);
  assert.deepEqual(curve, [0, 100, 1000, 5000]);
  assert.equal(report.experiments[1].lines[0].published[0].verdict, "reduced data");
  // the files: report.json (valid), report.md, the single-layer chart
  const saved = parseReproduceReport(await Deno.readTextFile(`${outDir}/quick/report.json`), "report.json");
  assert.deepEqual(saved.seeds, [1, 2]);
  assert.match(
    await Deno.readTextFile(`${outDir}/quick/report.md`),
    /\| small-set \| 100 hidden, lr 0\.3, 1 epoch \|/,
  );
  assert.match(await Deno.readTextFile(`${outDir}/quick/single-layer.svg`), /^<svg /);
  assert.match(first.stderr, /2 trainings, 0 kept from before, 2 to run/);
  // progress names the experiment, the seed and the time left
  assert.match(
    first.stderr,
    /\[1\/2\] small-set — 100 hidden, lr 0\.3, 1 epoch, seed \d: 0\.\d{4} \([^)]+\) — about .+ left/,
  );

  const again = await runScript("reproduce", [...FEW, "--out-dir", outDir]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /2 trainings, 2 kept from before, 0 to run/);
  assert.match(again.stdout, /\| small-set \|/);
});

Deno.test("reproduce --readme writes the table between the README's markers, and refuses a README without them", async () => {
  const outDir = await Deno.makeTempDir();
  const readme = `${outDir}/README.md`;
  await Deno.writeTextFile(
    readme,
    "# Title\n\n<!-- reproduce:begin -->\nold\n<!-- reproduce:end -->\n\nafter\n",
  );
  const result = await runScript("reproduce", [
    ...FEW,
    "--only",
    "small-set",
    "--out-dir",
    outDir,
    "--readme",
    readme,
  ]);
  assert.equal(result.code, 0, result.stderr);
  const text = await Deno.readTextFile(readme);
  assert.match(text, /<!-- reproduce:begin -->\n\nFrom `deno task reproduce --quick/);
  assert.match(text, /\| small-set \| 100 hidden, lr 0\.3, 1 epoch \| {2}\| 0\.6000 \(book Part 2\) \|/);
  assert.ok(!text.includes("\nold\n") && text.endsWith("<!-- reproduce:end -->\n\nafter\n"));
  await Deno.writeTextFile(readme, "# No markers\n");
  assertOneLineError(
    await runScript("reproduce", [...FEW, "--only", "small-set", "--out-dir", outDir, "--readme", readme]),
    /README\.md has no <!-- reproduce:begin --> … <!-- reproduce:end --> lines/,
  );
});

Deno.test("reproduce: bad flags are one-line errors", async () => {
  assertOneLineError(
    await runScript("reproduce", ["--only", "nope"]),
    /--only: unknown experiment "nope": expected some of small-set/,
  );
  assertOneLineError(await runScript("reproduce", ["--seeds", "1,x"]), /--seeds: "x" is not a number/);
  assertOneLineError(await runScript("reproduce", ["--name", "../x"]), /--name "\.\.\/x" must be letters/);
  assertOneLineError(await runScript("reproduce", ["--threads", "0"]), /--threads/);
  // an output folder that cannot be written: said before any training
  assertOneLineError(
    await runScript("reproduce", ["--quick", "--only", "small-set", "--out-dir", "/proc/version/x"]),
    /Cannot keep trainings in \/proc\/version\/x\/trainings: .*\(choose another folder with --out-dir\)/,
  );
});

Deno.test("single-layer --walkthrough: the 1st and 101st image's prediction, label, error and delta", async () => {
  const result = await runScript("single_layer", [
    "--walkthrough",
    "--report-at",
    "0,200",
    "--limit-test",
    "500",
    "--json",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout);
  assert.equal(out.init, "uniform");
  assert.equal(out.alpha, 0.01);
  assert.deepEqual(
    out.points.map((p: { images: number }) => p.images),
    [0, 200],
    "101 is trained to, not reported",
  );
  assert.deepEqual(out.walkthrough.map((s: { record: number }) => s.record), [0, 100]);
  const [first] = out.walkthrough;
  assert.ok(first.prediction.every((p: number) => p > 45 && p < 63), `${first.prediction}`);
  assert.equal(first.label[5], 1, "the first training image is a 5");
  const text = await runScript("single_layer", ["--walkthrough", "--report-at", "0", "--limit-test", "100"]);
  assert.match(text.stdout, /training image 1 \(record 0, label 5\):\n {2}prediction /);
  assert.match(text.stdout, /training image 101 \(record 100, label 5\):/);
  assertOneLineError(
    await runScript("single_layer", ["--init", "zeros"]),
    /--init must be one of uniform, normal, got "zeros"|--init/,
  );
});

Deno.test("reproduce interrupted (Ctrl-C) keeps the finished trainings and says how to resume; run again, it resumes", async () => {
  const outDir = await Deno.makeTempDir();
  const args = [
    "--quick",
    "--only",
    "learning-rate",
    "--seeds",
    "1,2,3",
    "--out-dir",
    outDir,
    "--workers",
    "1",
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}scripts/reproduce.ts`, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  // interrupt once the first training is reported
  let stderr = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stderr) {
    stderr += decoder.decode(chunk);
    if (stderr.includes("[1/15]")) break;
  }
  child.kill("SIGINT");
  const { code } = await child.status;
  await child.stdout.cancel();
  assert.equal(code, 130);
  const kept =
    [...Deno.readDirSync(`${outDir}/trainings`)].filter((e) => /^[0-9a-f]{32}\.json$/.test(e.name)).length;
  assert.ok(kept >= 1 && kept < 15, `${kept} trainings kept`);
  const again = await runScript("reproduce", args);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`15 trainings, ${kept} kept from before, ${15 - kept} to run`));
});
