/**
 * The dashboard's door (routes/connections.ts) under connections that never send a request:
 * with the usual limit of 1,024 open files, 1,500 idle connections neither stop the server nor
 * keep it from answering, and each is closed within the header deadline. Loopback only,
 * bounded in count and time.
 */
import assert from "node:assert/strict";
import { startServer } from "../../bench/dashboard_load.ts";

async function healthMs(base: string): Promise<number> {
  const sent = performance.now();
  const response = await fetch(`${base}/api/health`);
  assert.equal(response.status, 200);
  await response.json();
  return performance.now() - sent;
}

Deno.test("1,500 idle connections under a 1,024-file limit: the server answers at once and closes them within the deadline", async () => {
  const runsDir = await Deno.makeTempDir({ prefix: "myonn-door-" });
  const { base, stop } = await startServer(runsDir, ["--header-seconds", "1"]);
  const port = Number(new URL(base).port);
  const idle: Deno.Conn[] = [];
  try {
    for (let i = 0; i < 1500; i++) idle.push(await Deno.connect({ hostname: "127.0.0.1", port }));
    // while they are open: /api/health answers (ten tries, the slowest under a second here, ten times the 100 ms asked)
    const times = [];
    for (let i = 0; i < 10; i++) times.push(await healthMs(base));
    assert.ok(Math.max(...times) < 1000, `health took ${Math.max(...times).toFixed(0)} ms`);
    // every idle connection is closed by the server within the 1 s deadline (checked 4 times a second)
    const closedBy = Date.now() + 10_000;
    const buffer = new Uint8Array(16);
    let closed = 0;
    for (const connection of idle) {
      const read = await Promise.race([
        connection.read(buffer).catch(() => null),
        new Promise<"open">((resolve) =>
          setTimeout(() => resolve("open"), Math.max(0, closedBy - Date.now()))
        ),
      ]);
      if (read === null) closed++;
    }
    assert.equal(closed, idle.length, `${idle.length - closed} connections still open after the deadline`);
    // and the server is still up
    await healthMs(base);
  } finally {
    for (const connection of idle) {
      try {
        connection.close();
      } catch {
        // closed by the server
      }
    }
    await stop();
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("headers a byte at a time are cut at the deadline; event streams are capped, the rest served", async () => {
  const runsDir = await Deno.makeTempDir({ prefix: "myonn-door-" });
  const { base, stop } = await startServer(runsDir, ["--header-seconds", "1"]);
  const port = Number(new URL(base).port);
  const streams: Response[] = [];
  try {
    // a slow-header client: a byte every 200 ms never finishes its headers within 1 s
    const slow = await Deno.connect({ hostname: "127.0.0.1", port });
    const request = new TextEncoder().encode(
      "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: yes\r\n\r\n",
    );
    const started = Date.now();
    let cut = false;
    for (const byte of request) {
      try {
        await slow.write(new Uint8Array([byte]));
      } catch {
        cut = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (Date.now() - started > 5000) break;
    }
    const answer = await slow.read(new Uint8Array(64)).catch(() => null);
    assert.ok(cut || answer === null, "the slow client was closed, not answered");
    assert.ok(Date.now() - started < 5000, "within the deadline and its check");
    try {
      slow.close();
    } catch {
      // closed by the server
    }
    // 32 pages may follow the training; the 33rd is told to come back later
    for (let i = 0; i < 32; i++) {
      const response = await fetch(`${base}/api/train/events`);
      assert.equal(response.status, 200);
      streams.push(response);
    }
    const refused = await fetch(`${base}/api/train/events`);
    assert.equal(refused.status, 503);
    await refused.body?.cancel();
    await healthMs(base);
  } finally {
    for (const response of streams) await response.body?.cancel();
    await stop();
    await Deno.remove(runsDir, { recursive: true });
  }
});
