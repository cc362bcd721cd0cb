/**
 * A chart.js chart: line or bar, any number of series. Props are plain JSON; the server
 * renders the empty canvas and the browser draws it.
 */
import { Chart as ChartJS, registerables } from "chart.js";
import { useEffect, useRef } from "preact/hooks";
import type { ChartProps } from "../components/props.ts";

ChartJS.register(...registerables);

const COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4d7c0f", "#be185d"];

export default function Chart(props: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const numeric = props.xType === "linear";
    // on a numeric axis each value sits at its x; lines are straight between measured points (no smoothing)
    const at = (data: (number | null)[], xs?: number[]) =>
      numeric ? data.map((y, i) => ({ x: xs?.[i] ?? Number(props.labels[i]), y })) : data;
    const datasets = props.series.flatMap((series, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const line = {
        label: series.label,
        data: at(series.data, series.x),
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
          },
          y: {
            title: { display: Boolean(props.yLabel), text: props.yLabel ?? "" },
            ...(props.yRange ? { min: props.yRange[0], max: props.yRange[1] } : {}),
          },
        },
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify(props)]);
  return (
    <div
      class="chart"
      style={{ height: `${props.height ?? 260}px` }}
      // how many points it draws: lets a test (or a curious reader) see a live curve grow
      data-points={props.series.reduce((sum, series) => sum + series.data.length, 0)}
    >
      <canvas ref={canvas} role="img" aria-label={props.yLabel ?? "chart"} />
    </div>
  );
}
