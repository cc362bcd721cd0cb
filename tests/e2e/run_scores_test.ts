/**
 * A run's scores on the dashboard are those of its own test set — the records that gave its
 * performance — read from the scores it keeps (test_scores.npy), never computed on the
 * server's thread; a run saved without them is scored by a Worker while its page says so.
 */
import assert from "node:assert/strict";
import { createApp } from "../../main.ts";
import { readRunRecord } from "../../core/store/mod.ts";
import { trainSmallRun } from "../helpers.ts";

Deno.test("a run trained on part of its test set is shown with that part's scores: confusion, per digit, mistakes", async () => {
  const runsDir = await Deno.makeTempDir({ prefix: "myonn-scores-" });
  try {
    const directory = await trainSmallRun(runsDir, ["--limit-test", "6"]);
    const id = directory.split("/").at(-1)!;
    const record = await readRunRecord(directory);
    assert.equal(record.config.test.count, 6);
    assert.ok((await Deno.stat(`${directory}/test_scores.npy`)).isFile, "the run keeps its test scores");
    const { app, dashboard } = createApp({ runsDir, sweepsDir: `${runsDir}/sweeps` });
    const scored = await dashboard.scored(id);
    assert.ok(scored.score && scored.test, "scored from the kept file, at once");
    assert.equal(scored.test.count, 6);
    assert.equal(scored.score.confusion.flat().reduce((a, b) => a + b, 0), 6);
    assert.deepEqual(scored.score.confusion, record.confusion);
    assert.equal(scored.score.performance, record.performance);
    const page = await (await app.request(`/runs/${id}`)).text();
    const wrong = Math.round(6 * (1 - record.performance));
    assert.match(page, new RegExp(`of ${wrong} mistakes`), "the mistakes counted on the run's own 6 records");
    // a test image past the run's records is not one of its pictures
    assert.equal((await app.request(`/runs/${id}/test/7.png`)).status, 404);
    assert.equal((await app.request(`/runs/${id}/test/5.png`)).status, 200);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("a run saved without its test scores is scored in a Worker while its page says so", async () => {
  const runsDir = await Deno.makeTempDir({ prefix: "myonn-scores-" });
  try {
    const directory = await trainSmallRun(runsDir, ["--limit-test", "8"]);
    const id = directory.split("/").at(-1)!;
    const record = await readRunRecord(directory);
    await Deno.remove(`${directory}/test_scores.npy`);
    const { app, dashboard } = createApp({ runsDir, sweepsDir: `${runsDir}/sweeps` });
    const first = await app.request(`/runs/${id}`);
    assert.equal(first.status, 200);
    assert.match(await first.text(), /Scoring this run on its 8\s+test records in the background/);
    // the Worker's answer arrives; a hang is caught at ten times the few seconds it takes
    const deadline = Date.now() + 60_000;
    let scored = await dashboard.scored(id);
    while (scored.pending && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      scored = await dashboard.scored(id);
    }
    assert.ok(scored.score, "scored");
    assert.deepEqual(scored.score.confusion, record.confusion);
    assert.match(await (await app.request(`/runs/${id}`)).text(), /Confusion matrix/);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});
