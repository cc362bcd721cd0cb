/**
 * The JSON endpoints, only where the browser needs live data: reading a drawing, and
 * the background training (start, cancel, progress as server-sent events).
 *
 * @module
 */
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { LABELS, PIXELS } from "../core/data/dataset.ts";
import { InputError } from "../core/errors.ts";
import { decodeGrey, mnistStyle } from "../core/data/images.ts";
import { inkOf } from "../core/training/ink.ts";
import { PRECISIONS } from "../core/kernels/plain.ts";
import { query } from "../core/model/network.ts";
import {
  choiceFlag,
  integerFlag,
  integerListFlag,
  nonNegativeNumberFlag,
  positiveNumberFlag,
} from "../scripts/support.ts";
import type { Dashboard } from "./context.ts";

/** A 400 with a message, as JSON. */
function badRequest(c: Context, message: string) {
  return c.json({ error: message }, 400);
}

/**
 * POST /api/query?run=ID: the body is an image (PNG, JPEG or GIF: a drawing or a photo)
 * or JSON {"pixels": [784 numbers 0–255]}. Answers the 28×28 input, the ten outputs, the
 * answer and its confidence, and the server time in milliseconds.
 */
export async function queryDrawing(c: Context, dashboard: Dashboard) {
  const started = performance.now();
  const id = c.req.query("run") ?? "";
  if (!dashboard.runDirectory(id)) return c.json({ error: `no run "${id}"` }, 404);
  let pixels: Uint8Array;
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  try {
    if ((c.req.header("content-type") ?? "").includes("application/json")) {
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
      pixels = mnistStyle(await decodeGrey(bytes, "the image"), "the image");
    }
  } catch (error) {
    if (error instanceof InputError) return badRequest(c, error.message);
    throw error;
  }
  let view;
  try {
    view = await dashboard.view(id);
  } catch {
    return c.json({ error: `no readable run "${id}"` }, 404);
  }
  const inputs = Float64Array.from(pixels, (pixel) => 0.01 + inkOf(pixel));
  const outputs = Array.from(query(view.net, inputs));
  const answer = outputs.indexOf(Math.max(...outputs));
  return c.json({
    pixels: Array.from(pixels),
    outputs,
    answer,
    confidence: outputs[answer],
    ms: performance.now() - started,
  });
}

/** POST /api/train: start a training from the form's fields; 409 if one is running. */
export async function startTraining(c: Context, dashboard: Dashboard) {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(await c.req.text());
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error();
  } catch {
    return badRequest(c, "the body must be a JSON object of training settings");
  }
  let job, epochs;
  try {
    const field = (
      name: string,
      fallback: string,
    ) => (body[name] === undefined ? fallback : String(body[name]));
    epochs = integerFlag(field("epochs", "1"), "epochs");
    if (epochs > 100) throw new InputError("--epochs must be at most 100 here");
    job = {
      config: {
        layers: [PIXELS, ...integerListFlag(field("hidden", "200"), "hidden"), LABELS],
        learningRate: positiveNumberFlag(field("lr", "0.1"), "lr"),
        epochs,
        seed: integerFlag(field("seed", "1"), "seed", 0),
        rotate: nonNegativeNumberFlag(field("rotate", "0"), "rotate"),
        init: "book" as const,
        rule: "book" as const,
        precision: choiceFlag(field("precision", "f32"), "precision", PRECISIONS),
        kernels: "wasm" as const,
        initWeights: null,
      },
      train: "mnist:train",
      test: "mnist:test",
      limitTrain: body.limitTrain === undefined
        ? undefined
        : integerFlag(String(body.limitTrain), "limitTrain"),
      limitTest: body.limitTest === undefined ? undefined : integerFlag(String(body.limitTest), "limitTest"),
      save: {
        runsDir: dashboard.runsDir,
        name: body.name === undefined ? "" : String(body.name).slice(0, 60),
      },
    };
  } catch (error) {
    if (error instanceof InputError) return badRequest(c, error.message.replace(/^--/, ""));
    throw error;
  }
  if (!dashboard.training.start(job, epochs)) {
    return c.json({ error: "a training is already running: wait for it or cancel it" }, 409);
  }
  return c.json({ started: true }, 202);
}

/** POST /api/train/cancel */
export function cancelTraining(c: Context, dashboard: Dashboard) {
  return c.json({ cancelled: dashboard.training.cancel() });
}

/** GET /api/train/events: the training's status now, then every change, as server-sent events. */
export function trainingEvents(c: Context, dashboard: Dashboard) {
  return streamSSE(c, async (stream) => {
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
  });
}
