/** The trash: deleted runs, when they were deleted, and a Restore button each (with the changes token). */
import { Island } from "../components/Island.tsx";
import { Layout } from "../components/Layout.tsx";
import RunActions from "../islands/RunActions.tsx";
import { listTrash, readRunRecord } from "../core/store/mod.ts";
import type { Dashboard } from "./context.ts";

export interface TrashPageData {
  runs: { id: string; name: string; deletedAt: string; performance: number | null }[];
  /** how long a deleted run is kept, in days */
  keepDays: number;
  canChange: boolean;
}

export async function load(dashboard: Dashboard, canChange: boolean): Promise<TrashPageData> {
  const runs = [];
  for (const entry of await listTrash(dashboard.runsDir)) {
    const record = await readRunRecord(entry.folder).catch(() => undefined);
    runs.push({
      id: entry.id,
      name: record?.name ?? "",
      deletedAt: entry.deletedAt.toISOString(),
      performance: record?.performance ?? null,
    });
  }
  return { runs, keepDays: dashboard.trashDays, canChange };
}

export default function TrashPage({ runs, keepDays, canChange }: TrashPageData) {
  return (
    <Layout title="Trash" islands={canChange && runs.length > 0}>
      <p>
        Deleted runs stay here {keepDays} days (the server empties older ones:{" "}
        <code>serve --trash-days</code>), in <code>.trash</code>{" "}
        inside the runs folder. Restoring gives back the same files.
      </p>
      {runs.length === 0 ? <p>The trash is empty.</p> : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">run</th>
                <th scope="col">performance</th>
                <th scope="col">deleted</th>
                {canChange && <th scope="col"></th>}
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id + run.deletedAt}>
                  <td>
                    {run.name ? `${run.name} · ` : ""}
                    {run.id}
                  </td>
                  <td>{run.performance?.toFixed(4) ?? "—"}</td>
                  <td>{run.deletedAt.replace("T", " ").slice(0, 16)}</td>
                  {canChange && (
                    <td>
                      <Island
                        name="RunActions"
                        component={RunActions}
                        props={{ id: run.id, name: run.name, note: "", tags: [], mode: "restore" }}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
