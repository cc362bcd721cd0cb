/**
 * Writing without ever leaving half a file or half a folder: a new folder is written under
 * a hidden temporary name and renamed into place (the rename is the claim on its name, so
 * two writers never share a folder); a file is replaced through a temporary file and a
 * rename. Every save in myonn goes through these two functions.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { exists } from "./files.ts";

/** What goes into a folder: file name → bytes or text. */
export type FolderFiles = Record<string, Uint8Array | string>;

/** The bytes of a file's contents. */
function bytesOf(contents: Uint8Array | string): Uint8Array {
  return typeof contents === "string" ? new TextEncoder().encode(contents) : contents;
}

/**
 * Make `parent/<base>` with `files(id)` in it, atomically: written into a hidden temporary
 * folder, then renamed. If the name is taken (two writers in the same second) the id gets a
 * suffix `-2`, `-3`, …; `files` is asked again with the final id, so every file agrees with
 * the folder's name. Returns the folder and its id.
 */
export async function writeFolderAtomically(
  parent: string,
  base: string,
  files: (id: string) => FolderFiles,
): Promise<{ directory: string; id: string }> {
  await makeFolder(parent);
  // the writer's process id in the name: a folder left by a killed writer can be told from a live one's
  let temporary: string;
  try {
    temporary = await Deno.makeTempDir({ dir: parent, prefix: `.saving-${Deno.pid}-${base}-` });
  } catch (error) {
    throw writeError(parent, error);
  }
  try {
    let written: FolderFiles = {};
    for (let attempt = 1;; attempt++) {
      const id = attempt === 1 ? base : `${base}-${attempt}`;
      const contents = files(id);
      for (const [name, value] of Object.entries(contents)) {
        // files that do not depend on the id are written once
        if (written[name] !== value) await Deno.writeFile(`${temporary}/${name}`, bytesOf(value));
      }
      written = contents;
      const directory = `${parent}/${id}`;
      try {
        await Deno.rename(temporary, directory);
        return { directory, id };
      } catch (error) {
        // the name is taken (rename onto a non-empty folder fails): try the next suffix
        if (!(await exists(directory)) || attempt > 1000) throw error;
      }
    }
  } catch (error) {
    await Deno.remove(temporary, { recursive: true }).catch(() => {});
    throw writeError(`${parent}/${base}`, error);
  }
}

/** The one-line error for a write that failed: what, where, and the system's reason. */
export function writeError(path: string, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const reason = (error as Error).message.replace(/ \(os error \d+\).*$/, "");
  return new InputError(`Cannot write ${path}: ${reason}`);
}

/**
 * Write `contents` to `path` through a temporary file and a rename: the old file or the new
 * one, never half. A failure (a full disk, a read-only folder) is an InputError naming the path.
 */
export async function replaceFile(path: string, contents: Uint8Array | string): Promise<void> {
  await replaceFileWith(path, async (file) => {
    const bytes = bytesOf(contents);
    for (let offset = 0; offset < bytes.length;) offset += await file.write(bytes.subarray(offset));
  });
}

/**
 * Like {@link replaceFile}, for contents written piece by piece (a 110 MB CSV): `write` gets
 * the temporary file; it is synced and renamed into place only when `write` finishes.
 */
export async function replaceFileWith(
  path: string,
  write: (file: Deno.FsFile) => Promise<void>,
): Promise<void> {
  const temporary = `${path}.${Deno.pid}.tmp`;
  try {
    {
      using file = await Deno.open(temporary, { write: true, create: true, truncate: true });
      await write(file);
      await file.sync();
    }
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw writeError(path, error);
  }
}

/**
 * Make sure files can be written in `folder` (made, with its parents, if missing) before
 * long work starts: a temporary file is written and removed. An InputError "Cannot <what> in
 * <folder>: <why> (<hint>)" when it cannot.
 */
export async function checkWritableFolder(folder: string, what: string, hint: string): Promise<void> {
  try {
    await Deno.mkdir(folder, { recursive: true });
    const probe = await Deno.makeTempFile({ dir: folder, prefix: ".probe-" });
    await Deno.remove(probe);
  } catch (error) {
    throw new InputError(`Cannot ${what} in ${folder}: ${(error as Error).message} (${hint})`);
  }
}

/** Make a folder (and its parents) for output; an InputError naming it when that cannot be done. */
export async function makeFolder(path: string): Promise<void> {
  try {
    await Deno.mkdir(path, { recursive: true });
  } catch (error) {
    throw writeError(path, error);
  }
}

/** Whether a process with this id is running (Linux: /proc; elsewhere assumed running, so nothing is removed). */
function processRuns(pid: number): boolean {
  if (pid === Deno.pid) return true;
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound) || Deno.build.os !== "linux";
  }
}

/** Leftovers that must be older than this to be removed, whatever their process: a margin for slow writers. */
const STALE_AFTER_MS = 60_000;

/**
 * Remove what a killed writer left in `folder` (and in its sub-folders, one level down):
 * `.saving-<pid>-…` folders and `….<pid>.tmp` files whose process no longer runs and that
 * are older than a minute. A live writer's files are never touched. Returns what was removed.
 */
export async function removeStaleLeftovers(folder: string): Promise<string[]> {
  const removed: string[] = [];
  const now = Date.now();
  async function visit(directory: string, depth: number): Promise<void> {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(directory));
    } catch {
      return; // missing or unreadable: nothing to clean
    }
    for (const entry of entries) {
      const path = `${directory}/${entry.name}`;
      const pid = Number(
        (/^\.saving-(\d+)-/.exec(entry.name) ?? /\.(\d+)\.tmp$/.exec(entry.name))?.[1] ?? NaN,
      );
      if (Number.isInteger(pid)) {
        const info = await Deno.lstat(path).catch(() => undefined);
        const age = now - (info?.mtime?.getTime() ?? now);
        if (!processRuns(pid) && age > STALE_AFTER_MS) {
          await Deno.remove(path, { recursive: true }).then(() => removed.push(path), () => {});
        }
      } else if (entry.isDirectory && depth > 0) {
        await visit(path, depth - 1);
      }
    }
  }
  await visit(folder, 1);
  return removed;
}

/** A time stamp for ids: `20261122-081005` (UTC). */
export function idStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

/** Text as a safe piece of an id: lower case letters, digits, `_` and `-`, at most 40 characters. */
export function idSlug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
}

/**
 * Write a report's folder `<directory>/<id>`: its other files first, `report.json` last (so
 * a report.json only ever names files already there); returns the folder.
 */
export async function writeReportFolder(
  directory: string,
  id: string,
  report: unknown,
  files: Record<string, string>,
): Promise<string> {
  const folder = `${directory}/${id}`;
  await makeFolder(folder);
  for (const [name, contents] of Object.entries(files)) await replaceFile(`${folder}/${name}`, contents);
  await replaceFile(`${folder}/report.json`, JSON.stringify(report, null, 1) + "\n");
  return folder;
}
