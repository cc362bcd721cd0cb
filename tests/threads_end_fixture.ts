/**
 * Run by threads_test.ts in a process of its own: helper threads started ahead end with
 * their training — closed before their setup came, or left waiting when their training is
 * gone and ended by their starter — so the process exits. Prints "ended".
 */
import { startHelpersAhead, startRowThreads } from "../core/training/mod.ts";
import { createNetwork, createRandom } from "../core/model/mod.ts";

const net = () => createNetwork({ layers: [784, 8, 10], learningRate: 0.1, random: createRandom(1) });
for (let round = 0; round < 5; round++) {
  // closed at once: the helper gets its setup after the release that closes it
  const ahead = startHelpersAhead(1);
  (await startRowThreads(net(), 2, { ahead: ahead.ports, background: true })).close();
  await new Promise((resolve) => setTimeout(resolve, 20 * round));
  ahead.end();
}
// helpers asleep or spinning, waiting for a release that never comes (their training gone)
for (const spin of [0, 1e9]) {
  const ahead = startHelpersAhead(1);
  await startRowThreads(net(), 2, { ahead: ahead.ports, spin });
  await new Promise((resolve) => setTimeout(resolve, 50));
  // the training's end of the port goes with it (its Worker terminated)
  for (const port of ahead.ports) port.close();
  ahead.end();
}
console.log("ended");
