import assert from "node:assert/strict";
import { createRandom } from "../../../core/model/mod.ts";

Deno.test("createRandom() gives the same stream for the same seed and another for another seed", () => {
  const first = Array.from({ length: 5 }, createRandom(42).uniform);
  const again = Array.from({ length: 5 }, createRandom(42).uniform);
  const other = Array.from({ length: 5 }, createRandom(43).uniform);
  assert.deepEqual(first, again);
  assert.notDeepEqual(first, other);
});

Deno.test("uniform() stays in [0, 1) and normal() has the asked mean and spread", () => {
  const random = createRandom(7);
  const draws = Array.from({ length: 100_000 }, () => random.normal(2, 0.5));
  const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
  const spread = Math.sqrt(draws.reduce((sum, x) => sum + (x - mean) ** 2, 0) / draws.length);
  assert.ok(Math.abs(mean - 2) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(spread - 0.5) < 0.01, `standard deviation ${spread}`);
  for (let i = 0; i < 10_000; i++) {
    const u = random.uniform();
    assert.ok(u >= 0 && u < 1);
  }
});

Deno.test("createRandom() refuses a seed that is not an integer", () => {
  assert.throws(() => createRandom(1.5), /integer/);
});
