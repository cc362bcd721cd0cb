/**
 * What the dashboard's routes share: where runs and sweeps live, caches of loaded runs,
 * test sets and scores (keyed by run.json's modification time, so a rewritten run is read
 * again), the settings the dashboard offers, and the one background training. Made once
 * per app by createDashboard(); nothing here is global.
 *
 * @module
 */
import { type Dataset, limitDataset, loadDataset } from "../core/data/mod.ts";
import { CancelledError, InputError, NotFoundError, SettingError } from "../core/errors.ts";
import type { Network } from "../core/model/mod.ts";
import { BEYOND_KEYS, type SettingKey, SETTINGS, type Settings, weightCount } from "../core/settings.ts";
import { createSweepState, type SweepStatus } from "./sweeps.ts";
import {
  listRun,
  type LoadedRun,
  loadRun,
  loadWeightsFile,
  modifiedAt,
  RUN_ID,
  runIds,
  type RunListing,
  runNetwork,
  sortRuns,
} from "../core/store/mod.ts";
import { listLiveTrainings, type LiveTraining } from "../core/jobs/mod.ts";
import { answersFromMatrix, type Score, scoreFromAnswers, TEST_SCORES_FILE } from "../core/training/mod.ts";
import {
  type BackgroundTraining,
  createRunScorer,
  type RunAnswers,
  startTraining,
  StatusTracker,
  type TrainingJob,
  type TrainStatus,
} from "../core/jobs/mod.ts";

/** The form's labels, where the setting's flag is not plain words. */
const SETTING_LABELS: Partial<Record<string, string>> = {
  hidden: "hidden layers",
  learningRate: "learning rate",
  rotate: "rotation ± degrees",
  rotateOrder: "rotation: 3 spline (the book's), 1 bilinear",
  limitTrain: "training records (blank: all 60,000)",
  limitTest: "test records (blank: all 10,000)",
  trainAccuracy: "also score the training set each epoch",
  validation: "held-out training records (0: none)",
  schedule: "rate schedule",
  decay: "decay factor (exponential, step)",
  decayEvery: "epochs per step (step)",
  finalRate: "final rate (linear, cosine)",
  distortRotate: "distort: rotate ± degrees",
  distortScale: "distort: scale ± fraction",
  distortShear: "distort: shear ± degrees",
  distortShift: "distort: shift ± pixels",
  elasticSigma: "elastic σ (pixels)",
  elasticAlpha: "elastic α (pixels, 0: none)",
};

/** A setting as the dashboard names it: its label, or its flag in words ("limit-train" → "limit train"). */
export function settingLabel(key: string): string {
  const flag = (SETTINGS as Record<string, { flag: string } | undefined>)[key]?.flag;
  return SETTING_LABELS[key] ?? (flag ?? key).replace(/-/g, " ");
}

/** The settings beyond the book (docs/beyond.md): the form folds them away together. */
export const BEYOND_SETTINGS: readonly SettingKey[] = BEYOND_KEYS;

/** The training settings the dashboard's form and API offer (not data paths: those stay on the command line). */
export const DASHBOARD_SETTINGS: readonly SettingKey[] = [
  "hidden",
  "learningRate",
  "epochs",
  "rotate",
  "rotateOrder",
  "seed",
  "init",
  "activation",
  "precision",
  "kernels",
  "threads",
  "limitTrain",
  "limitTest",
  "name",
  "trainAccuracy",
  ...BEYOND_SETTINGS,
];

/**
 * What a training started from the dashboard may ask for, at most (per value; for the hidden
 * layers, per layer): the dashboard's policy, not the settings' (the command line allows more).
 */
export const DASHBOARD_LIMITS: Partial<Record<SettingKey, number>> = {
  hidden: 2000,
  learningRate: 10,
  epochs: 100,
  threads: 4,
};

/** The most weights a training started from the dashboard may have (784-2000-10 is 1.6 million). */
export const DASHBOARD_MAX_WEIGHTS = 4_000_000;

/**
 * Check `settings` against the dashboard's limits; throws a SettingError naming the first
 * one past its limit.
 */
export function checkDashboardLimits(settings: Settings, spell: (key: SettingKey) => string): void {
  for (const [key, max] of Object.entries(DASHBOARD_LIMITS) as [SettingKey, number][]) {
    const value = settings[key];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.some((number) => typeof number === "number" && number > max)) {
      throw new SettingError(
        key,
        `${spell(key)} can be at most ${max} on the dashboard (use the command line for more)`,
      );
    }
  }
  const weights = weightCount(settings.hidden);
  if (weights > DASHBOARD_MAX_WEIGHTS) {
    throw new SettingError(
      "hidden",
      `${spell("hidden")} ${settings.hidden.join(",")} makes ${weights.toLocaleString("en")} weights; the ` +
        `dashboard trains at most ${
          DASHBOARD_MAX_WEIGHTS.toLocaleString("en")
        } (use the command line for more)`,
    );
  }
}

