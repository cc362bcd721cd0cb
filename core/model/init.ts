/**
 * How the starting weights are drawn. Each rule is one entry: its name, what it is, and
 * where it comes from; `--init NAME` and the dashboard read this list.
 *
 * @module
 */
import type { Matrix } from "../kernels/mod.ts";
import type { Random } from "./random.ts";

/** One way to draw a layer's starting weights. */
export interface InitRuleSpec {
  /** what it draws, for --help */
  description: string;
  /** the spread of normal(0, spread) for a layer with `inputs` links in and `outputs` nodes */
  standardDeviation(inputs: number, outputs: number): number;
}

/** The rules by name; the first (the book's) is the default. */
export const INIT_RULE_SPECS = {
  // the book: numpy.random.normal(0.0, pow(self.hnodes, -0.5), (self.hnodes, self.inodes))
  book: {
    description: "normal(0, n_next^-0.5), as printed in the book",
    standardDeviation: (_inputs: number, outputs: number) => Math.pow(outputs, -0.5),
  },
  // the book's later code: one over the root of the links coming into a node
  incoming: {
    description: "normal(0, n_in^-0.5), the book's later code",
    standardDeviation: (inputs: number, _outputs: number) => Math.pow(inputs, -0.5),
  },
} as const satisfies Record<string, InitRuleSpec>;

/** The name of an initialisation rule. */
export type InitRule = keyof typeof INIT_RULE_SPECS;

/** The initialisation rules, for flags and forms. */
export const INIT_RULES = Object.keys(INIT_RULE_SPECS) as InitRule[];

/** Fill `matrix` (outputs × inputs) with starting weights drawn by `rule` from `random`, row by row. */
export function drawWeights(matrix: Matrix, rule: InitRule, random: Random): void {
  const standardDeviation = INIT_RULE_SPECS[rule].standardDeviation(matrix.cols, matrix.rows);
  for (let i = 0; i < matrix.data.length; i++) matrix.data[i] = random.normal(0, standardDeviation);
}
