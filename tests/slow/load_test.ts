/**
 * The dashboard under load, on loopback only: a server in its own process, 50 concurrent
 * clients sending thousands of drawing queries, then the same mixed with malformed requests,
 * then repeated page loads — counting errors, measuring throughput, p99 latency and the
 * server's memory (live heap after a collection, and resident set, from /api/health). Bounded in count and time.
 */
import assert from "node:assert/strict";
import { dashboardFixture } from "../dashboard_fixture.ts";
import { ROOT } from "../helpers.ts";

const CLIENTS = 50;
/**
 * Drawing queries in the clean round: 1,500 in the suite (a few seconds), 10,000 for the
 * measurement quoted in docs/dashboard.md: `MYONN_LOAD_QUERIES=10000 deno task test:slow`.
 */
const QUERIES = Number(Deno.env.get("MYONN_LOAD_QUERIES") ?? 1500);
/** Requests in the mixed round, a third of them malformed. */
const MIXED = Math.round(QUERIES * 0.3 / 3) * 3;

/** Run `total` requests from `clients` concurrent loops; returns each one's milliseconds and status. */
async function load(total: number, clients: number, request: (i: number) => Promise<Response>) {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < total) {
      const i = next++;
      const sent = performance.now();
      const response = await request(i);
      await response.arrayBuffer();
      times.push(performance.now() - sent);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    perSecond: total / seconds,
    p50: times[Math.floor(times.length * 0.5)],
    p99: times[Math.floor(times.length * 0.99)],
    statuses: Object.fromEntries(statuses),
  };
}

Deno.test({
  name:
    "the dashboard under load: 50 clients, thousands of drawing queries, malformed ones mixed in, memory steady",
  sanitizeResources: false,
  async fn() {
    const fixture = await dashboardFixture();
    const server = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--v8-flags=--expose-gc", // so /api/health measures live memory after a collection
        `${ROOT}scripts/serve.ts`,
        "--port",
        "0",
        "--runs-dir",
        fixture.runsDir,
        "--sweeps-dir",
        fixture.sweepsDir,
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    let base = "";
    try {
      const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let printed = "";
      while (!printed.includes("dashboard on")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the server stopped before listening: ${printed}`);
        printed += value;
      }
      base = /http:\/\/127\.0\.0\.1:\d+/.exec(printed)![0]; // the port the system gave
      reader.releaseLock();
      server.stdout.cancel().catch(() => {});

      const drawing = JSON.stringify({
        pixels: Array.from({ length: 784 }, (_, i) => (i % 28 === 14 && i > 100 && i < 680 ? 255 : 0)),
      });
      const query = () =>
        fetch(`${base}/api/query?run=${fixture.run}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: drawing,
        });
      await load(200, 10, query); // warm up
      const health = async () =>
        (await (await fetch(`${base}/api/health`)).json()) as { rss: number; heapUsed: number };
      const before = await health();

      const clean = await load(QUERIES, CLIENTS, query);
      console.log(
        `${QUERIES} drawing queries, ${CLIENTS} clients: ${clean.perSecond.toFixed(0)}/s, p50 ${
          clean.p50.toFixed(1)
        } ms, p99 ${clean.p99.toFixed(1)} ms, ${JSON.stringify(clean.statuses)}`,
      );
      assert.deepEqual(clean.statuses, { 200: QUERIES }, "no errors");

      const malformed = [
        () =>
          fetch(`${base}/api/query?run=${fixture.run}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: "{ broken",
          }),
        () =>
          fetch(`${base}/api/query?run=${fixture.run}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: '{"pixels":[1,2,3]}',
          }),
        () => fetch(`${base}/api/query?run=..%2Fetc`, { method: "POST", body: "x" }),
        () =>
          fetch(`${base}/api/query?run=${fixture.run}`, {
            method: "POST",
            body: new Uint8Array(6 * 1024 * 1024),
          }),
        () => fetch(`${base}/runs/${fixture.run}/files/..%2F..%2Fetc%2Fpasswd`),
        () => fetch(`${base}/api/query?run=${fixture.run}`, { method: "POST", body: "not an image" }),
      ];
      const expected = [400, 400, 404, 413, 404, 400];
      const mixed = await load(
        MIXED,
        CLIENTS,
        (i) => (i % 3 === 0 ? malformed[(i / 3) % malformed.length]() : query()),
      );
      console.log(
        `${MIXED} requests, a third malformed: ${mixed.perSecond.toFixed(0)}/s, p99 ${
          mixed.p99.toFixed(1)
        } ms, ${JSON.stringify(mixed.statuses)}`,
      );
      assert.ok(!("500" in mixed.statuses), "no 500s");
      assert.equal(mixed.statuses[200], MIXED * 2 / 3);
      for (const [i, request] of malformed.entries()) {
        const response = await request();
        await response.arrayBuffer();
        assert.equal(response.status, expected[i], `malformed request ${i}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 3000)); // idle: V8's memory reducer gets its turn
      const after = await health();

      // a long-running server: page loads and queries, memory measured along the way
      const pages = [
        `/`,
        `/runs/${fixture.run}`,
        `/draw`,
        `/experiments`,
        `/runs/${fixture.run}/backquery/3.png`,
      ];
      const samples: { rss: number; heapUsed: number }[] = [];
      for (let round = 0; round < 4; round++) {
        const result = await load(500, 20, (i) => (i % 2 ? fetch(base + pages[i % pages.length]) : query()));
        assert.ok(!("500" in result.statuses));
        samples.push(await health());
      }
      console.log(
        `server memory, live heap after a collection (resident): ${before.heapUsed} MB (${before.rss} MB) before the load, ` +
          `${after.heapUsed} MB (${after.rss} MB) after it; during 2,000 page loads and queries: ` +
          samples.map((sample) => `${sample.heapUsed} (${sample.rss})`).join(", ") + " MB",
      );
      assert.ok(
        after.heapUsed - before.heapUsed < 15,
        `live memory grew from ${before.heapUsed} to ${after.heapUsed} MB`,
      );
      assert.ok(
        samples[3].heapUsed - samples[0].heapUsed < 10,
        `live memory kept growing: ${JSON.stringify(samples)}`,
      );
      assert.ok(
        after.rss < 250,
        `${after.rss} MB resident after the load: more than a Pi Zero 2 W can spare`,
      );
      // and it still answers correctly
      const final = await query();
      assert.equal((await final.json()).answer >= 0, true);
    } finally {
      server.kill();
      await server.status;
      await Deno.remove(fixture.directory, { recursive: true });
    }
  },
});
