import assert from "node:assert/strict";
import { assembleKernels, kernelsModuleSource } from "../../../core/kernels/wasm/build.ts";

Deno.test("the committed kernels_wasm.ts is exactly kernels.wat assembled (run `deno task build:wasm` if not)", async () => {
  const committed = await Deno.readTextFile(
    new URL("../../../core/kernels/wasm/kernels_wasm.ts", import.meta.url),
  );
  const rebuilt = kernelsModuleSource(await assembleKernels());
  assert.ok(
    committed === rebuilt,
    "core/kernels/wasm/kernels_wasm.ts is stale: run `deno task build:wasm` and commit it",
  );
});

Deno.test("assembling kernels.wat twice gives the same bytes", async () => {
  assert.deepEqual(await assembleKernels(), await assembleKernels());
});
