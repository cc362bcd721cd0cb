/** Draw: a canvas to write a digit on, and the network's ten outputs as you draw. */
import { Island } from "../components/Island.tsx";
import { Layout } from "../components/Layout.tsx";
import { listRuns } from "../core/store/mod.ts";
import type { DrawPadProps } from "../components/props.ts";
import DrawPad from "../islands/DrawPad.tsx";
import type { Dashboard } from "./context.ts";

/** The runs the draw pad can ask, and the one to start with. */
export async function load(dashboard: Dashboard, requested?: string): Promise<DrawPadProps | { runs: [] }> {
  const runs = (await listRuns(dashboard.runsDir)).flatMap((listing) =>
    "record" in listing
      ? [{
        id: listing.id,
        label: `${listing.record.name || listing.id} (${listing.record.performance.toFixed(4)})`,
      }]
      : []
  );
  if (runs.length === 0) return { runs: [] };
  return { runs, run: runs.some((run) => run.id === requested) ? requested! : runs[0].id };
}

export default function DrawPage(data: DrawPadProps | { runs: [] }) {
  return (
    <Layout title="Draw a digit" islands>
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
