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
import { emptyTrash, removeEpochLeftovers, removeStaleLeftovers } from "../core/store/mod.ts";
import { ensureIslands } from "../islands/build.ts";
import { createApp } from "../main.ts";
import { LOOPBACK_HOSTS, machineHosts, newToken } from "../routes/guard.ts";
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
    token: flag(
      "the token changes need beyond loopback (default: a new random one each start, printed in the link)",
      "TOKEN",
    ),
    "trash-days": flag(
      "days a deleted run stays in the trash (<runs>/.trash) before it is removed for good",
      "N",
      "30",
    ),
    "open-changes": {
      type: "boolean",
      description: "beyond loopback, let anyone who can reach the dashboard train, cancel, rename and delete",
    },
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
  // deleted runs older than --trash-days removed for good: now, and every hour while serving
  const trashDays = integerFlag(flags["trash-days"], "trash-days", 0);
  const emptyOld = async () => {
    for (const entry of await emptyTrash(String(flags["runs-dir"]), trashDays).catch(() => [])) {
      console.error(`removed ${entry.id} from the trash for good (deleted ${entry.deletedAt.toISOString()})`);
    }
  };
  await emptyOld();
  Deno.unrefTimer(setInterval(emptyOld, 3600_000));
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
  // beyond loopback, changes need a token (viewing and drawing stay open to the room)
  const loopback = LOOPBACK_HOSTS.includes(hostname);
  const token = flags["open-changes"]
    ? undefined
    : flags.token !== undefined
    ? checkedToken(String(flags.token))
    : loopback
    ? undefined
    : newToken();
  const { app } = createApp({
    token,
    runsDir: String(flags["runs-dir"]),
    sweepsDir: String(flags["sweeps-dir"]),
    reproduceDir: String(flags["reproduce-dir"]),
    beyondDir: String(flags["beyond-dir"]),
    trashDays,
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
    const base = `http://${everywhere ? "localhost" : hostname}:${door.port}`;
    console.log(`myonn dashboard on ${base}`);
    if (token) {
      console.log(
        `changes (train, cancel, rename, delete) need the token: open ${base}/?token=${token} ` +
          `(or on another machine, this machine's address in place of ${
            everywhere ? "localhost" : hostname
          })`,
      );
    } else if (!loopback) {
      console.log("changes are open to everyone who can reach this dashboard (--open-changes)");
    }
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

/** A token given with --token: 16 to 128 letters, digits, - or _. */
function checkedToken(token: string): string {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) {
    throw new InputError(`--token must be 16 to 128 letters, digits, - or _, got ${token.length} characters`);
  }
  return token;
}

if (import.meta.main) await runMain(main);
