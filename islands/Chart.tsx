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
    const chart = new ChartJS(canvas.current, {
      type: props.type,
      data: {
        labels: props.labels,
        datasets: props.series.map((series, i) => ({
          label: series.label,
          data: series.data,
          borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: COLOURS[i % COLOURS.length] + (props.type === "bar" ? "cc" : "33"),
          tension: 0.2,
          pointRadius: 3,
        })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: props.series.length > 1 } },
        scales: {
          x: { title: { display: Boolean(props.xLabel), text: props.xLabel ?? "" } },
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
    <div class="chart" style={{ height: `${props.height ?? 260}px` }}>
      <canvas ref={canvas} role="img" aria-label={props.yLabel ?? "chart"} />
    </div>
  );
}
