/**
 * Keeping runs: rename, note, tags, delete into the trash and restore — on the command line
 * (`runs`) and through the dashboard's API, the same files; and who may change things when
 * the dashboard listens beyond loopback (a token, turned into a cookie).
 */
import assert from "node:assert/strict";
import { createApp } from "../../main.ts";
import { emptyTrash, listTrash, readRunRecord, restoreRun, trashRun } from "../../core/store/mod.ts";
import { sameSecret, TOKEN_COOKIE } from "../../routes/guard.ts";
import { assertOneLineError, runScript, trainSmallRun } from "../helpers.ts";

/** Every file under `folder`, by path relative to it, with its bytes. */
async function filesOf(folder: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for await (const entry of Deno.readDir(folder)) {
    if (entry.isFile) files.set(entry.name, await Deno.readFile(`${folder}/${entry.name}`));
  }
  return files;
}

const runsDir = await Deno.makeTempDir({ prefix: "myonn-keep-" });
const first = (await trainSmallRun(runsDir, ["--name", "same"])).split("/").at(-1)!;
await new Promise((resolve) => setTimeout(resolve, 1100)); // another second: another id
const second = (await trainSmallRun(runsDir, ["--name", "same"])).split("/").at(-1)!;
const spare = await Deno.makeTempDir({ prefix: "myonn-keep-spare-" });
const third = (await trainSmallRun(spare)).split("/").at(-1)!;

Deno.test("a run deleted and restored from the trash gives back the same files, byte for byte", async () => {
  const before = await filesOf(`${runsDir}/${first}`);
  const trashed = await trashRun(runsDir, first);
  assert.equal((await listTrash(runsDir))[0].id, first);
  assert.ok(!(await Deno.stat(`${runsDir}/${first}`).catch(() => null)));
  await restoreRun(runsDir, first);
  assert.deepEqual(await filesOf(`${runsDir}/${first}`), before);
  // emptying removes what was deleted before the cutoff and keeps what was deleted since
  await trashRun(spare, third, new Date(Date.now() - 40 * 24 * 3600e3));
  assert.deepEqual(await emptyTrash(spare, 30, new Date(Date.now() - 20 * 24 * 3600e3)), []);
  assert.deepEqual((await emptyTrash(spare, 30)).map((entry) => entry.id), [third]);
  assert.equal((await listTrash(spare)).length, 0);
  assert.ok(trashed.deletedAt instanceof Date);
});

