/** Learning-rate schedules (core/training/schedule.ts). */
import assert from "node:assert/strict";
import { CONSTANT_RATE, rateAt, type Schedule, scheduleProblem } from "../../../core/training/mod.ts";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-15, `${a} ≠ ${b}`);
const of = (name: Schedule["name"], more: Partial<Schedule> = {}): Schedule => ({
  ...CONSTANT_RATE,
  name,
  ...more,
});
const SPELL = { finalRate: "--final-rate", decay: "--decay" };

Deno.test("each schedule's rate, epoch by epoch", () => {
  for (let epoch = 1; epoch <= 5; epoch++) close(rateAt(CONSTANT_RATE, 0.1, epoch, 5), 0.1);
  close(rateAt(of("exponential", { decay: 0.5 }), 0.1, 3, 5), 0.025);
  const step = of("step", { decay: 0.1, every: 2 });
  assert.deepEqual([1, 2, 3, 4, 5].map((e) => rateAt(step, 1, e, 5)), [1, 1, 0.1, 0.1, 0.1 * 0.1]);
  const linear = of("linear", { finalRate: 0.01 });
  close(rateAt(linear, 0.1, 1, 4), 0.1);
  close(rateAt(linear, 0.1, 4, 4), 0.01);
  close(rateAt(linear, 0.1, 2, 4), 0.07);
  const cosine = of("cosine", { finalRate: 0.001 });
  close(rateAt(cosine, 0.1, 1, 11), 0.1);
  close(rateAt(cosine, 0.1, 6, 11), 0.0505);
  close(rateAt(cosine, 0.1, 11, 11), 0.001);
  // one epoch: the base rate
  close(rateAt(cosine, 0.1, 1, 1), 0.1);
});

Deno.test("a schedule that would make the rate negative or zero is refused in one line", () => {
  assert.equal(scheduleProblem(of("cosine", { finalRate: 0 }), 0.1, 10, SPELL), undefined);
  assert.match(
    scheduleProblem(of("linear", { finalRate: -0.01 }), 0.1, 10, SPELL)!,
    /--final-rate -0.01 .*negative/,
  );
  assert.match(scheduleProblem(of("cosine", { finalRate: -1 }), 0.1, 10, SPELL)!, /negative/);
  assert.match(
    scheduleProblem(of("exponential", { decay: -0.5 }), 0.1, 10, SPELL)!,
    /--decay -0.5 .*negative/,
  );
  assert.match(scheduleProblem(of("step", { decay: 0 }), 0.1, 10, SPELL)!, /--decay 0 .*zero/);
  // a rate that underflows to 0 after many epochs
  assert.match(scheduleProblem(of("exponential", { decay: 1e-200 }), 0.1, 10, SPELL)!, /by epoch 10/);
});
