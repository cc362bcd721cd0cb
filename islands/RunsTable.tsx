/** The runs list: sortable by any column, with boxes to pick runs to compare. */
import { useState } from "preact/hooks";
import type { RunRow } from "../components/props.ts";

type Column = keyof Omit<RunRow, "broken" | "status">;

const COLUMNS: { key: Column; title: string; format?: (row: RunRow) => string }[] = [
  { key: "date", title: "date", format: (row) => row.date.replace("T", " ").slice(0, 16) },
  { key: "name", title: "name" },
  { key: "layers", title: "layers" },
  { key: "learningRate", title: "lr" },
  { key: "epochs", title: "epochs" },
  { key: "rotate", title: "rotation", format: (row) => (row.rotate ? `±${row.rotate}°` : "—") },
  { key: "precision", title: "precision" },
  { key: "performance", title: "performance", format: (row) => row.performance?.toFixed(4) ?? "—" },
  {
    key: "trainSeconds",
    title: "training",
    format: (row) => (row.trainSeconds === null ? "—" : `${row.trainSeconds.toFixed(1)} s`),
  },
];

export default function RunsTable(props: { rows: RunRow[] }) {
  const [sort, setSort] = useState<{ key: Column; descending: boolean }>({ key: "date", descending: true });
  const [picked, setPicked] = useState<string[]>([]);
  const rows = [...props.rows].sort((a, b) => {
    const [x, y] = [a[sort.key], b[sort.key]];
    const order = x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1;
    return sort.descending ? -order : order;
  });
  const toggle = (id: string) =>
    setPicked(picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id]);
  return (
    <div>
      <table class="runs">
        <thead>
          <tr>
            <th>compare</th>
            {COLUMNS.map((column) => (
              <th>
                <button
                  type="button"
                  class="sort"
                  onClick={() =>
                    setSort({
                      key: column.key,
                      descending: sort.key === column.key ? !sort.descending : true,
                    })}
                >
                  {column.title}
                  {sort.key === column.key ? (sort.descending ? " ▼" : " ▲") : ""}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr class={row.broken ? "broken" : ""} data-run={row.id}>
              <td>
                {!row.broken && (
                  <input
                    type="checkbox"
                    aria-label={`compare ${row.id}`}
                    checked={picked.includes(row.id)}
                    onChange={() => toggle(row.id)}
                  />
                )}
              </td>
              {row.broken
                ? (
                  <td colSpan={COLUMNS.length}>
                    <a href={`/runs/${row.id}`}>{row.id}</a> — broken: {row.broken}
                  </td>
                )
                : COLUMNS.map((column) => (
                  <td>
                    {column.key === "name"
                      ? (
                        <>
                          <a href={`/runs/${row.id}`}>{row.name || row.id}</a>
                          {row.status && <span class="status-note">{row.status}</span>}
                        </>
                      )
                      : column.format
                      ? column.format(row)
                      : String(row[column.key] ?? "—")}
                  </td>
                ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a
          class={`button ${picked.length < 2 ? "disabled" : ""}`}
          href={picked.length >= 2 ? `/compare?runs=${picked.join(",")}` : undefined}
          aria-disabled={picked.length < 2}
        >
          Compare {picked.length} selected
        </a>
      </p>
    </div>
  );
}
