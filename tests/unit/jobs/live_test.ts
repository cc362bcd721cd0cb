import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import {
  createLiveWriter,
  listLiveTrainings,
  LIVE_FORMAT,
  LIVE_STALE_MS,
  removeDeadLiveFiles,
  writeLiveTraining,
} from "../../../core/jobs/mod.ts";
import { StatusTracker } from "../../../core/jobs/mod.ts";

const status = { state: "running" as const, epoch: 1, epochs: 2, done: 1000, total: 60000, history: [] };

/** A pid no process has: past Linux's pid_max. */
const DEAD_PID = 2 ** 22 + 17;

Deno.test("live files: this process's is listed; a dead process's, a stale one and a damaged one are not", async () => {
  const runsDir = await Deno.makeTempDir();
  const now = new Date().toISOString();
  await writeLiveTraining(runsDir, {
    format: LIVE_FORMAT,
    pid: Deno.pid,
    title: "mine",
    startedAt: now,
    updatedAt: now,
    status,
  });
  await writeLiveTraining(runsDir, {
    format: LIVE_FORMAT,
    pid: DEAD_PID,
    title: "killed",
    startedAt: now,
    updatedAt: now,
    status,
  });
  await Deno.writeTextFile(`${runsDir}/.live/1.json`, "{ not json");
  await Deno.writeTextFile(
    `${runsDir}/.live/2.json`,
    JSON.stringify({
      format: LIVE_FORMAT,
      pid: 1,
      title: "x",
      startedAt: now,
      updatedAt: now,
      status: { state: "running", done: "many" },
    }),
  );
  // a run name that is no run id (a link the page would draw): not a live file
  await Deno.writeTextFile(
    `${runsDir}/.live/3.json`,
    JSON.stringify({
      format: LIVE_FORMAT,
      pid: Deno.pid,
      title: "x",
      startedAt: now,
      updatedAt: now,
      status: { ...status, saved: { run: "../../etc", epochs: 1 } },
    }),
  );
  const listed = await listLiveTrainings(runsDir);
  assert.deepEqual(listed.map((live) => live.title), ["mine"]);
  assert.deepEqual(
    await listLiveTrainings(runsDir, Date.now() + LIVE_STALE_MS + 1000),
    [],
    "not updated for too long",
  );
  if (Deno.build.os === "linux") {
    assert.deepEqual(await removeDeadLiveFiles(runsDir), [`${runsDir}/.live/${DEAD_PID}.json`]);
    assert.ok((await Deno.stat(`${runsDir}/.live/${Deno.pid}.json`)).isFile, "a live process's file stays");
  }
  assert.deepEqual(await listLiveTrainings(`${runsDir}/nowhere`), []);
});

Deno.test("createLiveWriter(): writes at most once a second unless forced, and removes the file on close", async () => {
  const runsDir = await Deno.makeTempDir();
  const writer = createLiveWriter(runsDir, "a training");
  const tracker = new StatusTracker(2);
  const progress = (done: number, meanSquaredError: number, recentError: number) =>
    tracker.handle({
      index: 0,
      type: "progress",
      epoch: 1,
      done,
      total: 2000,
      meanSquaredError,
      recentError,
    });
  progress(1000, 0.05, 0.05);
  writer.update(tracker.status);
  progress(2000, 0.04, 0.03);
  writer.update(tracker.status); // within the second: not written
  // the epoch's end reported again (as trainEpoch does when its size is a multiple of 1,000): no second point
  progress(2000, 0.04, 0.03);
  tracker.handle({
    index: 0,
    type: "epoch",
    result: { epoch: 1, performance: 0.9, meanSquaredError: 0.04, trainSeconds: 1, testSeconds: 0.1 },
  });
  writer.update(tracker.status, true); // an epoch's end: written at once
  // wait for the writes (the chain runs in order)
  for (let i = 0; i < 100 && (await listLiveTrainings(runsDir))[0]?.status.history?.length !== 1; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const [live] = await listLiveTrainings(runsDir);
  assert.equal(live.title, "a training");
  assert.equal(live.pid, Deno.pid);
  assert.deepEqual(live.status.history, [{ epoch: 1, performance: 0.9 }]);
  assert.deepEqual(live.status.trainingError?.map((p) => p.at), [0.5, 1]);
  // the curve is the last 1,000 records' error, not the mean since the epoch began
  assert.deepEqual(live.status.trainingError?.map((p) => p.error), [0.05, 0.03]);
  await writer.close();
  assert.deepEqual(await listLiveTrainings(runsDir), []);
  assert.ok(!existsSync(`${runsDir}/.live`), "no live file, nor its folder, is left");
});
