/** The barrier's two sides on one thread: each step of a release, a count-down, a failure and an end. */
import assert from "node:assert/strict";
import { CONTROL, CONTROL_BYTES, controlViews, TASK } from "../../../core/training/mod.ts";
import { HelperBarrier, TrainingBarrier } from "../../../core/training/barrier.ts";

function barriers(stop?: Int32Array) {
  const { control } = controlViews(new SharedArrayBuffer(CONTROL_BYTES));
  const helper = new HelperBarrier(control, stop);
  return { control, helper, training: new TrainingBarrier(control, 1, 0) };
}

Deno.test("barrier: a helper that has started is counted; a release hands it the task; its count-down ends the join", () => {
  const { control, helper, training } = barriers();
  assert.equal(training.allStarted(), true);
  training.release(TASK.take);
  assert.equal(training.pending(), true);
  assert.equal(helper.awaitRelease(0), true, "the generation moved: no wait");
  assert.equal(helper.task(), TASK.take);
  helper.countDown();
  assert.equal(training.pending(), false);
  assert.equal(training.join(), 0, "nothing pending: no checks");
  assert.equal(control[CONTROL.pending], 0);
});

Deno.test("barrier: each release is seen once; a helper with none to see works while it waits, until the training closes", () => {
  const { helper, training } = barriers();
  training.release(TASK.record);
  assert.equal(helper.awaitRelease(0), true);
  helper.countDown();
  training.join();
  // no new release: the helper waits, calling its work-while-waiting hook, until the training closes
  let looks = 0;
  const closeSoon = () => {
    if (++looks === 5000) training.close();
  };
  assert.equal(helper.awaitRelease(1_000_000, closeSoon), false, "closed while it waited");
  assert.ok(looks >= 5000, `looked ${looks} times`);
  assert.equal(helper.ended(), true);
});

Deno.test("barrier: a helper that failed makes the join throw at once; a starter's stop ends a waiting helper", () => {
  const { training, helper } = barriers();
  training.release(TASK.record);
  helper.fail();
  assert.throws(() => training.join(), /a training thread failed/);

  const stop = new Int32Array(new SharedArrayBuffer(4));
  const ahead = barriers(stop);
  Atomics.store(stop, 0, 1);
  assert.equal(ahead.helper.awaitRelease(0), false, "stopped by whoever started it");
});
