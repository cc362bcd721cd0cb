/**
 * Reading files that must be files: a regular file (not a folder, a FIFO or a device such
 * as /dev/zero behind a link) of at most a given size, read into a buffer of its size; a
 * `.gz` gunzipped. Every problem is an InputError naming the file; a missing one is a
 * NotFoundError.
 *
 * @module
 */
import { InputError, NotFoundError } from "../errors.ts";

/** The largest file read unless a caller says otherwise: the book's 110 MB CSV fits. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** How to read a file. */
export interface ReadOptions {
  /** the largest file to read (default MAX_FILE_BYTES) */
  maxBytes?: number;
  /** read into a SharedArrayBuffer, which other threads can read (no copy made) */
  shared?: boolean;
}

/**
 * Read a whole regular file of at most `maxBytes`. Deno.readFile grows its buffer as it
 * reads, slow for the full CSV; reading into a buffer of the file's size is several times
 * faster, and the size is known before anything is read.
 */
export async function readRegularFile(
  path: string | URL,
  options: ReadOptions = {},
): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  let file: Deno.FsFile;
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) throw new InputError(`Cannot read ${path}: it is a folder`);
    if (!info.isFile) throw new InputError(`Cannot read ${path}: it is not a regular file`);
    if (info.size > maxBytes) {
      throw new InputError(`Cannot read ${path}: ${info.size} bytes is more than the ${maxBytes} allowed`);
    }
    file = await Deno.open(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (error instanceof Deno.errors.NotFound) throw new NotFoundError(`Cannot read ${path}: no such file`);
    throw new InputError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  using _ = file;
  // the size as opened (the file may have been replaced since the stat)
  const { size, isFile } = await file.stat();
  if (!isFile || size > maxBytes) throw new InputError(`Cannot read ${path}: it changed while being read`);
  const bytes = allocate(size, options.shared);
  let offset = 0;
  while (offset < size) {
    const read = await file.read(bytes.subarray(offset));
    if (read === null) break;
    offset += read;
  }
  return offset === size ? bytes : bytes.subarray(0, offset);
}

/** Read a file as {@link readRegularFile} does, gunzipping it when its name ends in `.gz`. */
export async function readBytes(path: string | URL, options: ReadOptions = {}): Promise<Uint8Array> {
  if (!String(path).endsWith(".gz")) return await readRegularFile(path, options);
  const bytes = await readRegularFile(path, { maxBytes: options.maxBytes });
  // unpacked into a buffer of the size the gzip trailer gives, made before anything is
  // gunzipped, so that size is checked first
  const size = bytes.length >= 4
    ? new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4).getUint32(0, true)
    : 0;
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  if (size > maxBytes) {
    throw new InputError(
      `Cannot read ${path}: it says it unpacks to ${size} bytes, more than the ${maxBytes} allowed`,
    );
  }
  try {
    return await gunzip(bytes, size, options.shared);
  } catch {
    throw new InputError(`Cannot read ${path}: not a valid gzip file`);
  }
}

/**
 * Gunzip into a buffer of `size` bytes, the size the gzip trailer gives (its last 4 bytes:
 * the size mod 2³², exact under MAX_FILE_BYTES; Deno reads one gzip member only) — on a
 * SharedArrayBuffer with `shared` — so the data is not held twice and cannot outgrow the
 * size checked. Throws when the data does not fill it exactly.
 */
async function gunzip(bytes: Uint8Array, size: number, shared = false): Promise<Uint8Array> {
  const out = allocate(size, shared);
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  let at = 0;
  for await (const chunk of stream) {
    if (at + chunk.length > size) throw new Error("more data than the gzip trailer says");
    out.set(chunk, at);
    at += chunk.length;
  }
  if (at !== size) throw new Error("less data than the gzip trailer says");
  return out;
}

/** Bytes of memory of their own, or on a SharedArrayBuffer. */
function allocate(size: number, shared = false): Uint8Array {
  return shared ? new Uint8Array(new SharedArrayBuffer(size)) : new Uint8Array(size);
}

/** A regular file's text (UTF-8), with the same checks. */
export async function readTextFile(path: string | URL, options: { maxBytes?: number } = {}): Promise<string> {
  return new TextDecoder().decode(await readRegularFile(path, options));
}

/** Whether something exists at `path`. */
export async function exists(path: string | URL): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The names in a folder (sorted), or an empty list when it does not exist. */
export async function listFolder(
  path: string,
): Promise<{ name: string; isDirectory: boolean; isFile: boolean }[]> {
  const entries = [];
  try {
    for await (const entry of Deno.readDir(path)) {
      entries.push({ name: entry.name, isDirectory: entry.isDirectory, isFile: entry.isFile });
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A file's modification time in ms (0 when it cannot be read): a cache key that changes when the file does. */
export async function modifiedAt(path: string): Promise<number> {
  const info = await Deno.stat(path).catch(() => undefined);
  return info?.mtime?.getTime() ?? 0;
}

/**
 * Every readable report under `directory` (each folder's report.json, read by `read`), newest
 * first by `createdAt`; a damaged one is skipped (the others still show), and so are the
 * folders named in `skip`.
 */
export async function listReportFolders<T extends { createdAt: string }>(
  directory: string,
  read: (folder: string) => Promise<T>,
  skip: readonly string[] = [],
): Promise<{ report: T; folder: string }[]> {
  const found: { report: T; folder: string }[] = [];
  for (const entry of await listFolder(directory)) {
    if (!entry.isDirectory || skip.includes(entry.name)) continue;
    const folder = `${directory}/${entry.name}`;
    try {
      found.push({ report: await read(folder), folder });
    } catch {
      continue;
    }
  }
  return found.sort((a, b) => (a.report.createdAt < b.report.createdAt ? 1 : -1));
}
