/**
 * The network's answers to a test set's records, the fast way (each record's ink): what
 * scoring counts (score.ts) and what helper threads compute for their share (threads.ts,
 * row_worker.ts). A file of its own so that scoring and the threads both import it.
 *
 * @module
 */
import type { Dataset } from "../data/mod.ts";
import type { FloatArray } from "../kernels/mod.ts";
import { argmax, forwardPrepared, type Network } from "../model/mod.ts";
import { trainingBuffers } from "./buffers.ts";
import { BACKGROUND, BLOCK, createInk, readInk, rowSums, unionBlocks } from "./ink.ts";

/** The network's answer and its output value for records lo…hi−1 of `dataset`, into `out`. */
export function answerRecords(
  net: Network,
  dataset: Dataset,
  records: { lo: number; hi: number },
  out: { answers: Uint8Array; confidences: Float64Array },
): void {
  const first = net.weights[0];
  const ink = createInk(trainingBuffers(net).inputs[0]);
  const blocks = new Int32Array(first.cols / BLOCK);
  const sums = rowSums(first.data, first.cols, new Float64Array(first.rows));
  for (let record = records.lo; record < records.hi; record++) {
    readInk(dataset, record, ink);
    const count = unionBlocks(ink.blocks, ink.blocks, blocks);
    net.kernels.multiplyBlocks(net.signals[1], first, ink.values, blocks.subarray(0, count));
    // W·x = W·ink + 0.01·ΣW per row
    addScaled(net.signals[1], BACKGROUND, sums);
    const outputs = forwardPrepared(net);
    const answer = argmax(outputs);
    out.answers[record] = answer;
    out.confidences[record] = outputs[answer];
  }
}

/** out[i] += alpha · values[i] */
function addScaled(out: FloatArray, alpha: number, values: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] += alpha * values[i];
}
