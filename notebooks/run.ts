/**
 * Execute every notebook headlessly with Deno's Jupyter kernel and write their outputs
 * back (or into `--out DIR`): `deno task notebooks`. Needs Debian's python3 with
 * jupyter-client and nbformat (apt: python3-jupyter-client python3-nbformat); registers
 * the Deno kernel first if Jupyter does not know it.
 *
 *   deno task notebooks                       # all, outputs written into the notebooks
 *   deno task notebooks --out /tmp/executed 02_the_network.ipynb
 *
 * @module
 */
import { InputError } from "../core/errors.ts";
import { type CommandSpec, parseFlags, runMain, stringFlag as flag } from "../scripts/support.ts";

export const SPEC: CommandSpec = {
  usage: "notebooks [NOTEBOOK…] [flags]",
  summary: "Execute the notebooks with Deno's Jupyter kernel (headless) and save their outputs.",
  positionals: { min: 0, max: 20, names: "NOTEBOOK" },
  flags: {
    out: flag("write the executed notebooks here instead of over the originals", "DIR"),
    python: flag("the python3 that has jupyter-client and nbformat", "PATH", "/usr/bin/python3"),
    timeout: flag("the longest one cell may take, in seconds", "SECONDS", "120"),
  },
};

const HERE = new URL("./", import.meta.url).pathname;

/** Whether `python` can run the notebooks (jupyter-client and nbformat importable). */
export async function canRunNotebooks(python = "/usr/bin/python3"): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(python, {
      args: ["-c", "import jupyter_client, nbformat"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

/** Make sure Jupyter knows a kernel named "deno" (deno jupyter --install writes its kernel.json). */
async function ensureKernel(python: string): Promise<void> {
  const listed = await new Deno.Command(python, {
    args: [
      "-c",
      "from jupyter_client.kernelspec import find_kernel_specs; print('deno' in find_kernel_specs())",
    ],
    stdout: "piped",
    stderr: "null",
  }).output();
  if (new TextDecoder().decode(listed.stdout).trim() === "True") return;
  const installed = await new Deno.Command(Deno.execPath(), {
    args: ["jupyter", "--install"],
    stdout: "null",
    stderr: "piped",
  })
    .output();
  if (!installed.success) {
    throw new InputError(
      `deno jupyter --install failed: ${new TextDecoder().decode(installed.stderr).trim()}`,
    );
  }
}

export async function main(args: string[]): Promise<number | void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const python = String(parsed.values.python);
  if (!(await canRunNotebooks(python))) {
    throw new InputError(
      `${python} cannot import jupyter_client and nbformat: install them (apt install python3-jupyter-client python3-nbformat)`,
    );
  }
  await ensureKernel(python);
  const known = [...Deno.readDirSync(HERE)].map((entry) => entry.name).filter((name) =>
    name.endsWith(".ipynb")
  )
    .sort();
  const names = parsed.positionals.length > 0
    ? parsed.positionals.map((name) => name.replace(/^.*\//, ""))
    : known;
  const unknown = names.find((name) => !known.includes(name));
  if (unknown !== undefined) {
    throw new InputError(`${unknown} is not one of the notebooks: ${known.join(", ")}`);
  }
  const timeout = Number(parsed.values.timeout);
  if (!/^\d+(\.\d+)?$/.test(String(parsed.values.timeout)) || !(timeout > 0)) {
    throw new InputError(`--timeout must be a number of seconds above 0, got "${parsed.values.timeout}"`);
  }
  const out = parsed.values.out === undefined ? [] : ["--out", String(parsed.values.out)];
  if (parsed.values.out !== undefined) {
    const info = await Deno.stat(String(parsed.values.out)).catch(() => null);
    if (!info?.isDirectory) throw new InputError(`--out ${parsed.values.out} is not a folder that exists`);
  }
  const run = await new Deno.Command(python, {
    args: [
      `${HERE}run_notebooks.py`,
      ...names.map((name) => `${HERE}${name}`),
      ...out,
      "--timeout",
      String(timeout),
    ],
    env: { NO_COLOR: "1" },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return run.success ? undefined : 1;
}

if (import.meta.main) await runMain(main);
