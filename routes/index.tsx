/** Runs: every saved run, sortable, with boxes to pick runs to compare. */
import { Island } from "../components/Island.tsx";
import { Layout } from "../components/Layout.tsx";
import { listLiveTrainings, listRuns } from "../core/store/mod.ts";
import type { RunRow } from "../components/props.ts";
import RunsTable from "../islands/RunsTable.tsx";
import { type Dashboard, hidePaths } from "./context.ts";

/** What the runs page shows: a row per run, and where the runs are. */
export interface RunsPageData {
  rows: RunRow[];
  runsDir: string;
  /** command-line trainings running now */
  training: number;
}

/** Every run in the runs folder, as table rows (broken ones with the reason). */
export async function load(dashboard: Dashboard): Promise<RunsPageData> {
  const rows: RunRow[] = (await listRuns(dashboard.runsDir)).map((listing) => {
    if ("broken" in listing) {
      return {
        id: listing.id,
        name: "",
        date: "",
        layers: "",
        learningRate: null,
        epochs: null,
        epochsDone: null,
        trainRecords: null,
        rotate: null,
        precision: "",
        performance: null,
        trainSeconds: null,
        broken: hidePaths(listing.broken, dashboard.runsDir),
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
      epochsDone: record.history.length,
      trainRecords: record.config.train.count,
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
  return { rows, runsDir: dashboard.runsDir, training: (await listLiveTrainings(dashboard.runsDir)).length };
}

export default function RunsPage({ rows, runsDir, training }: RunsPageData) {
  return (
    <Layout title="Runs" current="/" islands>
      {training > 0 && (
        <p class="status-note">
          {training === 1 ? "A training" : `${training} trainings`} from the command line{" "}
          {training === 1 ? "is" : "are"} running: <a href="/train">watch live</a>.
        </p>
      )}
      {rows.length === 0
        ? (
          <p>
            No runs yet in {runsDir}. Train one with <code>deno task train</code> or on the{" "}
            <a href="/train">Train</a> page.
          </p>
        )
        : <Island name="RunsTable" component={RunsTable} props={{ rows }} />}
    </Layout>
  );
}
