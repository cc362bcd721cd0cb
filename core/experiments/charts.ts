/**
 * Charts as SVG text, for notebooks and reports: a line chart on numeric axes (straight
 * lines between measured points, an optional lowest–highest band) and a confusion-matrix
 * heat map. Written by hand because they are small and must work anywhere SVG does — a
 * notebook cell, a Markdown report, a file — with no browser or DOM.
 *
 * @module
 */

/** One line: its points, and optionally the band (lowest, highest) at each point. */
export interface ChartSeries {
  label: string;
  points: { x: number; y: number; low?: number; high?: number }[];
  /** draw the points alone, as hollow diamonds, without a line (published figures beside ours) */
  markersOnly?: boolean;
}

/** The height of a legend line under the plot. */
const LEGEND_LINE = 16;

const COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c"];

/** Round tick values that span `low`…`high`. */
function ticks(low: number, high: number, count = 5): number[] {
  const span = high - low || 1;
  const step = Math.pow(10, Math.floor(Math.log10(span / count)));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= count) ?? 10 * step;
  const values = [];
  for (let v = Math.ceil(low / nice) * nice; v <= high + nice * 1e-9; v += nice) {
    values.push(Number(v.toPrecision(12)));
  }
  return values;
}

/** Text safe inside SVG. */
function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A line chart of `series` on numeric axes, as SVG text. */
export function lineChartSvg(
  series: ChartSeries[],
  options: { xLabel: string; yLabel: string; width?: number; height?: number; logX?: boolean },
): string {
  const width = options.width ?? 520, height = options.height ?? 300;
  const margin = { left: 60, right: 16, top: 16, bottom: 44 };
  const all = series.flatMap((s) => s.points);
  const fx = (x: number) => (options.logX ? Math.log10(x) : x);
  const xs = all.map((p) => fx(p.x));
  const ys = all.flatMap((p) => [p.y, p.low ?? p.y, p.high ?? p.y]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const pad = (Math.max(...ys) - Math.min(...ys)) * 0.05 || 0.01;
  const [y0, y1] = [Math.min(...ys) - pad, Math.max(...ys) + pad];
  const px = (x: number) =>
    margin.left + (fx(x) - x0) / (x1 - x0 || 1) * (width - margin.left - margin.right);
  const py = (y: number) =>
    height - margin.bottom - (y - y0) / (y1 - y0) * (height - margin.top - margin.bottom);
  const parts = [
    // the legend goes below the plot, one line per series, where it covers no data
    // a viewBox, so that a page's CSS can shrink the chart to a phone's width without cutting it
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${
      height + LEGEND_LINE * series.length
    }" ` +
    `viewBox="0 0 ${width} ${height + LEGEND_LINE * series.length}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height + LEGEND_LINE * series.length}" fill="white"/>`,
  ];
  for (const t of ticks(y0, y1)) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${py(t)}" y2="${py(t)}" stroke="#e5e7eb"/>`,
      `<text x="${margin.left - 6}" y="${py(t) + 4}" text-anchor="end">${t}</text>`,
    );
  }
  const xTicks = options.logX ? [...new Set(all.map((p) => p.x))] : ticks(x0, x1);
  for (const t of xTicks) {
    parts.push(`<text x="${px(t)}" y="${height - margin.bottom + 16}" text-anchor="middle">${t}</text>`);
  }
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    if (sorted.some((p) => p.low !== undefined)) {
      const upper = sorted.map((p) => `${px(p.x)},${py(p.high ?? p.y)}`);
      const lower = sorted.map((p) => `${px(p.x)},${py(p.low ?? p.y)}`).reverse();
      parts.push(`<polygon points="${[...upper, ...lower].join(" ")}" fill="${colour}" opacity="0.15"/>`);
    }
    if (s.markersOnly) {
      parts.push(...sorted.map((p) => {
        const [x, y] = [px(p.x), py(p.y)];
        return `<polygon points="${x},${y - 6} ${x + 6},${y} ${x},${y + 6} ${
          x - 6
        },${y}" fill="white" stroke="${colour}" stroke-width="2"/>`;
      }));
    } else {
      parts.push(
        `<polyline points="${
          sorted.map((p) => `${px(p.x)},${py(p.y)}`).join(" ")
        }" fill="none" stroke="${colour}" stroke-width="2"/>`,
        ...sorted.map((p) => `<circle cx="${px(p.x)}" cy="${py(p.y)}" r="3" fill="${colour}"/>`),
      );
    }
    parts.push(
      // the mark in the series' colour, the words in dark grey (readable whatever the colour)
      `<text x="${margin.left}" y="${height + LEGEND_LINE * i + 4}" fill="#1f2937"><tspan fill="${colour}">${
        s.markersOnly ? "◇" : "●"
      }</tspan> ${escape(s.label)}</text>`,
    );
  });
  parts.push(
    `<text x="${(width + margin.left) / 2}" y="${height - 8}" text-anchor="middle">${
      escape(options.xLabel)
    }</text>`,
    `<text transform="translate(14 ${(height - margin.bottom) / 2}) rotate(-90)" text-anchor="middle">${
      escape(options.yLabel)
    }</text>`,
    `</svg>`,
  );
  return parts.join("\n");
}

/** A confusion matrix (confusion[label][answer]) as an SVG heat map with the counts written in. */
export function confusionSvg(confusion: number[][], cell = 34): string {
  const n = confusion.length, margin = 40;
  const largest = Math.max(
    ...confusion.flatMap((row, label) => row.filter((_, answer) => answer !== label)),
    1,
  );
  const size = margin + n * cell + 8;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" ` +
    `font-family="sans-serif" font-size="11">`,
    `<rect width="${size}" height="${size}" fill="white"/>`,
    `<text x="${margin + n * cell / 2}" y="12" text-anchor="middle">the network's answer</text>`,
    `<text transform="translate(10 ${margin + n * cell / 2}) rotate(-90)" text-anchor="middle">label</text>`,
  ];
  confusion.forEach((row, label) => {
    parts.push(
      `<text x="${margin - 6}" y="${margin + label * cell + cell / 2 + 4}" text-anchor="end">${label}</text>`,
    );
    parts.push(
      `<text x="${margin + label * cell + cell / 2}" y="${margin - 6}" text-anchor="middle">${label}</text>`,
    );
    row.forEach((count, answer) => {
      // right answers in blue, mistakes in red, darker for more
      const strength = answer === label ? 0.35 : Math.min(1, count / largest);
      const fill = answer === label ? `rgba(37,99,235,${strength})` : `rgba(220,38,38,${strength})`;
      const x = margin + answer * cell, y = margin + label * cell;
      parts.push(
        `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#e5e7eb"/>`,
        `<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle">${count}</text>`,
      );
    });
  });
  parts.push("</svg>");
  return parts.join("\n");
}
