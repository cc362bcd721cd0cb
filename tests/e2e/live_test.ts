/** A training started from the command line shows in the dashboard while it trains, and is gone when it ends. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createApp } from "../../main.ts";
import { ROOT } from "../helpers.ts";
import type { LiveTraining } from "../../core/jobs/mod.ts";

Deno.test("deno task train's progress is live in the dashboard (GET /api/live, the Train page), then gone", async () => {
  const runsDir = await Deno.makeTempDir();
  const { app } = createApp({ runsDir, sweepsDir: `${runsDir}/../sweeps` });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}scripts/train.ts`,
      ...["--hidden", "100", "--epochs", "4", "--limit-train", "30000", "--limit-test", "1000"],
      ...["--runs-dir", runsDir, "--json"],
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  const seen: LiveTraining[] = [];
  let ended = false;
  output.then(() => (ended = true));
  // poll as the page does; a guard of minutes, far above the few seconds this takes
  const deadline = Date.now() + 300_000;
  let runsPageSaidSo = false;
  while (!ended && Date.now() < deadline) {
    const { trainings } = await (await app.request("/api/live")).json();
    seen.push(...trainings);
    if (trainings.length > 0 && !runsPageSaidSo) {
      runsPageSaidSo = /A training from the command line is running: <a href="\/train">watch live<\/a>/.test(
        await (await app.request("/")).text(),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const result = await output;
  assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
  assert.ok(seen.length > 0, "the training was seen live");
  assert.ok(runsPageSaidSo, "the runs page said a training is running");
  assert.ok(seen.every((live) => live.title === "784-100-10, lr 0.1, 4 epochs on mnist:train"));
  assert.ok(seen.every((live) => live.status.state === "running" && live.status.epochs === 4));
  // it moved while watched: records done or epochs finished grew
  const progress = seen.map((live) => (live.status.history?.length ?? 0) * 1e6 + (live.status.done ?? 0));
  assert.ok(Math.max(...progress) > Math.min(...progress), `no progress seen: ${progress}`);
  const withEpochs = seen.filter((live) => (live.status.history?.length ?? 0) > 0);
  if (withEpochs.length > 0) assert.match(withEpochs[0].status.saved?.run ?? "", /-h100-lr0\.1-e4$/);
  // ended: nothing live, no file left
  assert.deepEqual((await (await app.request("/api/live")).json()).trainings, []);
  assert.ok(!existsSync(`${runsDir}/.live`), "no live file, nor its folder, is left");
  const page = await (await app.request("/train")).text();
  assert.match(page, /From the command line/);
});
