/**
 * Helper threads end with their training, in a process of its own (tests/threads_end_fixture.ts):
 * a helper left running keeps the process alive, since Worker.terminate() stops neither a
 * Worker in a loop nor one asleep in Atomics.wait (Deno 2.9.5).
 */
import assert from "node:assert/strict";
import { canShareMemory } from "../../core/kernels/mod.ts";
import { ROOT } from "../helpers.ts";

Deno.test({
  name:
    "helpers end with their training: closed before their setup came, or left waiting and terminated (the process exits)",
  ignore: !canShareMemory(),
}, async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}tests/threads_end_fixture.ts`],
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  // a hang guard: about 2 s here
  const guard = setTimeout(() => child.kill(), 60_000);
  const output = await child.output();
  clearTimeout(guard);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.equal(new TextDecoder().decode(output.stdout).trim(), "ended");
});
