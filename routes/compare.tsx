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

const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * Two runs' confusion matrices, the second's counts minus the first's: where the second
 * answers a label with an answer more often (red off the diagonal: more mistakes; green on
 * it: more right) or less. Only when both were tested on the same records do the counts compare.
 */
function ConfusionDifference({ a, b, names }: { a: RunRecord; b: RunRecord; names: Map<string, string> }) {
  const same = a.config.test.source === b.config.test.source && a.config.test.count === b.config.test.count;
  if (!same) {
    return (
      <p>
        The two runs were tested on different records: their confusion matrices do not compare count for
        count.
      </p>
    );
  }
  const largest = Math.max(
    1,
    ...b.confusion.flatMap((row, l) => row.map((count, k) => Math.abs(count - a.confusion[l][k]))),
  );
  return (
    <section>
      <h2>
        Confusion: {names.get(b.id)} minus {names.get(a.id)}
      </h2>
      <div class="scroll">
        <table class="confusion difference">
          <caption>
            rows: the label; columns: the answer; each cell the second run's count less the first's
          </caption>
          <thead>
            <tr>
              <th scope="col">label \ answer</th>
              {DIGITS.map((digit) => <th scope="col" key={digit}>{digit}</th>)}
            </tr>
          </thead>
          <tbody>
            {DIGITS.map((label) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {DIGITS.map((answer) => {
                  const change = b.confusion[label][answer] - a.confusion[label][answer];
                  // better: fewer mistakes off the diagonal, more right on it
                  const better = label === answer ? change > 0 : change < 0;
                  const strength = Math.abs(change) / largest;
                  const colour = change === 0
                    ? undefined
                    : better
                    ? `rgba(22, 163, 74, ${0.1 + 0.3 * strength})`
                    : `rgba(220, 38, 38, ${0.1 + 0.3 * strength})`;
                  return (
                    <td key={answer} style={colour ? { background: colour } : undefined}>
                      {change > 0 ? `+${change}` : change}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
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
      <div class="two">
        <ChartIsland
          type="line"
          labels={labels}
          series={runs.map((run) => ({
            label: names.get(run.id)!,
            data: labels.map((epoch) => run.history[epoch - 1]?.meanSquaredError ?? null),
          }))}
          xLabel="epoch"
          yLabel="training error (epoch's mean)"
        />
        <ChartIsland
          type="bar"
          labels={DIGITS.map(String)}
          series={runs.map((run) => ({ label: names.get(run.id)!, data: run.perClassAccuracy }))}
          xLabel="digit"
          yLabel="accuracy per digit"
        />
      </div>
      {runs.length === 2 && <ConfusionDifference a={runs[0]} b={runs[1]} names={names} />}
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
