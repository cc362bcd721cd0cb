/**
 * Live files: a command-line training writes its progress to `<runs>/.live/<pid>.json`
 * (atomically, about once a second) and removes it when it ends, so the dashboard shows
 * the same live view as for its own trainings. A file whose process is gone, or that has
 * not changed for LIVE_STALE_MS, is not live (a killed training leaves one; the next
 * `train` removes those of dead processes).
 *
 * @module
 */
import { TRAIN_STATUS, type TrainStatus } from "./status.ts";
import { makeFolder, replaceFile } from "../store/atomic.ts";
import { listFolder, readTextFile } from "../store/files.ts";
import { formatField, record, text, v, whole } from "../store/schema.ts";

export const LIVE_FORMAT = "myonn-live";

/** Not updated for this long: not live any more (progress comes every 1,000 records, a second or so). */
export const LIVE_STALE_MS = 120_000;

/** What a live file holds. */
export const LIVE_TRAINING = record({
  format: formatField(LIVE_FORMAT),
  pid: whole(),
  /** what is trained, in a line: "784-200-10, lr 0.1, 5 epochs, mnist:train" */
  title: v.pipe(text(), v.maxLength(500, "text of at most 500 characters")),
  startedAt: text(),
  updatedAt: text(),
  status: TRAIN_STATUS,
});
export type LiveTraining = v.InferOutput<typeof LIVE_TRAINING>;

const liveFolder = (runsDir: string) => `${runsDir}/.live`;

/** Write (replace) this process's live file. */
export async function writeLiveTraining(runsDir: string, live: LiveTraining): Promise<void> {
  await makeFolder(liveFolder(runsDir));
  await replaceFile(`${liveFolder(runsDir)}/${live.pid}.json`, JSON.stringify(live));
}

/** Remove this process's live file (the training ended), and the folder when no other is left in it. */
export async function removeLiveTraining(runsDir: string, pid: number): Promise<void> {
  await Deno.remove(`${liveFolder(runsDir)}/${pid}.json`).catch(() => {});
  // not recursive: another training's file keeps the folder (a writer re-makes it before each write)
  await Deno.remove(liveFolder(runsDir)).catch(() => {});
}

/** Whether process `pid` is still running (Linux: /proc; elsewhere assumed, the age check remains). */
async function running(pid: number): Promise<boolean> {
  if (Deno.build.os !== "linux") return true;
  try {
    await Deno.stat(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/** A live file's contents, checked (it is any process's file in the runs folder); null when it is not one. */
function parseLive(text: string): LiveTraining | null {
  try {
    const live = v.safeParse(LIVE_TRAINING, JSON.parse(text));
    return live.success ? live.output : null;
  } catch {
    return null;
  }
}

/** The command-line trainings running now, oldest first. */
export async function listLiveTrainings(runsDir: string, now = Date.now()): Promise<LiveTraining[]> {
  const found: LiveTraining[] = [];
  for (const entry of await listFolder(liveFolder(runsDir)).catch(() => [])) {
    if (!entry.isFile || !/^\d+\.json$/.test(entry.name)) continue;
    let text: string;
    try {
      text = await readTextFile(`${liveFolder(runsDir)}/${entry.name}`, { maxBytes: 1024 * 1024 });
    } catch {
      continue; // gone since the listing, or not readable: not live
    }
    const live = parseLive(text);
    if (!live || now - Date.parse(live.updatedAt) > LIVE_STALE_MS || !(await running(live.pid))) continue;
    found.push(live);
  }
  return found.sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
}

/** Remove the live files of processes that are gone (a killed training's); returns their paths. */
export async function removeDeadLiveFiles(runsDir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await listFolder(liveFolder(runsDir)).catch(() => [])) {
    const pid = /^(\d+)\.json$/.exec(entry.name)?.[1];
    if (!pid || !entry.isFile || await running(Number(pid))) continue;
    const path = `${liveFolder(runsDir)}/${entry.name}`;
    await Deno.remove(path).catch(() => {});
    removed.push(path);
  }
  return removed;
}

/**
 * This process's live file, written at most once a second (or at once with `force`: an
 * epoch's end) and removed by `close`. A write that fails is skipped: the live view never
 * stops a training.
 */
export function createLiveWriter(
  runsDir: string,
  title: string,
): { update(status: TrainStatus, force?: boolean): void; close(): Promise<void> } {
  const startedAt = new Date().toISOString();
  let last = 0, closed = false;
  let pending: TrainStatus | undefined;
  let writing: Promise<void> = Promise.resolve();
  return {
    update(status, force = false) {
      if (closed) return;
      pending = status;
      const now = Date.now();
      if (!force && now - last < 1000) return;
      last = now;
      writing = writing.then(async () => {
        if (closed || !pending) return;
        const latest = pending;
        pending = undefined;
        const live: LiveTraining = {
          format: LIVE_FORMAT,
          pid: Deno.pid,
          title,
          startedAt,
          updatedAt: new Date().toISOString(),
          status: latest,
        };
        await writeLiveTraining(runsDir, live).catch(() => {});
      });
    },
    async close() {
      closed = true;
      await writing;
      await removeLiveTraining(runsDir, Deno.pid);
    },
  };
}

/** The runs a command-line training is writing now (their ids, from the live files of `runsDir`). */
export async function trainingRunIds(runsDir: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const live of await listLiveTrainings(runsDir)) {
    if (live.status.state === "running" && live.status.saved) ids.add(live.status.saved.run);
  }
  return ids;
}
