/**
 * A Worker that scores a saved run on its own test set (scoring.ts): for runs saved before
 * runs kept their test scores, so the dashboard's thread never scores. Messages are plain
 * JSON; errors travel as their kind.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { limitDataset, loadDataset } from "../data/mod.ts";
import { errorKind } from "../errors.ts";
import { loadRun, runNetwork } from "../store/mod.ts";
import { score } from "../training/mod.ts";

// one run at a time: each message waits for the one before (a run's network and test set are large)
let queue = Promise.resolve();
self.onmessage = (event: MessageEvent<{ id: number; directory: string }>) => {
  queue = queue.then(() => scoreRun(event.data));
};

async function scoreRun({ id, directory }: { id: number; directory: string }): Promise<void> {
  try {
    const run = await loadRun(directory);
    const { source, count } = run.record.config.test;
    const result = score(runNetwork(run), limitDataset(await loadDataset(source), count));
    self.postMessage({ id, answers: result.answers, confidences: result.confidences });
  } catch (error) {
    self.postMessage({ id, message: (error as Error).message, kind: errorKind(error) });
  }
}