Deno.test("runs: rename, tag, note, list by tag and text, rm and restore; bad input in one line", async () => {
  const dir = ["--runs-dir", runsDir];
  assert.equal((await runScript("runs", ["rename", second, "renamed run", ...dir])).code, 0);
  assert.equal((await runScript("runs", ["tag", second, "beyond", "baseline", ...dir])).code, 0);
  assert.equal((await runScript("runs", ["note", second, "lr", "too", "high", ...dir])).code, 0);
  const record = await readRunRecord(`${runsDir}/${second}`);
  assert.equal(record.name, "renamed run");
  assert.deepEqual(record.tags, ["beyond", "baseline"]);
  assert.equal(record.note, "lr too high");
  const byTag = JSON.parse((await runScript("runs", ["list", "--tag", "baseline", "--json", ...dir])).stdout);
  assert.deepEqual(byTag.runs.map((run: { id: string }) => run.id), [second]);
  const byText = JSON.parse(
    (await runScript("runs", ["list", "--filter", "TOO HIGH", "--json", ...dir])).stdout,
  );
  assert.deepEqual(byText.runs.map((run: { id: string }) => run.id), [second]);
  const removed = await runScript("runs", ["tag", second, "baseline", "--remove", "--json", ...dir]);
  assert.deepEqual(JSON.parse(removed.stdout).tags, ["beyond"]);
  const rm = await runScript("runs", ["rm", second, ...dir]);
  assert.match(rm.stdout, /moved to the trash \(restore with: runs restore /);
  assert.match((await runScript("runs", ["trash", ...dir])).stdout, new RegExp(second));
  assert.equal((await runScript("runs", ["restore", second, ...dir])).code, 0);
  assert.equal((await readRunRecord(`${runsDir}/${second}`)).note, "lr too high");
  assertOneLineError(
    await runScript("runs", ["tag", second, "no spaces!", ...dir]),
    /tags must be at most 20 words/,
  );
  assertOneLineError(await runScript("runs", ["rename", "../etc", "x", ...dir]), /no run "\.\.\/etc"/);
  assertOneLineError(
    await runScript("runs", ["explode", ...dir]),
    /unknown action "explode": use one of list, rename/,
  );
  assertOneLineError(
    await runScript("runs", ["restore", "nothing-here", ...dir]),
    /no run "nothing-here" in the trash/,
  );
  assertOneLineError(
    await runScript("runs", ["rename", second, ...dir]),
    /runs rename needs a run and its new name/,
  );
});

Deno.test("the dashboard: edit, delete and restore through the API; runs of one name told apart", async () => {
  const { app } = createApp({ runsDir, sweepsDir: `${runsDir}-sweeps` });
  const post = (path: string, body: unknown) =>
    app.request(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  let response = await post(`/api/runs/${first}`, { name: "same", note: "from the page", tags: ["kept"] });
  assert.equal(response.status, 200, await response.clone().text());
  assert.equal((await readRunRecord(`${runsDir}/${first}`)).note, "from the page");
  assert.equal((await post(`/api/runs/${first}`, { colour: "red" })).status, 400);
  assert.equal((await post(`/api/runs/${first}`, { tags: ["a b"] })).status, 400);
  assert.equal((await post(`/api/runs/nope-${first}`, { note: "x" })).status, 404);
  // the list filtered by tag, across pages, on the server
  const page = await (await app.request("/?tag=kept")).text();
  assert.match(page, new RegExp(first));
  assert.doesNotMatch(page, new RegExp(`data-run="${second}"`));
  // delete: gone from the list, in the trash, restorable
  response = await post(`/api/runs/${first}/delete`, {});
  assert.equal(response.status, 200);
  assert.match(await (await app.request("/trash")).text(), new RegExp(first));
  assert.equal((await post(`/api/runs/${first}/restore`, {})).status, 200);
  assert.equal((await post(`/api/runs/${first}/restore`, {})).status, 404);
  // two runs named "same": the draw menu and compare tell them apart by their time
  await post(`/api/runs/${second}`, { name: "same" });
  const draw = await (await app.request("/draw")).text();
  assert.match(draw, /same · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  const compare = await (await app.request(`/compare?runs=${first},${second}`)).text();
  assert.match(compare, /<h2>Confusion: same · [\d-]+ [\d:]+ minus same · [\d-]+ [\d:]+<\/h2>/);
  assert.match(compare, /accuracy per digit/);
});

Deno.test("beyond loopback, changes need the token: the link sets an HttpOnly cookie; a wrong one is 403, logged without it", async () => {
  const token = "0123456789abcdef0123456789abcdef";
  const logged: string[] = [];
  const { app } = createApp({ runsDir, sweepsDir: `${runsDir}-sweeps`, token, hosts: ["localhost"] });
  const error = console.error;
  console.error = (...parts: unknown[]) => logged.push(parts.join(" "));
  try {
    await checkToken(app, token);
  } finally {
    console.error = error;
  }
  assert.ok(logged.some((line) => /refused/.test(line)), "the refusals are logged");
  assert.ok(!logged.some((line) => line.includes(token)), "without the token");
});

async function checkToken(app: ReturnType<typeof createApp>["app"], token: string) {
  // viewing and drawing stay open
  assert.equal((await app.request("http://localhost/")).status, 200);
  const post = (path: string, headers: Record<string, string> = {}) =>
    app.request(`http://localhost${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: "{}",
    });
  assert.equal((await post(`/api/runs/${first}/delete`)).status, 403);
  assert.equal((await post("/api/train/cancel")).status, 403);
  assert.equal(
    (await post(`/api/runs/${first}/delete`, { cookie: `${TOKEN_COOKIE}=wrong${token}` })).status,
    403,
  );
  // the train page says how to get the right, and has no form
  const train = await (await app.request("http://localhost/train")).text();
  assert.match(train, /needs the dashboard's token/);
  assert.doesNotMatch(train, /data-island="TrainForm"/);
  // the link: a cookie, HttpOnly and SameSite=Strict, and a redirect without the token in the address
  const opened = await app.request(`http://localhost/train?token=${token}`);
  assert.equal(opened.status, 303);
  assert.equal(opened.headers.get("location"), "/train");
  const cookie = opened.headers.get("set-cookie")!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const carried = cookie.split(";")[0];
  assert.equal((await post("/api/train/cancel", { cookie: carried })).status, 200);
  assert.equal((await post("/api/train/cancel", { authorization: `Bearer ${token}` })).status, 200);
  assert.match(
    await (await app.request("http://localhost/train", { headers: { cookie: carried } })).text(),
    /data-island="TrainForm"/,
  );
  assert.equal((await app.request(`http://localhost/?token=nope`)).status, 403);
  // a token in the query string of a POST counts for nothing: from another site, or from this one
  const withQuery = (origin: Record<string, string>) =>
    app.request(`http://localhost/api/train/cancel?token=${token}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...origin },
      body: "{}",
    });
  assert.equal((await withQuery({ origin: "http://evil.example" })).status, 403);
  assert.equal((await withQuery({})).status, 403);
}

Deno.test("the token is compared in constant time: equal only when equal", () => {
  assert.ok(sameSecret("abc", "abc"));
  assert.ok(!sameSecret("abd", "abc"));
  assert.ok(!sameSecret("ab", "abc"));
  assert.ok(!sameSecret("abcd", "abc"));
  assert.ok(!sameSecret("", "abc"));
});

Deno.test("an incomplete run is resumed from its page's button: the API trains its last epochs on", async () => {
  const dir = await Deno.makeTempDir({ prefix: "myonn-resume-" });
  const id = (await trainSmallRun(dir)).split("/").at(-1)!;
  // as if stopped after epoch 1 of 2
  const path = `${dir}/${id}/run.json`;
  const record = JSON.parse(await Deno.readTextFile(path));
  await Deno.writeTextFile(
    path,
    JSON.stringify({ ...record, status: "incomplete", config: { ...record.config, epochs: 2 } }),
  );
  const { app, dashboard } = createApp({ runsDir: dir, sweepsDir: `${dir}-sweeps` });
  const page = await (await app.request(`/runs/${id}`)).text();
  assert.match(page, /data-island="RunActions"[^>]*&quot;mode&quot;:&quot;resume&quot;/);
  const response = await app.request(`/api/runs/${id}/resume`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(response.status, 202, await response.clone().text());
  // a guard against a hang: ten times what two epochs of 100 records take
  for (let i = 0; i < 300 && dashboard.training.status.state === "running"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(dashboard.training.status.state, "done");
  const resumed = await readRunRecord(`${dir}/${id}`);
  assert.equal(resumed.status, "complete");
  assert.equal(resumed.history.length, 2);
  const again = await app.request(`/api/runs/${id}/resume`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(again.status, 400);
  assert.match((await again.json()).error, /is complete \(2 of 2 epochs\): nothing to resume/);
});

Deno.test("the train form starts from a saved run's weights and keeps brain scans every epoch; a misfit is refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "myonn-form-" });
  const from = (await trainSmallRun(dir)).split("/").at(-1)!;
  const { app, dashboard } = createApp({ runsDir: dir, sweepsDir: `${dir}-sweeps` });
  assert.match(await (await app.request("/train")).text(), new RegExp(`<option value="${from}">`));
  const post = (body: unknown) =>
    app.request("/api/train", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const misfit = await post({ hidden: "30", initRun: from });
  assert.equal(misfit.status, 400);
  assert.match((await misfit.json()).error, /initRun .* is a 784-20-10 network; this training is 784-30-10/);
  assert.equal((await post({ initRun: "../../etc" })).status, 400);
  assert.equal((await post({ backQueryEveryEpoch: "maybe" })).status, 400);
  const started = await post({
    hidden: "20",
    limitTrain: "100",
    limitTest: "10",
    initRun: from,
    backQueryEveryEpoch: "yes",
  });
  assert.equal(started.status, 202, await started.clone().text());
  for (let i = 0; i < 300 && dashboard.training.status.state === "running"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const status = dashboard.training.status;
  assert.equal(status.state, "done", JSON.stringify(status));
  const record = await readRunRecord(`${dir}/${status.run}`);
  assert.equal(record.config.initWeights, `${dir}/${from}`);
  assert.ok((await Deno.stat(`${dir}/${status.run}/backquery_epoch1_0.png`)).isFile);
});

Deno.test("a sweep started from the Experiments page runs in the background and is saved; past the limits refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "myonn-sweep-" });
  const { app, dashboard } = createApp({ runsDir: `${dir}/runs`, sweepsDir: `${dir}/sweeps` });
  assert.match(await (await app.request("/experiments")).text(), /data-island="SweepForm"/);
  const post = (body: unknown) =>
    app.request("/api/sweeps", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const tooMany = await post({ param: "lr=0.1..4.1:0.1", seeds: "1" });
  assert.equal(tooMany.status, 400);
  assert.match((await tooMany.json()).error, /at most 40/);
  const tooBig = await post({ param: "hidden=100,3000", seeds: "1" });
  assert.equal(tooBig.status, 400);
  assert.equal((await post({ param: "colour=red", seeds: "1" })).status, 400);
  assert.equal((await post({ param: "lr=0.1", seeds: "1", kernels: "plain" })).status, 400);
  const started = await post({
    param: "lr=0.1,0.3",
    seeds: "1",
    hidden: "20",
    limitTrain: "500",
    limitTest: "100",
  });
  assert.equal(started.status, 202, await started.clone().text());
  assert.equal((await post({ param: "lr=0.1", seeds: "1" })).status, 409, "one sweep at a time");
  for (let i = 0; i < 300 && dashboard.sweep.status.state === "running"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const status = await (await app.request("/api/sweeps/status")).json();
  assert.equal(status.state, "done", JSON.stringify(status));
  assert.equal(status.done, 2);
  assert.match(await (await app.request("/experiments")).text(), new RegExp(status.id));
});

Deno.test("Draw: a drawing's answer names the hidden nodes that fired most, and their pictures are drawn", async () => {
  const { app } = createApp({ runsDir, sweepsDir: `${runsDir}-sweeps` });
  const pixels = Array.from({ length: 784 }, (_, i) => (i % 28 > 12 && i % 28 < 16 ? 255 : 0));
  const response = await app.request(`/api/query?run=${second}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pixels }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const answer = await response.json();
  assert.equal(answer.fired.length, 8);
  const signals = answer.fired.map((f: { signal: number }) => f.signal);
  assert.deepEqual(signals, [...signals].sort((a, b) => b - a), "strongest first");
  const nodes = answer.fired.map((f: { node: number }) => f.node).join(",");
  const picture = await app.request(`/runs/${second}/hidden.png?nodes=${nodes}`);
  assert.equal(picture.headers.get("content-type"), "image/png");
  const all = await app.request(`/runs/${second}/hidden.png`);
  assert.notDeepEqual(new Uint8Array(await picture.arrayBuffer()), new Uint8Array(await all.arrayBuffer()));
  assert.equal((await app.request(`/runs/${second}/hidden.png?nodes=99999`)).status, 404);
});

Deno.test("a run missing its weights is marked in the list as broken, says which file, and is not offered on Draw", async () => {
  const dir = await Deno.makeTempDir({ prefix: "myonn-noweights-" });
  const id = (await trainSmallRun(dir)).split("/").at(-1)!;
  const other = (await trainSmallRun(dir, ["--name", "whole"])).split("/").at(-1)!;
  await Deno.remove(`${dir}/${id}/weights_1.npy`);
  const { app } = createApp({ runsDir: dir, sweepsDir: `${dir}-sweeps` });
  const list = await (await app.request("/")).text();
  assert.match(list, /its weights file weights_1\.npy is missing/);
  const draw = await (await app.request("/draw")).text();
  assert.doesNotMatch(draw, new RegExp(`value="${id}"`));
  assert.match(draw, new RegExp(other));
});

Deno.test("keeping runs, bad input: empty, huge and path-like names, tags with markup, twice deleted, restore onto a taken id", async () => {
  const dir = await Deno.makeTempDir({ prefix: "myonn-bad-" });
  const id = (await trainSmallRun(dir)).split("/").at(-1)!;
  const before = await Deno.readTextFile(`${dir}/${id}/run.json`);
  const { app } = createApp({ runsDir: dir, sweepsDir: `${dir}-sweeps` });
  const post = (path: string, body: unknown) =>
    app.request(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const refused: [unknown, RegExp][] = [
    [{ name: "" }, /must not be empty/],
    [{ name: "   " }, /must not be empty/],
    [{ name: "x".repeat(61) }, /at most 60 characters/],
    [{ name: "../../etc/passwd" }, /not a path/],
    [{ tags: ["<script>alert(1)</script>"] }, /tags must be at most 20 words/],
    [{ note: "x".repeat(2001) }, /at most 2,000 characters/],
  ];
  for (const [body, pattern] of refused) {
    const response = await post(`/api/runs/${id}`, body);
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.match((await response.json()).error, pattern);
  }
  assert.equal(await Deno.readTextFile(`${dir}/${id}/run.json`), before, "nothing changed");
  assert.equal((await post(`/api/runs/${id}/delete`, {})).status, 200);
  const twice = await post(`/api/runs/${id}/delete`, {});
  assert.equal(twice.status, 404);
  assert.match((await twice.json()).error, /no run/);
  // a run of that id again: the restore is refused, and both are kept
  await Deno.mkdir(`${dir}/${id}`);
  await Deno.writeTextFile(`${dir}/${id}/run.json`, before);
  const taken = await post(`/api/runs/${id}/restore`, {});
  assert.equal(taken.status, 400);
  assert.match((await taken.json()).error, /has a run of that id again/);
  assert.equal((await listTrash(dir)).length, 1);
  // the command line says the same
  assertOneLineError(await runScript("runs", ["rename", id, "", "--runs-dir", dir]), /must not be empty/);
  assertOneLineError(await runScript("runs", ["tag", id, "<b>", "--runs-dir", dir]), /tags must be/);
});
