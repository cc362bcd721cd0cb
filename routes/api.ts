/**
 * The JSON endpoints, only where the browser needs live data: reading a drawing, and
 * the background training (start, cancel, progress as server-sent events).
 *
 * @module
 */
import type { Context } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { QueryAnswer } from "../components/props.ts";
import { decodeGrey, imageSize, LABELS, mnistStyle, PIXELS, scalePixels } from "../core/data/mod.ts";
import { type ImageReader, ReaderBusyError } from "../core/jobs/mod.ts";
import { InputError, SettingError } from "../core/errors.ts";
import { query } from "../core/model/mod.ts";
import { parseSettings, type SettingKey, SETTINGS } from "../core/settings.ts";
import type { Setting } from "../core/values.ts";
import {
  checkDashboardLimits,
  type Dashboard,
  DASHBOARD_DEFAULTS,
  DASHBOARD_SETTINGS,
  hidePaths,
  QUEUE_LENGTH,
} from "./context.ts";
import { checkWritableFolder, readRunRecord, RUN_ID } from "../core/store/mod.ts";
import { type BodyReader, RequestRefused, requireJson } from "./guard.ts";

/** Request bodies: an uploaded image up to 5 MB, JSON up to 1 MB. */
export const IMAGE_LIMIT = 5 * 1024 * 1024;
export const JSON_LIMIT = 1024 * 1024;
import { trainingJob } from "../core/jobs/mod.ts";

/** The largest image the dashboard reads: a 16-megapixel phone photo (the command line takes 25). */
export const SERVER_MAX_PIXELS = 16_000_000;
/** Images up to this size (a drawing is 78,400 pixels) are read at once; larger ones on the image Worker. */
const INLINE_PIXELS = 250_000;

/**
 * The 28×28 input for an uploaded image: refused past SERVER_MAX_PIXELS before any decoding,
 * read at once when small, on the image reader's Worker when large (503 when it is full).
 */
async function readImage(bytes: Uint8Array, images: ImageReader): Promise<Uint8Array> {
  const size = imageSize(bytes);
  if (size && size.width * size.height > SERVER_MAX_PIXELS) {
    throw new InputError(
      `the image is ${size.width}×${size.height} pixels, more than the ${
        SERVER_MAX_PIXELS / 1e6
      } megapixels ` +
        `the dashboard reads: make it smaller`,
    );
  }
  if (!size || size.width * size.height <= INLINE_PIXELS) {
    return mnistStyle(await decodeGrey(bytes, "the image"), "the image");
  }
  try {
    return await images.read(bytes, "the image");
  } catch (error) {
    if (error instanceof ReaderBusyError) throw new RequestRefused(503, error.message);
    throw error;
  }
}

/** A 400 with a message, as JSON. */
function badRequest(c: Context, message: string) {
  return c.json({ error: message }, 400);
}

/**
 * POST /api/query?run=ID: the body is an image (PNG, JPEG or GIF: a drawing or a photo)
 * or JSON {"pixels": [784 numbers 0–255]}. Answers the 28×28 input, the ten outputs, the
 * answer and its confidence, and the server time in milliseconds.
 */
export async function queryDrawing(
  c: Context,
  dashboard: Dashboard,
  { bodies, images }: { bodies: BodyReader; images: ImageReader },
) {
  const started = performance.now();
  const id = c.req.query("run") ?? "";
  if (!dashboard.runDirectory(id)) return c.json({ error: `no run "${id}"` }, 404);
  let pixels: Uint8Array;
  const json = (c.req.header("content-type") ?? "").includes("application/json");
  const bytes = await bodies.read(c, json ? JSON_LIMIT : IMAGE_LIMIT);
  // the network first: a run that does not exist (or cannot be read) is 404 whatever the body
  let view;
  try {
    view = await dashboard.view(id);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return c.json({ error: `no readable run "${id}"` }, 404);
  }
  try {
    if (json) {
      let body: { pixels?: unknown };
      try {
        body = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        return badRequest(c, "the body is not valid JSON");
      }
      const values = body?.pixels;
      if (!Array.isArray(values) || values.length !== PIXELS) {
        return badRequest(c, `"pixels" must be a list of ${PIXELS} numbers 0–255`);
      }
      if (!values.every((value) => typeof value === "number" && value >= 0 && value <= 255)) {
        return badRequest(c, `"pixels" must hold numbers 0–255`);
      }
      pixels = Uint8Array.from(values, Math.round);
    } else {
      pixels = await readImage(bytes, images);
    }
  } catch (error) {
    if (error instanceof InputError) return badRequest(c, error.message);
    throw error;
  }
  const inputs = scalePixels(pixels);
  const outputs = Array.from(query(view.net, inputs));
  const answer = outputs.indexOf(Math.max(...outputs));
  // the first hidden layer's signals for this drawing (query leaves them in the network): the 8 that fired most
  const hidden = Array.from(view.net.signals[1]);
  const fired = hidden.map((signal, node) => ({ node, signal })).sort((a, b) => b.signal - a.signal).slice(
    0,
    8,
  );
  return c.json<QueryAnswer & { ms: number }>({
    pixels: Array.from(pixels),
    outputs,
    answer,
    fired: fired.map(({ node, signal }) => ({ node, signal: Number(signal.toFixed(4)) })),
    confidence: outputs[answer],
    ms: performance.now() - started,
  });
}

/**
 * POST /api/train: start a training from a JSON object of settings (the keys of
 * DASHBOARD_SETTINGS, checked by core/settings.ts and the dashboard's limits); 400 for an
 * unknown field or a bad value, 409 if a training is running.
 */
