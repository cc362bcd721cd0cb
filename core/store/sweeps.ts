/**
 * Saved sweeps on disk (this file does file I/O): `<sweeps>/<id>/sweep.json` and
 * `sweep.csv` (one row per training), written into a temporary folder and renamed into
 * place, never half-written.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import type { Machine } from "./runs.ts";
import type { Spread, SweepParameter } from "../experiments/sweep.ts";

/** The contents of sweep.json. */
export interface SweepRecord {
  format: "myonn-sweep";
  version: 1;
  id: string;
  name: string;
  createdAt: string;
  parameter: SweepParameter;
  values: number[];
  seeds: number[];
  fixed: Record<string, unknown>;
  points: {
    value: number;
    performance: Spread;
    runs: {
      seed: number;
      performance: number;
      history: { epoch: number; performance: number; meanSquaredError: number }[];
      trainSeconds: number;
    }[];
  }[];
  seconds: number;
  machine: Machine;
}

/** One row per training: parameter, value, seed, performance, train seconds. */
export function sweepCsv(sweep: SweepRecord): string {
  const rows = ["parameter,value,seed,performance,train_seconds"];
  for (const point of sweep.points) {
    for (const run of point.runs) {
      rows.push(
        `${sweep.parameter},${point.value},${run.seed},${run.performance},${run.trainSeconds.toFixed(3)}`,
      );
    }
  }
  return rows.join("\n") + "\n";
}

/** Save a sweep as `sweepsDir/<time>-<parameter>[-name]`, atomically; returns its folder. */
export async function saveSweep(sweepsDir: string, sweep: SweepRecord): Promise<string> {
  const stamp = sweep.createdAt.replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const slug = sweep.name.toLowerCase().replace(/[^a-z0-9_]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  const base = `${stamp}-${sweep.parameter}${slug ? `-${slug}` : ""}`;
  try {
    await Deno.mkdir(sweepsDir, { recursive: true });
  } catch (error) {
    throw new InputError(`Cannot save sweeps in ${sweepsDir}: ${(error as Error).message}`);
  }
  const temporary = await Deno.makeTempDir({ dir: sweepsDir, prefix: `.saving-${base}-` });
  try {
    for (let attempt = 1;; attempt++) {
      const id = attempt === 1 ? base : `${base}-${attempt}`;
      await Deno.writeTextFile(`${temporary}/sweep.json`, JSON.stringify({ ...sweep, id }, null, 2) + "\n");
      await Deno.writeTextFile(`${temporary}/sweep.csv`, sweepCsv(sweep));
      try {
        await Deno.rename(temporary, `${sweepsDir}/${id}`);
        return `${sweepsDir}/${id}`;
      } catch (error) {
        if (attempt > 1000 || !(await Deno.stat(`${sweepsDir}/${id}`).catch(() => false))) throw error;
      }
    }
  } catch (error) {
    await Deno.remove(temporary, { recursive: true }).catch(() => {});
    throw error;
  }
}

/** Every readable sweep in `sweepsDir`, newest first (unreadable ones are skipped). */
export async function listSweeps(sweepsDir: string): Promise<SweepRecord[]> {
  const sweeps: SweepRecord[] = [];
  try {
    for await (const entry of Deno.readDir(sweepsDir)) {
      if (!entry.isDirectory || entry.name.startsWith(".")) continue;
      try {
        const sweep = JSON.parse(await Deno.readTextFile(`${sweepsDir}/${entry.name}/sweep.json`));
        if (sweep?.format === "myonn-sweep" && Array.isArray(sweep.points)) sweeps.push(sweep);
      } catch {
        // not a sweep, or half-copied by hand: leave it out
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return sweeps.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
}
