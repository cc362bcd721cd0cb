/** A dashboard's data for the server and browser tests. */
import { limitDataset, loadDataset } from "../core/data/mod.ts";
import { describeMachine, saveRun } from "../core/store/mod.ts";
import { configFromSettings } from "./helpers.ts";
import { runTraining } from "../core/jobs/mod.ts";

/** Two real runs (784-50-10 on 5,000 records), a broken run and a sweep, in a temporary folder. */
export async function dashboardFixture() {
  const directory = await Deno.makeTempDir({ prefix: "myonn-dashboard-" });
  const runsDir = `${directory}/runs`, sweepsDir = `${directory}/sweeps`;
  const train = limitDataset(await loadDataset("mnist:train"), 5000);
  const test = limitDataset(await loadDataset("mnist:test"), 1000);
  const { net, record, files } = await runTraining({
    config: configFromSettings({ hidden: [50], epochs: 2 }),
    train,
    test: { ...test, source: "mnist:test" },
    name: "fixture",
    backQueryEveryEpoch: true,
  });
  const run = (await saveRun(runsDir, record, net.weights, files)).split("/").pop()!;
  // a second, shorter run, so that there is something to compare
  const second = await runTraining({
    config: { ...record.config, epochs: 1, seed: 2 },
    train,
    test: { ...test, source: "mnist:test" },
    name: "fixture-2",
  });
  const other = (await saveRun(runsDir, second.record, second.net.weights)).split("/").pop()!;
  await Deno.mkdir(`${runsDir}/broken-run`);
  await Deno.writeTextFile(`${runsDir}/broken-run/run.json`, "{ this is not json");
  await Deno.mkdir(`${sweepsDir}/20261122-000000-lr`, { recursive: true });
  await Deno.writeTextFile(
    `${sweepsDir}/20261122-000000-lr/sweep.json`,
    JSON.stringify({
      format: "myonn-sweep",
      version: 1,
      id: "20261122-000000-lr",
      name: "",
      createdAt: "2026-11-22T00:00:00Z",
      parameter: "lr",
      values: [0.1, 0.3],
      seeds: [1, 2],
      fixed: { hidden: [100], epochs: 1 },
      points: [0.1, 0.3].map((value, i) => ({
        value,
        performance: {
          mean: 0.95 - i * 0.01,
          standardDeviation: 0.002,
          min: 0.948 - i * 0.01,
          max: 0.952 - i * 0.01,
        },
        runs: [],
      })),
      seconds: 12,
      machine: describeMachine(),
    }),
  );
  return { directory, runsDir, sweepsDir, run, other };
}
