/**
 * The dashboard treated as an attacker and a careless user would: other hosts, other
 * sites, bodies that are too big or too slow, huge images, runs that do not exist, files
 * that are not files, and a cancel that must stop the work. Through app.request() and
 * through a real socket on loopback.
 */
import assert from "node:assert/strict";
import { Image } from "imagescript";
import { createApp } from "../../main.ts";
import { dashboardFixture } from "../dashboard_fixture.ts";

const FIXTURE = await dashboardFixture();
const { app, dashboard } = createApp({
  runsDir: FIXTURE.runsDir,
  sweepsDir: FIXTURE.sweepsDir,
  bodySeconds: 1,
});

function post(path: string, body: BodyInit, headers: Record<string, string> = {}) {
  return app.request(path, { method: "POST", body, headers });
}

function runFolders(): string[] {
  return [...Deno.readDirSync(FIXTURE.runsDir)].map((entry) => entry.name).sort();
}

/** Serve the app on a loopback port for the test's body; the server is shut down after. */
async function withServer(test: (port: number) => Promise<void>): Promise<void> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  try {
    await test(server.addr.port);
  } finally {
    await server.shutdown();
  }
}

/** Send raw bytes over TCP and read the status line of the answer. */
async function rawRequest(
  port: number,
  text: string,
  options: { keepOpenMs?: number } = {},
): Promise<string> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await connection.write(new TextEncoder().encode(text));
    const buffer = new Uint8Array(4096);
    const read = await Promise.race([
      connection.read(buffer),
      // a guard against a hang, ten times what the answer needs
      new Promise<null>((resolve) => setTimeout(() => resolve(null), options.keepOpenMs ?? 10_000)),
    ]);
    return read === null
      ? "(no answer)"
      : new TextDecoder().decode(buffer.subarray(0, read)).split("\r\n")[0];
  } finally {
    connection.close();
  }
}

