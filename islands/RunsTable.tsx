/** The runs list: sortable by any column, with boxes to pick runs to compare. */
import { useState } from "preact/hooks";
import type { RunRow } from "../components/props.ts";

type Column = keyof Omit<RunRow, "broken" | "epochsDone">;

const COLUMNS: { key: Column; title: string; format?: (row: RunRow) => string }[] = [
  { key: "date", title: "date", format: (row) => row.date.replace("T", " ").slice(0, 16) },
  { key: "name", title: "name" },
  { key: "layers", title: "layers" },
  { key: "learningRate", title: "lr" },
  {
    key: "epochs",
    title: "epochs",
    format: (
      row,
    ) => (row.epochsDone === row.epochs ? String(row.epochs) : `${row.epochsDone} of ${row.epochs}`),
  },
  { key: "status", title: "status", format: (row) => row.status ?? "complete" },
  { key: "trainRecords", title: "records", format: (row) => row.trainRecords?.toLocaleString("en") ?? "—" },
  { key: "rotate", title: "rotation", format: (row) => (row.rotate ? `±${row.rotate}°` : "—") },
  { key: "precision", title: "precision" },
  { key: "performance", title: "performance", format: (row) => row.performance?.toFixed(4) ?? "—" },
  {
    key: "trainSeconds",
    title: "training",
    format: (row) => (row.trainSeconds === null ? "—" : `${row.trainSeconds.toFixed(1)} s`),
  },
];

/** What a column sorts by: numbers as numbers, layers node by node ("784-50-10" before "784-200-10"). */
function sortValue(row: RunRow, key: Column): (number | string)[] | null {
  const value = row[key];
  if (value === null || value === undefined || value === "") return null;
  if (key === "layers") return String(value).split("-").map(Number);
  return [typeof value === "number" ? value : String(value)];
}

function compareValues(a: (number | string)[] | null, b: (number | string)[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) return -1;
    if (b[i] === undefined) return 1;
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

export default function RunsTable(props: { rows: RunRow[] }) {
  const [sort, setSort] = useState<{ key: Column; descending: boolean }>({ key: "date", descending: true });
  const [picked, setPicked] = useState<string[]>([]);
  const rows = [...props.rows].sort((a, b) => {
    const order = compareValues(sortValue(a, sort.key), sortValue(b, sort.key));
    return sort.descending ? -order : order;
  });
  const toggle = (id: string) =>
    setPicked(picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id]);
  return (
    <div>
      <div class="scroll">
        <table class="runs">
          <thead>
            <tr>
              <th>compare</th>
              {COLUMNS.map((column) => (
                <th
                  aria-sort={sort.key === column.key
                    ? (sort.descending ? "descending" : "ascending")
                    : undefined}
                >
                  <button
                    type="button"
                    class="sort"
                    aria-label={`sort by ${column.title}`}
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
      </div>
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
