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
/** pack_blocks_f32 / _f64: the blocks of two vectors, packed. */
type PackKernel = (row: number, next: number, blocks: number, count: number, packed: number) => void;
/** add_outer_multiply_packed_f32 / _f64: the fused step on packed blocks, by byte addresses. */
type PackedKernel = (
  matrix: number,
  column: number,
  out: number,
  rows: number,
  cols: number,
  blocks: number,
  count: number,
  packed: number,
) => void;
/** add_outer_multiply_blocks_f32 / _f64: the fused step, by byte addresses. */
type BlocksKernel = (
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

/** Room for a block list of the fused step: enough for rows of 4,096 values. */
const MAX_BLOCKS = 1024;
/** Block lists, each with its packed blocks: two, so the next record's can be made while threads use this one's. */
const BLOCK_LISTS = 2;

/**
 * What threads need to share the per-row work on one shared memory: the module and memory
 * to instantiate the kernels on (attachWasmKernels), and the two block lists with their
 * packed blocks, made once per record for every thread.
 */
export interface SharedKernels {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** how many threads the memory has room for */
  threads: number;
  /**
   * make block list `list` (0 or 1) for every thread: the blocks, and the blocks of `row`
   * and `next` packed side by side, where every thread's fused step reads them
   */
  setBlocks(cols: number, blocks: Int32Array, row: FloatArray, next: FloatArray, list: number): void;
  /**
   * the fused step (addOuterThenMultiplyBlocks) on rows lo…hi−1, with block list `list`
   * (`count` blocks) already made (arguments, not an object: it runs per record)
   */
  fusedRows(
    matrix: Matrix,
    column: FloatArray,
    out: FloatArray,
    lo: number,
    hi: number,
    count: number,
    list: number,
  ): void;
  /** `length` floats of this precision at a byte address of the shared memory */
  view(address: number, length: number): FloatArray;
}

/**
 * Where the scratch areas are: the block lists (byte offsets into a row), then room to pack
 * two vectors' blocks (4 floats each) for each list and once more for the kernels' own
 * calls (list BLOCK_LISTS); arrays after them.
 */
function scratchLayout(precision: Precision) {
  const bytesPerFloat = precision === "f32" ? 4 : 8;
  const packBytes = 2 * MAX_BLOCKS * 4 * bytesPerFloat;
  const listBytes = MAX_BLOCKS * 4;
  const packed = (BLOCK_LISTS + 1) * listBytes;
  return {
    bytesPerFloat,
    list: (list: number) => list * listBytes,
    packed: (list: number) => packed + list * packBytes,
    bytes: packed + (BLOCK_LISTS + 1) * packBytes,
  };
}

/**
 * WebAssembly kernels with room for `capacity` floats (plus alignment), in `precision`.
 * `allocate` hands out 16-byte aligned arrays from that room and throws when it is used up.
 * With `threads` > 1 the memory is shared (a SharedArrayBuffer) and `shared` tells Workers
 * how to work on it (attachWasmKernels); otherwise the module keeps a memory of its own.
 */
export function createWasmKernels(
  precision: Precision,
  capacity: number,
  options: { threads?: number } = {},
): Kernels {
  const threads = Math.max(1, options.threads ?? 1);
  const layout = scratchLayout(precision);
  const neededBytes = capacity * layout.bytesPerFloat + 64 * ALIGN + layout.bytes;
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
  let next = layout.bytes; // first free byte
  let arrays = 0;
  /** The byte address of `bytes` more, 16-byte aligned, or a RangeError when the room is used up. */
  function claim(bytes: number): number {
    const start = Math.ceil(next / ALIGN) * ALIGN;
    if (start + bytes > buffer.byteLength || arrays >= 64) {
      throw new RangeError(`WebAssembly kernels sized for ${capacity} floats are full`);
    }
    next = start + bytes;
    arrays++;
    return start;
  }
  return {
    ...bindKernels(precision, exports, threads, sharedMemory),
    allocate: (length) => floatsAt(buffer, precision, claim(length * layout.bytesPerFloat), length),
    allocateFloat64: (length) => new Float64Array(buffer, claim(8 * length), length),
  };
}

/**
 * The kernels of a helper thread: a new instance of the shared module on `shared.memory`,
 * working on the arrays another thread allocated there (reach them with `shared.view`).
 * It allocates nothing.
 */
export function attachWasmKernels(
  precision: Precision,
  shared: { module: WebAssembly.Module; memory: WebAssembly.Memory; threads: number },
): Kernels {
  const instance = new WebAssembly.Instance(shared.module, { env: { memory: shared.memory } });
  return {
    ...bindKernels(
      precision,
      { ...(instance.exports as unknown as Exports), memory: shared.memory },
      shared.threads,
      shared.memory,
    ),
    allocate() {
      throw new Error(
        "a helper thread's kernels allocate nothing: they work on the training thread's arrays",
      );
    },
    allocateFloat64() {
      throw new Error(
        "a helper thread's kernels allocate nothing: they work on the training thread's arrays",
      );
    },
  };
}

function floatsAt(
  buffer: ArrayBufferLike,
  precision: Precision,
  address: number,
  length: number,
): FloatArray {
  return precision === "f32"
    ? new Float32Array(buffer, address, length)
    : new Float64Array(buffer, address, length);
}

/** Every kernel but `allocate`, on an instance's exports (and, with threads, what they share). */
function bindKernels(
  precision: Precision,
  exports: Exports,
  threads: number,
  sharedMemory: WebAssembly.Memory | undefined,
): Omit<Kernels, "allocate" | "allocateFloat64"> {
  const layout = scratchLayout(precision);
  const { bytesPerFloat } = layout;
  /** the kernels' own calls pack here */
  const ownPacked = layout.packed(BLOCK_LISTS);
  const buffer = exports.memory.buffer;
  const multiplyKernel = exports[`multiply_${precision}`] as MatrixKernel;
  const transposedKernel = exports[`multiply_transposed_${precision}`] as MatrixKernel;
  const outerKernel = exports[`add_outer_${precision}`] as MatrixKernel;
  const foldKernel = exports[`fold_rows_${precision}`] as MatrixKernel;
  const blocksKernel = exports[`add_outer_multiply_blocks_${precision}`] as BlocksKernel;
  const packKernel = exports[`pack_blocks_${precision}`] as PackKernel;
  const packedKernel = exports[`add_outer_multiply_packed_${precision}`] as PackedKernel;
  const multiplyBlocksKernel = exports[`multiply_blocks_${precision}`] as MultiplyBlocksKernel;
  /** An activation's own float32 kernel (kernels.wat), when it has one and the precision is f32. */
  function activationKernel(activation: Activation): ((values: number, n: number) => void) | undefined {
    return precision === "f32" && activation.wasmF32
      ? exports[activation.wasmF32] as (values: number, n: number) => void
      : undefined;
  }

  /** The block lists' byte offsets into a row, each list's at its own place. */
  const listOffsets = Array.from(
    { length: BLOCK_LISTS + 1 },
    (_, list) => new Int32Array(buffer, layout.list(list), MAX_BLOCKS),
  );

  /** Put block list `list` (as byte offsets into a row) where the kernels read it. */
  function setBlocks(cols: number, blocks: Int32Array, list: number): void {
    if (cols % 4 !== 0 || blocks.length > MAX_BLOCKS) {
      throw new RangeError(`the block kernels need a multiple of 4 columns and at most ${MAX_BLOCKS} blocks`);
    }
    const offsets = listOffsets[list];
    const blockBytes = 4 * bytesPerFloat;
    for (let k = 0; k < blocks.length; k++) offsets[k] = blocks[k] * blockBytes;
  }

  /** The byte address of an array, after checking it lives in this memory. */
  function address(array: FloatArray | Float64Array): number {
    if (array.buffer !== buffer) throw new Error("this array was not allocated by these WebAssembly kernels");
    return array.byteOffset;
  }

  const shared: SharedKernels | undefined = sharedMemory && {
    module: kernelsModule(true),
    memory: sharedMemory,
    threads,
    setBlocks(cols, blocks, row, next, list) {
      setBlocks(cols, blocks, list);
      packKernel(address(row), address(next), layout.list(list), blocks.length, layout.packed(list));
    },
    fusedRows(matrix, column, out, lo, hi, count, list) {
      packedKernel(
        address(matrix.data) + lo * matrix.cols * bytesPerFloat,
        address(column) + lo * bytesPerFloat,
        address(out) + lo * bytesPerFloat,
        hi - lo,
        matrix.cols,
        layout.list(list),
        count,
        layout.packed(list),
      );
    },
    view: (address, length) => floatsAt(buffer, precision, address, length),
  };

  return {
    name: "wasm",
    precision,
    ...(shared ? { shared } : {}),
    multiply(out: FloatArray, matrix: Matrix, vector: FloatArray) {
      multiplyKernel(address(out), address(matrix.data), address(vector), matrix.rows, matrix.cols);
    },
    multiplyTransposed(out: FloatArray, matrix: Matrix, vector: FloatArray) {
      transposedKernel(address(out), address(matrix.data), address(vector), matrix.rows, matrix.cols);
    },
    addOuter(matrix: Matrix, column: FloatArray, row: FloatArray) {
      outerKernel(address(matrix.data), address(column), address(row), matrix.rows, matrix.cols);
    },
    foldRows(matrix, offsets, sums, lo, hi) {
      foldKernel(
        address(matrix.data) + lo * matrix.cols * bytesPerFloat,
        address(offsets) + 8 * lo,
        address(sums) + 8 * lo,
        hi - lo,
        matrix.cols,
      );
    },
    // float32 sigmoid: e^-x in WebAssembly (accurate far past a float32 step); float64 keeps
    // Math.exp, numpy's numbers; an activation without a kernel runs its own f
    activate(values: FloatArray, activation: Activation, lo = 0, hi = values.length) {
      const kernel = activationKernel(activation);
      if (kernel) kernel(address(values) + lo * bytesPerFloat, hi - lo);
      else applyActivation(values, activation, lo, hi);
    },
    multiplyBlocks(out: FloatArray, matrix: Matrix, vector: FloatArray, blocks: Int32Array) {
      setBlocks(matrix.cols, blocks, BLOCK_LISTS);
      multiplyBlocksKernel(
        address(out),
        address(matrix.data),
        address(vector),
        matrix.rows,
        matrix.cols,
        layout.list(BLOCK_LISTS),
        blocks.length,
        ownPacked,
      );
    },
    addOuterThenMultiplyBlocks(matrix, vectors, blocks) {
      setBlocks(matrix.cols, blocks, BLOCK_LISTS);
      blocksKernel(
        address(matrix.data),
        address(vectors.column),
        address(vectors.row),
        address(vectors.next),
        address(vectors.out),
        matrix.rows,
        matrix.cols,
        layout.list(BLOCK_LISTS),
        blocks.length,
        ownPacked,
      );
    },
  };
}
