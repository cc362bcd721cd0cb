/**
 * What the dashboard's routes share: where runs and sweeps live, caches of loaded runs,
 * test sets and scores (keyed so that a rewritten run is read again), and the one
 * background training. Made once per app by createDashboard(); nothing here is global.
 *
 * @module
 */
import { type Dataset } from "../core/data/dataset.ts";
import { type Network } from "../core/model/network.ts";
import { type LoadedRun, loadRun, RUN_ID, runNetwork } from "../core/store/runs.ts";
import { type Score, score } from "../core/training/score.ts";
import { loadDataset } from "../core/data/sources.ts";
import { type BackgroundTraining, startTraining, type TrainingJob } from "../core/training/pool.ts";
import type { TrainStatus } from "../islands/TrainForm.tsx";

/** Where the dashboard reads and writes. */
export interface DashboardOptions {
  runsDir: string;
  sweepsDir: string;
}

/** A loaded run with its network, cached by the run.json's modification time. */
export interface RunView {
  run: LoadedRun;
  net: Network;
}

/** The dashboard's state. */
export interface Dashboard extends DashboardOptions {
  /** the run's folder, or undefined for an id that is not a safe run name */
  runDirectory(id: string): string | undefined;
  /** the run and its network (errors as InputError) */
  view(id: string): Promise<RunView>;
  /** the run scored on its own test set (cached) */
  scored(id: string): Promise<{ view: RunView; test: Dataset; score: Score }>;
  /** the training in the background, if any, and its last status */
  training: TrainingState;
}

/** One training at a time, with listeners for its progress. */
export interface TrainingState {
  status: TrainStatus;
  start(job: TrainingJob, epochs: number): boolean;
  cancel(): boolean;
  listen(listener: (status: TrainStatus) => void): () => void;
}

const MAX_CACHED_RUNS = 8;

/** Make the dashboard's state for these folders. */
export function createDashboard(options: DashboardOptions): Dashboard {
  const views = new Map<string, { stamp: number; view: RunView }>();
  const scores = new Map<string, { stamp: number; test: Dataset; score: Score }>();
  const testSets = new Map<string, Promise<Dataset>>();

  function runDirectory(id: string): string | undefined {
    return RUN_ID.test(id) ? `${options.runsDir}/${id}` : undefined;
  }

  async function stamp(id: string): Promise<number> {
    const info = await Deno.stat(`${options.runsDir}/${id}/run.json`).catch(() => undefined);
    return info?.mtime?.getTime() ?? 0;
  }

  async function view(id: string): Promise<RunView> {
    const directory = runDirectory(id);
    if (!directory) throw new Deno.errors.NotFound(id);
    const now = await stamp(id);
    const cached = views.get(id);
    if (cached && cached.stamp === now) return cached.view;
    const run = await loadRun(directory);
    const net = runNetwork(run);
    if (views.size >= MAX_CACHED_RUNS) views.delete(views.keys().next().value!);
    views.set(id, { stamp: now, view: { run, net } });
    return { run, net };
  }

  function testSet(source: string): Promise<Dataset> {
    if (!testSets.has(source)) {
      const loading = loadDataset(source).catch(() => loadDataset("mnist:test"));
      testSets.set(source, loading);
    }
    return testSets.get(source)!;
  }

  async function scored(id: string) {
    const runView = await view(id);
    const now = await stamp(id);
    const cached = scores.get(id);
    if (cached && cached.stamp === now) return { view: runView, test: cached.test, score: cached.score };
    const test = await testSet(runView.run.record.config.test.source);
    const result = score(runView.net, test);
    if (scores.size >= MAX_CACHED_RUNS) scores.delete(scores.keys().next().value!);
    scores.set(id, { stamp: now, test, score: result });
    return { view: runView, test, score: result };
  }

  return { ...options, runDirectory, view, scored, training: createTrainingState() };
}

function createTrainingState(): TrainingState {
  const listeners = new Set<(status: TrainStatus) => void>();
  let current: BackgroundTraining | undefined;
  const state: TrainingState = {
    status: { state: "idle" },
    start(job, epochs) {
      if (current) return false;
      set({ state: "running", epoch: 1, epochs, done: 0, total: 0, history: [] });
      const history: { epoch: number; performance: number }[] = [];
      let epochStarted = performance.now();
      current = startTraining(job, (message) => {
        if (message.type === "progress") {
          const seconds = (performance.now() - epochStarted) / 1000;
          const rate = seconds > 0 ? message.done / seconds : 0;
          const left = (message.total - message.done) + (epochs - message.epoch) * message.total;
          set({
            ...state.status,
            epoch: message.epoch,
            done: message.done,
            total: message.total,
            rate,
            etaSeconds: rate ? left / rate : undefined,
          });
        } else if (message.type === "epoch") {
          epochStarted = performance.now();
          history.push({ epoch: message.result.epoch, performance: message.result.performance });
          set({ ...state.status, history: [...history] });
        }
      });
      current.finished.then(
        ({ record }) => set({ state: "done", run: record.id, history, epochs }),
        (error: Error) =>
          set(
            error.message === "cancelled"
              ? { state: "cancelled", history }
              : { state: "failed", message: error.message, history },
          ),
      ).finally(() => (current = undefined));
      return true;
    },
    cancel() {
      if (!current) return false;
      current.cancel();
      return true;
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  function set(status: TrainStatus) {
    state.status = status;
    for (const listener of listeners) listener(status);
  }
  return state;
}
