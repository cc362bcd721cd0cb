import assert from "node:assert/strict";
import { logit, sigmoid } from "../../core/model/activation.ts";
import { assertAllClose } from "../helpers.ts";

Deno.test("sigmoid() matches scipy's expit at known points", () => {
  // scipy.special.expit([-2, 0, 0.5, 3]) = 0.11920292, 0.5, 0.62245933, 0.95257413
  assertAllClose([-2, 0, 0.5, 3].map(sigmoid), [
    0.11920292202211755,
    0.5,
    0.6224593312018546,
    0.9525741268224334,
  ], 1e-15);
});

Deno.test("sigmoid() at ±1000 and ±Infinity gives 0 or 1, never NaN", () => {
  assert.equal(sigmoid(1000), 1);
  assert.equal(sigmoid(-1000), 0);
  assert.equal(sigmoid(Infinity), 1);
  assert.equal(sigmoid(-Infinity), 0);
});

Deno.test("logit() undoes sigmoid()", () => {
  for (const x of [-5, -0.3, 0, 0.7, 4]) assertAllClose([logit(sigmoid(x))], [x], 1e-12);
  assert.equal(logit(0.5), 0);
});
