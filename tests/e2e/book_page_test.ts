/** The dashboard's "The book" page: the latest reproduce report, its table and graphs, escaped; without one, the shipped one. */
import assert from "node:assert/strict";
import { createApp } from "../../main.ts";
import {
  BOOK_EXPERIMENTS,
  type KeptTraining,
  planReproduction,
  summariseExperiment,
} from "../../core/experiments/mod.ts";
import { describeMachine } from "../../core/store/mod.ts";
import { type ReproduceReport } from "../../core/experiments/mod.ts";

/** A report of made-up numbers (0.95 + seed/1000) for two experiments, one label hostile. */
function report(createdAt: string, label: string, id = "full"): ReproduceReport {
  const experiments = BOOK_EXPERIMENTS.filter((e) => ["learning-rate", "final-network"].includes(e.id))
    .map((e) => ({ ...e, lines: e.lines.map((line) => ({ ...line, label })) }));
  const options = { seeds: [1, 2], quick: false, threads: 1 };
  const { trainings, points } = planReproduction(experiments, options);
  const results = new Map<string, KeptTraining>(trainings.map(({ key, settings }) => [key, {
    key,
    epochs: settings.epochs,
    performance: Array(settings.epochs).fill(0.95 + settings.seed / 1000),
    seconds: 1,
  }]));
  return {
    format: "myonn-reproduce",
    version: 1,
    id,
    createdAt,
    command: "deno task reproduce",
    quick: false,
    seeds: [1, 2],
    limits: null,
    seconds: 60,
    trained: trainings.length,
    reused: 0,
    trainingSeconds: 100,
    machine: describeMachine(),
    experiments: experiments.map((e) => summariseExperiment(e, points, results, true)),
  };
}

async function page(reproduceDir: string, path = "/book") {
  const base = await Deno.makeTempDir();
  const { app } = createApp({ runsDir: `${base}/runs`, sweepsDir: `${base}/sweeps`, reproduceDir });
  const response = await app.request(path);
  return { status: response.status, body: await response.text() };
}

Deno.test("the book page shows the newest report: every figure with ours and a verdict, graphs as inline SVG, no chart code", async () => {
  const dir = await Deno.makeTempDir();
  for (
    const [name, createdAt, label] of [["old", "2026-01-01T00:00:00Z", "old line"], [
      "new",
      "2026-06-01T00:00:00Z",
      "new line",
    ]]
  ) {
    await Deno.mkdir(`${dir}/${name}`);
    await Deno.writeTextFile(`${dir}/${name}/report.json`, JSON.stringify(report(createdAt, label, name)));
  }
  await Deno.mkdir(`${dir}/broken`);
  await Deno.writeTextFile(`${dir}/broken/report.json`, "{ not json");
  const { status, body } = await page(dir);
  assert.equal(status, 200);
  assert.match(body, /Your report &quot;new&quot;|Your report "new"/);
  assert.match(body, /new line/);
  assert.ok(!body.includes("old line"), "only the newest report");
  // the others are offered, and each opens by its id; an unknown id is a 404 page
  assert.match(body, /Your other reports: <span><a href="\/book\?report=old">old<\/a> \(full, 2026-01-01\)/);
  const old = await page(dir, "/book?report=old");
  assert.equal(old.status, 200);
  assert.match(old.body, /old line/);
  assert.equal((await page(dir, "/book?report=..%2F..%2Fetc")).status, 404);
  assert.equal((await page(dir, "/book?report=nope")).status, 404);
  // the published figures: the first full run's 0.9473 on the lr graph, the final network's three
  for (const figure of ["0.9473", "0.9751", "0.9747", "0.9711"]) assert.ok(body.includes(figure), figure);
  assert.match(body, /book higher/);
  assert.match(body, /<figure class="svg-chart" role="img" aria-label="[^"]+"><svg /);
  assert.ok(!body.includes("data-island"), "a page of server-drawn SVG ships no island bundle");
  assert.match(body, /aria-current="page"[^>]*>The book</);
});

Deno.test("the book page escapes what a report holds, in the table and in the SVG", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/evil`);
  await Deno.writeTextFile(
    `${dir}/evil/report.json`,
    JSON.stringify(report("2026-06-01T00:00:00Z", "<script>alert(1)</script>")),
  );
  const { status, body } = await page(dir);
  assert.equal(status, 200);
  assert.ok(!body.includes("<script>alert(1)"), "no script from a report");
  assert.ok(body.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
});

Deno.test("without a report of the user's own, the book page shows the one shipped with myonn, and says so", async () => {
  const { status, body } = await page(await Deno.makeTempDir());
  assert.equal(status, 200);
  assert.match(body, /The report shipped with myonn/);
  assert.match(body, /rotations-ten-epochs/);
});
