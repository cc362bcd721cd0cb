import assert from "node:assert/strict";
import { ROOT } from "../helpers.ts";
import { failures } from "../../bench/pi_check.ts";
import { medianOfRatios, takeTurns } from "../../bench/turns.ts";

/** `deno task bench` with these flags, as a user runs it. */
function bench(args: string[]): Promise<Deno.CommandOutput> {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}bench/bench.ts`, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("deno task bench --quick times every measurement and writes its JSON", async () => {
  const directory = await Deno.makeTempDir();
  const output = await bench([
    "--quick",
    "--limit-train",
    "1000",
    "--out",
    `${directory}/bench.json`,
    // this checkout as its own baseline: the comparison runs, and both train the same weights
    "--baseline",
    ROOT,
    "--json",
  ]);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const printed = JSON.parse(new TextDecoder().decode(output.stdout));
  const written = JSON.parse(await Deno.readTextFile(`${directory}/bench.json`));
  assert.deepEqual(printed, written);
  const names = printed.timings.map((timing: { name: string }) => timing.name);
  for (
    const expected of [
      "load MNIST, IDX (60,000 + 10,000)",
      "epoch 784-200-10, myonn wasm f32",
      "score 10,000 test images, 784-200-10 f32",
      // each in a child process of its own, the thread counts taking turns
      "epoch 784-200-10, myonn wasm f32, 1 thread",
      "epoch 784-200-10, myonn wasm f32, 2 threads",
    ]
  ) {
    assert.ok(names.includes(expected), `missing ${expected} in ${names}`);
  }
  for (const timing of printed.timings) {
    assert.ok(timing.seconds > 0, `${timing.name} took ${timing.seconds} s`);
  }
  assert.ok(
    printed.peakMegabytes > 20 && printed.peakMegabytes < 1000,
    `peak memory ${printed.peakMegabytes} MB`,
  );
  assert.ok(printed.barrierMicroseconds > 0, `barrier ${printed.barrierMicroseconds} µs`);
  const ratio = printed.ratios[
    "784-200-10 f32: epoch time on 2 threads ÷ on 1 (median of each round's; below 1: faster)"
  ];
  assert.ok(ratio > 0, `2 threads ÷ 1: ${ratio}`);
  const against = printed.ratios[
    "784-200-10 f32, 1 thread: epoch time of this checkout ÷ the baseline's (median of each round's; below 1: faster)"
  ];
  assert.ok(against > 0, `this checkout ÷ baseline: ${against}`);
  assert.equal(printed.baseline.sameWeights, true);
  await Deno.remove(directory, { recursive: true });
});

Deno.test("deno task bench --baseline refuses a directory that is no checkout of myonn, in one line, before timing anything", async () => {
  const directory = await Deno.makeTempDir();
  const output = await bench(["--quick", "--baseline", directory, "--out", `${directory}/b.json`]);
  const stderr = new TextDecoder().decode(output.stderr).trim();
  assert.notEqual(output.code, 0);
  assert.match(stderr, /--baseline .*: no core\/data\/mod\.ts there; expected a checkout of myonn/);
  assert.equal(stderr.split("\n").length, 1, stderr);
  await Deno.remove(directory, { recursive: true });
});

Deno.test("deno task bench --baseline-only needs --baseline, and says so in one line", async () => {
  const output = await bench(["--baseline-only"]);
  const stderr = new TextDecoder().decode(output.stderr).trim();
  assert.notEqual(output.code, 0);
  assert.match(stderr, /--baseline-only needs --baseline DIR/);
  assert.equal(stderr.split("\n").length, 1, stderr);
});

Deno.test("epochs take turns: every child trains one epoch a round after its unmeasured one, and one that fails is named", async () => {
  const child = (name: string) => ({
    label: name,
    args: ["run", "-A", `${ROOT}tests/turns_fixture.ts`, name],
  });
  const { epochs, finals } = await takeTurns([child("a"), child("b")], 3);
  assert.equal(epochs.length, 2);
  for (const seconds of epochs) assert.equal(seconds.length, 3);
  // the first epoch is served before the rounds: 1 + 3
  assert.deepEqual(finals, [{ name: "a", epochs: 4 }, { name: "b", epochs: 4 }]);
  assert.equal(medianOfRatios([2, 9, 4], [1, 3, 1]), 3);
  assert.throws(() => medianOfRatios([1, 2], [1]), /same rounds: 2 against 1/);
  await assert.rejects(takeTurns([child("a"), child("fail")], 3), /the fail child ended without answering/);
});

Deno.test("pi-check names the tests that failed under emulation, with their errors", () => {
  const output = [
    "running 2 tests from ./tests/unit/a_test.ts",
    "adds ... ok (1ms)",
    "ends ... FAILED (593ms)",
    " ERRORS ",
    "ends => ./tests/unit/a_test.ts:3:6",
    "error: AssertionError: Expected values to be strictly equal:",
    "FAILED | 1 passed | 1 failed (1s)",
  ].join("\n");
  assert.equal(
    failures(output),
    "  failed: ends ... FAILED (593ms)\n    error: AssertionError: Expected values to be strictly equal:",
  );
});
