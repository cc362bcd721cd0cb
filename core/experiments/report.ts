/**
 * A reproduction's report as people read it: the table (Markdown, also the README's), the
 * whole report.md, and each graph as SVG — our mean with the lowest–highest band, the
 * published figures as diamonds. Pure text from the report's numbers (reproduce.ts makes them).
 *
 * @module
 */
import type { ReportExperiment, ReportLine, ReproduceReport } from "../store/reproduce.ts";
import { type ChartSeries, lineChartSvg } from "./charts.ts";

/** A graph experiment's chart: each line with its lowest–highest band, and the published points. */
export function experimentChartSvg(experiment: ReportExperiment): string | null {
  if (experiment.parameter === null) return null;
  const series: ChartSeries[] = experiment.lines.map((line) => ({
    label: `${line.label} (mean, lowest–highest)`,
    points: line.points.map((p) => ({
      x: p.x ?? 0,
      y: p.performance.mean,
      low: p.performance.min,
      high: p.performance.max,
    })),
  }));
  const published = experiment.lines.flatMap((line) =>
    line.published.filter((figure) => figure.x !== null).map((figure) => ({
      x: figure.x as number,
      y: figure.value,
    }))
  );
  if (published.length > 0) series.push({ label: "published", points: published, markersOnly: true });
  return lineChartSvg(series, {
    xLabel: AXIS_NAMES[experiment.parameter] ?? experiment.parameter,
    yLabel: "performance",
  });
}

const AXIS_NAMES: Record<string, string> = {
  lr: "learning rate",
  epochs: "epochs",
  hidden: "hidden nodes",
  rotate: "rotation (±degrees)",
  images: "training images",
};

/** A performance as the book prints it: four decimals. */
export const four = (x: number): string => x.toFixed(4);

/** A line's points for a reader: "x: mean (lowest–highest); …" (no "x:" for a line without a graph). */
export function describePoints(line: ReportLine): string {
  return line.points.map((p) =>
    `${p.x === null ? "" : `${p.x}: `}${four(p.performance.mean)} (${four(p.performance.min)}–${
      four(p.performance.max)
    })`
  ).join("; ");
}

/** One row per published figure (and per line without one): the report's table, as Markdown. */
export function reportTable(experiments: readonly ReportExperiment[]): string {
  const rows = [
    "| experiment | line | at | published | ours: mean | lowest–highest | verdict |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  for (const experiment of experiments) {
    for (const line of experiment.lines) {
      const figures = line.published.length > 0 ? line.published : [null];
      for (const figure of figures) {
        const point = figure
          ? { x: figure.x, performance: figure.ours }
          : line.points.reduce((best, p) => (p.performance.mean > best.performance.mean ? p : best));
        const at = point.x === null
          ? ""
          : `${figure?.at === "best" ? "best, " : figure ? "" : "best, "}${point.x}`;
        rows.push(
          `| ${cell(experiment.id)} | ${cell(line.label)} | ${at} | ${
            figure ? `${four(figure.value)} (${figure.provenance})` : "—"
          } | ${four(point.performance.mean)} | ${four(point.performance.min)}–${
            four(point.performance.max)
          } | ${figure ? figure.verdict : "no figure here"} |`,
        );
      }
    }
  }
  return rows.join("\n");
}

/** report.md: how it was made, the table, then each experiment with its source, note, chart and points. */
export function reportMarkdown(report: ReproduceReport): string {
  const parts = [
    `# The book, reproduced — ${report.quick ? "quick" : "full"} report`,
    "",
    `Made by \`${report.command}\` on ${report.createdAt.slice(0, 10)}: seeds ${report.seeds.join(", ")}, ${
      report.limits
        ? `the first ${report.limits.limitTrain.toLocaleString("en")} training and ${
          report.limits.limitTest.toLocaleString("en")
        } test records`
        : "the full MNIST sets"
    }; ${report.trained} trainings run, ${report.reused} kept from before, in ${
      Math.round(report.seconds)
    } s on ${report.machine.cores} cores (the trainings' own times add up to ${
      Math.round(report.trainingSeconds)
    } s).`,
    "",
    '"published" says where each figure was read: *notebook* — an output cell of the author\'s notebooks',
    "(github.com/makeyourownneuralnetwork/makeyourownneuralnetwork); *quoted* — as issue #12 quotes the book, not",
    "checked against its text here. The verdict sets the figure against our lowest–highest over the seeds.",
    "",
    reportTable(report.experiments),
  ];
  for (const experiment of report.experiments) {
    parts.push(
      "",
      `## ${experiment.title}`,
      "",
      `Source: ${experiment.source}.${experiment.note ? ` ${experiment.note}` : ""}`,
    );
    if (experiment.chart) parts.push("", `![${experiment.title}](${experiment.chart})`);
    parts.push("");
    for (const line of experiment.lines) {
      parts.push(`- ${line.label} (${line.settings}): ${describePoints(line)}`);
    }
  }
  return parts.join("\n") + "\n";
}
