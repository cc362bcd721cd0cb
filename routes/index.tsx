/**
 * Runs: every saved run, sortable, filtered by text and tag (on the server, across every
 * page), with boxes to pick runs to compare, the columns chosen by the reader.
 */
import { Island } from "../components/Island.tsx";
import { Layout } from "../components/Layout.tsx";
import { listLiveTrainings } from "../core/jobs/mod.ts";
import type { RunRow } from "../components/props.ts";
import RunsTable from "../islands/RunsTable.tsx";
import { type Dashboard, hidePaths } from "./context.ts";
import { listTrash, matchesFilter, type RunListing } from "../core/store/mod.ts";

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
  /** the filter the list is shown with */
  filter: RunsFilter;
  /** every tag on a run, for the tag filter */
  tags: string[];
  /** runs in the trash */
  trashed: number;
}

/** The runs list's filter: text in a run's id, name, note, tags or settings; one tag. */
export interface RunsFilter {
  text: string;
  tag: string;
}

/** The filter a request asks for (?q=…&tag=…), bounded. */
export function runsFilter(query: (name: string) => string | undefined): RunsFilter {
  return { text: (query("q") ?? "").slice(0, 100), tag: (query("tag") ?? "").slice(0, 32) };
}

/** Whether a listing is shown with this filter (a broken run only without one). */
function shown(listing: RunListing, filter: RunsFilter): boolean {
  if ("broken" in listing) return !filter.text && !filter.tag;
  return matchesFilter(listing.record, filter);
}

/** Every run in the runs folder, as table rows (broken ones with the reason). */
export async function load(
  dashboard: Dashboard,
  page = 1,
  filter: RunsFilter = { text: "", tag: "" },
): Promise<RunsPageData> {
  const listings = await dashboard.runs();
  const matching = filter.text || filter.tag
    ? listings.filter((listing) => shown(listing, filter))
    : listings;
  const pages = Math.max(1, Math.ceil(matching.length / RUNS_PER_PAGE));
  const onPage = matching.slice((page - 1) * RUNS_PER_PAGE, page * RUNS_PER_PAGE);
  // a name two runs share is told apart by the run's time, wherever it is shown
  const names = new Map<string, number>();
  for (const listing of listings) {
    if ("record" in listing) names.set(listing.record.name, (names.get(listing.record.name) ?? 0) + 1);
  }
  const tags = [
    ...new Set(listings.flatMap((listing) => "record" in listing ? listing.record.tags ?? [] : [])),
  ].sort();
  const rows: RunRow[] = onPage.map((listing) => {
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
        seed: null,
        init: "",
        activation: "",
        testRecords: null,
        tags: [],
        note: "",
        broken: hidePaths(listing.broken, dashboard.runsDir),
      };
    }
    const { record } = listing;
    return {
      id: listing.id,
      name: record.name,
      ...((names.get(record.name) ?? 0) > 1 || record.name === "" ? { apart: runTime(listing.id) } : {}),
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
      seed: record.config.initWeights ? null : record.config.seed,
      init: record.config.initWeights ? "from a run" : record.config.init ?? "book",
      activation: record.config.activation ?? "sigmoid",
      testRecords: record.config.test.count,
      tags: record.tags ?? [],
      note: record.note ?? "",
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
    total: matching.length,
    listings,
    filter,
    tags,
    trashed: (await listTrash(dashboard.runsDir)).length,
  };
}

/** Each run's name as shown: its name, with its time when another run has the same name; its id when it has none. */
export function runNames(records: readonly { id: string; name: string }[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const record of records) counts.set(record.name, (counts.get(record.name) ?? 0) + 1);
  return new Map(records.map((record) => [
    record.id,
    !record.name
      ? record.id
      : counts.get(record.name)! > 1
      ? `${record.name} · ${runTime(record.id)}`
      : record.name,
  ]));
}

/** A run's time from its id ("20261206-235548-…" → "2026-12-06 23:55:48"), to tell runs of one name apart. */
export function runTime(id: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(id);
  return match ? `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${match[6]}` : id;
}

export default function RunsPage(
  { rows, runsDir, training, page, pages, total, filter, tags, trashed }: RunsPageData,
) {
  const filtered = Boolean(filter.text || filter.tag);
  const query = (more: Record<string, string>) => {
    const params = new URLSearchParams({
      ...(filter.text ? { q: filter.text } : {}),
      ...(filter.tag ? { tag: filter.tag } : {}),
      ...more,
    });
    const text = params.toString();
    return text ? `/?${text}` : "/";
  };
  return (
    <Layout title="Runs" current="/" islands>
      {training > 0 && (
        <p class="status-note">
          {training === 1 ? "A training" : `${training} trainings`} from the command line{" "}
          {training === 1 ? "is" : "are"} running: <a href="/train">watch live</a>.
        </p>
      )}
      {(rows.length > 0 || filtered) && (
        <form class="filter" method="get" action="/" role="search">
          <label>
            find{" "}
            <input name="q" type="search" defaultValue={filter.text} placeholder="name, note, 800, cosine…" />
          </label>
          {tags.length > 0 && (
            <label>
              tag{" "}
              <select name="tag" defaultValue={filter.tag}>
                <option value="">any</option>
                {tags.map((tag) => <option key={tag} value={tag}>{tag}</option>)}
              </select>
            </label>
          )}
          <button type="submit">Filter</button>
          {filtered && <a href="/">show all</a>}
        </form>
      )}
      {rows.length === 0
        ? (
          filtered ? <p>No run matches this filter.</p> : (
            <p>
              No runs yet in {runsDir}. Train one with <code>deno task train</code> or on the{" "}
              <a href="/train">Train</a> page.
            </p>
          )
        )
        : <Island name="RunsTable" component={RunsTable} props={{ rows }} />}
      {pages > 1 && (
        <nav class="pages" aria-label="Pages of runs">
          {page > 1 && <a href={query(page === 2 ? {} : { page: String(page - 1) })}>← newer</a>} runs{" "}
          {(page - 1) * RUNS_PER_PAGE + 1}–{Math.min(total, page * RUNS_PER_PAGE)} of {total}{" "}
          {page < pages && <a href={query({ page: String(page + 1) })}>older →</a>}
        </nav>
      )}
      {trashed > 0 && (
        <p>
          <a href="/trash">Trash</a>: {trashed} deleted run{trashed === 1 ? "" : "s"}, restorable.
        </p>
      )}
    </Layout>
  );
}
