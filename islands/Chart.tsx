/**
 * A chart.js chart: line or bar, any number of series. Props are plain JSON; the server
 * renders the empty canvas and the browser draws it. Under a line chart, its tools: a
 * moving-average smoothing, a log scale, an x range to zoom to, and its data as CSV and the
 * picture as PNG to download.
 */
import { Chart as ChartJS, registerables } from "chart.js";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ChartProps } from "../components/props.ts";
import { chartCsv, movingAverage } from "./chart_data.ts";

/** Offer `href` as a download named `name`. */
function download(href: string, name: string): void {
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  link.click();
}

ChartJS.register(...registerables);

const COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4d7c0f", "#be185d"];

export default function Chart(props: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [smooth, setSmooth] = useState(1);
  const [log, setLog] = useState(false);
  const [range, setRange] = useState<{ from?: number; to?: number }>({});
  const tools = props.type === "line";
  useEffect(() => {
    if (!canvas.current) return;
    const numeric = props.xType === "linear";
    // on a numeric axis each value sits at its x; lines are straight between measured points (no smoothing)
    const at = (data: (number | null)[], xs?: number[]) =>
      numeric ? data.map((y, i) => ({ x: xs?.[i] ?? Number(props.labels[i]), y })) : data;
    const datasets = props.series.flatMap((series, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const line = {
        label: smooth > 1 ? `${series.label} (mean of ${smooth})` : series.label,
        data: at(movingAverage(series.data, smooth), series.x),
        borderColor: colour,
        backgroundColor: colour + (props.type === "bar" ? "cc" : "33"),
        tension: 0,
        pointRadius: 3,
      };
      if (!series.low || !series.high) return [line];
      // the band: the highest line filled down to the lowest one, both without points or legend
      const edge = { borderWidth: 0, pointRadius: 0, backgroundColor: colour + "26", tension: 0 };
      return [
        line,
        { ...edge, label: `${series.label} lowest`, data: at(series.low, series.x), fill: false },
        { ...edge, label: `${series.label} highest`, data: at(series.high, series.x), fill: "-1" },
      ];
    });
    const chart = new ChartJS(canvas.current, {
      type: props.type,
      data: { labels: numeric ? undefined : props.labels, datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          legend: {
            display: props.series.length > 1,
            labels: { filter: (item) => !/ (lowest|highest)$/.test(item.text) },
          },
        },
        scales: {
          x: {
            type: numeric ? "linear" : "category",
            title: { display: Boolean(props.xLabel), text: props.xLabel ?? "" },
            // epochs are whole: no tick at 1.5 epochs
            ...(props.wholeX ? { ticks: { stepSize: 1, precision: 0 } } : {}),
            ...(range.from !== undefined ? { min: range.from } : {}),
            ...(range.to !== undefined ? { max: range.to } : {}),
            // chart.js types each axis type's options apart; this one is either
          } as never,
          y: {
            type: log ? "logarithmic" : "linear",
            title: { display: Boolean(props.yLabel), text: props.yLabel ?? "" },
            ...(props.yRange && !log ? { min: props.yRange[0], max: props.yRange[1] } : {}),
          } as never,
        },
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify(props), smooth, log, range.from, range.to]);
  const number = (text: string) =>
    text.trim() === "" || !Number.isFinite(Number(text)) ? undefined : Number(text);
  const name = (props.yLabel ?? "chart").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
  return (
    <div class="chart-box">
      <div
        class="chart"
        style={{ height: `${props.height ?? 260}px` }}
        // how many points it draws: lets a test (or a curious reader) see a live curve grow
        data-points={props.series.reduce((sum, series) => sum + series.data.length, 0)}
      >
        <canvas ref={canvas} role="img" aria-label={props.label ?? props.yLabel ?? "chart"} />
      </div>
      {tools && (
        <div class="chart-tools">
          <label>
            smooth{" "}
            <select value={smooth} onChange={(e) => setSmooth(Number((e.target as HTMLSelectElement).value))}>
              {[1, 3, 5, 10, 20].map((n) => (
                <option key={n} value={n}>{n === 1 ? "none" : `${n} points`}</option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={log}
              onChange={(e) => setLog((e.target as HTMLInputElement).checked)}
            />{" "}
            log
          </label>
          <label>
            x from{" "}
            <input
              inputMode="decimal"
              size={4}
              onChange={(e) => setRange({ ...range, from: number((e.target as HTMLInputElement).value) })}
            />
          </label>
          <label>
            to{" "}
            <input
              inputMode="decimal"
              size={4}
              onChange={(e) => setRange({ ...range, to: number((e.target as HTMLInputElement).value) })}
            />
          </label>
          <button
            type="button"
            onClick={() =>
              download(URL.createObjectURL(new Blob([chartCsv(props)], { type: "text/csv" })), `${name}.csv`)}
          >
            CSV
          </button>
          <button
            type="button"
            onClick={() => canvas.current && download(canvas.current.toDataURL("image/png"), `${name}.png`)}
          >
            PNG
          </button>
        </div>
      )}
    </div>
  );
}
