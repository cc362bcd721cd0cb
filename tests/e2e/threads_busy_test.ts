/**
 * Threads on a busy machine: with processes keeping the cores busy, the helpers are late, the
 * sharing stops and starts again as the trials find — and the weights are the same, bit for
 * bit, as one thread's. (An e2e test: it starts processes.)
 */
import assert from "node:assert/strict";
import { limitDataset, loadDataset, shareDataset } from "../../core/data/mod.ts";
import { canShareMemory } from "../../core/kernels/mod.ts";
import { createNetwork, createRandom } from "../../core/model/mod.ts";
import { startRowThreads, trainEpoch } from "../../core/training/mod.ts";

Deno.test({
  name: "on a busy machine the default threads give one thread's weights, bit for bit",
  ignore: !canShareMemory(),
  async fn() {
    const train = shareDataset(limitDataset(await loadDataset("mnist:train"), 8000));
    const weightsOn = async (threads: number) => {
      const net = createNetwork({
        layers: [784, 64, 10],
        learningRate: 0.1,
        random: createRandom(3),
        precision: "f32",
      });
      const helpers = threads > 1 ? await startRowThreads(net, threads, { train }) : undefined;
      try {
        trainEpoch(net, train, { threads: helpers });
        trainEpoch(net, train, { threads: helpers, rotate: 10 });
      } finally {
        helpers?.close();
      }
      return net.weights.map((matrix) => new Uint8Array(matrix.data.slice().buffer));
    };
    const one = await weightsOn(1);
    const busy = Array.from({ length: 3 }, () =>
      new Deno.Command(Deno.execPath(), {
        args: ["eval", "let x = 0; for (;;) x = (x + 1) % 1000;"],
        stdout: "null",
        stderr: "null",
      }).spawn());
    try {
      const shared = await weightsOn(2);
      shared.forEach((bytes, l) => assert.deepEqual(bytes, one[l], `weights_${l}`));
    } finally {
      for (const process of busy) process.kill();
      await Promise.all(busy.map((process) => process.status));
    }
  },
});
