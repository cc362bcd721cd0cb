/**
 * Sweeps started from the Experiments page: POST /api/sweeps runs one in the background (on
 * all cores, one at a time, not beside a training) and saves it where `sweep` saves; GET
 * /api/sweeps/status says how far it is. The dashboard's limits hold for every value swept.
 *
 * @module
 */
import type { Context } from "hono";
import { InputError, SettingError } from "../core/errors.ts";
import {
  parseSweepParameter,
  parseValues,
  runSweep,
  saveSweep,
  SWEEP_SETTINGS,
  type SweepParameter,
} from "../core/experiments/mod.ts";
import { parseSettings, type SettingKey, type Settings } from "../core/settings.ts";
import { checkDashboardLimits, type Dashboard, hidePaths } from "./context.ts";
import { type BodyReader, requireJson } from "./guard.ts";

/** The most trainings one sweep from the dashboard may have (values × seeds). */
export const MAX_SWEEP_TRAININGS = 40;
/** The settings the sweep form may fix. */
const FIXABLE: readonly SettingKey[] = [
  "hidden",
  "learningRate",
  "epochs",
  "rotate",
  "limitTrain",
  "limitTest",
];

/** Where the background sweep stands. */
export interface SweepStatus {
  state: "idle" | "running" | "done" | "failed";
  done: number;
  total: number;
  /** the saved sweep's id, when done */
  id?: string;
  message?: string;
}

/** The one sweep the dashboard runs at a time. */
export function createSweepState(): { status: SweepStatus } {
  return { status: { state: "idle", done: 0, total: 0 } };
}

/** POST /api/sweeps — { param: "lr=0.01,0.1", seeds: "1,2", hidden?, learningRate?, epochs?, rotate?, limitTrain?, limitTest?, name? } */
export async function postSweep(c: Context, dashboard: Dashboard, bodies: BodyReader) {
  requireJson(c);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(new TextDecoder().decode(await bodies.read(c, 16 * 1024)));
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error();
  } catch {
    return c.json({ error: "the body must be a JSON object: { param, seeds, … }" }, 400);
  }
  const state = dashboard.sweep;
  if (state.status.state === "running" || dashboard.training.status.state === "running") {
    return c.json({ error: "a sweep or a training is running: wait for it to end" }, 409);
  }
  const { param, seeds: seedText, name, ...rest } = body;
  const unknown = Object.keys(rest).find((key) => !FIXABLE.includes(key as SettingKey));
  if (unknown !== undefined) {
    return c.json({
      error: `unknown field "${unknown.slice(0, 40)}": use param, seeds, name, ${FIXABLE.join(", ")}`,
    }, 400);
  }
  let plan: { parameter: SweepParameter; values: number[]; seeds: number[]; name: string; fixed: Settings };
  try {
    const { parameter, values } = parseSweepParameter(String(param ?? ""));
    const seeds = parseValues(String(seedText ?? "1"), "seeds");
    if (seeds.some((seed) => !Number.isSafeInteger(seed) || seed < 0)) {
      throw new InputError("seeds must be whole numbers ≥ 0");
    }
    const trainings = (parameter === "epochs" ? 1 : values.length) * seeds.length;
    if (trainings > MAX_SWEEP_TRAININGS) {
      throw new InputError(
        `${trainings} trainings: a sweep from the dashboard has at most ${MAX_SWEEP_TRAININGS}`,
      );
    }
    const blanks = Object.entries(rest).filter(([, value]) => value !== "");
    const fixed = parseSettings(Object.fromEntries(blanks), {
      defaults: { hidden: [100], epochs: 1, threads: 1 },
      spell: (key) => key,
    });
    // the dashboard's limits hold for the settings fixed and for every value swept
    checkDashboardLimits(fixed, (key) => key);
    for (const value of values) {
      const key = SWEEP_SETTINGS[parameter];
      checkDashboardLimits(
        { ...fixed, [key]: key === "hidden" ? [value] : value },
        () => `param ${parameter}`,
      );
    }
    plan = { parameter, values, seeds, fixed, name: typeof name === "string" ? name.slice(0, 60) : "" };
  } catch (error) {
    if (error instanceof SettingError) return c.json({ error: error.message, field: error.setting }, 400);
    if (error instanceof InputError) {
      return c.json({ error: error.message.replace(/--param/g, "param") }, 400);
    }
    throw error;
  }
  const total = (plan.parameter === "epochs" ? 1 : plan.values.length) * plan.seeds.length;
  state.status = { state: "running", done: 0, total };
  runSweep(plan, plan.fixed, {
    onDone: (_index, _record, done) => (state.status = { state: "running", done, total }),
  }).then(async (sweep) => {
    const directory = await saveSweep(dashboard.sweepsDir, sweep);
    state.status = { state: "done", done: total, total, id: directory.slice(directory.lastIndexOf("/") + 1) };
  }).catch((error: Error) => {
    state.status = { state: "failed", done: 0, total, message: hidePaths(error.message, dashboard.runsDir) };
  });
  return c.json({ started: true, trainings: total }, 202);
}

/** GET /api/sweeps/status */
export function sweepStatus(c: Context, dashboard: Dashboard) {
  return c.json(dashboard.sweep.status);
}
