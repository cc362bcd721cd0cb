/**
 * Files and pictures of a run: its own files (run.json, weights, saved images) for
 * download, and images made on request — a test record, a brain scan, the hidden nodes.
 * Only names of the expected shape inside the runs folder are served; anything else is 404.
 *
 * @module
 */
import type { Context } from "hono";
import { hiddenNodeSprite } from "../core/experiments/mod.ts";
import { brainScans } from "../core/training/mod.ts";
import { encodePng, PIXELS, SIDE } from "../core/data/mod.ts";
import { InputError } from "../core/errors.ts";
import { readRegularFile } from "../core/store/mod.ts";
import type { Dashboard } from "./context.ts";

/** The largest run file served (weights of a big network). */
const MAX_RUN_FILE = 512 * 1024 * 1024;

// an incomplete run's checkpoint weights (weights_0.epoch2.npy) may be downloaded too
const RUN_FILE =
  /^(run\.json|resilience\.json|weights_\d{1,3}(\.epoch\d{1,5})?\.npy|backquery_[\w.+-]{1,60}\.png)$/;
const TYPES: Record<string, string> = {
  json: "application/json",
  npy: "application/octet-stream",
  png: "image/png",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};

function typeOf(name: string): string {
  return TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream";
}

/** GET /runs/:id/files/:name */
export async function runFile(c: Context, dashboard: Dashboard) {
  const directory = dashboard.runDirectory(c.req.param("id")!);
  const name = c.req.param("name")!;
  if (!directory || !RUN_FILE.test(name)) return c.notFound();
  try {
    const bytes = await readRegularFile(`${directory}/${name}`, { maxBytes: MAX_RUN_FILE });
    // the file's version: its time and size (a weights file is tens of MB: not hashed per request)
    const info = await Deno.stat(`${directory}/${name}`);
    const etag = `"${info.mtime?.getTime() ?? 0}-${info.size}"`;
    return cached(c, bytes, typeOf(name), etag, false, {
      "content-disposition": `inline; filename="${name}"`,
    });
  } catch (error) {
    // missing, a folder, a FIFO, a link to a device: not a file this server hands out
    if (error instanceof InputError) return c.notFound();
    throw error;
  }
}

/**
 * A response the browser may keep: with an ETag, a request that already holds this version
 * (If-None-Match) gets 304 and no body. `immutable`: the name changes when the content does
 * (the islands' hashed chunks), so it may be kept a year without asking.
 */
function cached(
  c: Context,
  bytes: Uint8Array,
  type: string,
  etag: string,
  immutable = false,
  extra: Record<string, string> = {},
) {
  const headers = {
    etag,
    "content-type": type,
    "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    ...extra,
  };
  // the browser sends back what it got: compression makes a strong tag weak (W/"…"), so compare without it
  const held = (c.req.header("if-none-match") ?? "").split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  if (held.includes(etag)) return c.body(null, 304, headers);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, headers);
}

/** A picture drawn from a run: drawn once per version of the run (its run.json's time), then served from memory. */
async function runPicture(c: Context, dashboard: Dashboard, id: string, draw: () => Promise<Uint8Array>) {
  const { bytes, version } = await dashboard.picture(
    id,
    `${c.req.path}:${c.req.query("scale") ?? ""}:${c.req.query("nodes") ?? ""}`,
    draw,
  );
  return cached(c, bytes, "image/png", `"${version}"`);
}

/** A strong ETag from the content. */
async function contentTag(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes as Uint8Array<ArrayBuffer>));
  return `"${Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

/** An integer path or query parameter within [min, max], or undefined. */
function bounded(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || !/^\d{1,6}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** GET /runs/:id/test/:index.png — a record of the run's test set, twice the size. */
export async function testImage(c: Context, dashboard: Dashboard) {
  const id = c.req.param("id")!;
  if (!dashboard.runDirectory(id)) return c.notFound();
  const test = await dashboard.testSet(id).catch((error) => {
    if (error instanceof InputError) return undefined; // a test set that cannot be read: no pictures of it
    throw error;
  });
  if (!test) return c.notFound();
  const index = bounded(c.req.param("index")?.replace(/\.png$/, ""), 0, test.count - 1);
  if (index === undefined) return c.notFound();
  return runPicture(
    c,
    dashboard,
    id,
    () => encodePng(test.images.slice(index * PIXELS, (index + 1) * PIXELS), SIDE, { scale: 2 }),
  );
}

/** GET /runs/:id/backquery/:label.png?scale=N — the brain scan of a label. */
export async function backQueryImage(c: Context, dashboard: Dashboard) {
  const id = c.req.param("id")!;
  const label = bounded(c.req.param("label")?.replace(/\.png$/, ""), 0, 9);
  const scale = c.req.query("scale") === undefined ? 1 : bounded(c.req.query("scale"), 1, 20);
  if (!dashboard.runDirectory(id) || label === undefined || scale === undefined) return c.notFound();
  const { net } = await dashboard.view(id);
  return runPicture(c, dashboard, id, () => encodePng(brainScans(net, [label])[0].pixels, SIDE, { scale }));
}

/** GET /runs/:id/hidden.png — every first-layer hidden node's incoming weights. */
export async function hiddenImage(c: Context, dashboard: Dashboard) {
  const id = c.req.param("id")!;
  if (!dashboard.runDirectory(id)) return c.notFound();
  const { run } = await dashboard.view(id);
  // ?nodes=3,17,…: just those nodes, larger (at most 16, each a node of the first layer)
  const asked = c.req.query("nodes");
  if (asked === undefined) return runPicture(c, dashboard, id, () => hiddenNodeSprite(run.weights[0]));
  const nodes = asked.split(",").map((text) => /^\d{1,6}$/.test(text) ? Number(text) : NaN);
  if (nodes.length > 16 || nodes.some((node) => !(node < run.weights[0].rows))) return c.notFound();
  return runPicture(
    c,
    dashboard,
    id,
    () => hiddenNodeSprite(run.weights[0], { nodes, scale: 3, columns: 8 }),
  );
}

/** GET /static/:path — the app's own static files (found beside this code, not the current directory). */
export async function staticFile(c: Context) {
  const path = c.req.param("path") ?? "";
  if (!/^(islands\/)?[\w-]+\.(css|js|svg)$/.test(path)) return c.notFound();
  try {
    const bytes = await readRegularFile(new URL(`../static/${path}`, import.meta.url), {
      maxBytes: 16 << 20,
    });
    // the islands' chunks carry a hash of their content in their names
    return cached(
      c,
      bytes,
      typeOf(path),
      await contentTag(bytes),
      /^islands\/\w+-[A-Z0-9]{8}\.js$/.test(path),
    );
  } catch (error) {
    if (error instanceof InputError) return c.notFound();
    throw error;
  }
}
