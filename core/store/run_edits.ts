/**
 * Keeping runs: a run's name, note and tags changed in its run.json (replaced atomically),
 * and runs deleted into a trash folder inside the runs folder — `<runs>/.trash/<ms>-<id>/`,
 * the time of deletion in its name — from where they are restored whole (a folder moved
 * back: the same files, byte for byte) or emptied after a while (`serve --trash-days`).
 * The command line (`runs`) and the dashboard's API both do it through here.
 *
 * @module
 */
import { InputError, NotFoundError } from "../errors.ts";
import { replaceFile } from "./atomic.ts";
import { exists, listFolder } from "./files.ts";
import { MAX_NOTE, MAX_TAGS, RUN_ID, type RunRecord, TAG } from "./run_format.ts";
import { readRunRecord } from "./runs.ts";

/** The trash folder's name inside a runs folder (hidden: the runs list skips it). */
export const TRASH = ".trash";
/** The longest name (as `--name` allows). */
export const MAX_NAME = 60;

/** A run id, checked: a run folder's name, never a path. */
function checkedId(id: string): string {
  if (!RUN_ID.test(id)) throw new NotFoundError(`no run "${id}"`);
  return id;
}

/** What may change: each field given is set. */
export interface RunChanges {
  name?: string;
  note?: string;
  tags?: string[];
}

/** The changes, checked: an InputError names the field and what it must be. */
export function checkRunChanges(changes: RunChanges): RunChanges {
  const { name, note, tags } = changes;
  // deno-lint-ignore no-control-regex
  const control = /[\u0000-\u001f\u007f]/;
  if (name !== undefined && (typeof name !== "string" || name.length > MAX_NAME || control.test(name))) {
    throw new InputError(`a run's name must be text of at most ${MAX_NAME} characters on one line`);
  }
  if (name !== undefined && name.trim() === "") {
    throw new InputError("a run's new name must not be empty (its id stays its name where it has none)");
  }
  if (name !== undefined && /[/\\]/.test(name)) {
    throw new InputError(`a run's name is a name, not a path: no / or \\ (got "${name.slice(0, 60)}")`);
  }
  if (note !== undefined && (typeof note !== "string" || note.length > MAX_NOTE)) {
    throw new InputError(`a run's note must be text of at most ${MAX_NOTE.toLocaleString("en")} characters`);
  }
  if (tags !== undefined) {
    if (
      !Array.isArray(tags) || tags.length > MAX_TAGS ||
      !tags.every((tag) => typeof tag === "string" && TAG.test(tag))
    ) {
      throw new InputError(
        `a run's tags must be at most ${MAX_TAGS} words of letters, digits, . _ - (up to 32 each), got ${
          JSON.stringify(tags).slice(0, 80)
        }`,
      );
    }
  }
  return {
    ...(name !== undefined ? { name: name.trim() } : {}),
    ...(note !== undefined ? { note } : {}),
    ...(tags !== undefined ? { tags: [...new Set(tags)] } : {}),
  };
}

/** Set a run's name, note or tags (in its run.json, replaced atomically); returns the record as written. */
export async function editRun(runsDir: string, id: string, changes: RunChanges): Promise<RunRecord> {
  const directory = `${runsDir}/${checkedId(id)}`;
  const record = await readRunRecord(directory);
  const checked = checkRunChanges(changes);
  const edited: RunRecord = { ...record, ...checked };
  if (edited.note === "") delete edited.note;
  if (edited.tags?.length === 0) delete edited.tags;
  await replaceFile(`${directory}/run.json`, JSON.stringify(edited, null, 2) + "\n");
  return edited;
}

/** One run in the trash: its id, when it was deleted, and its folder there. */
export interface TrashedRun {
  id: string;
  deletedAt: Date;
  folder: string;
}

/** Runs in the trash, newest deletion first. */
export async function listTrash(runsDir: string): Promise<TrashedRun[]> {
  const trashed: TrashedRun[] = [];
  for (const entry of await listFolder(`${runsDir}/${TRASH}`)) {
    const match = /^(\d{13})-(.+)$/.exec(entry.name);
    if (!entry.isDirectory || !match || !RUN_ID.test(match[2])) continue;
    trashed.push({
      id: match[2],
      deletedAt: new Date(Number(match[1])),
      folder: `${runsDir}/${TRASH}/${entry.name}`,
    });
  }
  return trashed.sort((a, b) => b.deletedAt.getTime() - a.deletedAt.getTime());
}

/** Move a run into the trash (a folder rename: nothing is copied or rewritten). Returns its place there. */
export async function trashRun(runsDir: string, id: string, now = new Date()): Promise<TrashedRun> {
  const directory = `${runsDir}/${checkedId(id)}`;
  const info = await Deno.lstat(directory).catch(() => undefined);
  if (!info?.isDirectory) throw new NotFoundError(`no run "${id}" in ${runsDir}`);
  await Deno.mkdir(`${runsDir}/${TRASH}`, { recursive: true });
  const folder = `${runsDir}/${TRASH}/${now.getTime()}-${id}`;
  await Deno.rename(directory, folder);
  return { id, deletedAt: now, folder };
}

/** Move a run back from the trash (the latest deletion of that id); refused when a run of that id is there again. */
export async function restoreRun(runsDir: string, id: string): Promise<string> {
  const trashed = (await listTrash(runsDir)).find((entry) => entry.id === checkedId(id));
  if (!trashed) throw new NotFoundError(`no run "${id}" in the trash of ${runsDir}`);
  const directory = `${runsDir}/${id}`;
  if (await exists(directory)) {
    throw new InputError(
      `cannot restore "${id}": ${runsDir} has a run of that id again; rename or delete it first`,
    );
  }
  await Deno.rename(trashed.folder, directory);
  return directory;
}

/** Remove for good the runs deleted more than `keepDays` days before `now`; returns them. */
export async function emptyTrash(runsDir: string, keepDays: number, now = new Date()): Promise<TrashedRun[]> {
  const cutoff = now.getTime() - keepDays * 24 * 3600 * 1000;
  const old = (await listTrash(runsDir)).filter((entry) => entry.deletedAt.getTime() <= cutoff);
  for (const entry of old) await Deno.remove(entry.folder, { recursive: true });
  return old;
}

/**
 * Whether a run matches a filter: `text` (any case) in its id, name, note, tags or settings
 * (its config as JSON: "784-800-10" is found as "800", "cosine" as itself), and `tag` among its tags.
 */
export function matchesFilter(record: RunRecord, filter: { text?: string; tag?: string }): boolean {
  if (filter.tag && !(record.tags ?? []).includes(filter.tag)) return false;
  if (!filter.text) return true;
  const words = [
    record.id,
    record.name,
    record.note ?? "",
    ...(record.tags ?? []),
    JSON.stringify(record.config),
  ];
  return words.join(" ").toLowerCase().includes(filter.text.toLowerCase());
}
