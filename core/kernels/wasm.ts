/**
 * The kernels in WebAssembly SIMD (f32x4 or f64x2), from wasm/kernels.wat. Each
 * network gets its own module instance and memory, sized once for everything it needs,
 * so the arrays it allocates stay valid (growing a memory would detach them).
 *
 * @module
 */
import type { Activation } from "./kernels.ts";
import type { BlockLists, FloatArray, Kernels, Matrix, Precision } from "./kernels.ts";
import { applyActivation } from "./plain.ts";
import { KERNELS_WASM_BASE64 } from "./wasm/kernels_wasm.ts";

const PAGE = 65536;
const ALIGN = 16; // bytes: one v128

let compiled: WebAssembly.Module | undefined;

/** The compiled module, made once per process (compiling is pure; instances are per network). */
function kernelsModule(): WebAssembly.Module {
  return compiled ??= new WebAssembly.Module(
    Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0)),
  );
}

/**
 * Whether this runtime lets threads share memory and wait on it (SharedArrayBuffer and
 * Atomics.wait in Workers: Deno and its binaries do), which training threads need.
 */
export function canShareMemory(): boolean {
  try {
    return typeof SharedArrayBuffer === "function" && typeof Atomics?.wait === "function" &&
      new SharedArrayBuffer(8).byteLength === 8;
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
/** backward_f32 / _f64: a layer's backward step, by byte addresses. */
type BackwardKernel = (
  matrix: number,
  rows: number,
  cols: number,
  errors: number,
  scaled: number,
  inputs: number,
  below: number,
) => void;
/** read_bytes_f32 / _f64: bytes through a table to floats, returning their sum. */
type ReadKernel = (bytes: number, values: number, table: number, blocks: number) => number;
/** union_blocks_f32 / _f64: the block list of two vectors, returning its length. */
type UnionKernel = (row: number, next: number, blocks: number, list: number) => number;
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
 * Where the scratch areas are: the block lists (byte offsets into a row), then room to pack
 * two vectors' blocks (4 floats each) for each list and once more for the kernels' own
 * calls (list BLOCK_LISTS), then room for a record's bytes and a table of 256 numbers to
 * read them through; arrays after them.
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
    record: packed + (BLOCK_LISTS + 1) * packBytes,
    table: packed + (BLOCK_LISTS + 1) * packBytes + 4 * MAX_BLOCKS,
    bytes: packed + (BLOCK_LISTS + 1) * packBytes + 4 * MAX_BLOCKS + 8 * 256,
  };
}

/**
 * WebAssembly kernels with room for `capacity` floats (plus alignment), in `precision`.
 * `allocate` hands out 16-byte aligned arrays from that room and throws when it is used up.
 * Each instance has a memory of its own (threads copy what they share: training/threads.ts).
 */
