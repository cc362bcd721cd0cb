/**
 * The dashboard: a local web app over the saved runs and sweeps (Hono, Preact rendered
 * on the server, islands hydrated in the browser).
 *
 *   deno task serve                                  # http://127.0.0.1:8000
 *   deno task serve --port 9000 --runs-dir /somewhere/runs --host 0.0.0.0
 *
 * The route table is here; pages are in routes/, browser code in islands/.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { Layout } from "./components/Layout.tsx";
import { InputError } from "./core/errors.ts";
import { ensureIslands } from "./islands/build.ts";
import { cancelTraining, queryDrawing, startTraining, trainingEvents } from "./routes/api.ts";
import ComparePage from "./routes/compare.tsx";
import { createDashboard, type Dashboard, type DashboardOptions } from "./routes/context.ts";
import DrawPage from "./routes/draw.tsx";
import ExperimentsPage from "./routes/experiments.tsx";
import { backQueryImage, hiddenImage, runFile, staticFile, testImage } from "./routes/files.ts";
import RunsPage from "./routes/index.tsx";
import RunPage from "./routes/run.tsx";
import TrainPage from "./routes/train.tsx";
import { type CommandSpec, integerFlag, parseFlags, runMain } from "./scripts/support.ts";

const DEFAULTS = {
  port: "8000",
  host: "127.0.0.1", // only this machine; --host 0.0.0.0 to be seen from others (e.g. a Pi)
  "runs-dir": "data/runs",
  "sweeps-dir": "data/sweeps",
};

/** Request bodies: an uploaded image up to 5 MB, JSON up to 1 MB. */
const IMAGE_LIMIT = 5 * 1024 * 1024;
const JSON_LIMIT = 1024 * 1024;

export const SPEC: CommandSpec = {
  usage: "serve [flags]",
  summary: "The dashboard: runs, charts, brain scans, a digit you draw, training from the browser.",
  flags: {
    port: { type: "string", default: DEFAULTS.port, value: "N", description: "port to listen on" },
    host: { type: "string", default: DEFAULTS.host, value: "ADDRESS", description: "address to listen on" },
    "runs-dir": { type: "string", default: DEFAULTS["runs-dir"], value: "DIR", description: "saved runs" },
    "sweeps-dir": {
      type: "string",
      default: DEFAULTS["sweeps-dir"],
      value: "DIR",
      description: "saved sweeps",
    },
  },
};

const STARTED = Date.now();

/**
 * GET /api/health: that the server is up, for how long, and its memory in MB — for a
 * dashboard left running on a Pi. When Deno runs with --v8-flags=--expose-gc, garbage is
 * collected first, so heapUsed is the memory really in use.
 */
function health(c: Context) {
  (globalThis as { gc?: () => void }).gc?.();
  const memory = Deno.memoryUsage();
  const megabytes = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
  return c.json({
    ok: true,
    uptimeSeconds: Math.round((Date.now() - STARTED) / 1000),
    rss: megabytes(memory.rss),
    heapUsed: megabytes(memory.heapUsed),
    heapTotal: megabytes(memory.heapTotal),
  });
}

/** A page as HTML. */
function html(c: Context, page: VNode, status: 200 | 404 | 500 = 200) {
  return c.html("<!doctype html>" + renderToString(page), status);
}

function notFoundPage(c: Context) {
  return html(
    c,
    Layout({
      title: "Not found",
      children: h(
        "p",
        null,
        `There is no page at ${c.req.path}. `,
        h("a", { href: "/" }, "Back to the runs"),
        ".",
      ),
    }),
    404,
  );
}

/** The app for these folders; `app.request()` drives it in tests without a port. */
export function createApp(options: DashboardOptions): { app: Hono; dashboard: Dashboard } {
  const dashboard = createDashboard(options);
  const app = new Hono();
  const tooLarge = (c: Context) => c.json({ error: "the request body is too large" }, 413);

  app.get("/", async (c) => html(c, await RunsPage(dashboard)));
  app.get("/runs/:id", async (c) => {
    const id = c.req.param("id");
    if (!dashboard.runDirectory(id) || !(await Deno.stat(`${options.runsDir}/${id}`).catch(() => false))) {
      return notFoundPage(c);
    }
    return html(c, await RunPage(dashboard, id));
  });
  app.get("/runs/:id/files/:name", (c) => runFile(c, dashboard));
  app.get("/runs/:id/test/:index", (c) => testImage(c, dashboard));
  app.get("/runs/:id/backquery/:label", (c) => backQueryImage(c, dashboard));
  app.get("/runs/:id/hidden.png", (c) => hiddenImage(c, dashboard));
  app.get("/compare", async (c) => {
    const ids = (c.req.query("runs") ?? "").split(",").filter(Boolean);
    if (ids.length === 0 || ids.some((id) => !dashboard.runDirectory(id))) return notFoundPage(c);
    return html(c, await ComparePage(dashboard, ids));
  });
  app.get("/experiments", async (c) => html(c, await ExperimentsPage(dashboard)));
  app.get("/draw", async (c) => html(c, await DrawPage(dashboard, c.req.query("run"))));
  app.get("/train", (c) => html(c, TrainPage(dashboard)));
  app.post(
    "/api/query",
    bodyLimit({ maxSize: IMAGE_LIMIT, onError: tooLarge }),
    (c) => queryDrawing(c, dashboard),
  );
  app.post(
    "/api/train",
    bodyLimit({ maxSize: JSON_LIMIT, onError: tooLarge }),
    (c) => startTraining(c, dashboard),
  );
  app.post("/api/train/cancel", (c) => cancelTraining(c, dashboard));
  app.get("/api/train/events", (c) => trainingEvents(c, dashboard));
  app.get("/api/health", (c) => health(c));
  app.get("/static/:path{.+}", (c) => staticFile(c));
  app.notFound(notFoundPage);
  app.onError((error, c) => {
    if (error instanceof InputError || error instanceof Deno.errors.NotFound) {
      // a run that cannot be read: say so on its page, the rest of the dashboard is unaffected
      return html(
        c,
        Layout({ title: "This run cannot be read", children: h("p", { class: "error" }, error.message) }),
        500,
      );
    }
    console.error(error);
    return html(
      c,
      Layout({ title: "Something went wrong", children: h("p", { class: "error" }, String(error)) }),
      500,
    );
  });
  return { app, dashboard };
}

/** Build stale islands, then serve until stopped. */
export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const port = integerFlag(flags.port, "port", 0);
  if (port > 65535) throw new InputError(`--port must be at most 65535, got ${port}`);
  if (await ensureIslands()) console.error("built the islands' bundle");
  const { app } = createApp({ runsDir: String(flags["runs-dir"]), sweepsDir: String(flags["sweeps-dir"]) });
  const hostname = String(flags.host);
  Deno.serve({
    port,
    hostname,
    onListen: ({ port }) =>
      console.log(`myonn dashboard on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}`),
  }, app.fetch);
}

if (import.meta.main) await runMain(main);
