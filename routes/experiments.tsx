/** Experiments: each saved sweep drawn as the book draws it, with the spread over seeds; resilience curves. */
import { ChartIsland } from "../components/ChartIsland.tsx";
import { Layout } from "../components/Layout.tsx";
import { listRuns } from "../core/store/runs.ts";
import { listSweeps } from "../core/store/sweeps.ts";
import type { Dashboard } from "./context.ts";

const AXIS: Record<string, string> = {
  lr: "learning rate",
  epochs: "epochs",
  hidden: "hidden nodes",
  rotate: "rotation angle (degrees)",
};

interface ResilienceFile {
  lesion: { level: number; performance: { mean: number; min: number; max: number } }[];
  noise: { level: number; performance: { mean: number; min: number; max: number } }[];
}

export default async function ExperimentsPage(dashboard: Dashboard) {
  const sweeps = await listSweeps(dashboard.sweepsDir);
  const resilience: { id: string; data: ResilienceFile }[] = [];
  for (const listing of await listRuns(dashboard.runsDir)) {
    try {
      const data = JSON.parse(await Deno.readTextFile(`${dashboard.runsDir}/${listing.id}/resilience.json`));
      if (Array.isArray(data.lesion) && Array.isArray(data.noise)) resilience.push({ id: listing.id, data });
    } catch {
      // no resilience measured for this run
    }
  }
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
            {Object.entries(sweep.fixed).filter(([key]) =>
              key !== sweep.parameter && !key.startsWith("limit")
            ).map(([key, value]) => `${key} ${value}`).join(", ")}
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
