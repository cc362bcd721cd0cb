/**
 * A chart's numbers, apart from drawing it (so tests run them without a browser): the
 * smoothing the chart's tools offer, and its data as CSV.
 *
 * @module
 */
import type { ChartProps } from "../components/props.ts";

/** The mean of each point with the `window` − 1 before it (as many as there are): a trailing moving average. */
export function movingAverage(data: (number | null)[], window: number): (number | null)[] {
  if (window <= 1) return data;
  return data.map((value, i) => {
    if (value === null) return null;
    const recent = data.slice(Math.max(0, i - window + 1), i + 1).filter((y): y is number => y !== null);
    return recent.reduce((sum, y) => sum + y, 0) / recent.length;
  });
}

/** The chart's data as CSV: x, then one column per series. */
export function chartCsv(props: ChartProps): string {
  const quote = (text: string) => /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  const rows = new Map<string, (number | null)[]>();
  props.series.forEach((series, s) =>
    series.data.forEach((y, i) => {
      const x = String(series.x?.[i] ?? props.labels[i]);
      if (!rows.has(x)) rows.set(x, props.series.map(() => null));
      rows.get(x)![s] = y;
    })
  );
  const header = [props.xLabel ?? "x", ...props.series.map((series) => series.label)].map(quote).join(",");
  return [header, ...[...rows].map(([x, ys]) => [quote(x), ...ys.map((y) => y ?? "")].join(","))].join("\n") +
    "\n";
}
