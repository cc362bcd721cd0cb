/**
 * A chart whose code (chart.js, the largest part of the islands) is fetched only when there
 * is something to draw: the Train page before any training holds no chart and loads none.
 */
import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { ChartProps } from "../components/props.ts";

export default function LazyChart(props: ChartProps) {
  const [Chart, setChart] = useState<FunctionComponent<ChartProps> | undefined>();
  useEffect(() => {
    import("./Chart.tsx").then((module) => setChart(() => module.default));
  }, []);
  if (Chart) return <Chart {...props} />;
  // the chart's room, kept while its code arrives (the page does not jump)
  return (
    <div class="chart-box">
      <div
        class="chart"
        style={{ height: `${props.height ?? 260}px` }}
        data-points={props.series.reduce((sum, series) => sum + series.data.length, 0)}
      />
    </div>
  );
}
