/** Runs: every saved run, sortable, with boxes to pick runs to compare. */
import { Island } from "../components/Island.tsx";
import { Layout } from "../components/Layout.tsx";
import { listRuns } from "../core/store/runs.ts";
import RunsTable, { type RunRow } from "../islands/RunsTable.tsx";
import type { Dashboard } from "./context.ts";

export default async function RunsPage(dashboard: Dashboard) {
  const rows: RunRow[] = (await listRuns(dashboard.runsDir)).map((listing) => {
    if ("broken" in listing) {
      return {
        id: listing.id,
        name: "",
        date: "",
        layers: "",
        learningRate: null,
        epochs: null,
        rotate: null,
        precision: "",
        performance: null,
        trainSeconds: null,
        broken: listing.broken,
      };
    }
    const { record } = listing;
    return {
      id: listing.id,
      name: record.name,
      date: record.createdAt,
      layers: record.config.layers.join("-"),
      learningRate: record.config.learningRate,
      epochs: record.config.epochs,
      rotate: record.config.rotate ?? 0,
      precision: record.config.precision ?? "f64",
      performance: record.performance,
      trainSeconds: record.timings.trainSeconds,
      ...(record.status === "incomplete"
        ? { status: `incomplete (${record.history.length} of ${record.config.epochs} epochs)` }
        : record.status === "failed"
        ? { status: "failed" }
        : {}),
    };
  });
  return (
    <Layout title="Runs" islands>
      {rows.length === 0
        ? (
          <p>
            No runs yet in {dashboard.runsDir}. Train one with <code>deno task train</code> or on the{" "}
            <a href="/train">Train</a> page.
          </p>
        )
        : <Island name="RunsTable" component={RunsTable} props={{ rows }} />}
    </Layout>
  );
}
