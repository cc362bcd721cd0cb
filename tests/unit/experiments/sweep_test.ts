import assert from "node:assert/strict";
import { parseSweepParameter, parseValues, spread, terminalChart } from "../../../core/experiments/mod.ts";
import { assertAllClose } from "../../helpers.ts";

Deno.test("parseSweepParameter() reads lists and ranges of the four settings", () => {
  assert.deepEqual(parseSweepParameter("lr=0.01,0.1,0.3"), { parameter: "lr", values: [0.01, 0.1, 0.3] });
  assert.deepEqual(parseSweepParameter("epochs=1..5"), { parameter: "epochs", values: [1, 2, 3, 4, 5] });
  assert.deepEqual(parseSweepParameter("lr=0.1..0.5:0.1").values, [0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.deepEqual(parseSweepParameter("rotate=0..45:15").values, [0, 15, 30, 45]);
  assert.deepEqual(parseValues("0..0.9:0.1", "--lesion").length, 10);
});

Deno.test("parseSweepParameter() names what is wrong with a bad parameter or range", () => {
  assert.throws(
    () => parseSweepParameter("momentum=0.9"),
    /--param momentum is not a setting a sweep can vary: use one of lr, epochs, hidden, rotate/,
  );
  assert.throws(() => parseSweepParameter("lr"), /--param must look like lr=0.01,0.1,0.3/);
  assert.throws(() => parseSweepParameter("epochs=5..1"), /"5\.\.1" is not a range/);
  assert.throws(() => parseSweepParameter("lr=0.1,abc"), /"abc" is not a number/);
  assert.throws(
    () => parseSweepParameter("hidden=10,2.5"),
    /--param hidden must be 1 to 8 whole numbers 1–100,000, comma-separated, like 200 or 200,100; got "2\.5"/,
  );
  assert.throws(() => parseSweepParameter("lr=0,0.1"), /--param lr must be a number > 0, got "0"/);
});

Deno.test("spread() and terminalChart() summarise points", () => {
  const { mean, standardDeviation, min, max } = spread([0.9, 0.92, 0.94]);
  assertAllClose([mean, standardDeviation, min, max], [0.92, 0.02, 0.9, 0.94], 1e-12);
  assert.equal(spread([0.5]).standardDeviation, 0);
  const chart = terminalChart([
    { value: 0.1, performance: spread([0.9, 0.92]) },
    { value: 0.3, performance: spread([0.95, 0.96]) },
  ], 20);
  assert.equal(chart.split("\n")[0], "     0.1 │├──●──┤             │ 0.9100");
  assert.equal(chart.split("\n")[1], "     0.3 │                ├●─┤│ 0.9550");
});
