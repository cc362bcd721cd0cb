/**
 * The per-row part of one record of the fast epoch (fast_epoch.ts): each hidden node's row
 * of the first layer's weights is updated and multiplied by the next record on its own, so
 * the rows can be shared between threads (threads.ts). This file is the one definition of
 * that work, run by the training thread and by every helper thread alike: each number is
 * computed by the same operations in the same order whoever computes it.
 *
 * @module
 */
import { firstLayerUpdate, type Network } from "../model/mod.ts";
import { type FirstRows, trainingBuffers } from "./buffers.ts";
import { BACKGROUND } from "./ink.ts";

/** What one record's row work needs besides the network (one object, reused for every record). */
export interface RecordStep {
  /** Σ of this record's ink */
  inkSum: number;
  /** Σ of the next record's ink */
  nextSum: number;
  /** fold the offsets back into V after this record */
  fold: boolean;
}

/**
 * One thread's part of every record of an epoch: its rows' work, the same code for the
 * training thread and every helper. It allocates nothing per record (a record takes
 * microseconds; a garbage collection on either thread stalls both at the barrier).
 * `fused(lo, hi)` runs the fused kernel on rows lo…hi−1 for the record at hand.
 */
export class RowWork {
  private readonly firstRows: FirstRows;
  constructor(private readonly net: Network, private readonly fused: (lo: number, hi: number) => void) {
    this.firstRows = trainingBuffers(net).firstRows;
  }

  /**
   * Record `step`'s work on rows lo…hi−1. The layers above were trained split
   * (model/network.ts, trainAboveFirstLayer): the rows start with their update from their
   * errors and end with their activation for the next record.
   */
  run(step: RecordStep, lo: number, hi: number): void {
    const { net } = this;
    firstLayerUpdate(net, lo, hi);
    // wih += δ ⊗ (0.01 + ink): c += 0.01·δ, ΣV += δ·Σink, then V += δ ⊗ ink on the ink's blocks
    updateOffsets(net, this.firstRows, step.inkSum, lo, hi);
    this.fused(lo, hi);
    addBackground(net, this.firstRows, step.nextSum, lo, hi);
    if (step.fold) foldRows(net, this.firstRows, lo, hi);
    net.kernels.activate(net.signals[1], net.activation, lo, hi);
  }
}

/** The row offsets and sums after an update δ: c += 0.01·δ, ΣV += δ·Σink. */
function updateOffsets(net: Network, firstRows: FirstRows, inkSum: number, lo: number, hi: number): void {
  const delta = net.errors[1];
  const { offsets, sums } = firstRows;
  for (let r = lo; r < hi; r++) {
    offsets[r] += BACKGROUND * delta[r];
    sums[r] += delta[r] * inkSum;
  }
}

/** The signals into the first hidden layer from V, c and the row sums: out += 0.01·ΣV + c·(n·0.01 + Σink). */
export function addBackground(
  net: Network,
  firstRows: FirstRows,
  inkSum: number,
  lo: number,
  hi: number,
): void {
  const out = net.signals[1];
  const { offsets, sums } = firstRows;
  const background = net.layers[0] * BACKGROUND + inkSum;
  for (let r = lo; r < hi; r++) out[r] += BACKGROUND * sums[r] + offsets[r] * background;
}

/** W = V + c·1ᵀ into V, c = 0, and the row sums recomputed, for rows lo…hi−1. */
export function foldRows(net: Network, firstRows: FirstRows, lo: number, hi: number): void {
  net.kernels.foldRows(net.weights[0], firstRows.offsets, firstRows.sums, lo, hi);
}
