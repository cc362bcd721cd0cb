/** The dashboard's routes through app.request(): every page and endpoint, and the bad requests. */
import assert from "node:assert/strict";
import { Image } from "imagescript";
import { createApp } from "../../main.ts";
import { dashboardFixture } from "../dashboard_fixture.ts";
import { checkDashboardLimits } from "../../routes/context.ts";
import { defaultSettings, type SettingKey } from "../../core/settings.ts";

const FIXTURE = await dashboardFixture();
const { app, dashboard } = createApp({ runsDir: FIXTURE.runsDir, sweepsDir: FIXTURE.sweepsDir });

/** A POST with a JSON body, as the dashboard's pages send it. */
function postJson(path: string, body: string): Promise<Response> {
  return Promise.resolve(
    app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body }),
  );
}

async function get(path: string) {
  const response = await app.request(path);
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    body: await response.text(),
  };
}

Deno.test("the runs page lists every run, a broken one marked broken", async () => {
  const page = await get("/");
  assert.equal(page.status, 200);
  assert.match(page.body, /data-island="RunsTable"/);
  assert.match(page.body, /fixture/);
  assert.match(page.body, /broken-run<\/a> — broken: .*is not valid JSON/);
});

Deno.test("a run page has its config, curves, confusion matrix, mistakes, scans, hidden nodes, histograms and downloads", async () => {
  const started = performance.now();
  const page = await get(`/runs/${FIXTURE.run}`);
  const firstMs = performance.now() - started;
  assert.equal(page.status, 200, page.body);
  for (
    const part of [
      "784-50-10",
      "Confusion matrix",
      "Misclassified test images",
      "Brain scans",
      "Forming over the epochs",
      "hidden.png",
      "weights_0 (wih)",
      "run.json",
      "weights_1.npy",
    ]
  ) {
    assert.ok(page.body.includes(part), `the run page lacks ${part}`);
  }
  const again = performance.now();
  await get(`/runs/${FIXTURE.run}`);
  const cachedMs = performance.now() - again;
  console.log(
    `run page: ${firstMs.toFixed(0)} ms first (scores the test set), ${cachedMs.toFixed(0)} ms after`,
  );
});

Deno.test("run files, scans, test images and the hidden-node picture are served", async () => {
  const json = await get(`/runs/${FIXTURE.run}/files/run.json`);
  assert.equal(JSON.parse(json.body).name, "fixture");
  const npy = await app.request(`/runs/${FIXTURE.run}/files/weights_0.npy`);
  assert.equal(npy.status, 200);
  assert.equal(new Uint8Array(await npy.arrayBuffer())[0], 0x93);
  for (
    const path of ["backquery/3.png?scale=4", "test/12.png", "hidden.png", "files/backquery_epoch2_7.png"]
  ) {
    const response = await app.request(`/runs/${FIXTURE.run}/${path}`);
    assert.equal(response.status, 200, path);
    assert.equal(response.headers.get("content-type"), "image/png", path);
  }
});

Deno.test("paths outside the runs and static folders are 404: .., encoded slashes, absolute paths, odd names", async () => {
  for (
    const path of [
      `/runs/${FIXTURE.run}/files/..%2F..%2Fetc%2Fpasswd`,
      `/runs/..%2F..%2Fetc/files/run.json`,
      `/runs/${FIXTURE.run}/files/%2Fetc%2Fpasswd`,
      `/runs/${FIXTURE.run}/files/../../deno.json`,
      `/runs/.hidden/files/run.json`,
      `/runs/${FIXTURE.run}/files/other.txt`,
      `/runs/nope`,
      `/runs/${FIXTURE.run}/backquery/12.png`,
      `/runs/${FIXTURE.run}/test/99999.png`,
      `/static/..%2Fmain.ts`,
      `/static/../deno.json`,
      `/no/such/page`,
      `/compare?runs=..%2Fx`,
    ]
  ) {
    const page = await get(path);
    assert.equal(page.status, 404, `${path} answered ${page.status}`);
  }
  const missing = await get("/no/such/page");
  assert.match(missing.body, /There is no page at \/no\/such\/page/);
});

