/**
 * The kernels by name, in a file of its own: it imports both implementations, which import
 * the types of kernels.ts (so kernels.ts imports neither).
 *
 * @module
 */
import type { Kernels, KernelsName, Precision } from "./kernels.ts";
import { createPlainKernels } from "./plain.ts";
import { createWasmKernels } from "./wasm.ts";

/**
 * The kernels by name: `wasm` (WebAssembly SIMD, sized once for `capacity` floats: every
 * array a network needs) or `plain` (the TypeScript reference, any size).
 */
export function createKernels(
  name: KernelsName,
  precision: Precision,
  capacity: number,
): Kernels {
  if (name === "wasm") return createWasmKernels(precision, capacity);
  const plain = createPlainKernels(precision);
  return name === "book" ? { ...plain, name } : plain;
}