Deno.test("another Host is refused (DNS rebinding): 403, through app.request and a real socket", async () => {
  assert.equal((await app.request("http://evil.example/")).status, 403);
  assert.equal((await app.request("http://localhost/")).status, 200);
  await withServer(async (port) => {
    assert.match(await rawRequest(port, "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n"), / 403 /);
    assert.match(await rawRequest(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`), / 200 /);
    assert.match(await rawRequest(port, `GET / HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`), / 200 /);
  });
});

Deno.test("cross-site requests cannot start or cancel a training: 403, nothing written", async () => {
  const before = runFolders();
  const body = JSON.stringify({ hidden: "10", epochs: "1", limitTrain: "200" });
  const refused = [
    await post("/api/train", body, { "content-type": "application/json", origin: "http://evil.example" }),
    await post("/api/train", body, { "content-type": "text/plain" }), // a cross-site form's "simple" request
    await post("/api/train", body, {}),
    await post("/api/train", body, { "content-type": "application/json", "sec-fetch-site": "cross-site" }),
    await post("/api/train/cancel", "{}", { "content-type": "application/json", origin: "null" }),
  ];
  for (const response of refused) {
    assert.equal(response.status, 403);
    assert.ok((await response.json()).error);
  }
  assert.equal(dashboard.training.status.state, "idle");
  assert.deepEqual(runFolders(), before);
  // the dashboard's own page (same origin) and tools without an Origin are let through
  const own = await post("/api/train", body, {
    "content-type": "application/json",
    origin: "http://localhost",
  });
  assert.equal(own.status, 202);
  assert.deepEqual(
    await (await post("/api/train/cancel", "{}", { "content-type": "application/json" })).json(),
    {
      cancelled: true,
    },
  );
});

Deno.test("a well-formed id of a run that does not exist is 404 everywhere, without a server path", async () => {
  for (const path of ["", "/hidden.png", "/test/0.png", "/backquery/3.png", "/files/run.json"]) {
    const response = await app.request(`/runs/20990101-000000-no-such-run${path}`);
    assert.equal(response.status, 404, path);
    const text = await response.text();
    assert.ok(!text.includes(FIXTURE.runsDir) && !text.includes("/tmp/"), `${path} shows a server path`);
  }
  const query = await post(`/api/query?run=20990101-000000-no-such-run`, "{}", {
    "content-type": "application/json",
  });
  assert.equal(query.status, 404);
  assert.equal((await app.request("/compare?runs=nope")).status, 404);
});

Deno.test("an object where a number belongs, an unknown field, too big a network: 400 naming the field", async () => {
  const cases: [unknown, RegExp][] = [
    [{ learningRate: { toString: 1 } }, /learningRate must be a number > 0/],
    [{ epochs: [1] }, /epochs must be a whole number/],
    [{ hidden: null }, /hidden must be whole numbers/],
    [{ lr: 0.1 }, /unknown field "lr"/],
    [{ hidden: "5000" }, /hidden can be at most 2000 on the dashboard/],
    [{ hidden: "1500,1500,1500" }, /the dashboard trains at most 4,000,000/],
    [{ epochs: 1000 }, /epochs can be at most 100 on the dashboard/],
  ];
  for (const [body, pattern] of cases) {
    const response = await post("/api/train", JSON.stringify(body), { "content-type": "application/json" });
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.match((await response.json()).error, pattern);
  }
  assert.equal(dashboard.training.status.state !== "running", true);
});

Deno.test("bodies: JSON past 1 MB and images past 5 MB are 413; a slow body is 408 and frees its socket", async () => {
  const json = JSON.stringify({ pixels: new Array(784).fill(0), padding: "x".repeat(1024 * 1024) });
  assert.equal(
    (await post(`/api/query?run=${FIXTURE.run}`, json, { "content-type": "application/json" })).status,
    413,
  );
  assert.equal(
    (await post(`/api/query?run=${FIXTURE.run}`, new Uint8Array(5 * 1024 * 1024 + 1))).status,
    413,
  );
  await withServer(async (port) => {
    // declares 100 KB, sends 10 bytes, then waits: the server gives up after its deadline (1 s here)
    const answer = await rawRequest(
      port,
      `POST /api/query?run=${FIXTURE.run} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 102400\r\n\r\n0123456789`,
    );
    assert.match(answer, / 408 /);
  });
});

Deno.test("huge images: refused past 16 megapixels before decoding; a large photo is read off the server's thread", async () => {
  // a PNG header that claims 6000×5000 pixels: refused from its header alone
  const claim = new Image(4, 4);
  claim.fill(0xffffffff);
  const bytes = new Uint8Array(await claim.encode());
  new DataView(bytes.buffer).setUint32(16, 6000);
  new DataView(bytes.buffer).setUint32(20, 5000);
  const refused = await post(`/api/query?run=${FIXTURE.run}`, bytes, { "content-type": "image/png" });
  assert.equal(refused.status, 400);
  assert.match((await refused.json()).error, /6000×5000 pixels, more than the 16 megapixels/);
  // a 2,000×1,500 photo of a "1": answered, by the image Worker
  const photo = new Image(2000, 1500);
  photo.fill(0xf0f0f0ff);
  photo.drawBox(950, 300, 110, 900, 0x202020ff);
  const answered = await post(
    `/api/query?run=${FIXTURE.run}`,
    (await photo.encode(1)) as Uint8Array<ArrayBuffer>,
    {
      "content-type": "image/png",
    },
  );
  assert.equal(answered.status, 200);
  assert.equal((await answered.json()).answer, 1);
});

Deno.test("run files that are not files: a FIFO and a link to /dev/zero never hang or flood the server", async () => {
  if (Deno.build.os !== "linux") return;
  const fifoRun = `${FIXTURE.runsDir}/fifo-run`, zeroRun = `${FIXTURE.runsDir}/zero-run`;
  await Deno.mkdir(fifoRun);
  await new Deno.Command("mkfifo", { args: [`${fifoRun}/run.json`] }).output();
  await Deno.mkdir(zeroRun);
  await Deno.copyFile(`${FIXTURE.runsDir}/${FIXTURE.run}/run.json`, `${zeroRun}/run.json`);
  await Deno.symlink("/dev/zero", `${zeroRun}/weights_0.npy`);
  try {
    const guard = (ms: number) =>
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("hung")), ms));
    const list = await Promise.race([app.request("/"), guard(10_000)]);
    assert.equal(list.status, 200);
    assert.match(await list.text(), /fifo-run<\/a> — broken: .*not a regular file/);
    const page = await Promise.race([app.request("/runs/zero-run"), guard(10_000)]);
    assert.match(await page.text(), /weights_0\.npy: it is not a regular file/);
    const file = await Promise.race([app.request("/runs/zero-run/files/weights_0.npy"), guard(10_000)]);
    assert.equal(file.status, 404);
  } finally {
    await Deno.remove(fifoRun, { recursive: true });
    await Deno.remove(zeroRun, { recursive: true });
  }
});

/** This process's Worker threads that are running (Linux: /proc, state R), by thread name. */
function runningWorkerThreads(): string[] {
  const running = [];
  for (const task of Deno.readDirSync("/proc/self/task")) {
    let stat: string;
    try {
      stat = Deno.readTextFileSync(`/proc/self/task/${task.name}/stat`);
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (name.startsWith("worker") && state === "R") running.push(`${name} ${task.name}`);
  }
  return running;
}

Deno.test("cancel stops the training's Worker before answering; the next training may start at once", async () => {
  const json = { "content-type": "application/json" };
  const started = await post("/api/train", JSON.stringify({ hidden: "400", epochs: "3" }), json);
  assert.equal(started.status, 202);
  // wait until it is really training (its first progress report)
  for (let i = 0; i < 600 && !(dashboard.training.status.done! > 0); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(dashboard.training.status.done! > 0, "the training reported progress");
  assert.deepEqual(await (await post("/api/train/cancel", "{}", json)).json(), { cancelled: true });
  assert.equal(dashboard.training.status.state, "cancelled");
  if (Deno.build.os === "linux") {
    // no Worker thread is still computing: a training that went on would stay in state R for
    // seconds; a stopped one leaves within moments (polled; the limit only guards against a hang)
    let running = runningWorkerThreads();
    for (let i = 0; i < 100 && running.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      running = runningWorkerThreads();
    }
    assert.deepEqual(running, [], "no Worker thread is still computing");
  }
  const next = await post(
    "/api/train",
    JSON.stringify({ hidden: "10", epochs: "1", limitTrain: "200" }),
    json,
  );
  assert.equal(next.status, 202);
  await post("/api/train/cancel", "{}", json);
});