/** The dashboard's own defaults: one epoch, so that a first try from the browser is quick. */
export const DASHBOARD_DEFAULTS: Partial<Settings> = { epochs: 1 };

/** Where the dashboard reads and writes. */
export interface DashboardOptions {
  runsDir: string;
  sweepsDir: string;
  /** where `deno task reproduce` reports are (default: "reproduce" beside the sweeps folder) */
  reproduceDir?: string;
  /** where `deno task beyond` reports are (default: "beyond" beside the sweeps folder) */
  beyondDir?: string;
  /** days a deleted run stays in the trash (default TRASH_DAYS) */
  trashDays?: number;
}

/** Days a deleted run stays in the trash unless `serve --trash-days` says otherwise. */
export const TRASH_DAYS = 30;

/** A loaded run with its network, cached by the run.json's modification time. */
export interface RunView {
  run: LoadedRun;
  /** made on first use */
  readonly net: Network;
}

/**
 * A run scored on its own test set (the records that gave its performance); or `pending`
 * while a Worker scores a run saved without its test scores; or why that set cannot be read.
 */
export type ScoredRun =
  | { view: RunView; test: Dataset; score: Score; testError?: undefined; pending?: undefined }
  | { view: RunView; test?: undefined; score?: undefined; testError: string; pending?: undefined }
  | { view: RunView; test?: undefined; score?: undefined; testError?: undefined; pending: true };

/** The dashboard's state. */
export interface Dashboard extends DashboardOptions {
  reproduceDir: string;
  beyondDir: string;
  trashDays: number;
  /** the run's folder, or undefined for an id that is not a safe run name */
  runDirectory(id: string): string | undefined;
  /** the run and its network; a NotFoundError for an id that is no run */
  view(id: string): Promise<RunView>;
  /** the run scored on its own test set (cached); says so when that set cannot be read or is being scored */
  scored(id: string): Promise<ScoredRun>;
  /** the run's own test set: the records it was scored on (an InputError when they cannot be read) */
  testSet(id: string): Promise<Dataset>;
  /** every run in the runs folder, newest first (cached: see createDashboard) */
  runs(): Promise<RunListing[]>;
  /** the training in the background, if any, and its last status */
  training: TrainingState;
  /** the sweep in the background, if any (routes/sweeps.ts) */
  sweep: { status: SweepStatus };
  /**
   * A picture drawn from run `id` (under `key`), drawn once per version of the run (its
   * run.json's time) and kept in memory; `version` names it for ETags.
   */
  picture(
    id: string,
    key: string,
    draw: () => Promise<Uint8Array>,
  ): Promise<{ bytes: Uint8Array; version: string }>;
}

/** One training at a time, with listeners for its progress. */
export interface TrainingState {
  status: TrainStatus;
  /** start `job` unless one is running (false then) */
  start(job: TrainingJob): boolean;
  /**
   * start `job` now, or when the trainings before it have ended (it waits in a queue of at
   * most QUEUE_LENGTH): its place in the queue (0: started), or −1 when the queue is full
   */
  enqueue(job: TrainingJob): number;
  /** trainings waiting to start */
  readonly waiting: number;
  /** stop the running training (and with `all` drop those waiting); resolves once its Worker has ended */
  cancel(all?: boolean): Promise<boolean>;
  listen(listener: (status: TrainStatus) => void): () => void;
}

const MAX_CACHED_RUNS = 8;
/** Loaded runs kept in memory: up to 32 of them and 256 MB of weights (a 784-2000-10 run is 6–13 MB). */
const MAX_VIEWS = 32;
const MAX_VIEW_BYTES = 256 * 1024 * 1024;
/** How often the cached runs list checks each run.json's time when the runs folder itself did not change. */
const LIST_CHECK_MS = 2000;
/** Pictures kept in memory: the hidden nodes' sprite is ~400 KB, a scan or a test image a few KB. */
const MAX_CACHED_PICTURES = 200;

/**
 * `text` with no absolute path of this machine in it, for a page or an API answer: the runs
 * folder's own path is dropped (a run is named by its id), any other absolute path keeps
 * only its last part.
 */
