/**
 * What each dashboard page costs a browser, cold (a fresh profile) and warm (the same page
 * again): bytes over the wire (compressed, headers included) and the time to the load
 * event, in Debian's chromium. Reads the runs you have (the newest two are shown and
 * compared).
 *
 *   deno task bench:pages
 *   deno task bench:pages --runs-dir data/runs --json
 *
 * @module
 */
import { chromium } from "playwright-core";
import { createApp } from "../main.ts";
import { listRuns } from "../core/store/mod.ts";
import { InputError } from "../core/errors.ts";
import { type CommandSpec, parseFlags, printJson, runMain, stringFlag as flag } from "../scripts/support.ts";
import { ensureIslands } from "../islands/build.ts";

export const SPEC: CommandSpec = {
  usage: "bench:pages [flags]",
  summary: "Bytes and load time of every dashboard page, cold and warm, in chromium.",
  flags: {
    "runs-dir": flag("saved runs (the newest two are used)", "DIR", "data/runs"),
    "sweeps-dir": flag("saved sweeps", "DIR", "data/sweeps"),
    "reproduce-dir": flag("reproduce reports", "DIR", "data/reproduce"),
    chromium: flag("the browser", "PATH", "/usr/bin/chromium"),
    json: { type: "boolean", description: "print one JSON object on stdout" },
  },
};

/** One visit's cost: bytes received (encoded, with headers) and milliseconds to the load event. */
interface Visit {
  bytes: number;
  ms: number;
}

export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const runsDir = String(flags["runs-dir"]);
  const runs = (await listRuns(runsDir)).filter((listing) => !("broken" in listing)).map((listing) =>
    listing.id
  );
  if (runs.length === 0) throw new InputError(`no runs in ${runsDir}: train one first (deno task train)`);
  await ensureIslands();
  const { app } = createApp({
    runsDir,
    sweepsDir: String(flags["sweeps-dir"]),
    reproduceDir: String(flags["reproduce-dir"]),
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const pages = [
    "/",
    `/runs/${runs[0]}`,
    `/compare?runs=${runs.slice(0, 2).join(",")}`,
    "/experiments",
    "/book",
    "/draw",
    "/train",
  ];
  const browser = await chromium.launch({
    executablePath: String(flags.chromium),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
  });
  const results: { page: string; cold: Visit; warm: Visit }[] = [];
  try {
    for (const path of pages) {
      // a fresh context is a cold cache; the second visit in it is warm
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      let bytes = 0;
      // requests under way (a live stream of events never ends, so it is not counted), and when
      // the network last did something
      const pending = new Set<string>();
      let last = performance.now();
      cdp.on("Network.requestWillBeSent", (event) => {
        if (event.type !== "EventSource") pending.add(event.requestId);
        last = performance.now();
      });
      cdp.on("Network.loadingFinished", (event) => {
        bytes += event.encodedDataLength;
        pending.delete(event.requestId);
        last = performance.now();
      });
      cdp.on("Network.loadingFailed", (event) => {
        pending.delete(event.requestId);
        last = performance.now();
      });
      const visit = async (): Promise<Visit> => {
        bytes = 0;
        await page.goto(base + path, { waitUntil: "load" });
        // islands' chunks and pictures follow the load event: wait until nothing is under way and
        // nothing started for 300 ms (at most 20 s), or a busy machine's late chunks count as the
        // next visit's (seen: a cold visit of 14 KB, then a warm one of 73 KB)
        const started = performance.now();
        while ((pending.size > 0 || performance.now() - last < 300) && performance.now() - started < 20_000) {
          await page.waitForTimeout(50);
        }
        const ms = await page.evaluate(() => {
          const [navigation] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
          return navigation.loadEventEnd - navigation.startTime;
        });
        return { bytes, ms };
      };
      const cold = await visit();
      const warm = await visit();
      results.push({ page: path, cold, warm });
      await context.close();
    }
  } finally {
    await browser.close();
    await server.shutdown();
  }
  if (flags.json) return printJson({ base, runs: runs.slice(0, 2), pages: results });
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`.padStart(9);
  const ms = (value: number) => `${Math.round(value)} ms`.padStart(7);
  console.log(`${"page".padEnd(34)} ${"cold".padStart(17)} ${"warm".padStart(17)}`);
  for (const { page, cold, warm } of results) {
    const name = page.length > 34 ? `${page.slice(0, 31)}…` : page;
    console.log(`${name.padEnd(34)} ${kb(cold.bytes)} ${ms(cold.ms)} ${kb(warm.bytes)} ${ms(warm.ms)}`);
  }
}

if (import.meta.main) await runMain(main);
