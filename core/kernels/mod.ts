/**
 * The kernels: the network's hot loops (matrix times vector, its transpose, the outer-product
 * update, the fused block step of the fast epoch, an activation over a layer) behind one
 * interface, in plain TypeScript (the reference) and WebAssembly SIMD (f32x4 / f64x2, source
 * in wasm/kernels.wat). Imported by the model and the training loop; imports nothing of core.
 *
 * @module
 */
export * from "./kernels.ts";
export { createKernels } from "./create.ts";
export { applyActivation, createPlainKernels } from "./plain.ts";
export { canShareMemory, createWasmKernels } from "./wasm.ts";
