/**
 * The dashboard's app: the route table (Hono), pages rendered on the server with Preact,
 * islands hydrated in the browser. Each route's handler loads its data (routes/*.tsx
 * `load`), then the page renders it. Started by `deno task serve` (scripts/serve.ts), which
 * owns the command line; tests drive `createApp()` with `app.request()`.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { compress } from "hono/compress";
import { h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { Layout } from "./components/Layout.tsx";
import { InputError, NotFoundError } from "./core/errors.ts";
import { createImageReader } from "./core/jobs/mod.ts";
import { cancelTraining, postTrain, queryDrawing, trainingEvents } from "./routes/api.ts";
import BookPage, { load as loadBook } from "./routes/book.tsx";
import ComparePage, { load as loadCompare } from "./routes/compare.tsx";
import ConfusionPage, { load as loadConfusion } from "./routes/confusion.tsx";
import {
  createDashboard,
  type Dashboard,
  type DashboardOptions,
  hidePaths,
  shownLiveTrainings,
} from "./routes/context.ts";
import DrawPage, { load as loadDraw } from "./routes/draw.tsx";
import ExperimentsPage, { load as loadExperiments } from "./routes/experiments.tsx";
import { backQueryImage, hiddenImage, runFile, staticFile, testImage } from "./routes/files.ts";
import { postSweep, sweepStatus } from "./routes/sweeps.ts";
import { postRunDelete, postRunEdit, postRunRestore, postRunResume } from "./routes/run_edits.ts";
import TrashPage, { load as loadTrash } from "./routes/trash.tsx";
import {
  createBodyReader,
  guardRequests,
  LOOPBACK_HOSTS,
  RequestRefused,
  requireToken,
} from "./routes/guard.ts";
import RunsPage, { load as loadRuns, runsFilter } from "./routes/index.tsx";
import RunPage, { load as loadRun } from "./routes/run.tsx";
import TrainPage, { load as loadTrain } from "./routes/train.tsx";

const STARTED = Date.now();
/** Pages that may follow the training's progress at once (each holds a connection open). */
const MAX_EVENT_STREAMS = 32;

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

/** Text gzipped, as the compress middleware would, once. */
async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A page as HTML. */
/** Whether this request may change things (routes/guard.ts requireToken decides): pages show their controls then. */
function canChange(c: Context): boolean {
  return c.get("canChange" as never) === true;
}

function html(c: Context, page: VNode, status: 200 | 404 | 422 | 500 = 200) {
  return c.html("<!doctype html>" + renderToString(page), status);
}

/** A 404 page saying what is missing: `what` (a run, a report…), or else the page's path. */
function notFoundPage(c: Context, what?: string) {
  return html(
    c,
    Layout({
      title: "Not found",
      children: h(
        "p",
        null,
        what
          ? `${what[0].toUpperCase()}${what.slice(1, 300)}. `
          : `There is no page at ${c.req.path.slice(0, 300)}. `,
        h("a", { href: "/" }, "Back to the runs"),
        ".",
      ),
    }),
    404,
  );
}

/** Where the app reads and writes, and the host names it answers to (default: loopback only). */
export interface AppOptions extends DashboardOptions {
  hosts?: readonly string[];
  /** how long a request body may take to arrive (default BODY_SECONDS) */
  bodySeconds?: number;
  /** pages following the training's events at once (default MAX_EVENT_STREAMS) */
  maxEventStreams?: number;
  /** changes (train, cancel, edit, delete, restore) need this token (routes/guard.ts); none: open to all */
  token?: string;
}

