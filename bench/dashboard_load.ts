/**
 * The dashboard under load, measured (loopback only, bounded in count and time): a server
 * started as a user starts it (scripts/serve.ts) over a freshly trained run, then
 *
 * 1. drawings as the draw page sends them (a 140×140 PNG of its 280×280 canvas) from 50
 *    concurrent clients: throughput, p50 and p99;
 * 2. hostile load: 4 queries with a 16-megapixel photo and 100 uploads that declare 4 MB
 *    and trickle a byte every half second, while /api/health is polled: its latency and
 *    the server's memory;
 * 3. 1,500 idle connections to a server started under `ulimit -n 1024`: /api/health's
 *    latency while they are open, and how long until the server has closed them all;
 * 4. the runs list (`/`, gzip) with 2 runs and with 500: requests per second;
 * 5. /api/health polled while another client loads the pages of 10 large runs
 *    (784-2000-10) in a loop: its p50 and p99.
 *
 *   deno run -A bench/dashboard_load.ts [--drawings 3000] [--json]
 *
 * @module
 */
import { Image } from "imagescript";
import { type CommandSpec, integerFlag, parseFlags, printJson, runMain } from "../scripts/support.ts";

export const SPEC: CommandSpec = {
  usage: "dashboard_load [flags]",
  summary: "Measure the dashboard under load: drawings per second, and /api/health under hostile uploads.",
  flags: {
    drawings: { type: "string", default: "3000", value: "N", description: "drawing queries to send" },
    json: { type: "boolean", description: "print one JSON object on stdout" },
  },
};

const ROOT = new URL("../", import.meta.url).pathname;
const CLIENTS = 50;

/** p50, p99 and the largest of a list of milliseconds. */
function percentiles(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) =>
    Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))].toFixed(1));
  return { p50: at(0.5), p99: at(0.99), max: at(1) };
}

/** A 280×280 drawing of a "1" as the pad's canvas holds it, sent at 140×140 as the pad sends it. */
async function padDrawing(): Promise<Uint8Array<ArrayBuffer>> {
  const canvas = new Image(280, 280);
  canvas.fill(0xffffffff);
  for (let t = 0; t < 200; t++) {
    canvas.drawCircle(140 + Math.round(20 * Math.sin(t / 30)), 40 + t, 10, 0x000000ff);
  }
  return (await canvas.resize(140, 140).encode(1)) as Uint8Array<ArrayBuffer>;
}

async function drawings(base: string, run: string, total: number) {
  const png = await padDrawing();
  const send = () =>
    fetch(`${base}/api/query?run=${run}`, {
      method: "POST",
      body: png,
      headers: { "content-type": "image/png" },
    });
  for (let i = 0; i < 200; i++) await (await send()).arrayBuffer(); // warm up
  const times: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < total) {
      next++;
      const sent = performance.now();
      const response = await send();
      await response.arrayBuffer();
      times.push(performance.now() - sent);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: total,
    clients: CLIENTS,
    perSecond: Math.round(total / seconds),
    ...percentiles(times),
    statuses,
  };
}

async function hostile(base: string, run: string) {
  const port = Number(new URL(base).port);
  const photo = new Image(4000, 4000);
  photo.fill(0xf4f4f4ff);
  photo.drawBox(1800, 600, 400, 2800, 0x202020ff);
  const png = (await photo.encode(1)) as Uint8Array<ArrayBuffer>;
  const health = async () => {
    const sent = performance.now();
    const json = await (await fetch(`${base}/api/health`)).json();
    return { ms: performance.now() - sent, rss: json.rss as number, heap: json.heapUsed as number };
  };
  const idle = [];
  for (let i = 0; i < 10; i++) idle.push(await health());
  const sockets: Deno.Conn[] = [];
  for (let i = 0; i < 100; i++) {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port });
    await connection.write(
      new TextEncoder().encode(
        `POST /api/query?run=${run} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\nContent-Length: 4000000\r\n\r\n`,
      ),
    );
    sockets.push(connection);
  }
  const trickle = setInterval(() => {
    for (const socket of sockets) socket.write(new Uint8Array(1)).catch(() => {});
  }, 500);
  const started = performance.now();
  const queries = Array.from(
    { length: 4 },
    () =>
      fetch(`${base}/api/query?run=${run}`, {
        method: "POST",
        body: png,
        headers: { "content-type": "image/png" },
      })
        .then(async (response) => {
          await response.arrayBuffer();
          return {
            status: response.status,
            seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
          };
        }),
  );
  const during = [];
  while (performance.now() - started < 15_000) {
    during.push(await health());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  clearInterval(trickle);
  for (const socket of sockets) {
    try {
      socket.close();
    } catch {
      // closed by the server already (408)
    }
  }
  const photos = await Promise.all(queries);
  return {
    photoBytes: png.length,
    photos,
    healthMs: { idle: percentiles(idle.map((h) => h.ms)), during: percentiles(during.map((h) => h.ms)) },
    rssMB: { idle: idle.at(-1)!.rss, maxDuring: Math.max(...during.map((h) => h.rss)) },
    heapMB: { idle: idle.at(-1)!.heap, maxDuring: Math.max(...during.map((h) => h.heap)) },
  };
}