export async function postTrain(c: Context, dashboard: Dashboard, bodies: BodyReader) {
  requireJson(c);
  const text = new TextDecoder().decode(await bodies.read(c, JSON_LIMIT));
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error();
  } catch {
    return badRequest(c, "the body must be a JSON object of training settings");
  }
  // two fields beyond the settings: brain scans after every epoch, and a saved run's weights to start from
  const { backQueryEveryEpoch, initRun } = body;
  delete body.backQueryEveryEpoch;
  delete body.initRun;
  const unknown = Object.keys(body).find((key) => !DASHBOARD_SETTINGS.includes(key as SettingKey));
  if (unknown !== undefined) {
    return badRequest(
      c,
      `unknown field "${unknown.slice(0, 40)}": use ${
        DASHBOARD_SETTINGS.join(", ")
      }, backQueryEveryEpoch, initRun`,
    );
  }
  if (backQueryEveryEpoch !== undefined && backQueryEveryEpoch !== "yes" && backQueryEveryEpoch !== "no") {
    return badRequest(c, `backQueryEveryEpoch must be "yes" or "no"`);
  }
  if (initRun !== undefined && initRun !== "" && (typeof initRun !== "string" || !RUN_ID.test(initRun))) {
    return badRequest(c, "initRun must be the id of a saved run");
  }
  // a blank field is not a silent default: blank is allowed only where the setting may be unset (limits, name)
  for (const [key, value] of Object.entries(body)) {
    const setting = SETTINGS[key as SettingKey] as Setting<unknown>;
    if (typeof value !== "string" || value.trim() !== "") continue;
    if (setting.default === undefined) delete body[key];
    else if (setting.default !== "") {
      return c.json({ error: `${key} is blank: give ${setting.range}`, field: key }, 400);
    }
  }
  let settings;
  try {
    settings = parseSettings(body, { defaults: DASHBOARD_DEFAULTS, spell: (key) => key });
    checkDashboardLimits(settings, (key) => key);
  } catch (error) {
    // the setting it is about, so the form can mark its field
    if (error instanceof SettingError) return c.json({ error: error.message, field: error.setting }, 400);
    if (error instanceof InputError) return badRequest(c, error.message);
    throw error;
  }
  // before any work: a runs folder that cannot be written would lose the training at its end
  try {
    await checkWritableFolder(dashboard.runsDir, "save runs", "the server's runs folder is read-only");
  } catch (error) {
    if (error instanceof InputError) {
      return c.json({ error: hidePaths(error.message, dashboard.runsDir) }, 503);
    }
    throw error;
  }
  const initWeights = typeof initRun === "string" && initRun !== ""
    ? `${dashboard.runsDir}/${initRun}`
    : null;
  if (initWeights) {
    // the weights must fit the network asked for: said now, not as a failed training later
    const layers = [PIXELS, ...settings.hidden, LABELS].join("-");
    let theirs: string;
    try {
      theirs = (await readRunRecord(initWeights)).config.layers.join("-");
    } catch (error) {
      if (error instanceof InputError) return badRequest(c, hidePaths(error.message, dashboard.runsDir));
      throw error;
    }
    if (theirs !== layers) {
      return badRequest(c, `initRun ${initRun} is a ${theirs} network; this training is ${layers}`);
    }
  }
  const job = trainingJob(settings, {
    save: { runsDir: dashboard.runsDir, name: settings.name },
    initWeights,
    backQueryEveryEpoch: backQueryEveryEpoch === "yes",
  });
  const place = dashboard.training.enqueue(job);
  if (place < 0) {
    return c.json({ error: `${QUEUE_LENGTH} trainings are waiting already: wait for one to start` }, 409);
  }
  return c.json(place === 0 ? { started: true } : { queued: place }, 202);
}

/** POST /api/train/cancel — `{ "all": true }` also drops the trainings waiting in the queue. */
export async function cancelTraining(c: Context, dashboard: Dashboard, bodies: BodyReader) {
  requireJson(c);
  const text = new TextDecoder().decode(await bodies.read(c, JSON_LIMIT));
  let all = false;
  try {
    all = JSON.parse(text || "{}")?.all === true;
  } catch {
    return badRequest(c, 'the body must be JSON: {} or { "all": true }');
  }
  return c.json({ cancelled: await dashboard.training.cancel(all) });
}

/** GET /api/train/events: the training's status now, then every change, as server-sent events. */
export function trainingEvents(c: Context, dashboard: Dashboard, streams: { open: number; max: number }) {
  // each stream holds a connection open for as long as the page is: a cap keeps them from filling the server
  if (streams.open >= streams.max) {
    return c.json({ error: `${streams.max} pages are watching already: try again later` }, 503);
  }
  streams.open++;
  return streamSSE(c, async (stream) => {
    try {
      await followTraining(stream, dashboard);
    } finally {
      streams.open--;
    }
  });
}

/** Send the training's status now and at every change, with a comment now and then, until the page goes. */
async function followTraining(stream: SSEStreamingApi, dashboard: Dashboard): Promise<void> {
  let wake: (() => void) | undefined;
  const queue = [dashboard.training.status];
  const stop = dashboard.training.listen((status) => {
    queue.push(status);
    wake?.();
  });
  stream.onAbort(() => {
    stop();
    wake?.();
  });
  while (!stream.aborted) {
    while (queue.length) await stream.writeSSE({ data: JSON.stringify(queue.shift()) });
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, 15_000); // a comment now and then keeps proxies from closing the stream
    });
    if (!queue.length && !stream.aborted) await stream.write(": keep-alive\n\n");
  }
  stop();
}