Deno.test("compare, experiments, draw and train pages render", async () => {
  const compare = await get(`/compare?runs=${FIXTURE.run},${FIXTURE.run}`);
  assert.equal(compare.status, 200);
  assert.match(compare.body, /Comparing 2 runs/);
  const experiments = await get("/experiments");
  assert.match(experiments.body, /Performance and learning rate/);
  const draw = await get(`/draw?run=${FIXTURE.run}`);
  assert.match(draw.body, /data-island="DrawPad"/);
  const train = await get("/train");
  assert.match(train.body, /data-island="TrainForm"/);
  const broken = await get("/runs/broken-run");
  assert.equal(broken.status, 422);
  assert.match(broken.body, /This cannot be read.*is not valid JSON/);
  assert.equal((await get("/")).status, 200, "a broken run never breaks the other pages");
});

Deno.test("a sweep.json or resilience.json that is not one is listed as not readable, named without this machine's paths", async () => {
  const sweep = `${FIXTURE.sweepsDir}/20261123-000000-epochs`;
  await Deno.mkdir(sweep, { recursive: true });
  await Deno.writeTextFile(
    `${sweep}/sweep.json`,
    JSON.stringify({ format: "myonn-sweep", version: 1, id: 3 }),
  );
  await Deno.writeTextFile(`${FIXTURE.runsDir}/${FIXTURE.other}/resilience.json`, "[]");
  try {
    const page = (await get("/experiments")).body;
    assert.match(page, /20261123-000000-epochs\/sweep\.json: &quot;id&quot; must be text/);
    assert.match(page, new RegExp(`${FIXTURE.other}/resilience\\.json must be an object`));
    assert.match(page, /Performance and learning rate/, "the readable sweep still shows");
    assert.ok(!page.includes(FIXTURE.directory), "no absolute path on the page");
  } finally {
    await Deno.remove(sweep, { recursive: true });
    await Deno.remove(`${FIXTURE.runsDir}/${FIXTURE.other}/resilience.json`);
  }
});