/**
 * Start `scripts/serve.ts` over `runsDir` (with `extra` flags) under a limit of 1,024 open
 * files, as a Pi or systemd would start it; its base URL and a stop function. Also used by
 * tests/slow/connections_test.ts.
 */
export async function startServer(
  runsDir: string,
  extra: string[] = [],
): Promise<{ base: string; stop: () => Promise<void> }> {
  const flags = ["--port", "0", "--runs-dir", runsDir, ...extra].map((arg) => `"${arg}"`).join(" ");
  const server = new Deno.Command("bash", {
    args: [
      "-c",
      `ulimit -n 1024 && exec "${Deno.execPath()}" run -A --v8-flags=--expose-gc "${ROOT}scripts/serve.ts" ${flags}`,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let printed = "";
  while (!printed.includes("dashboard on")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the server stopped: ${printed}`);
    printed += value;
  }
  reader.releaseLock();
  return {
    base: /http:\/\/127\.0\.0\.1:\d+/.exec(printed)![0],
    stop: async () => {
      try {
        server.kill();
      } catch {
        // stopped already
      }
      await server.status;
      await server.stdout.cancel().catch(() => {});
    },
  };
}

async function healthMs(base: string): Promise<number> {
  const sent = performance.now();
  await (await fetch(`${base}/api/health`)).arrayBuffer();
  return performance.now() - sent;
}

/** 1,500 connections that send nothing: health while they are open, and when the server has closed them. */
async function idleConnections(runsDir: string) {
  const { base, stop } = await startServer(runsDir);
  const port = Number(new URL(base).port);
  const idle: Deno.Conn[] = [];
  try {
    const opened = performance.now();
    for (let i = 0; i < 1500; i++) idle.push(await Deno.connect({ hostname: "127.0.0.1", port }));
    const health = [];
    for (let i = 0; i < 20; i++) health.push(await healthMs(base));
    const buffer = new Uint8Array(8);
    await Promise.all(idle.map((connection) => connection.read(buffer).catch(() => null)));
    return {
      connections: idle.length,
      healthMs: percentiles(health),
      allClosedAfterSeconds: Number(((performance.now() - opened) / 1000).toFixed(1)),
    };
  } finally {
    for (const connection of idle) {
      try {
        connection.close();
      } catch {
        // closed by the server
      }
    }
    await stop();
  }
}

/** `/` (gzip) from 10 clients for 3 s: requests per second. */
async function runsListRate(base: string): Promise<number> {
  let count = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (performance.now() - started < 3000) {
      await (await fetch(`${base}/`, { headers: { "accept-encoding": "gzip" } })).arrayBuffer();
      count++;
    }
  }));
  return Math.round(count / ((performance.now() - started) / 1000));
}

/** The runs list with 2 runs and with 500 (copies of `run`'s folder). */
async function runsList(folder: string, run: string) {
  const two = `${folder}/two`, many = `${folder}/many`;
  for (const [target, copies] of [[two, 2], [many, 500]] as const) {
    await Deno.mkdir(target, { recursive: true });
    for (let i = 0; i < copies; i++) {
      const id = `${run.slice(0, 15)}-copy${String(i).padStart(3, "0")}`;
      await Deno.mkdir(`${target}/${id}`);
      for (const entry of Deno.readDirSync(`${folder}/${run}`)) {
        if (entry.isFile) {
          await Deno.copyFile(`${folder}/${run}/${entry.name}`, `${target}/${id}/${entry.name}`);
        }
      }
      const record = JSON.parse(await Deno.readTextFile(`${target}/${id}/run.json`));
      await Deno.writeTextFile(`${target}/${id}/run.json`, JSON.stringify({ ...record, id }));
    }
  }
  const rates: Record<string, number> = {};
  for (const [label, target] of [["runs2", two], ["runs500", many]]) {
    const { base, stop } = await startServer(target);
    try {
      await runsListRate(base); // warm
      rates[label] = await runsListRate(base);
    } finally {
      await stop();
    }
  }
  return { perSecond: rates, ratio: Number((rates.runs500 / rates.runs2).toFixed(2)) };
}

/** /api/health while another client loads the pages of 10 large runs in a loop. */
async function largePages(folder: string) {
  const runsDir = `${folder}/large`;
  const ids: string[] = [];
  for (let seed = 1; seed <= 10; seed++) {
    const trained = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${ROOT}scripts/train.ts`,
        "--hidden",
        "2000",
        "--epochs",
        "1",
        "--limit-train",
        "200",
        "--limit-test",
        "1000",
        "--seed",
        String(seed),
        "--runs-dir",
        runsDir,
        "--json",
      ],
      stdout: "piped",
      stderr: "null",
    }).output();
    ids.push(JSON.parse(new TextDecoder().decode(trained.stdout)).id);
  }
  const { base, stop } = await startServer(runsDir);
  try {
    let pages = 0, stopLoading = false;
    const loading = (async () => {
      while (!stopLoading) {
        for (const id of ids) {
          if (stopLoading) break;
          await (await fetch(`${base}/runs/${id}`)).arrayBuffer();
          pages++;
        }
      }
    })();
    const times = [];
    const started = performance.now();
    while (performance.now() - started < 10_000) {
      times.push(await healthMs(base));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    stopLoading = true;
    await loading;
    return { runs: ids.length, pagesLoaded: pages, healthMs: percentiles(times) };
  } finally {
    await stop();
  }
}

export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const total = integerFlag(parsed.values.drawings, "drawings");
  const say = parsed.values.json ? console.error : console.log;
  const folder = await Deno.makeTempDir({ prefix: "myonn-load-" });
  say("training a 784-200-10 run on 10,000 records to query…");
  const trained = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}scripts/train.ts`,
      "--epochs",
      "1",
      "--limit-train",
      "10000",
      "--runs-dir",
      folder,
      "--json",
    ],
    stdout: "piped",
    stderr: "null",
  }).output();
  const run = JSON.parse(new TextDecoder().decode(trained.stdout)).id as string;
  const server = await startServer(folder);
  try {
    const { base } = server;
    say(`sending ${total} drawings from ${CLIENTS} clients…`);
    const drawn = await drawings(base, run, total);
    say(
      `drawings: ${drawn.perSecond}/s, p50 ${drawn.p50} ms, p99 ${drawn.p99} ms, ${
        JSON.stringify(drawn.statuses)
      }`,
    );
    say("4 photos of 16 megapixels and 100 slow uploads, /api/health polled for 15 s…");
    const attacked = await hostile(base, run);
    say(
      `/api/health during: p50 ${attacked.healthMs.during.p50} ms, p99 ${attacked.healthMs.during.p99} ms, ` +
        `max ${attacked.healthMs.during.max} ms; memory ${attacked.rssMB.idle} → at most ${attacked.rssMB.maxDuring} MB ` +
        `resident, live heap at most ${attacked.heapMB.maxDuring} MB; photos ${
          JSON.stringify(attacked.photos)
        }`,
    );
    await server.stop();
    say("1,500 idle connections to a server under ulimit -n 1024…");
    const idle = await idleConnections(folder);
    say(
      `idle connections: /api/health p50 ${idle.healthMs.p50} ms, p99 ${idle.healthMs.p99} ms while open; ` +
        `all ${idle.connections} closed by the server after ${idle.allClosedAfterSeconds} s`,
    );
    say("the runs list with 2 runs and with 500…");
    const listed = await runsList(folder, run);
    say(
      `runs list: ${listed.perSecond.runs2}/s with 2 runs, ${listed.perSecond.runs500}/s with 500 (× ${listed.ratio})`,
    );
    say(
      "training 10 runs of 784-2000-10 (200 records each), then loading their pages while /api/health is polled…",
    );
    const large = await largePages(folder);
    say(
      `large runs: ${large.pagesLoaded} pages loaded in 10 s; /api/health p50 ${large.healthMs.p50} ms, ` +
        `p99 ${large.healthMs.p99} ms, max ${large.healthMs.max} ms`,
    );
    if (parsed.values.json) {
      printJson({
        drawings: drawn,
        hostile: attacked,
        idleConnections: idle,
        runsList: listed,
        largeRuns: large,
      });
    }
  } finally {
    await server.stop();
    await Deno.remove(folder, { recursive: true });
  }
}

if (import.meta.main) await runMain(main);
