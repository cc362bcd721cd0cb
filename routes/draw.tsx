/** Draw: a canvas to write a digit on, and the network's ten outputs as you draw. */
import { Island } from "../components/Island.tsx";
import { Layout } from "../components/Layout.tsx";
import { listRuns } from "../core/store/runs.ts";
import DrawPad from "../islands/DrawPad.tsx";
import type { Dashboard } from "./context.ts";

export default async function DrawPage(dashboard: Dashboard, requested?: string) {
  const runs = (await listRuns(dashboard.runsDir)).flatMap((listing) =>
    "record" in listing
      ? [{
        id: listing.id,
        label: `${listing.record.name || listing.id} (${listing.record.performance.toFixed(4)})`,
      }]
      : []
  );
  return (
    <Layout title="Draw a digit" islands>
      {runs.length === 0
        ? (
          <p>
            No trained network yet: train one first on the <a href="/train">Train</a> page.
          </p>
        )
        : (
          <Island
            name="DrawPad"
            component={DrawPad}
            props={{ runs, run: runs.some((run) => run.id === requested) ? requested! : runs[0].id }}
          />
        )}
    </Layout>
  );
}
