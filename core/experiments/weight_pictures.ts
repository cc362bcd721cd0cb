/**
 * Pictures of what a network learned: each first-layer hidden node's incoming weights as
 * a 28×28 image, and a histogram of every weight matrix.
 *
 * @module
 */
import { SIDE } from "../data/mod.ts";
import { Image } from "imagescript";
import type { Matrix } from "../kernels/mod.ts";

/**
 * All rows of the first weight matrix (one per hidden node, 784 weights) as 28×28 tiles
 * in a grid, `columns` wide, each tile `scale` pixels per weight: blue for positive, red
 * for negative, white for zero, scaled per tile to its largest weight. Returns PNG bytes.
 */
export async function hiddenNodeSprite(
  first: Matrix,
  options: { columns?: number; scale?: number; nodes?: readonly number[] } = {},
) {
  // every node, or those asked for (in their order: the Draw page's nodes that fired most)
  const nodes = options.nodes ?? Array.from({ length: first.rows }, (_, node) => node);
  const columns = Math.min(options.columns ?? 20, nodes.length), scale = options.scale ?? 2, gap = 2;
  const tile = SIDE * scale + gap;
  const rows = Math.ceil(nodes.length / columns);
  const image = new Image(columns * tile, rows * tile);
  image.fill(0xffffffff);
  for (const [place, node] of nodes.entries()) {
    const weights = first.data.subarray(node * first.cols, (node + 1) * first.cols);
    let largest = 1e-12;
    for (const weight of weights) largest = Math.max(largest, Math.abs(weight));
    const left = (place % columns) * tile, top = Math.floor(place / columns) * tile;
    for (let pixel = 0; pixel < SIDE * SIDE; pixel++) {
      const strength = Math.min(1, Math.abs(weights[pixel]) / largest);
      const fade = Math.round(255 * (1 - strength));
      const colour = weights[pixel] >= 0
        ? Image.rgbaToColor(fade, fade, 255, 255)
        : Image.rgbaToColor(255, fade, fade, 255);
      const x = left + (pixel % SIDE) * scale, y = top + Math.floor(pixel / SIDE) * scale;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) image.setPixelAt(x + dx + 1, y + dy + 1, colour);
      }
    }
  }
  return await image.encode(1, { creationTime: 0 }); // a fixed time: the same pixels, the same bytes
}

/** A histogram of a matrix's weights: `bins` equal bins between its smallest and largest. */
export function weightHistogram(matrix: Matrix, bins = 40): { edges: number[]; counts: number[] } {
  const [min, max] = extremes(matrix.data);
  const width = (max - min) / bins || 1;
  const counts = countBins(matrix.data, min, width, new Float64Array(bins));
  return { edges: Array.from({ length: bins + 1 }, (_, i) => min + i * width), counts: Array.from(counts) };
}

// each hot loop in a small function of its own, indexed (a large run has millions of weights)
function extremes(data: ArrayLike<number>): [number, number] {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const weight = data[i];
    if (weight < min) min = weight;
    if (weight > max) max = weight;
  }
  return [min, max];
}

function countBins(data: ArrayLike<number>, min: number, width: number, counts: Float64Array): Float64Array {
  const last = counts.length - 1;
  for (let i = 0; i < data.length; i++) {
    const bin = Math.floor((data[i] - min) / width);
    counts[bin < last ? bin : last]++;
  }
  return counts;
}
