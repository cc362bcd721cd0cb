/**
 * Bundle the islands for the browser with `deno bundle --code-splitting` into
 * static/islands/ (mod.js, the entry, and a chunk per island and shared library;
 * generated, git-ignored). `deno task serve` calls buildIslands() itself when any island
 * is newer than the bundle; `deno task build:islands` forces it.
 *
 * @module
 */
const ISLANDS = new URL("./", import.meta.url);
const OUTDIR = new URL("../static/islands/", import.meta.url);
const BUNDLE = new URL("mod.js", OUTDIR); // the entry (deno bundle names it after islands/mod.ts)

/** Whether the bundle is missing or older than any file in islands/. */
export async function islandsAreStale(): Promise<boolean> {
  const built = await Deno.stat(BUNDLE).then((info) => info.mtime?.getTime() ?? 0).catch(() => 0);
  if (built === 0) return true;
  for await (const entry of Deno.readDir(ISLANDS)) {
    const info = await Deno.stat(new URL(entry.name, ISLANDS));
    if ((info.mtime?.getTime() ?? 0) > built) return true;
  }
  return false;
}

/** Bundle islands/mod.ts (and everything it imports: preact, chart.js) for the browser, split into chunks. */
export async function buildIslands(): Promise<void> {
  await Deno.remove(OUTDIR, { recursive: true }).catch(() => {});
  await Deno.mkdir(OUTDIR, { recursive: true });
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--minify",
      "--code-splitting",
      "--config",
      new URL("../deno.json", import.meta.url).pathname,
      "--outdir",
      OUTDIR.pathname,
      new URL("./mod.ts", ISLANDS).pathname,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) throw new Error(`deno bundle failed: ${new TextDecoder().decode(output.stderr)}`);
}

/** Build the bundle if it is stale; returns whether it built. A compiled myonn carries its bundle built. */
export async function ensureIslands(): Promise<boolean> {
  if (Deno.build.standalone || !(await islandsAreStale())) return false;
  await buildIslands();
  return true;
}

if (import.meta.main) {
  await buildIslands();
  console.log(`built ${OUTDIR.pathname}`);
}
