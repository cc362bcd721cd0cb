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
  try {
    await Deno.mkdir(parent, { recursive: true });
  } catch (error) {
    throw new InputError(`Cannot save in ${parent}: ${(error as Error).message}`);
  }
  const temporary = await Deno.makeTempDir({ dir: parent, prefix: `.saving-${base}-` });
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
    throw error;
  }
}

/** Write `contents` to `path` through a temporary file and a rename: the old file or the new one, never half. */
export async function replaceFile(path: string, contents: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${Deno.pid}.tmp`;
  try {
    await Deno.writeFile(temporary, bytesOf(contents));
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}

/** A time stamp for ids: `20261122-081005` (UTC). */
export function idStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

/** Text as a safe piece of an id: lower case letters, digits, `_` and `-`, at most 40 characters. */
export function idSlug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
}
