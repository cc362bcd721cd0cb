/**
 * The plain JSON that crosses between the server and the browser: the props the pages
 * hand to islands and what the API's endpoints answer. One module, imported by both
 * sides (type-only in islands, so nothing of the server reaches the bundle).
 *
 * @module
 */

/** A chart.js chart: line or bar, any number of series. */
export interface ChartProps {
  type: "line" | "bar";
  /** x-axis labels (categories), or the x values of a numeric axis */
  labels: (string | number)[];
  /** a numeric x axis: points placed at their values, not evenly (default: categories) */
  xType?: "category" | "linear";
  /** each line; `low`/`high` draw a shaded band (e.g. lowest to highest over seeds) */
  series: { label: string; data: (number | null)[]; x?: number[]; low?: number[]; high?: number[] }[];
  xLabel?: string;
  yLabel?: string;
  /** fix the y axis, e.g. [0.9, 1] */
  yRange?: [number, number];
  /** the x axis counts whole things (epochs): ticks at whole numbers only */
  wholeX?: boolean;
  /** the chart's accessible name (default: its y label) */
  label?: string;
  height?: number;
}

/** One row of the runs table. */
export interface RunRow {
  id: string;
  name: string;
  date: string;
  layers: string;
  learningRate: number | null;
  epochs: number | null;
  /** epochs finished (fewer than `epochs` for an incomplete run) */
  epochsDone: number | null;
  /** training records used */
  trainRecords: number | null;
  rotate: number | null;
  precision: string;
  performance: number | null;
  trainSeconds: number | null;
  /** complete, or "incomplete (2 of 5 epochs)" / "failed: …" */
  status?: string;
  /** the run's time, shown beside a name other runs share (or in place of none) */
  apart?: string;
  seed: number | null;
  init: string;
  activation: string;
  testRecords: number | null;
  tags: string[];
  note: string;
  /** why the run cannot be read, for a broken run */
  broken?: string;
}

/** The draw pad: the runs it can ask, and the one picked. */
export interface DrawPadProps {
  runs: { id: string; label: string }[];
  run: string;
}

/** POST /api/query's answer. */
export interface QueryAnswer {
  pixels: number[];
  outputs: number[];
  answer: number;
  confidence: number;
  /** the first hidden layer's nodes that fired most for the drawing, strongest first */
  fired?: { node: number; signal: number }[];
  error?: string;
}

/** One field of the train form, from the shared settings (core/settings.ts). */
export interface FormField {
  /** the API's name for it */
  name: string;
  label: string;
  /** the default, as text; "" for none */
  value: string;
  /** a select's choices */
  choices?: readonly string[];
  inputMode?: "numeric" | "decimal" | "text";
  /** the allowed values in words, shown as the field's hint */
  range: string;
  /** the settings beyond the book go together, folded away until opened */
  beyond?: boolean;
}

/** A training's state, as GET /api/train/events streams it and GET /api/live lists them (core/jobs/status.ts). */
export type { TrainStatus } from "../core/jobs/status.ts";

/** A command-line training the dashboard watches (GET /api/live): its live file (core/jobs/live.ts). */
export type { LiveTraining as LiveTrainingView } from "../core/jobs/live.ts";
