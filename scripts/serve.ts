/**
 * The dashboard, from the command line: builds the islands' bundle when stale, then serves
 * main.ts's app until stopped.
 *
 *   deno task serve                                  # http://127.0.0.1:8000
 *   deno task serve --port 9000 --runs-dir /somewhere/runs --host 0.0.0.0
 *
 * @module
 */
import { InputError } from "../core/errors.ts";
import { removeEpochLeftovers, removeStaleLeftovers } from "../core/store/mod.ts";
import { ensureIslands } from "../islands/build.ts";
import { createApp } from "../main.ts";
import { LOOPBACK_HOSTS, machineHosts } from "../routes/guard.ts";
import { serveWithLimits } from "../routes/connections.ts";
import {
  type CommandSpec,
  integerFlag,
  parseFlags,
  positiveNumberFlag,
  runMain,
  stringFlag as flag,
} from "./support.ts";

export const SPEC: CommandSpec = {
  usage: "serve [flags]",
  summary: "The dashboard: runs, charts, brain scans, a digit you draw, training from the browser.",
  flags: {
    port: flag("port to listen on", "N", "8000"),
    // only this machine unless told: --host 0.0.0.0 to be seen from others (e.g. a Pi in a classroom)
    host: flag("address to listen on", "ADDRESS", "127.0.0.1"),
    "runs-dir": flag("saved runs", "DIR", "data/runs"),
    "sweeps-dir": flag("saved sweeps", "DIR", "data/sweeps"),
    "reproduce-dir": flag("reports of deno task reproduce", "DIR", "data/reproduce"),
    "beyond-dir": flag("reports of deno task beyond", "DIR", "data/beyond"),
    "max-connections": flag(
      "connections open at once; past it the oldest that sent no request is closed",
      "N",
      "256",
    ),
    "header-seconds": flag("how long a request's headers may take to arrive", "SECONDS", "10"),
    "idle-seconds": flag("how long a connection may stay silent both ways", "SECONDS", "60"),
    "allow-host": {
      type: "string",
      multiple: true,
      value: "NAME",
      description: "also answer to this host name (a DNS name for the Pi; repeatable)",
    },
  },
};

/** Build stale islands, then serve until stopped. */
export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const port = integerFlag(flags.port, "port", 0);
  if (port > 65535) throw new InputError(`--port must be at most 65535, got ${port}`);
  if (await ensureIslands()) console.error("built the islands' bundle");
  for (const [flag, folder] of [["--runs-dir", flags["runs-dir"]], ["--sweeps-dir", flags["sweeps-dir"]]]) {
    // a folder that is there must be a folder (a missing one is made by the first training)
    const info = await Deno.stat(String(folder)).catch(() => undefined);
    if (info && !info.isDirectory) throw new InputError(`${flag} ${folder} is not a folder`);
  }
  for (const folder of [String(flags["runs-dir"]), String(flags["sweeps-dir"])]) {
    for (const path of await removeStaleLeftovers(folder)) {
      console.error(`removed ${path}, left by a stopped writer`);
    }
  }
  for (const path of await removeEpochLeftovers(String(flags["runs-dir"]))) {
    console.error(`removed ${path}, a checkpoint's weights no run names`);
  }
  const hostname = String(flags.host);
  const everywhere = hostname === "0.0.0.0" || hostname === "::";
  // the names this dashboard answers to: loopback, the address it listens on, and when it
  // listens everywhere this machine's own names and addresses (DNS rebinding gets 403)
  const hosts = [
    ...LOOPBACK_HOSTS,
    hostname,
    ...(everywhere ? machineHosts() : []),
    ...((flags["allow-host"] as string[] | undefined) ?? []),
  ];
  const { app } = createApp({
    runsDir: String(flags["runs-dir"]),
    sweepsDir: String(flags["sweeps-dir"]),
    reproduceDir: String(flags["reproduce-dir"]),
    beyondDir: String(flags["beyond-dir"]),
    hosts,
  });
  const limits = {
    maxConnections: integerFlag(flags["max-connections"], "max-connections"),
    headerSeconds: positiveNumberFlag(flags["header-seconds"], "header-seconds"),
    idleSeconds: positiveNumberFlag(flags["idle-seconds"], "idle-seconds"),
  };
  try {
    // every connection passes the door (routes/connections.ts): bounded in number and in time
    const door = await serveWithLimits(app.fetch, { hostname, port, limits });
    console.log(`myonn dashboard on http://${everywhere ? "localhost" : hostname}:${door.port}`);
    if (everywhere) {
      console.log(
        `reachable from other machines as: ${[...new Set(machineHosts())].join(", ")} ` +
          `(add a name with --allow-host)`,
      );
    }
  } catch (error) {
    // listening fails at once: a busy port, an address that is not this machine's
    if (error instanceof Deno.errors.AddrInUse) {
      throw new InputError(
        `Cannot serve on ${hostname}:${port}: the port is in use (choose another with --port)`,
      );
    }
    throw new InputError(
      `Cannot serve on ${hostname}:${port}: ${
        (error as Error).message
      } (--host must be an address of this machine)`,
    );
  }
}

if (import.meta.main) await runMain(main);
