/**
 * Keep your runs: list and filter them, rename, tag, note, delete into the trash and
 * restore — the same files the dashboard changes (core/store/run_edits.ts).
 *
 *   deno run -A scripts/runs.ts list --tag beyond
 *   deno run -A scripts/runs.ts rename <id> "first try"
 *   deno run -A scripts/runs.ts tag <id> book baseline      # --remove to take tags off
 *   deno run -A scripts/runs.ts note <id> "lr too high"
 *   deno run -A scripts/runs.ts rm <id> [<id>…]              # into <runs>/.trash
 *   deno run -A scripts/runs.ts restore <id>
 *   deno run -A scripts/runs.ts trash [--empty-days 7]
 *
 * @module
 */
import { InputError } from "../core/errors.ts";
import {
  editRun,
  emptyTrash,
  listRuns,
  listTrash,
  matchesFilter,
  readRunRecord,
  restoreRun,
  type RunRecord,
  trashRun,
} from "../core/store/mod.ts";
import { trainingRunIds } from "../core/jobs/mod.ts";
import {
  type CommandSpec,
  integerFlag,
  parseFlags,
  printJson,
  runMain,
  stringFlag as flag,
} from "./support.ts";

const ACTIONS = ["list", "rename", "tag", "note", "rm", "restore", "trash"] as const;
type Action = (typeof ACTIONS)[number];

export const SPEC: CommandSpec = {
  usage: `runs ${ACTIONS.join("|")} [RUN] [VALUE…] [flags]`,
  summary: "List, rename, tag, note, delete (into the trash) and restore saved runs.",
  positionals: { min: 1, max: 64, names: "ACTION" },
  flags: {
    "runs-dir": flag("where runs are saved", "DIR", "data/runs"),
    filter: flag("list: runs whose id, name, note or settings contain TEXT", "TEXT"),
    tag: flag("list: runs with this tag", "TAG"),
    remove: { type: "boolean", description: "tag: take the tags off instead" },
    "empty-days": flag("trash: remove for good the runs deleted more than N days ago", "N"),
    json: { type: "boolean", description: "print one JSON object on stdout" },
  },
};

export async function main(args: string[]): Promise<void> {
  const parsed = parseFlags(args, SPEC);
  if (!parsed) return;
  const flags = parsed.values;
  const [action, ...rest] = parsed.positionals;
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new InputError(`unknown action "${action}": use one of ${ACTIONS.join(", ")} (see runs --help)`);
  }
  const runsDir = String(flags["runs-dir"]).replace(/\/+$/, "");
  const result = await act(action as Action, rest, runsDir, flags);
  if (flags.json) printJson(result.json);
  else for (const line of result.lines) console.log(line);
}

/** What an action printed: lines for people, one object for --json. */
interface Done {
  lines: string[];
  json: unknown;
}

async function act(
  action: Action,
  rest: string[],
  runsDir: string,
  flags: Record<string, string | boolean | string[] | undefined>,
): Promise<Done> {
  const needs = (count: number, what: string) => {
    if (rest.length < count) throw new InputError(`runs ${action} needs ${what} (see runs --help)`);
  };
  switch (action) {
    case "list":
      return list(runsDir, flags);
    case "rename": {
      needs(2, "a run and its new name");
      if (rest.length > 2) {
        throw new InputError(`runs rename takes one name: quote it ("${rest.slice(1).join(" ")}")`);
      }
      await notTraining(runsDir, [rest[0]]);
      const record = await editRun(runsDir, rest[0], { name: rest[1] });
      return { lines: [`${record.id}: named "${record.name}"`], json: { id: record.id, name: record.name } };
    }
    case "note": {
      needs(2, "a run and the note");
      await notTraining(runsDir, [rest[0]]);
      const record = await editRun(runsDir, rest[0], { note: rest.slice(1).join(" ") });
      return { lines: [`${record.id}: note set`], json: { id: record.id, note: record.note ?? "" } };
    }
    case "tag": {
      needs(2, "a run and one or more tags");
      await notTraining(runsDir, [rest[0]]);
      const before = (await readRunRecord(`${runsDir}/${rest[0]}`)).tags ?? [];
      const given = rest.slice(1);
      const tags = flags.remove ? before.filter((tag) => !given.includes(tag)) : [...before, ...given];
      const record = await editRun(runsDir, rest[0], { tags });
      const now = record.tags ?? [];
      return {
        lines: [`${record.id}: tags ${now.length ? now.join(", ") : "none"}`],
        json: { id: record.id, tags: now },
      };
    }
    case "rm": {
      needs(1, "one or more runs");
      await notTraining(runsDir, rest);
      const trashed = [];
      for (const id of rest) trashed.push(await trashRun(runsDir, id));
      return {
        lines: trashed.map((entry) =>
          `${entry.id}: moved to the trash (restore with: runs restore ${entry.id})`
        ),
        json: {
          trashed: trashed.map((entry) => ({ id: entry.id, deletedAt: entry.deletedAt.toISOString() })),
        },
      };
    }
    case "restore": {
      needs(1, "a run in the trash");
      const directory = await restoreRun(runsDir, rest[0]);
      return { lines: [`${rest[0]}: restored to ${directory}`], json: { id: rest[0], directory } };
    }
    case "trash":
      return trash(runsDir, flags);
  }
}

