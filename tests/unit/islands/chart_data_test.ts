/** A chart's tools' numbers (islands/chart_data.ts): smoothing and the CSV export. */
import assert from "node:assert/strict";
import { chartCsv, movingAverage } from "../../../islands/chart_data.ts";

Deno.test("smoothing is a trailing moving average over the points there are; gaps stay gaps", () => {
  assert.deepEqual(movingAverage([1, 2, 3, 4], 1), [1, 2, 3, 4]);
  assert.deepEqual(movingAverage([1, 2, 3, 4], 2), [1, 1.5, 2.5, 3.5]);
  assert.deepEqual(movingAverage([3, null, 6, 9], 3), [3, null, 4.5, 7.5]);
});

Deno.test("a chart's CSV: x, then a column per series, labels quoted where they need it", () => {
  const csv = chartCsv({
    type: "line",
    labels: [1, 2],
    series: [{ label: "test performance", data: [0.9, 0.95] }, { label: 'error, "mean"', data: [0.1, null] }],
    xLabel: "epoch",
  });
  assert.equal(csv, 'epoch,test performance,"error, ""mean"""\n1,0.9,0.1\n2,0.95,\n');
});