/** The app for these folders; `app.request()` drives it in tests without a port. */
export function createApp(options: AppOptions): { app: Hono; dashboard: Dashboard } {
  const dashboard = createDashboard(options);
  const bodies = createBodyReader({ seconds: options.bodySeconds });
  const images = createImageReader();
  const app = new Hono();
  app.use(guardRequests(options.hosts ?? LOOPBACK_HOSTS));
  app.use(requireToken(options.token));
  // text compressed for browsers that ask (pages, scripts, styles, JSON; not the event stream)
  const compressText = compress();
  app.use("*", (c, next) => c.req.path === "/api/train/events" ? next() : compressText(c, next));

  // the runs page rendered once per version of the runs list (and page, and trainings running)
  // (and its gzip, made once too: compressing 100 rows for every request cost more than the rest)
  const renderedRuns = new WeakMap<object, Map<string, { html: string; gzip: Promise<Uint8Array> }>>();
  app.get("/", async (c) => {
    const asked = c.req.query("page") ?? "1";
    const page = /^[1-9]\d{0,5}$/.test(asked) ? Number(asked) : 0;
    const filter = runsFilter((name) => c.req.query(name));
    const data = await loadRuns(dashboard, Math.max(page, 1), filter);
    if (page === 0 || page > data.pages) return notFoundPage(c);
    const pages = renderedRuns.get(data.listings) ?? new Map();
    renderedRuns.set(data.listings, pages);
    // a filtered list is rendered for its request only: a cache keyed by what anyone types would grow without end
    if (filter.text || filter.tag) return c.html("<!doctype html>" + renderToString(RunsPage(data)));
    const key = `${page}:${data.training}:${data.trashed}`;
    if (!pages.has(key)) {
      const html = "<!doctype html>" + renderToString(RunsPage(data));
      pages.set(key, { html, gzip: gzip(html) });
    }
    const rendered = pages.get(key)!;
    c.header("Vary", "Accept-Encoding");
    if (!/\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) return c.html(rendered.html);
    return c.body(await rendered.gzip as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "text/html; charset=UTF-8",
      "Content-Encoding": "gzip",
    });
  });
  app.get(
    "/runs/:id",
    async (c) =>
      html(c, RunPage({ ...await loadRun(dashboard, c.req.param("id")), canChange: canChange(c) })),
  );
  app.get(
    "/runs/:id/confusion/:label/:answer",
    async (c) =>
      html(
        c,
        ConfusionPage(
          await loadConfusion(dashboard, c.req.param("id"), c.req.param("label"), c.req.param("answer")),
        ),
      ),
  );
  app.get("/runs/:id/files/:name", (c) => runFile(c, dashboard));
  app.get("/runs/:id/test/:index", (c) => testImage(c, dashboard));
  app.get("/runs/:id/backquery/:label", (c) => backQueryImage(c, dashboard));
  app.get("/runs/:id/hidden.png", (c) => hiddenImage(c, dashboard));
  app.get("/compare", async (c) => {
    const ids = (c.req.query("runs") ?? "").split(",").filter(Boolean);
    if (ids.length === 0 || ids.length > 20) {
      return notFoundPage(
        c,
        `compare takes 1 to 20 runs, ${ids.length} given: tick them on the runs page and press Compare`,
      );
    }
    return html(c, ComparePage(await loadCompare(dashboard, ids)));
  });
  app.get(
    "/experiments",
    async (c) => html(c, ExperimentsPage({ ...await loadExperiments(dashboard), canChange: canChange(c) })),
  );
  app.get("/book", async (c) => html(c, BookPage(await loadBook(dashboard, c.req.query("report")))));
  app.get("/draw", async (c) => html(c, DrawPage(await loadDraw(dashboard, c.req.query("run")))));
  app.get(
    "/train",
    async (c) => html(c, TrainPage({ ...await loadTrain(dashboard), canChange: canChange(c) })),
  );
  app.get("/api/live", async (c) => c.json({ trainings: await shownLiveTrainings(dashboard) }));
  app.post("/api/query", (c) => queryDrawing(c, dashboard, { bodies, images }));
  app.post("/api/train", (c) => postTrain(c, dashboard, bodies));
  app.post("/api/train/cancel", (c) => cancelTraining(c, dashboard, bodies));
  app.post("/api/runs/:id", (c) => postRunEdit(c, dashboard, bodies));
  app.post("/api/runs/:id/delete", (c) => postRunDelete(c, dashboard, bodies));
  app.post("/api/runs/:id/restore", (c) => postRunRestore(c, dashboard, bodies));
  app.post("/api/runs/:id/resume", (c) => postRunResume(c, dashboard, bodies));
  app.post("/api/sweeps", (c) => postSweep(c, dashboard, bodies));
  app.get("/api/sweeps/status", (c) => sweepStatus(c, dashboard));
  app.get("/trash", async (c) => html(c, TrashPage(await loadTrash(dashboard, canChange(c)))));
  const streams = { open: 0, max: options.maxEventStreams ?? MAX_EVENT_STREAMS };
  app.get("/api/train/events", (c) => trainingEvents(c, dashboard, streams));
  app.get("/api/health", (c) => health(c));
  app.get("/static/:path{.+}", (c) => staticFile(c));
  app.notFound(notFoundPage);
  app.onError((error, c) => {
    // by kind: a refused request says why; a run or file that does not exist is 404; one that cannot be read says why
    if (error instanceof RequestRefused) return c.json({ error: error.message }, error.status);
    if (error instanceof NotFoundError) return notFoundPage(c, hidePaths(error.message, dashboard.runsDir));
    if (error instanceof InputError) {
      const message = hidePaths(error.message, dashboard.runsDir);
      return html(
        c,
        Layout({ title: "This cannot be read", children: h("p", { class: "error" }, message) }),
        422, // the request is fine; what it names (a run's files) cannot be read: said in one line
      );
    }
    console.error(error);
    return html(
      c,
      Layout({
        title: "Something went wrong",
        children: h("p", { class: "error" }, "An unexpected error; see the server's log."),
      }),
      500,
    );
  });
  return { app, dashboard };
}
