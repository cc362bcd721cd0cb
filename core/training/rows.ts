/**
 * The per-row part of one record of the fast epoch (fast_epoch.ts): each hidden node's row
 * of the first layer's weights is updated and multiplied by the next record on its own, so
 * the rows can be shared between threads (threads.ts). This file is the one definition of
 * that work, run by the training thread and by every helper thread alike: each number is
 * computed by the same operations in the same order whoever computes it.
 *
 * @module
 */
import type { FloatArray } from "../kernels/mod.ts";
import { BACKGROUND } from "./ink.ts";

/** The first layer, kept as W = V + c·1ᵀ (see fast_epoch.ts), and the buffers of one record. */
export interface RowState {
  /** V, rows×cols */
  data: FloatArray;
  cols: number;
  /** δ: the update of each row, lr·errors·out·(1 − out) */
  delta: FloatArray;
  /** the signals into the first hidden layer, for the next record */
  out: FloatArray;
  /** c: one offset per row */
  offsets: Float64Array;
  /** ΣV per row */
  sums: Float64Array;
}

/** What one record's row work needs besides the state. */
export interface RecordStep {
  /** Σ of this record's ink */
  inkSum: number;
  /** Σ of the next record's ink */
  nextSum: number;
  /** fold the offsets back into V after this record */
  fold: boolean;
}

/** Rows lo…hi−1 of one record: offsets, the fused update-and-multiply (`fused`), background, fold. */
export function rowsStep(
  state: RowState,
  step: RecordStep,
  rows: { lo: number; hi: number },
  fused: (lo: number, hi: number) => void,
): void {
  const { lo, hi } = rows;
  // wih += δ ⊗ (0.01 + ink): c += 0.01·δ, ΣV += δ·Σink, then V += δ ⊗ ink on the ink's blocks
  updateOffsets(state, step.inkSum, lo, hi);
  fused(lo, hi);
  addBackground(state, step.nextSum, lo, hi);
  if (step.fold) foldRows(state, lo, hi);
}

/** The row offsets and sums after an update δ: c += 0.01·δ, ΣV += δ·Σink. */
function updateOffsets(state: RowState, inkSum: number, lo: number, hi: number): void {
  const { delta, offsets, sums } = state;
  for (let r = lo; r < hi; r++) {
    offsets[r] += BACKGROUND * delta[r];
    sums[r] += delta[r] * inkSum;
  }
}

/** The signals into the first hidden layer from V, c and the row sums: out += 0.01·ΣV + c·(n·0.01 + Σink). */
export function addBackground(state: RowState, inkSum: number, lo: number, hi: number): void {
  const { out, sums, offsets, cols } = state;
  const background = cols * BACKGROUND + inkSum;
  for (let r = lo; r < hi; r++) out[r] += BACKGROUND * sums[r] + offsets[r] * background;
}

/** W = V + c·1ᵀ into V, c = 0, and the row sums recomputed, for rows lo…hi−1. */
export function foldRows(state: RowState, lo: number, hi: number): void {
  const { data, cols, offsets, sums } = state;
  for (let r = lo; r < hi; r++) {
    const offset = offsets[r];
    if (offset !== 0) addToRow(data, r * cols, cols, offset);
    offsets[r] = 0;
    sums[r] = rowSum(data, r * cols, cols);
  }
}

function addToRow(data: FloatArray, start: number, cols: number, value: number): void {
  for (let c = start; c < start + cols; c++) data[c] += value;
}

function rowSum(data: FloatArray, start: number, cols: number): number {
  let sum = 0;
  for (let c = start; c < start + cols; c++) sum += data[c];
  return sum;
}
