/**
 * The training loop's own buffers for a network: made once, the first time the network is
 * trained or scored, in its kernels' memory (the room createNetwork keeps for them), and
 * reused for every record after. The network itself carries only its weights and the
 * per-record signals and errors (the rule's steps are model/network.ts's).
 *
 * @module
 */
import type { FloatArray } from "../kernels/mod.ts";
import type { Network } from "../model/mod.ts";

/** The fast epoch's first layer, kept as V + c·1ᵀ (fast_epoch.ts): each row's offset c and sum ΣV. */
export interface FirstRows {
  readonly offsets: Float64Array;
  readonly sums: Float64Array;
}

/** A network's training buffers. */
export interface TrainingBuffers {
  /** three input-sized buffers: the records' ink, the one at hand and the two after it */
  readonly inputs: readonly FloatArray[];
  /** float64, whatever the precision (the fold is a kernel, so they live in the kernels' memory) */
  readonly firstRows: FirstRows;
}

// one set per network, dropped with it
const BUFFERS = new WeakMap<Network, TrainingBuffers>();

/** `net`'s training buffers, made the first time they are asked for. */
export function trainingBuffers(net: Network): TrainingBuffers {
  let buffers = BUFFERS.get(net);
  if (!buffers) {
    const { kernels, layers } = net;
    buffers = {
      inputs: [0, 1, 2].map(() => kernels.allocate(layers[0])),
      firstRows: { offsets: kernels.allocateFloat64(layers[1]), sums: kernels.allocateFloat64(layers[1]) },
    };
    BUFFERS.set(net, buffers);
  }
  return buffers;
}
