/** Runs: every saved run, sortable, with boxes to pick runs to compare. */
import { Island } from "../components/Island.tsx";
import { Layout } from "../components/Layout.tsx";
import { listLiveTrainings } from "../core/jobs/mod.ts";
import type { RunRow } from "../components/props.ts";
import RunsTable from "../islands/RunsTable.tsx";
import { type Dashboard, hidePaths } from "./context.ts";

/** Runs shown on one page of the list, newest first. */
export const RUNS_PER_PAGE = 100;

/** What the runs page shows: a row per run of this page, and where the runs are. */
export interface RunsPageData {
  rows: RunRow[];
  runsDir: string;
  /** command-line trainings running now */
  training: number;
  /** this page (1 = the newest runs), how many pages, and how many runs in all */
  page: number;
  pages: number;
  total: number;
  /** the cached runs list the page was made from: the same object while no run changed */
  listings: object;
}

/** Every run in the runs folder, as table rows (broken ones with the reason). */
export async function load(dashboard: Dashboard, page = 1): Promise<RunsPageData> {
  const listings = await dashboard.runs();
  const pages = Math.max(1, Math.ceil(listings.length / RUNS_PER_PAGE));
  const shown = listings.slice((page - 1) * RUNS_PER_PAGE, page * RUNS_PER_PAGE);
  const rows: RunRow[] = shown.map((listing) => {
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
  return {
    rows,
    runsDir: hidePaths(dashboard.runsDir, ""),
    training: (await listLiveTrainings(dashboard.runsDir)).length,
    page,
    pages,
    total: listings.length,
    listings,
  };
}

export default function RunsPage({ rows, runsDir, training, page, pages, total }: RunsPageData) {
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
      {pages > 1 && (
        <nav class="pages" aria-label="Pages of runs">
          {page > 1 && <a href={page === 2 ? "/" : `/?page=${page - 1}`}>← newer</a>} runs{" "}
          {(page - 1) * RUNS_PER_PAGE + 1}–{Math.min(total, page * RUNS_PER_PAGE)} of {total}{" "}
          {page < pages && <a href={`/?page=${page + 1}`}>older →</a>}
        </nav>
      )}
    </Layout>
  );
}
