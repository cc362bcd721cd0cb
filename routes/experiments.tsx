/** Experiments: each saved sweep drawn as the book draws it, with the spread over seeds; resilience curves. */
import { ChartIsland } from "../components/ChartIsland.tsx";
import { Layout } from "../components/Layout.tsx";
import {
  listRuns,
  listSweeps,
  readResilience,
  type ResilienceRecord,
  type SweepRecord,
} from "../core/store/mod.ts";
import { InputError } from "../core/errors.ts";
import type { Dashboard } from "./context.ts";

const AXIS: Record<string, string> = {
  lr: "learning rate",
  epochs: "epochs",
  hidden: "hidden nodes",
  rotate: "rotation angle (degrees)",
};

/** What the experiments page shows. */
export interface ExperimentsPageData {
  sweeps: SweepRecord[];
  /** folders in the sweeps folder that are not readable sweeps, and why */
  broken: { id: string; reason: string }[];
  resilience: { id: string; data: ResilienceRecord }[];
}

/** Every saved sweep, and every run's resilience.json (an unreadable one is listed as broken). */
export async function load(dashboard: Dashboard): Promise<ExperimentsPageData> {
  const { sweeps, broken } = await listSweeps(dashboard.sweepsDir);
  const resilience: { id: string; data: ResilienceRecord }[] = [];
  for (const listing of await listRuns(dashboard.runsDir)) {
    try {
      const data = await readResilience(`${dashboard.runsDir}/${listing.id}`);
      if (data) resilience.push({ id: listing.id, data });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      broken.push({ id: `${listing.id}/resilience.json`, reason: error.message });
    }
  }
  return { sweeps, broken, resilience };
}

export default function ExperimentsPage({ sweeps, broken, resilience }: ExperimentsPageData) {
  const band = (points: { performance: { mean: number; min: number; max: number } }[]) => [
    { label: "mean", data: points.map((p) => p.performance.mean) },
    { label: "lowest", data: points.map((p) => p.performance.min) },
    { label: "highest", data: points.map((p) => p.performance.max) },
  ];
  return (
    <Layout title="Experiments" islands>
      {sweeps.length === 0 && resilience.length === 0 && (
        <p>
          No experiments yet. Run one:{" "}
          <code>deno run -A scripts/sweep.ts --param lr=0.01,0.1,0.2,0.3,0.6</code>
        </p>
      )}
      {sweeps.map((sweep) => (
        <section>
          <h2>Performance and {AXIS[sweep.parameter] ?? sweep.parameter}</h2>
          <p>
            {sweep.id} — {sweep.seeds.length} seed{sweep.seeds.length === 1 ? "" : "s"} per point; fixed:{" "}
            {Object.entries(sweep.fixed).filter(([key, value]) => value !== null && key !== sweep.parameter)
              .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(",") : value}`).join(", ")}
          </p>
          <ChartIsland
            type="line"
            labels={sweep.points.map((p) => p.value)}
            series={band(sweep.points)}
            xLabel={AXIS[sweep.parameter] ?? sweep.parameter}
            yLabel="performance"
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
              labels={data.lesion.map((p) => p.level)}
              series={band(data.lesion)}
              xLabel="fraction of hidden nodes removed"
              yLabel="performance"
            />
            <ChartIsland
              type="line"
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