Deno.test("POST /api/query reads a drawing (PNG) or 784 pixels, and answers the digit", async () => {
  const image = new Image(280, 280);
  image.fill(0xffffffff);
  image.drawBox(130, 40, 22, 200, Image.rgbaToColor(0, 0, 0, 255)); // a "1"
  const png = (await image.encode()) as Uint8Array<ArrayBuffer>;
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const response = await app.request(`/api/query?run=${FIXTURE.run}`, { method: "POST", body: png });
    assert.equal(response.status, 200);
    const result = await response.json();
    assert.equal(result.pixels.length, 784);
    assert.equal(result.outputs.length, 10);
    assert.equal(result.answer, 1);
    times.push(result.ms);
  }
  times.sort((a, b) => a - b);
  console.log(
    `drawing answered in ${times[2].toFixed(1)} ms server time (median of 5; fastest ${times[0].toFixed(1)})`,
  );
  const json = await app.request(`/api/query?run=${FIXTURE.run}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pixels: new Array(784).fill(0).map((_, i) => (i % 28 === 14 ? 255 : 0)) }),
  });
  assert.equal(json.status, 200);
});

Deno.test("POST /api/query: 400 for a bad body, 404 for an unknown run, 413 past 5 MB", async () => {
  const post = (body: BodyInit, run = FIXTURE.run, type = "application/octet-stream") =>
    app.request(`/api/query?run=${run}`, { method: "POST", body, headers: { "content-type": type } });
  const cases: [Response, number, RegExp][] = [
    [await post("{ nope", FIXTURE.run, "application/json"), 400, /not valid JSON/],
    [await post(JSON.stringify({ pixels: [1, 2, 3] }), FIXTURE.run, "application/json"), 400, /784 numbers/],
    [
      await post(JSON.stringify({ pixels: new Array(784).fill(300) }), FIXTURE.run, "application/json"),
      400,
      /0–255/,
    ],
    [await post("definitely not an image"), 400, /is not a PNG, JPEG or GIF image/],
    [await post(new Uint8Array(0)), 400, /is empty/],
    [await post(new Uint8Array(10), "..%2Fx"), 404, /no run/],
    [await post(new Uint8Array(6 * 1024 * 1024)), 413, /too large/],
  ];
  for (const [response, status, pattern] of cases) {
    assert.equal(response.status, status);
    assert.match((await response.json()).error, pattern);
  }
});

Deno.test("POST /api/train validates, starts one training at a time, streams progress and saves the run", async () => {
  const post = (body: unknown) => postJson("/api/train", JSON.stringify(body));
  assert.equal((await postJson("/api/train", "[1,2")).status, 400);
  const bad = await post({ learningRate: "-1" });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /learningRate must be a number > 0/);
  assert.equal(
    (await postJson("/api/train", "x".repeat(1024 * 1024 + 10))).status,
    413,
  );

  const events = await app.request("/api/train/events");
  const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
  const started = await post({
    hidden: "20",
    epochs: "1",
    limitTrain: "3000",
    limitTest: "500",
    name: "from the browser",
  });
  assert.equal(started.status, 202);
  // while one trains, others wait their turn, up to three; a fourth is refused
  const small = { hidden: "20", epochs: "1", limitTrain: "500", limitTest: "100", name: "queued" };
  for (const place of [1, 2, 3]) {
    const queued = await post(small);
    assert.equal(queued.status, 202);
    assert.deepEqual(await queued.json(), { queued: place });
  }
  const full = await post(small);
  assert.equal(full.status, 409);
  assert.match((await full.json()).error, /3 trainings are waiting already/);
  let text = "";
  // every training ended: the last status says done, with none waiting
  while (
    !/"state":"(done|failed)"(?![^\n]*"waiting")[^\n]*\n\n$/.test(text) ||
    (text.match(/"state":"done"/g) ?? []).length < 4
  ) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  await reader.cancel();
  assert.match(text, /"state":"running"/);
  const final = JSON.parse(text.split("\n").filter((line) => line.startsWith("data: ")).pop()!.slice(6));
  assert.equal(final.state, "done", text);
  assert.ok((await Deno.stat(`${FIXTURE.runsDir}/${final.run}/weights_0.npy`)).isFile);
  assert.match(text, /"waiting":3/);
  assert.equal(dashboard.training.waiting, 0);
  const list = (await get("/")).body;
  assert.match(list, /from the browser/);
  assert.equal(list.match(/>queued</g)?.length, 3, "the three queued trainings ran, one after another");
});

/** The run folders in the fixture's runs folder. */
function runFolders(): string[] {
  return [...Deno.readDirSync(FIXTURE.runsDir)].filter((e) => e.isDirectory && !e.name.startsWith(".")).map((
    e,
  ) => e.name);
}

Deno.test("a training cancelled before its first epoch ends: the status says so, and nothing is saved", async () => {
  const before = runFolders();
  const post = await postJson("/api/train", JSON.stringify({ hidden: "200", epochs: "3" }));
  assert.equal(post.status, 202);
  assert.equal(dashboard.training.status.state, "running");
  const cancel = await postJson("/api/train/cancel", "{}");
  // cancel answers once the training's Worker has ended: its status is final by then
  assert.deepEqual(await cancel.json(), { cancelled: true });
  assert.equal(dashboard.training.status.state, "cancelled");
  assert.deepEqual(runFolders(), before);
});

Deno.test("a training cancelled after its first checkpoint: its finished epochs stay, saved as incomplete", async () => {
  const before = runFolders();
  const post = await postJson(
    "/api/train",
    JSON.stringify({ hidden: "50", epochs: "50", limitTrain: "2000", limitTest: "100" }),
  );
  assert.equal(post.status, 202);
  // until the first epoch is saved (a hang is caught at ten times the few seconds it takes)
  const deadline = Date.now() + 60_000;
  while (runFolders().length === before.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const cancel = await postJson("/api/train/cancel", "{}");
  assert.deepEqual(await cancel.json(), { cancelled: true });
  assert.equal(dashboard.training.status.state, "cancelled");
  const added = runFolders().filter((name) => !before.includes(name));
  assert.equal(added.length, 1, "the run of the finished epochs");
  const record = JSON.parse(await Deno.readTextFile(`${FIXTURE.runsDir}/${added[0]}/run.json`));
  assert.equal(record.status, "incomplete");
  assert.ok(
    record.history.length >= 1 && record.history.length < 50,
    `${record.history.length} epochs saved`,
  );
  await Deno.remove(`${FIXTURE.runsDir}/${added[0]}`, { recursive: true });
});

Deno.test("one training at a time, three waiting, holds under 10 concurrent requests", async () => {
  const responses = await Promise.all(
    Array.from(
      { length: 10 },
      () => postJson("/api/train", JSON.stringify({ hidden: "50", epochs: "2" })),
    ),
  );
  const statuses = responses.map((response) => response.status).sort();
  assert.deepEqual(statuses, [202, 202, 202, 202, 409, 409, 409, 409, 409, 409]);
  assert.equal(dashboard.training.waiting, 3);
  assert.deepEqual(await (await postJson("/api/train/cancel", JSON.stringify({ all: true }))).json(), {
    cancelled: true,
  });
  assert.equal(dashboard.training.waiting, 0);
  assert.notEqual(dashboard.training.status.state, "running");
});

Deno.test("GET /api/health reports that the server is up and its memory", async () => {
  const health = JSON.parse((await get("/api/health")).body);
  assert.equal(health.ok, true);
  assert.ok(health.rss > 0 && health.heapUsed > 0 && health.heapUsed <= health.heapTotal);
});

Deno.test("an incomplete run is marked in the list and on its page, with how to resume it", async () => {
  const directory = `${FIXTURE.runsDir}/${FIXTURE.other}`;
  const record = JSON.parse(await Deno.readTextFile(`${directory}/run.json`));
  await Deno.writeTextFile(
    `${directory}/run.json`,
    JSON.stringify({ ...record, status: "incomplete", config: { ...record.config, epochs: 3 } }),
  );
  assert.match((await get("/")).body, /incomplete \(1 of 3 epochs\)/);
  assert.match((await get(`/runs/${FIXTURE.other}`)).body, /Incomplete: 1 of 3 epochs.*--resume/);
  await Deno.writeTextFile(`${directory}/run.json`, JSON.stringify(record));
});

Deno.test("a run whose test set cannot be read says so on its page instead of scoring another set", async () => {
  const id = "missing-test-set";
  const directory = `${FIXTURE.runsDir}/${id}`;
  await Deno.mkdir(directory);
  for (const file of ["weights_0.npy", "weights_1.npy"]) {
    await Deno.copyFile(`${FIXTURE.runsDir}/${FIXTURE.run}/${file}`, `${directory}/${file}`);
  }
  const record = JSON.parse(await Deno.readTextFile(`${FIXTURE.runsDir}/${FIXTURE.run}/run.json`));
  record.id = id;
  record.config.test.source = `${directory}/gone.csv`;
  await Deno.writeTextFile(`${directory}/run.json`, JSON.stringify(record));
  try {
    const page = await get(`/runs/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /The run's test set cannot be read.*gone\.csv: no such file/);
    assert.ok(!page.body.includes("Misclassified test images"), "no mistakes from some other set");
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("pictures drawn from a run are drawn once per version of the run: ETag, then 304", async () => {
  const path = `/runs/${FIXTURE.run}/hidden.png`;
  const first = await app.request(path);
  assert.equal(first.status, 200);
  const etag = first.headers.get("etag")!;
  assert.ok(etag);
  await first.arrayBuffer();
  const again = await app.request(path, { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
  // the run changes (a checkpoint rewrites run.json): a new version, drawn again
  const runJson = `${FIXTURE.runsDir}/${FIXTURE.run}/run.json`;
  const later = new Date(Date.now() + 5000);
  await Deno.utime(runJson, later, later);
  const changed = await app.request(path, { headers: { "if-none-match": etag } });
  assert.equal(changed.status, 200);
  assert.notEqual(changed.headers.get("etag"), etag);
  await changed.arrayBuffer();
});

Deno.test("a confusion-matrix cell links to its test images; an unknown cell or run is 404", async () => {
  const page = await get(`/runs/${FIXTURE.run}`);
  const link = /href="(\/runs\/[^"]+\/confusion\/(\d)\/(\d))"/.exec(
    [...page.body.matchAll(/href="\/runs\/[^"]+\/confusion\/(\d)\/(\d)"/g)].find((m) => m[1] !== m[2])?.[0] ??
      "",
  );
  assert.ok(link, "a mistake cell is a link");
  const cell = await get(link[1]);
  assert.equal(cell.status, 200);
  assert.match(cell.body, new RegExp(`${link[2]} read as ${link[3]}`));
  assert.match(cell.body, /\/test\/\d+\.png/);
  assert.equal((await get(`/runs/${FIXTURE.run}/confusion/12/3`)).status, 404);
  assert.equal((await get(`/runs/20990101-000000-none/confusion/1/3`)).status, 404);
});

Deno.test("a blank field is an error where the setting needs a value, and unset where it may be (limits)", async () => {
  const blank = await postJson("/api/train", JSON.stringify({ learningRate: " " }));
  assert.equal(blank.status, 400);
  assert.match((await blank.json()).error, /learningRate is blank: give a number > 0/);
  const limits = await postJson("/api/train", JSON.stringify({ limitTrain: "", limitTest: "", epochs: "0" }));
  assert.equal(limits.status, 400);
  assert.match(
    (await limits.json()).error,
    /^epochs must be/,
    "the blank limits pass; the bad epochs is named",
  );
});

Deno.test("error pages say what is wrong: an unknown run in compare, how many compare takes, no such report, no such run to draw", async () => {
  const unknown = await get("/compare?runs=nope");
  assert.equal(unknown.status, 404);
  assert.match(unknown.body, /Run nope does not exist/);
  for (const path of ["/compare", `/compare?runs=${Array(21).fill(FIXTURE.run).join(",")}`]) {
    const page = await get(path);
    assert.equal(page.status, 404);
    assert.match(page.body, /Compare takes 1 to 20 runs, (0|21) given: tick them on the runs page/);
  }
  const report = await get("/book?report=nope");
  assert.equal(report.status, 404);
  assert.match(report.body, /No report &quot;nope&quot;/);
  const draw = await get("/draw?run=nope");
  assert.equal(draw.status, 200);
  assert.match(draw.body, /There is no run “nope” to draw against: drawing against the best run instead/);
});

Deno.test("a run's files carry an ETag and Cache-Control like its pictures: 304 for the version held", async () => {
  const first = await app.request(`/runs/${FIXTURE.run}/files/run.json`);
  assert.equal(first.status, 200);
  const etag = first.headers.get("etag")!;
  assert.match(etag, /^"\d+-\d+"$/);
  assert.equal(first.headers.get("cache-control"), "no-cache");
  assert.match(first.headers.get("content-disposition") ?? "", /filename="run\.json"/);
  await first.body?.cancel();
  const again = await app.request(`/runs/${FIXTURE.run}/files/run.json`, {
    headers: { "if-none-match": etag },
  });
  assert.equal(again.status, 304);
});

Deno.test("checkDashboardLimits() (the dashboard's policy) refuses what the dashboard may not train, naming the setting", () => {
  const spell = (key: SettingKey) => key;
  checkDashboardLimits(defaultSettings(), spell);
  assert.throws(
    () => checkDashboardLimits(defaultSettings({ hidden: [100, 5000] }), spell),
    /hidden can be at most 2000/,
  );
  assert.throws(
    () => checkDashboardLimits(defaultSettings({ epochs: 101 }), spell),
    /epochs can be at most 100/,
  );
});