export function createWasmKernels(precision: Precision, capacity: number): Kernels {
  const layout = scratchLayout(precision);
  const neededBytes = capacity * layout.bytesPerFloat + 64 * ALIGN + layout.bytes;
  const pages = Math.ceil(neededBytes / PAGE);
  const exports = new WebAssembly.Instance(kernelsModule(), {}).exports as unknown as Exports;
  if (pages > 1) exports.memory.grow(pages - 1);
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
    ...bindKernels(precision, exports),
    allocate: (length) => floatsAt(buffer, precision, claim(length * layout.bytesPerFloat), length),
    allocateFloat64: (length) => new Float64Array(buffer, claim(8 * length), length),
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

/** An instance's exports for one precision, by what they do. */
function kernelExports(precision: Precision, exports: Exports) {
  return {
    multiply: exports[`multiply_${precision}`] as MatrixKernel,
    transposed: exports[`multiply_transposed_${precision}`] as MatrixKernel,
    outer: exports[`add_outer_${precision}`] as MatrixKernel,
    fold: exports[`fold_rows_${precision}`] as MatrixKernel,
    blocks: exports[`add_outer_multiply_blocks_${precision}`] as BlocksKernel,
    pack: exports[`pack_blocks_${precision}`] as PackKernel,
    packed: exports[`add_outer_multiply_packed_${precision}`] as PackedKernel,
    read: exports[`read_bytes_${precision}`] as ReadKernel,
    backward: exports[`backward_${precision}`] as BackwardKernel,
    union: exports[`union_blocks_${precision}`] as UnionKernel,
    multiplyBlocks: exports[`multiply_blocks_${precision}`] as MultiplyBlocksKernel,
  };
}

/** Where things are in an instance's memory: arrays' addresses, the block lists' scratch. */
function memoryOf(precision: Precision, exports: Exports) {
  const layout = scratchLayout(precision);
  const buffer = exports.memory.buffer;
  /** the block lists' byte offsets into a row, each list's at its own place */
  const listOffsets = Array.from(
    { length: BLOCK_LISTS + 1 },
    (_, list) => new Int32Array(buffer, layout.list(list), MAX_BLOCKS),
  );
  return {
    layout,
    buffer,
    listOffsets,
    /** The byte address of an array, after checking it lives in this memory. */
    address(array: FloatArray | Float64Array): number {
      if (array.buffer !== buffer) {
        throw new Error("this array was not allocated by these WebAssembly kernels");
      }
      return array.byteOffset;
    },
    /** Put block list `list` (as byte offsets into a row) where the kernels read it. */
    setBlocks(cols: number, blocks: Int32Array, list: number): void {
      if (cols % 4 !== 0 || blocks.length > MAX_BLOCKS) {
        throw new RangeError(
          `the block kernels need a multiple of 4 columns and at most ${MAX_BLOCKS} blocks`,
        );
      }
      const offsets = listOffsets[list];
      const blockBytes = 4 * layout.bytesPerFloat;
      for (let k = 0; k < blocks.length; k++) offsets[k] = blocks[k] * blockBytes;
    },
  };
}

/** The block lists of an instance (kernels.ts, BlockLists): made, read into and worked in its memory. */
function bindBlockLists(
  precision: Precision,
  kernels: ReturnType<typeof kernelExports>,
  memory: ReturnType<typeof memoryOf>,
): BlockLists {
  const { layout, buffer, address } = memory;
  // each kernel a constant of this closure, as the others here: V8 calls a WebAssembly
  // function it knows this way more cheaply than one looked up on an object each call
  const { union, pack, packed, read } = kernels;
  const packedViews = Array.from(
    { length: BLOCK_LISTS },
    (_, list) => floatsAt(buffer, precision, layout.packed(list), 2 * MAX_BLOCKS * 4),
  );
  // a record's bytes and the table they are read through, in this memory (the table copied
  // when another one is given)
  const recordBytes = new Uint8Array(buffer, layout.record, 4 * MAX_BLOCKS);
  const table = new Float64Array(buffer, layout.table, 256);
  let tableFrom: Float64Array | undefined;
  return {
    makeList(cols, row, next, list) {
      if (cols % 4 !== 0 || cols > 4 * MAX_BLOCKS) {
        throw new RangeError(`the block kernels need a multiple of 4 columns, at most ${4 * MAX_BLOCKS}`);
      }
      const count = union(address(row), address(next), cols / 4, layout.list(list));
      pack(address(row), address(next), layout.list(list), count, layout.packed(list));
      return count;
    },
    readBytes(bytes, at, values, from) {
      const n = values.length;
      if (n % 4 !== 0 || n > 4 * MAX_BLOCKS || from.length !== 256) {
        throw new RangeError(
          `readBytes needs a multiple of 4 values, at most ${4 * MAX_BLOCKS}, and 256 table entries`,
        );
      }
      if (tableFrom !== from) {
        table.set(from);
        tableFrom = from;
      }
      // the record's bytes copied in (one small view a record)
      recordBytes.set(bytes.subarray(at, at + n));
      return read(layout.record, address(values), layout.table, n / 4);
    },
    fusedRows(matrix, column, out, lo, hi, count, list) {
      const bytesPerFloat = layout.bytesPerFloat;
      packed(
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
    offsets: (list) => memory.listOffsets[list],
    packed: (list) => packedViews[list],
  };
}

/** Every kernel but `allocate`, on an instance's exports. */
function bindKernels(precision: Precision, exports: Exports): Omit<Kernels, "allocate" | "allocateFloat64"> {
  const kernels = kernelExports(precision, exports);
  const { multiply, transposed, backward, outer, fold } = kernels;
  const memory = memoryOf(precision, exports);
  const { layout, address } = memory;
  const { bytesPerFloat } = layout;
  /** An activation's own float32 kernel (kernels.wat), when it has one and the precision is f32. */
  const activationKernel = (activation: Activation) =>
    precision === "f32" && activation.wasmF32
      ? exports[activation.wasmF32] as (values: number, n: number) => void
      : undefined;
  return {
    name: "wasm",
    precision,
    lists: bindBlockLists(precision, kernels, memory),
    multiply(out: FloatArray, matrix: Matrix, vector: FloatArray) {
      multiply(address(out), address(matrix.data), address(vector), matrix.rows, matrix.cols);
    },
    multiplyTransposed(out: FloatArray, matrix: Matrix, vector: FloatArray) {
      transposed(address(out), address(matrix.data), address(vector), matrix.rows, matrix.cols);
    },
    backward(matrix, errors, scaled, below, inputs) {
      const at = address;
      backward(
        at(matrix.data),
        matrix.rows,
        matrix.cols,
        at(errors),
        at(scaled),
        at(inputs),
        at(below),
      );
    },
    addOuter(matrix: Matrix, column: FloatArray, row: FloatArray) {
      outer(address(matrix.data), address(column), address(row), matrix.rows, matrix.cols);
    },
    foldRows(matrix, offsets, sums, lo, hi) {
      fold(
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
    ...bindBlockKernels(kernels, memory),
  };
}

/** The block kernels of the plain path (their block list given each call, packed in the kernels' own room). */
function bindBlockKernels(
  kernels: ReturnType<typeof kernelExports>,
  memory: ReturnType<typeof memoryOf>,
): Pick<Kernels, "multiplyBlocks" | "addOuterThenMultiplyBlocks"> {
  const { layout, address, setBlocks } = memory;
  const { multiplyBlocks, blocks: blocksKernel } = kernels;
  /** the kernels' own calls pack here */
  const ownPacked = layout.packed(BLOCK_LISTS);
  return {
    multiplyBlocks(out: FloatArray, matrix: Matrix, vector: FloatArray, blocks: Int32Array) {
      setBlocks(matrix.cols, blocks, BLOCK_LISTS);
      const at = address;
      const list = layout.list(BLOCK_LISTS);
      multiplyBlocks(
        at(out),
        at(matrix.data),
        at(vector),
        matrix.rows,
        matrix.cols,
        list,
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
