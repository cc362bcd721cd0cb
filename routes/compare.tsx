/** Compare: the picked runs' curves on one chart and their configs side by side. */
import { ChartIsland } from "../components/ChartIsland.tsx";
import { Layout } from "../components/Layout.tsx";
import type { RunRecord } from "../core/store/mod.ts";
import { type Dashboard, hidePaths } from "./context.ts";
import { runNames } from "./index.tsx";

/** The picked runs' records (a NotFoundError for an id that is no run). */
export async function load(dashboard: Dashboard, ids: string[]): Promise<RunRecord[]> {
  return await Promise.all(ids.map((id) => dashboard.view(id).then((view) => view.run.record)));
}

export default function ComparePage(runs: RunRecord[]) {
  const names = runNames(runs);
  const longest = Math.max(...runs.map((run) => run.history.length));
  const labels = Array.from({ length: longest }, (_, i) => i + 1);
  const rows: [string, (run: typeof runs[number]) => string][] = [
    ["layers", (run) => run.config.layers.join("-")],
    ["learning rate", (run) => String(run.config.learningRate)],
    ["epochs", (run) => String(run.config.epochs)],
    ["rotation", (run) => (run.config.rotate ? `±${run.config.rotate}°` : "none")],
    ["rotation interpolation", (run) => (run.config.rotate ? `order ${run.config.rotateOrder ?? 1}` : "—")],
    ["seed / init", (run) => `${run.config.seed} / ${run.config.init}`],
    ["activation", (run) => run.config.activation ?? "sigmoid"],
    ["precision", (run) => run.config.precision ?? "f64"],
    [
      "training data",
      (run) => `${hidePaths(run.config.train.source, "")} (${run.config.train.count.toLocaleString("en")})`,
    ],
    [
      "test data",
      (run) => `${hidePaths(run.config.test.source, "")} (${run.config.test.count.toLocaleString("en")})`,
    ],
    ["epochs done", (run) => String(run.history.length)],
    ["performance", (run) => run.performance.toFixed(4)],
    ["training time", (run) => `${run.timings.trainSeconds.toFixed(1)} s`],
  ];
  return (
    <Layout title={`Comparing ${runs.length} run${runs.length === 1 ? "" : "s"}`} islands>
      <ChartIsland
        type="line"
        labels={labels}
        series={runs.map((run) => ({
          label: names.get(run.id)!,
          data: labels.map((epoch) => run.history[epoch - 1]?.performance ?? null),
        }))}
        xLabel="epoch"
        yLabel="performance on the test set"
        height={320}
      />
      <div class="scroll">
        <table class="compare">
          <thead>
            <tr>
              <th></th>
              {runs.map((run) => (
                <th>
                  <a href={`/runs/${run.id}`}>{names.get(run.id)}</a>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(([title, value]) => (
              // the settings in which the runs differ stand out
              <tr class={new Set(runs.map(value)).size > 1 ? "differs" : undefined}>
                <th>{title}{new Set(runs.map(value)).size > 1 ? " (differs)" : ""}</th>
                {runs.map((run) => <td key={run.id}>{value(run)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
