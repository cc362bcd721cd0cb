/** Experiments: each saved sweep drawn as the book draws it, with the spread over seeds; resilience curves. */
import { ChartIsland } from "../components/ChartIsland.tsx";
import { Island } from "../components/Island.tsx";
import SweepForm from "../islands/SweepForm.tsx";
import type { SweepStatus } from "./sweeps.ts";
import { Layout } from "../components/Layout.tsx";
import { NumbersTable } from "../components/NumbersTable.tsx";
import { readResilience, type ResilienceRecord } from "../core/experiments/mod.ts";
import { listSweeps, type SweepRecord } from "../core/experiments/mod.ts";
import { InputError } from "../core/errors.ts";
import { type Dashboard, settingLabel } from "./context.ts";

const AXIS: Record<string, string> = {
  lr: "learning rate",
  epochs: "epochs",
  hidden: "hidden nodes",
  rotate: "rotation angle (degrees)",
};

/** A fixed setting's value as text. */
function show(value: unknown): string {
  if (value === null || value === undefined) return "all"; // a data limit not set: every record
  return Array.isArray(value) ? value.join(",") : String(value);
}

/** What a sweep held fixed — data limits included — and not the setting it varied. */
function describeFixed(sweep: SweepRecord): string {
  return Object.entries(sweep.fixed).filter(([key, value]) => value !== null && key !== sweep.parameter)
    .map(([key, value]) => `${settingLabel(key)} ${show(value)}`).join(", ");
}

/**
 * Sweeps of the same setting on one chart, as the book draws its epochs graph at two learning
 * rates; each labelled by the fixed settings in which it differs from the others.
 */
function groupByParameter(sweeps: SweepRecord[]) {
  const groups = new Map<string, SweepRecord[]>();
  for (const sweep of sweeps) groups.set(sweep.parameter, [...(groups.get(sweep.parameter) ?? []), sweep]);
  return [...groups].map(([parameter, group]) => {
    const keys = [...new Set(group.flatMap((sweep) => Object.keys(sweep.fixed)))]
      .filter((key) => new Set(group.map((sweep) => show(sweep.fixed[key]))).size > 1);
    const labels = group.map((sweep) =>
      keys.length ? keys.map((key) => `${settingLabel(key)} ${show(sweep.fixed[key])}`).join(", ") : sweep.id
    );
    return { parameter, sweeps: group, labels };
  });
}

/** What the experiments page shows. */
export interface ExperimentsPageData {
  sweeps: SweepRecord[];
  /** folders in the sweeps folder that are not readable sweeps, and why */
  broken: { id: string; reason: string }[];
  resilience: { id: string; data: ResilienceRecord }[];
  /** the sweep running in the background, if any */
  sweep: SweepStatus;
  canChange?: boolean;
}

/** Every saved sweep, and every run's resilience.json (an unreadable one is listed as broken). */
export async function load(dashboard: Dashboard): Promise<ExperimentsPageData> {
  const { sweeps, broken } = await listSweeps(dashboard.sweepsDir);
  const resilience: { id: string; data: ResilienceRecord }[] = [];
  for (const listing of await dashboard.runs()) {
    try {
      const data = await readResilience(`${dashboard.runsDir}/${listing.id}`);
      if (data) resilience.push({ id: listing.id, data });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      // named from the runs folder: this machine's paths are not for visitors
      broken.push({
        id: `${listing.id}/resilience.json`,
        reason: error.message.replaceAll(`${dashboard.runsDir}/`, ""),
      });
    }
  }
  return { sweeps, broken, resilience, sweep: dashboard.sweep.status };
}

export default function ExperimentsPage(
  { sweeps, broken, resilience, sweep, canChange }: ExperimentsPageData,
) {
  const band = (points: { performance: { mean: number; min: number; max: number } }[]) => [{
    label: "mean over draws",
    data: points.map((p) => p.performance.mean),
    low: points.map((p) => p.performance.min),
    high: points.map((p) => p.performance.max),
  }];
  return (
    <Layout title="Experiments" current="/experiments" islands>
      {canChange && <Island name="SweepForm" component={SweepForm} props={{ status: sweep }} />}
      {sweeps.length === 0 && resilience.length === 0 && (
        <p>
          No experiments yet. Run one:{" "}
          <code>deno run -A scripts/sweep.ts --param lr=0.01,0.1,0.2,0.3,0.6</code>
        </p>
      )}
      {groupByParameter(sweeps).map(({ parameter, sweeps: group, labels }) => (
        <section>
          <h2>Performance and {AXIS[parameter] ?? parameter}</h2>
          <p>The line is the mean over the seeds, the shaded band runs from the lowest to the highest.</p>
          <ul>
            {group.map((sweep, i) => (
              <li key={sweep.id}>
                <strong>{labels[i]}</strong>: {sweep.id} — {sweep.seeds.length}{" "}
                seed{sweep.seeds.length === 1 ? "" : "s"} per point; fixed: {describeFixed(sweep)}
              </li>
            ))}
          </ul>
          <ChartIsland
            type="line"
            xType="linear"
            labels={[]}
            series={group.map((sweep, i) => ({
              label: labels[i],
              x: sweep.points.map((p) => p.value),
              data: sweep.points.map((p) => p.performance.mean),
              low: sweep.points.map((p) => p.performance.min),
              high: sweep.points.map((p) => p.performance.max),
            }))}
            xLabel={AXIS[parameter] ?? parameter}
            yLabel="test performance"
          />
          <NumbersTable
            headers={["sweep", AXIS[parameter] ?? parameter, "mean", "lowest", "highest"]}
            rows={group.flatMap((sweep, i) =>
              sweep.points.map((point) => [
                labels[i],
                point.value,
                point.performance.mean.toFixed(4),
                point.performance.min.toFixed(4),
                point.performance.max.toFixed(4),
              ])
            )}
          />
        </section>
      ))}
      {broken.length > 0 && (
        <section>
          <h2>Not readable</h2>
          <ul>
            {broken.map(({ id, reason }) => <li key={id}>{id}: {reason}</li>)}
          </ul>
        </section>
      )}
      {resilience.map(({ id, data }) => (
        <section>
          <h2>
            Resilience of <a href={`/runs/${id}`}>{id}</a>
          </h2>
          <div class="two">
            <ChartIsland
              type="line"
              xType="linear"
              labels={data.lesion.map((p) => p.level)}
              series={band(data.lesion)}
              xLabel="fraction of hidden nodes removed"
              yLabel="performance"
            />
            <ChartIsland
              type="line"
              xType="linear"
              labels={data.noise.map((p) => p.level)}
              series={band(data.noise)}
              xLabel="noise on the test images"
              yLabel="performance"
            />
          </div>
        </section>
      ))}
    </Layout>
  );
}