/** Refuse to change runs a training is writing now (its next checkpoint would undo the change). */
async function notTraining(runsDir: string, ids: string[]): Promise<void> {
  const training = await trainingRunIds(runsDir);
  const busy = ids.find((id) => training.has(id));
  if (busy) throw new InputError(`${busy} is being trained now: change it when the training has ended`);
}

/** The runs, newest first, filtered by text and tag. */
async function list(runsDir: string, flags: Record<string, unknown>): Promise<Done> {
  const text = flags.filter === undefined ? undefined : String(flags.filter);
  const tag = flags.tag === undefined ? undefined : String(flags.tag);
  const shown: RunRecord[] = [];
  const broken: { id: string; broken: string }[] = [];
  for (const listing of await listRuns(runsDir)) {
    if ("broken" in listing) {
      if (!text && !tag) broken.push(listing);
      continue;
    }
    const { record } = listing;
    if (!matchesFilter(record, { text, tag })) continue;
    shown.push(record);
  }
  const lines = shown.map((record) =>
    `${record.id}  ${record.performance.toFixed(4)}  ${record.status ?? "complete"}${
      record.name ? `  "${record.name}"` : ""
    }${record.tags?.length ? `  [${record.tags.join(", ")}]` : ""}`
  );
  for (const entry of broken) lines.push(`${entry.id}  cannot be read: ${entry.broken}`);
  if (lines.length === 0) lines.push(`no runs${text || tag ? " match" : ""} in ${runsDir}`);
  return {
    lines,
    json: {
      runs: shown.map((record) => ({
        id: record.id,
        name: record.name,
        status: record.status ?? "complete",
        performance: record.performance,
        tags: record.tags ?? [],
        note: record.note ?? "",
        layers: record.config.layers,
        epochs: record.config.epochs,
      })),
      broken,
    },
  };
}

/** The trash, and with --empty-days the runs deleted before that removed for good. */
async function trash(runsDir: string, flags: Record<string, unknown>): Promise<Done> {
  const emptied = flags["empty-days"] === undefined
    ? []
    : await emptyTrash(runsDir, integerFlag(flags["empty-days"], "empty-days", 0));
  const left = await listTrash(runsDir);
  return {
    lines: [
      ...emptied.map((entry) => `${entry.id}: removed for good (deleted ${entry.deletedAt.toISOString()})`),
      ...left.map((entry) => `${entry.id}  deleted ${entry.deletedAt.toISOString()}`),
      ...(left.length === 0 && emptied.length === 0 ? [`the trash of ${runsDir} is empty`] : []),
    ],
    json: {
      emptied: emptied.map((entry) => entry.id),
      trash: left.map((entry) => ({ id: entry.id, deletedAt: entry.deletedAt.toISOString() })),
    },
  };
}

if (import.meta.main) await runMain(main);
