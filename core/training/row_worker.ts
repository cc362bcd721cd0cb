/**
 * A helper thread of the threaded epoch (threads.ts): it instantiates the kernels on the
 * network's shared memory, then, for every record, waits for the training thread's release,
 * does its share of the rows (rows.ts, the same code the training thread runs) and counts
 * down. It never posts a message during an epoch.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import type { BlocksKernel, FloatArray } from "../kernels/mod.ts";
import { rowsStep, type RowState } from "./rows.ts";
import { CONTROL, type HelperSetup } from "./threads.ts";

self.onmessage = (event: MessageEvent<HelperSetup>) => {
  const setup = event.data;
  const instance = new WebAssembly.Instance(setup.module, { env: { memory: setup.memory } });
  const fused = instance.exports[setup.fusedName] as BlocksKernel;
  const buffer = setup.memory.buffer;
  const bytes = setup.precision === "f32" ? 4 : 8;
  const view = (address: number, length: number): FloatArray =>
    setup.precision === "f32"
      ? new Float32Array(buffer, address, length)
      : new Float64Array(buffer, address, length);
  const { cols, rows, addresses } = setup;
  const rowCount = new Float64Array(setup.offsets).length;
  const state: RowState = {
    data: view(addresses.matrix, rowCount * cols),
    cols,
    delta: view(addresses.delta, rowCount),
    out: view(addresses.out, rowCount),
    offsets: new Float64Array(setup.offsets),
    sums: new Float64Array(setup.sums),
  };
  const control = new Int32Array(setup.control);
  const parameters = new Float64Array(setup.parameters);
  const spin = control[CONTROL.spin];
  // the generation to wait past, read before saying ready: the training thread releases the
  // first record only after "ready", so a release can never slip in before this read
  let generation = Atomics.load(control, CONTROL.generation);
  self.postMessage("ready");
  while (true) {
    // wait for the next record: spin a while, then sleep until released
    for (let i = 0; Atomics.load(control, CONTROL.generation) === generation; i++) {
      if (i < spin) continue;
      // said before sleeping (seq-cst): the release then notifies, or wait() sees the generation moved
      Atomics.add(control, CONTROL.sleepingHelpers, 1);
      Atomics.wait(control, CONTROL.generation, generation);
      Atomics.sub(control, CONTROL.sleepingHelpers, 1);
    }
    generation = Atomics.load(control, CONTROL.generation);
    if (Atomics.load(control, CONTROL.exit) === 1) break;
    const count = control[CONTROL.count];
    const row = control[CONTROL.inkIsB] === 1 ? addresses.inkB : addresses.inkA;
    const next = control[CONTROL.nextIsB] === 1 ? addresses.inkB : addresses.inkA;
    try {
      rowsStep(
        state,
        { inkSum: parameters[0], nextSum: parameters[1], fold: control[CONTROL.fold] === 1 },
        rows,
        (lo, hi) =>
          fused(
            addresses.matrix + lo * cols * bytes,
            addresses.delta + lo * bytes,
            row,
            next,
            addresses.out + lo * bytes,
            hi - lo,
            cols,
            0,
            count,
            addresses.packed,
          ),
      );
    } catch (error) {
      // the training thread must not wait for rows that will never come
      Atomics.store(control, CONTROL.failed, 1);
      Atomics.notify(control, CONTROL.pending);
      throw error;
    }
    Atomics.sub(control, CONTROL.pending, 1);
    if (Atomics.load(control, CONTROL.sleepingMain) === 1) Atomics.notify(control, CONTROL.pending);
  }
  self.close();
};
