/**
 * The kernels in WebAssembly SIMD (f32x4 or f64x2), from wasm/kernels.wat. Each
 * network gets its own module instance and memory, sized once for everything it needs,
 * so the arrays it allocates stay valid (growing a memory would detach them).
 *
 * @module
 */
import type { Activation } from "../model/mod.ts";
import type { FloatArray, Kernels, Matrix, Precision } from "./kernels.ts";
import { applyActivation } from "./plain.ts";
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from "./wasm/kernels_wasm.ts";

const PAGE = 65536;
const ALIGN = 16; // bytes: one v128

const compiled: { own?: WebAssembly.Module; shared?: WebAssembly.Module } = {};

/** A compiled module, made once per process (compiling is pure; instances are per network). */
function kernelsModule(shared: boolean): WebAssembly.Module {
  const decode = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  if (shared) return compiled.shared ??= new WebAssembly.Module(decode(KERNELS_SHARED_WASM_BASE64));
  return compiled.own ??= new WebAssembly.Module(decode(KERNELS_WASM_BASE64));
}

/** Whether this runtime can share WebAssembly memory between threads (Deno and its binaries can). */
export function canShareMemory(): boolean {
  try {
    return typeof SharedArrayBuffer === "function" &&
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

interface Exports {
  memory: WebAssembly.Memory;
  [name: string]: unknown;
}
type MatrixKernel = (out: number, matrix: number, vector: number, rows: number, cols: number) => void;
type MultiplyBlocksKernel = (
  out: number,
  matrix: number,
  vector: number,
  rows: number,
  cols: number,
  blocks: number,
  count: number,
  packed: number,
) => void;
/** add_outer_multiply_blocks_f32 / _f64: the fused step, by byte addresses. */
export type BlocksKernel = (
  matrix: number,
  column: number,
  row: number,
  next: number,
  out: number,
  rows: number,
  cols: number,
  blocks: number,
  count: number,
  packed: number,
) => void;

/** Room for the block list of the fused step: enough for rows of 4,096 values. */
const MAX_BLOCKS = 1024;

/**
 * What threads need to run the fused step on their share of the rows: the module and the
 * shared memory to instantiate it on, and where each thread packs its blocks.
 */
export interface SharedKernels {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** how many threads the memory has room for */
  threads: number;
  /** byte address of thread t's packing area */
  packed: number[];
  /** byte address of the block list (set once per record by setBlocks) */
  blocks: number;
  /** the fused kernel's export name, for this precision */
  fusedName: string;
  /** write the block list (as byte offsets into a row) where every thread's kernel reads it */
  setBlocks(cols: number, blocks: Int32Array): void;
  /** the fused step (addOuterThenMultiplyBlocks) on rows lo…hi−1, with the block list already set, as thread t */
  fusedRows(
    matrix: Matrix,
    vectors: { column: FloatArray; row: FloatArray; next: FloatArray; out: FloatArray },
    rows: { lo: number; hi: number; count: number; thread: number },
  ): void;
}

/**
 * WebAssembly kernels with room for `capacity` floats (plus alignment), in `precision`.
 * `allocate` hands out 16-byte aligned arrays from that room and throws when it is used up.
 * With `threads` > 1 the memory is shared (a SharedArrayBuffer) and `shared` tells Workers
 * how to run the fused step on it; otherwise the module keeps a memory of its own.
 */
export function createWasmKernels(
  precision: Precision,
  capacity: number,
  options: { threads?: number } = {},
): Kernels {
  const threads = Math.max(1, options.threads ?? 1);
  const bytesPerFloat = precision === "f32" ? 4 : 8;
  // the block list (an int each), then for each thread room to pack two vectors' blocks (4 floats each)
  const packBytes = 2 * MAX_BLOCKS * 4 * bytesPerFloat;
  const scratchBytes = MAX_BLOCKS * 4 + threads * packBytes;
  const neededBytes = capacity * bytesPerFloat + 64 * ALIGN + scratchBytes;
  const pages = Math.ceil(neededBytes / PAGE);
  let exports: Exports;
  let sharedMemory: WebAssembly.Memory | undefined;
  if (threads > 1) {
    sharedMemory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const instance = new WebAssembly.Instance(kernelsModule(true), { env: { memory: sharedMemory } });
    exports = { ...(instance.exports as unknown as Exports), memory: sharedMemory };
  } else {
    exports = new WebAssembly.Instance(kernelsModule(false), {}).exports as unknown as Exports;
    if (pages > 1) exports.memory.grow(pages - 1);
  }
  const buffer = exports.memory.buffer;
  const blockOffsets = new Int32Array(buffer, 0, MAX_BLOCKS); // byte offsets of the blocks within a row
  const packed = MAX_BLOCKS * 4; // where the kernel packs blocks (thread 0's area)
  let next = scratchBytes; // first free byte
  let arrays = 0;

  const multiplyKernel = exports[`multiply_${precision}`] as MatrixKernel;
  const transposedKernel = exports[`multiply_transposed_${precision}`] as MatrixKernel;
  const outerKernel = exports[`add_outer_${precision}`] as MatrixKernel;
  const blocksKernel = exports[`add_outer_multiply_blocks_${precision}`] as BlocksKernel;
  const multiplyBlocksKernel = exports[`multiply_blocks_${precision}`] as MultiplyBlocksKernel;
  /** An activation's own float32 kernel (kernels.wat), when it has one and the precision is f32. */
  function activationKernel(activation: Activation): ((values: number, n: number) => void) | undefined {
    return precision === "f32" && activation.wasmF32
      ? exports[activation.wasmF32] as (values: number, n: number) => void
      : undefined;
  }

  /** Put the block list (as byte offsets into a row) where the kernels read it. */
  function setBlocks(cols: number, blocks: Int32Array): void {
    if (cols % 4 !== 0 || blocks.length > MAX_BLOCKS) {
      throw new RangeError(`the block kernels need a multiple of 4 columns and at most ${MAX_BLOCKS} blocks`);
    }
    const blockBytes = 4 * bytesPerFloat;
    for (let k = 0; k < blocks.length; k++) blockOffsets[k] = blocks[k] * blockBytes;
  }

  /** The byte address of an array, after checking it lives in this memory. */
  function address(array: FloatArray): number {
    if (array.buffer !== buffer) throw new Error("this array was not allocated by these WebAssembly kernels");
    return array.byteOffset;
  }

  const shared: SharedKernels | undefined = sharedMemory && {
    module: kernelsModule(true),
    memory: sharedMemory,
    threads,
    packed: Array.from({ length: threads }, (_, t) => packed + t * packBytes),
    blocks: 0,
    fusedName: `add_outer_multiply_blocks_${precision}`,
    setBlocks,
    fusedRows(matrix, vectors, { lo, hi, count, thread }) {
      const rowBytes = matrix.cols * bytesPerFloat;
      blocksKernel(
        address(matrix.data) + lo * rowBytes,
        address(vectors.column) + lo * bytesPerFloat,
        address(vectors.row),
        address(vectors.next),
        address(vectors.out) + lo * bytesPerFloat,
        hi - lo,
        matrix.cols,
        0,
        count,
        packed + thread * packBytes,
      );
    },
  };

  return {
    name: "wasm",
    precision,
    ...(shared ? { shared } : {}),
    allocate(length) {
      const start = Math.ceil(next / ALIGN) * ALIGN;
      if (start + length * bytesPerFloat > buffer.byteLength || arrays >= 64) {
        throw new RangeError(`WebAssembly kernels sized for ${capacity} floats are full`);
      }
      next = start + length * bytesPerFloat;
      arrays++;
      return precision === "f32"
        ? new Float32Array(buffer, start, length)
        : new Float64Array(buffer, start, length);
    },
    multiply(out: FloatArray, matrix: Matrix, vector: FloatArray) {
      multiplyKernel(address(out), address(matrix.data), address(vector), matrix.rows, matrix.cols);
    },
    multiplyTransposed(out: FloatArray, matrix: Matrix, vector: FloatArray) {
      transposedKernel(address(out), address(matrix.data), address(vector), matrix.rows, matrix.cols);
    },
    addOuter(matrix: Matrix, column: FloatArray, row: FloatArray) {
      outerKernel(address(matrix.data), address(column), address(row), matrix.rows, matrix.cols);
    },
    // float32 sigmoid: e^-x in WebAssembly (accurate far past a float32 step); float64 keeps
    // Math.exp, numpy's numbers; an activation without a kernel runs its own f
    activate(values: FloatArray, activation: Activation) {
      const kernel = activationKernel(activation);
      if (kernel) kernel(address(values), values.length);
      else applyActivation(values, activation);
    },
    multiplyBlocks(out: FloatArray, matrix: Matrix, vector: FloatArray, blocks: Int32Array) {
      setBlocks(matrix.cols, blocks);
      multiplyBlocksKernel(
        address(out),
        address(matrix.data),
        address(vector),
        matrix.rows,
        matrix.cols,
        0,
        blocks.length,
        packed,
      );
    },
    addOuterThenMultiplyBlocks(matrix, vectors, blocks) {
      setBlocks(matrix.cols, blocks);
      blocksKernel(
        address(matrix.data),
        address(vectors.column),
        address(vectors.row),
        address(vectors.next),
        address(vectors.out),
        matrix.rows,
        matrix.cols,
        0,
        blocks.length,
        packed,
      );
    },
  };
}