export function hidePaths(text: string, runsDir: string): string {
  const folders = runsDir === ""
    ? []
    : [runsDir, runsDir.startsWith("/") ? "" : `${Deno.cwd()}/${runsDir}`].filter(Boolean)
      .map((folder) => folder.replace(/\/+$/, "") + "/").sort((a, b) => b.length - a.length);
  for (const folder of folders) text = text.replaceAll(folder, "");
  return text.replace(/(^|[\s("'`=])\/(?:[^\s/:"'`)]+\/)+([^\s/:"'`)]*)/g, "$1…/$2");
}

/** The command-line trainings running now, as pages show them: titles and messages without this machine's paths. */
export async function shownLiveTrainings(dashboard: Dashboard): Promise<LiveTraining[]> {
  return (await listLiveTrainings(dashboard.runsDir)).map((live) => ({
    ...live,
    title: hidePaths(live.title, dashboard.runsDir),
    status: live.status.message
      ? { ...live.status, message: hidePaths(live.status.message, dashboard.runsDir) }
      : live.status,
  }));
}

/** Make the dashboard's state for these folders. */
export function createDashboard(options: DashboardOptions): Dashboard {
  const views = new Map<string, { stamp: number; view: RunView }>();
  const scores = new Map<string, { stamp: number; test: Dataset; score: Score }>();
  const scorer = createRunScorer();
  const scoring = new Map<string, Promise<void>>();
  const failed = new Map<string, string>();
  const testSets = new Map<string, Promise<Dataset>>();

  function runDirectory(id: string): string | undefined {
    return RUN_ID.test(id) ? `${options.runsDir}/${id}` : undefined;
  }

  function stamp(id: string): Promise<number> {
    return modifiedAt(`${options.runsDir}/${id}/run.json`);
  }

  async function view(id: string): Promise<RunView> {
    const directory = runDirectory(id);
    if (!directory) throw new NotFoundError(`There is no run "${id}"`);
    const now = await stamp(id);
    const cached = views.get(id);
    if (cached && cached.stamp === now) return cached.view;
    const run = await loadRun(directory);
    // the network is made when first asked for (a drawing, a picture): a run's page needs only its files
    let net: Network | undefined;
    const made: RunView = {
      run,
      get net() {
        return net ??= runNetwork(run);
      },
    };
    views.delete(id);
    views.set(id, { stamp: now, view: made });
    // the oldest go first while there are too many, or too many bytes of weights
    const bytes = () => [...views.values()].reduce((sum, { view }) => sum + weightBytes(view.run), 0);
    while (views.size > 1 && (views.size > MAX_VIEWS || bytes() > MAX_VIEW_BYTES)) {
      views.delete(views.keys().next().value!);
    }
    return made;
  }

  function testSet(source: string): Promise<Dataset> {
    if (!testSets.has(source)) {
      const loading = loadDataset(source);
      // a set that cannot be read is tried again next time (the file may come back)
      loading.catch(() => testSets.delete(source));
      testSets.set(source, loading);
    }
    return testSets.get(source)!;
  }

  /** The records a run was scored on: its test source, as many as it counted. */
  async function runTestSet(runView: RunView): Promise<Dataset> {
    const { source, count } = runView.run.record.config.test;
    const test = limitDataset(await testSet(source), count);
    if (test.count !== count) {
      throw new InputError(
        `the test set ${source} has ${test.count} records now; this run was scored on ${count}`,
      );
    }
    return test;
  }

  async function scored(id: string): Promise<ScoredRun> {
    const runView = await view(id);
    const now = await stamp(id);
    const cached = scores.get(id);
    if (cached && cached.stamp === now) return { view: runView, test: cached.test, score: cached.score };
    let test: Dataset;
    try {
      test = await runTestSet(runView);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return { view: runView, testError: error.message };
    }
    const stored = await storedAnswers(runView.run.directory, test.count);
    if (stored) return keep(id, now, runView, test, stored);
    // saved before runs kept their scores: scored in a Worker, one run at a time, never on this thread
    const key = `${id}@${now}`;
    if (!scoring.has(key)) {
      scoring.set(
        key,
        scorer.score(runView.run.directory).then(
          (answers) => void keep(id, now, runView, test, answers),
          (error: Error) => void failed.set(key, error.message),
        ).finally(() => scoring.delete(key)),
      );
    }
    const failure = failed.get(key);
    if (failure) return { view: runView, testError: failure };
    return { view: runView, pending: true };
  }

  function keep(id: string, now: number, runView: RunView, test: Dataset, answers: RunAnswers): ScoredRun {
    const result = scoreFromAnswers(test.labels, answers.answers, answers.confidences);
    if (scores.size >= MAX_CACHED_RUNS) scores.delete(scores.keys().next().value!);
    scores.set(id, { stamp: now, test, score: result });
    return { view: runView, test, score: result };
  }

  const pictures = new Map<string, { bytes: Uint8Array; version: string }>();
  async function picture(id: string, key: string, draw: () => Promise<Uint8Array>) {
    const version = `${id}-${await stamp(id)}-${key.replace(/[^\w.-]/g, "_")}`;
    const cached = pictures.get(version);
    if (cached) return cached;
    const made = { bytes: await draw(), version };
    if (pictures.size >= MAX_CACHED_PICTURES) pictures.delete(pictures.keys().next().value!);
    pictures.set(version, made);
    return made;
  }

  // The runs list, cached: read again when the runs folder changes (a run added, removed or
  // renamed), and otherwise checked at most every LIST_CHECK_MS by one stat per run — only a
  // run.json that changed is read again. A page of 500 runs costs about what a page of 2 does.
  let listed: { checkedAt: number; folderStamp: number; listings: RunListing[] } | undefined;
  const listings = new Map<string, { stamp: number; listing: RunListing }>();
  async function runs(): Promise<RunListing[]> {
    const folderStamp = await modifiedAt(options.runsDir);
    if (listed && listed.folderStamp === folderStamp && Date.now() - listed.checkedAt < LIST_CHECK_MS) {
      return listed.listings;
    }
    const checkedAt = Date.now();
    const ids = await runIds(options.runsDir);
    const fresh: RunListing[] = [];
    let changed = !listed || ids.length !== listings.size;
    for (const id of ids) {
      const stamp = await modifiedAt(`${options.runsDir}/${id}/run.json`);
      const cached = listings.get(id);
      const same = cached !== undefined && cached.stamp === stamp && stamp !== 0;
      const listing = same ? cached.listing : await listRun(options.runsDir, id);
      if (!same) changed = true;
      listings.set(id, { stamp, listing });
      fresh.push(listing);
    }
    for (const id of listings.keys()) if (!ids.includes(id)) listings.delete(id);
    // nothing changed: the same list object, so the pages made from it are used again
    listed = { checkedAt, folderStamp, listings: changed || !listed ? sortRuns(fresh) : listed.listings };
    return listed.listings;
  }

  const sweepsParent = options.sweepsDir.replace(/\/+$/, "").split("/").slice(0, -1).join("/") || ".";
  const reproduceDir = options.reproduceDir ?? `${sweepsParent}/reproduce`;
  const beyondDir = options.beyondDir ?? `${sweepsParent}/beyond`;
  return {
    ...options,
    reproduceDir,
    beyondDir,
    trashDays: options.trashDays ?? TRASH_DAYS,
    runDirectory,
    view,
    scored,
    testSet: async (id) => runTestSet(await view(id)),
    runs,
    picture,
    training: createTrainingState(options.runsDir),
    sweep: createSweepState(),
  };
}

/** Trainings from the dashboard that may wait for the one running. */
export const QUEUE_LENGTH = 3;

function createTrainingState(runsDir: string): TrainingState {
  const listeners = new Set<(status: TrainStatus) => void>();
  let current: { training: BackgroundTraining; ended: Promise<unknown> } | undefined;
  const queue: TrainingJob[] = [];
  const state: TrainingState = {
    status: { state: "idle" },
    get waiting() {
      return queue.length;
    },
    enqueue(job) {
      if (state.start(job)) return 0;
      if (queue.length >= QUEUE_LENGTH) return -1;
      queue.push(job);
      set({ ...state.status, waiting: queue.length });
      return queue.length;
    },
    start(job) {
      if (current) return false;
      const tracker = new StatusTracker(job.config.epochs, { scans: job.backQueryEveryEpoch });
      const withQueue = () => queue.length ? { ...tracker.status, waiting: queue.length } : tracker.status;
      set(withQueue());
      const training = startTraining(job, (message) => {
        if (tracker.handle(message)) set(withQueue());
      });
      const ended = training.finished.then(
        ({ record }) => tracker.end("done", { run: record.id }),
        (error: Error) =>
          tracker.end(error instanceof CancelledError ? "cancelled" : "failed", {
            message: hidePaths(error.message, runsDir),
          }),
      ).then(() => set({ ...tracker.status, ...(queue.length ? { waiting: queue.length } : {}) })).finally(
        () => {
          current = undefined;
          // the next in the queue starts as soon as this one has ended
          const next = queue.shift();
          if (next) state.start(next);
        },
      );
      current = { training, ended };
      if (queue.length) set({ ...tracker.status, waiting: queue.length });
      return true;
    },
    async cancel(all = false) {
      if (all) queue.length = 0;
      if (!current) return false;
      const { training, ended } = current;
      await training.cancel();
      await ended;
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

/** The bytes a loaded run's weights take. */
function weightBytes(run: LoadedRun): number {
  return run.weights.reduce((sum, matrix) => sum + matrix.data.byteLength, 0);
}

/** A run's kept test scores (test_scores.npy) when they are there and fit its test set. */
async function storedAnswers(directory: string, count: number): Promise<RunAnswers | undefined> {
  try {
    return answersFromMatrix(await loadWeightsFile(`${directory}/${TEST_SCORES_FILE}`), count);
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof InputError) return undefined;
    throw error;
  }
}
