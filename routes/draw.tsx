/** Draw: a canvas to write a digit on, and the network's ten outputs as you draw. */
import { Island } from "../components/Island.tsx";
import { Layout } from "../components/Layout.tsx";
import type { DrawPadProps } from "../components/props.ts";
import DrawPad from "../islands/DrawPad.tsx";
import type { Dashboard } from "./context.ts";
import { runNames } from "./index.tsx";

/** The runs the draw pad can ask, and the one to start with: the one asked for, else the best complete run. */
export async function load(
  dashboard: Dashboard,
  requested?: string,
): Promise<(DrawPadProps | { runs: [] }) & { missing?: string }> {
  const records = (await dashboard.runs()).flatMap((listing) => "record" in listing ? [listing.record] : [])
    // a failed run's weights are not finite numbers: nothing to draw against
    .filter((record) => record.status !== "failed");
  if (records.length === 0) return { runs: [] };
  const names = runNames(records);
  const runs = records.map((record) => ({
    id: record.id,
    label: `${names.get(record.id)} (${record.performance.toFixed(4)}${
      record.status === "incomplete" ? ", incomplete" : ""
    })`,
  }));
  const complete = records.filter((record) => (record.status ?? "complete") === "complete");
  const best = (complete.length ? complete : records).reduce((
    a,
    b,
  ) => (b.performance > a.performance ? b : a));
  const found = runs.some((run) => run.id === requested);
  return {
    runs,
    run: found ? requested! : best.id,
    // asked for a run that is not there (or cannot be drawn against): said, not switched silently
    ...(requested !== undefined && !found ? { missing: requested.slice(0, 100) } : {}),
  };
}

export default function DrawPage({ missing, ...data }: (DrawPadProps | { runs: [] }) & { missing?: string }) {
  return (
    <Layout title="Draw a digit" current="/draw" islands>
      {missing !== undefined && (
        <p class="status-note" role="status">
          There is no run “{missing}” to draw against{"run" in data
            ? ": drawing against the best run instead"
            : ""}.
        </p>
      )}
      {!("run" in data)
        ? (
          <p>
            No trained network yet: train one first on the <a href="/train">Train</a> page.
          </p>
        )
        : <Island name="DrawPad" component={DrawPad} props={data} />}
    </Layout>
  );
}
