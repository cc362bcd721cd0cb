/** A chart.js chart as an island: the one way pages put a chart on the page. */
import Chart from "../islands/Chart.tsx";
import type { ChartProps } from "./props.ts";
import { Island } from "./Island.tsx";

export function ChartIsland(props: ChartProps) {
  return <Island name="Chart" component={Chart} props={props} />;
}
