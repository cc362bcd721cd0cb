/** Draw: a canvas to write a digit on, and the network's ten outputs as you draw. */
import { Island } from "../components/Island.tsx";
import { Layout } from "../components/Layout.tsx";
import type { DrawPadProps } from "../components/props.ts";
import DrawPad from "../islands/DrawPad.tsx";
import type { Dashboard } from "./context.ts";

/** The runs the draw pad can ask, and the one to start with: the one asked for, else the best complete run. */
export async function load(dashboard: Dashboard, requested?: string): Promise<DrawPadProps | { runs: [] }> {
  const records = (await dashboard.runs()).flatMap((listing) => "record" in listing ? [listing.record] : [])
    // a failed run's weights are not finite numbers: nothing to draw against
    .filter((record) => record.status !== "failed");
  if (records.length === 0) return { runs: [] };
  const runs = records.map((record) => ({
    id: record.id,
    label: `${record.name || record.id} (${record.performance.toFixed(4)}${
      record.status === "incomplete" ? ", incomplete" : ""
    })`,
  }));
  const complete = records.filter((record) => (record.status ?? "complete") === "complete");
  const best = (complete.length ? complete : records).reduce((
    a,
    b,
  ) => (b.performance > a.performance ? b : a));
  return { runs, run: runs.some((run) => run.id === requested) ? requested! : best.id };
}

export default function DrawPage(data: DrawPadProps | { runs: [] }) {
  return (
    <Layout title="Draw a digit" current="/draw" islands>
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
