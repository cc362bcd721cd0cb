/** The runs list: sortable by any column, the columns chosen by the reader, with boxes to pick runs to compare. */
import { useEffect, useState } from "preact/hooks";
import type { RunRow } from "../components/props.ts";

type Column = keyof Omit<RunRow, "broken" | "epochsDone" | "apart" | "note">;

/** Where the reader's choice of columns is kept, in this browser. */
const COLUMNS_KEY = "myonn.runs.columns";

/** Every column; `optional` ones are hidden until the reader shows them. */
const COLUMNS: { key: Column; title: string; format?: (row: RunRow) => string; optional?: boolean }[] = [
  // the name and the performance first: on a phone they show without scrolling the table
  { key: "name", title: "name" },
  { key: "performance", title: "performance", format: (row) => row.performance?.toFixed(4) ?? "—" },
  { key: "date", title: "date", format: (row) => row.date.replace("T", " ").slice(0, 16) },
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
  {
    key: "rotate",
    title: "rotation",
    format: (row) => (row.rotate ? `±${row.rotate}°` : "—"),
    optional: true,
  },
  { key: "precision", title: "precision", optional: true },
  { key: "seed", title: "seed", optional: true },
  { key: "init", title: "init", optional: true },
  { key: "activation", title: "activation", optional: true },
  {
    key: "testRecords",
    title: "test records",
    format: (row) => row.testRecords?.toLocaleString("en") ?? "—",
    optional: true,
  },
  {
    key: "trainSeconds",
    title: "training",
    format: (row) => (row.trainSeconds === null ? "—" : `${row.trainSeconds.toFixed(1)} s`),
  },
  { key: "tags", title: "tags", format: (row) => row.tags.join(" ") || "—" },
];

/** The optional columns shown by default. */
const SHOWN_AT_FIRST: Column[] = ["precision"];

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
  const [shown, setShown] = useState<Column[]>(SHOWN_AT_FIRST);
  useEffect(() => {
    // the boxes a browser ticked again on Back (it restores form state) are picked, so what is ticked is what compares
    const ticked = [...document.querySelectorAll<HTMLInputElement>("table.runs input[type=checkbox]:checked")]
      .map((box) => box.closest("tr")?.dataset.run).filter((id): id is string => Boolean(id));
    if (ticked.length > 0) setPicked(ticked);
    try {
      const kept = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? "null");
      if (Array.isArray(kept)) setShown(kept.filter((key) => COLUMNS.some((column) => column.key === key)));
    } catch {
      // no storage here (a private window): the default columns
    }
  }, []);
  const visible = COLUMNS.filter((column) => !column.optional || shown.includes(column.key));
  const showColumn = (key: Column, on: boolean) => {
    const next = on ? [...shown, key] : shown.filter((k) => k !== key);
    setShown(next);
    try {
      localStorage.setItem(COLUMNS_KEY, JSON.stringify(next));
    } catch {
      // not kept: fine
    }
  };
  const rows = [...props.rows].sort((a, b) => {
    const order = compareValues(sortValue(a, sort.key), sortValue(b, sort.key));
    return sort.descending ? -order : order;
  });
  const toggle = (id: string) =>
    setPicked(picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id]);
  return (
    <div>
      <details class="columns">
        <summary>Columns</summary>
        {COLUMNS.filter((column) => column.optional).map((column) => (
          <label key={column.key}>
            <input
              type="checkbox"
              checked={shown.includes(column.key)}
              onChange={(event) => showColumn(column.key, (event.target as HTMLInputElement).checked)}
            />{" "}
            {column.title}
          </label>
        ))}
      </details>
      <div class="scroll">
        <table class="runs">
          <thead>
            <tr>
              <th>compare</th>
              {visible.map((column) => (
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
                      autoComplete="off"
                      aria-label={`compare ${row.id}`}
                      checked={picked.includes(row.id)}
                      onChange={() => toggle(row.id)}
                    />
                  )}
                </td>
                {row.broken
                  ? (
                    <td colSpan={visible.length}>
                      <a href={`/runs/${row.id}`}>{row.id}</a> — broken: {row.broken}
                    </td>
                  )
                  : visible.map((column) => (
                    <td class={column.key}>
                      {column.key === "name"
                        ? (
                          <>
                            <a href={`/runs/${row.id}`} title={row.note || undefined}>{row.name || row.id}</a>
                            {row.apart && row.name && <small class="apart">{row.apart}</small>}
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
