/**
 * Keeping runs from the dashboard: POST /api/runs/:id (name, note, tags), /api/runs/:id/delete
 * (into the trash), /api/runs/:id/restore — the same changes as the `runs` command
 * (core/store/run_edits.ts), each behind the guard's Host, Origin and token checks, a JSON
 * body of at most 16 KB, and refused (409) for a run a training is writing now.
 *
 * @module
 */
import type { Context } from "hono";
import { InputError, NotFoundError } from "../core/errors.ts";
import { resumeJob, trainingRunIds } from "../core/jobs/mod.ts";
import { editRun, restoreRun, RUN_ID, type RunChanges, trashRun } from "../core/store/mod.ts";
import { type Dashboard, hidePaths } from "./context.ts";
import { type BodyReader, requireJson } from "./guard.ts";

/** The largest body of an edit: a note of 2,000 characters and 20 tags fit many times over. */
const EDIT_LIMIT = 16 * 1024;

/** The JSON object a request carries, or undefined when it is not one. */
async function jsonObject(c: Context, bodies: BodyReader): Promise<Record<string, unknown> | undefined> {
  requireJson(c);
  const text = new TextDecoder().decode(await bodies.read(c, EDIT_LIMIT));
  try {
    const body = JSON.parse(text || "{}");
    return typeof body === "object" && body !== null && !Array.isArray(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

/** A 409 when a training (the dashboard's own, or one from the command line) is writing run `id`. */
async function busy(c: Context, dashboard: Dashboard, id: string): Promise<Response | undefined> {
  const own = dashboard.training.status;
  const writing = (own.state === "running" && own.saved?.run === id) ||
    (await trainingRunIds(dashboard.runsDir)).has(id);
  return writing
    ? c.json({ error: `${id} is being trained now: change it when the training has ended` }, 409)
    : undefined;
}

/** An InputError as 400 (404 for a run that is not there), with the runs folder's path hidden. */
function refused(c: Context, dashboard: Dashboard, error: unknown): Response {
  if (!(error instanceof InputError)) throw error;
  return c.json(
    { error: hidePaths(error.message, dashboard.runsDir) },
    error instanceof NotFoundError ? 404 : 400,
  );
}

/** POST /api/runs/:id — { name?, note?, tags? }: each given field set. */
export async function postRunEdit(c: Context, dashboard: Dashboard, bodies: BodyReader) {
  const id = c.req.param("id")!;
  const body = await jsonObject(c, bodies);
  if (!body) return c.json({ error: "the body must be a JSON object: { name?, note?, tags? }" }, 400);
  const unknown = Object.keys(body).find((key) => !["name", "note", "tags"].includes(key));
  if (unknown !== undefined) {
    return c.json({ error: `unknown field "${unknown.slice(0, 40)}": use name, note, tags` }, 400);
  }
  const refusal = await busy(c, dashboard, id);
  if (refusal) return refusal;
  try {
    const record = await editRun(dashboard.runsDir, id, body as RunChanges);
    return c.json({ id: record.id, name: record.name, note: record.note ?? "", tags: record.tags ?? [] });
  } catch (error) {
    return refused(c, dashboard, error);
  }
}

/** POST /api/runs/:id/delete: the run into the trash. */
export async function postRunDelete(c: Context, dashboard: Dashboard, bodies: BodyReader) {
  const id = c.req.param("id")!;
  await jsonObject(c, bodies);
  const refusal = await busy(c, dashboard, id);
  if (refusal) return refusal;
  try {
    const trashed = await trashRun(dashboard.runsDir, id);
    return c.json({ trashed: id, deletedAt: trashed.deletedAt.toISOString() });
  } catch (error) {
    return refused(c, dashboard, error);
  }
}

/** POST /api/runs/:id/restore: the run back from the trash. */
export async function postRunRestore(c: Context, dashboard: Dashboard, bodies: BodyReader) {
  const id = c.req.param("id")!;
  await jsonObject(c, bodies);
  try {
    await restoreRun(dashboard.runsDir, id);
    return c.json({ restored: id });
  } catch (error) {
    return refused(c, dashboard, error);
  }
}

/** POST /api/runs/:id/resume: continue an incomplete run from its last epoch, as `train --resume` does. */
export async function postRunResume(c: Context, dashboard: Dashboard, bodies: BodyReader) {
  const id = c.req.param("id")!;
  await jsonObject(c, bodies);
  const refusal = await busy(c, dashboard, id);
  if (refusal) return refusal;
  let job;
  try {
    if (!RUN_ID.test(id)) throw new NotFoundError(`no run "${id}"`);
    job = await resumeJob(`${dashboard.runsDir}/${id}`);
  } catch (error) {
    return refused(c, dashboard, error);
  }
  if (!dashboard.training.start(job)) {
    return c.json({ error: "a training is already running: wait for it or cancel it" }, 409);
  }
  return c.json({ started: true }, 202);
}
