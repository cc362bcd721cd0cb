/**
 * A child for the epochs-taking-turns test (tests/e2e/bench_test.ts): serves epochs that
 * count themselves, reports its name and how many it trained; `fail` as its name fails at
 * its second epoch.
 */
import { serveEpochs } from "../bench/turns.ts";

const name = Deno.args[0];
let epochs = 0;
await serveEpochs(
  () => {
    epochs++;
    if (name === "fail" && epochs === 2) throw new Error("the fixture fails at its second epoch");
  },
  60_000,
  () => ({ name, epochs }),
);
