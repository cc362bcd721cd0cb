/**
 * A reproduction's report as people read it: the table (Markdown, also the README's), the
 * whole report.md, and each graph as SVG — our mean with the lowest–highest band, the
 * published figures as diamonds. Pure text from the report's numbers (reproduce.ts makes them).
 *
 * @module
 */
import type { ReportExperiment, ReportLine, ReportQueryOutput, ReproduceReport } from "./reproduce_file.ts";
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
          } | ${figure ? cell(judgement(figure)) : "no figure here"} |`,
        );
      }
    }
  }
  return rows.join("\n");
}

/** A verdict with its one line of explanation when the figure lies outside our spread. */
export function judgement(figure: { verdict: string; apart?: string }): string {
  const apart = figure.verdict === "book higher" || figure.verdict === "book lower";
  return apart
    ? `${figure.verdict}: ${figure.apart ?? "one published run against our seeds"}`
    : figure.verdict;
}

/** Seconds for a reader: "42 s", "3.2 min". */
function duration(seconds: number): string {
  return seconds < 120 ? `${seconds.toPrecision(2)} s` : `${(seconds / 60).toPrecision(2)} min`;
}

/** An experiment's figures, each with its words, ours and the verdict; and the times beside ours. */
function figureLines(experiment: ReportExperiment): string[] {
  const lines: string[] = [];
  for (const line of experiment.lines) {
    for (const figure of line.published) {
      lines.push(
        `- ${four(figure.value)}${
          figure.x === null ? "" : ` at ${figure.x}`
        } (${line.label}; ${figure.provenance}: ` +
          `${figure.source}): “${figure.quote}” — ours ${four(figure.ours.mean)} (${four(figure.ours.min)}–${
            four(figure.ours.max)
          }), ${judgement(figure)}`,
      );
    }
    for (const time of line.times ?? []) {
      lines.push(
        `- ${line.label}: ${
          duration(time.seconds)
        } on ${time.what} (${time.provenance}: “${time.quote}”) — ours ${
          line.seconds
            ? `${duration(line.seconds.mean)} a training here (whole run, scoring included)`
            : "not timed"
        }`,
      );
    }
  }
  return lines;
}

/** The book's printed outputs for one test record beside ours, as a Markdown table. */
function queryOutputTable(query: ReportQueryOutput): string[] {
  return [
    `## The first test record's outputs after the 100-record training`,
    "",
    `Source: ${query.source} — record ${query.record}, a “${query.label}”. The book prints one run's ten outputs ` +
    `(“${query.quote}” is the “${query.label}”); ours are the spread over the seeds, each from its own start.`,
    "",
    "| output node | the book | ours: mean | lowest–highest |",
    "| --- | --- | --- | --- |",
    ...query.outputs.map((value, node) =>
      `| ${node} | ${value} | ${query.ours[node].mean.toFixed(4)} | ${query.ours[node].min.toFixed(4)}–${
        query.ours[node].max.toFixed(4)
      } |`
    ),
  ];
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
    "Each figure names the text that prints it — the book's Part 2, Part 3 or Appendix B, the author's blog,",
    "the single-layer tutorial — and each experiment's section quotes its words; *notebook* marks an output",
    "cell of the author's notebooks (github.com/makeyourownneuralnetwork/makeyourownneuralnetwork). The verdict",
    "sets the figure against our lowest–highest over the seeds, and says why when it lies outside.",
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
    const figures = figureLines(experiment);
    if (figures.length > 0) parts.push("", "The texts' figures:", "", ...figures);
  }
  if (report.queryOutput) parts.push("", ...queryOutputTable(report.queryOutput));
  return parts.join("\n") + "\n";
}
