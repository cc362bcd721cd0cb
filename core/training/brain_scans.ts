/**
 * The book's "brain scans": for each label, the input the network would need to answer
 * it with full confidence (network.ts's backQuery), as 28×28 images, and how many of them
 * the network itself reads as their own label when they are fed forward.
 *
 * A scan comes back rescaled to 0.01…0.99 with a mid-grey background, unlike any image
 * the network was trained on (paper at 0.01). So before feeding it forward its
 * background — its median — is moved to 0.01 (values clamped to 0.01…0.99), after which
 * far more scans are read as their own label than fed raw. Both readings are reported.
 *
 * @module
 */
import { encodePng, LABELS, PIXELS, SIDE } from "../data/mod.ts";
import { argmax, backQuery, type Network, query } from "../model/mod.ts";

/** One label's scan. */
export interface BrainScan {
  label: number;
  /** 784 inputs, 0.01…0.99 */
  inputs: Float64Array;
  /** as MNIST bytes (0 = paper, 255 = ink), for pictures */
  pixels: Uint8Array;
  /** what the network answers when the scan (background moved to 0.01) is fed forward, and with what output */
  answer: number;
  confidence: number;
  /** what it answers for the scan fed forward as it is */
  rawAnswer: number;
}

/** The book's targets: 0.99 at `label`, 0.01 elsewhere. */
function targetsFor(label: number): Float64Array {
  const targets = new Float64Array(LABELS).fill(0.01);
  targets[label] = 0.99;
  return targets;
}

/** The scan with its median (its background) moved to 0.01, clamped to 0.01…0.99. */
export function withPaperBackground(inputs: Float64Array): Float64Array {
  const median = Float64Array.from(inputs).sort()[Math.floor(inputs.length / 2)];
  return inputs.map((value) => Math.min(0.99, Math.max(0.01, value - median + 0.01)));
}

/** Back-query `labels` (default all ten) and feed each scan forward again. */
export function brainScans(net: Network, labels: readonly number[] = [...Array(LABELS).keys()]): BrainScan[] {
  return labels.map((label) => {
    const inputs = backQuery(net, targetsFor(label));
    const pixels = new Uint8Array(PIXELS);
    // inputs 0.01…0.99 back to pixel values, the inverse of the book's scaling
    for (let i = 0; i < PIXELS; i++) {
      pixels[i] = Math.max(0, Math.min(255, Math.round((inputs[i] - 0.01) / 0.99 * 255)));
    }
    const outputs = query(net, withPaperBackground(inputs));
    const answer = argmax(outputs);
    return {
      label,
      inputs,
      pixels,
      answer,
      confidence: outputs[answer],
      rawAnswer: argmax(query(net, inputs)),
    };
  });
}

/** The ten scans as 28×28 PNGs, in label order. */
export async function backQueryImages(net: Network): Promise<Uint8Array[]> {
  return await Promise.all(brainScans(net).map((scan) => encodePng(scan.pixels, SIDE)));
}
