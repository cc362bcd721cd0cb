/**
 * How the starting weights are drawn. Each rule is one entry: its name, what it draws and
 * where the book has it; `--init NAME`, its `--help` and the dashboard read this list.
 *
 * @module
 */
import type { Matrix } from "../kernels/mod.ts";
import type { Random } from "./random.ts";

/** One way to draw a layer's starting weights. */
export interface InitRuleSpec {
  /** what it draws and where the book has it, for --help */
  description: string;
  /** a draw for a layer with `inputs` links in and `outputs` nodes */
  draw(random: Random, inputs: number, outputs: number): number;
}

/** The rules by name; the first (the book's printed code) is the default. */
export const INIT_RULE_SPECS = {
  // the book: numpy.random.normal(0.0, pow(self.hnodes, -0.5), (self.hnodes, self.inodes))
  book: {
    description: "normal(0, n_next^-0.5), the book's printed network code",
    draw: (random: Random, _inputs: number, outputs: number) => random.normal(0, Math.pow(outputs, -0.5)),
  },
  // the book's later code: one over the root of the links coming into a node
  incoming: {
    description: "normal(0, n_in^-0.5), the book's later code",
    draw: (random: Random, inputs: number, _outputs: number) => random.normal(0, Math.pow(inputs, -0.5)),
  },
  // the book's first version: numpy.random.rand(self.hnodes, self.inodes) - 0.5
  uniform: {
    description: "uniform in −0.5…0.5, the book's first version (numpy.random.rand − 0.5)",
    draw: (random: Random) => random.uniform() - 0.5,
  },
} as const satisfies Record<string, InitRuleSpec>;

/** The name of an initialisation rule. */
export type InitRule = keyof typeof INIT_RULE_SPECS;

/** The initialisation rules, for flags and forms. */
export const INIT_RULES = Object.keys(INIT_RULE_SPECS) as InitRule[];

/** Fill `matrix` (outputs × inputs) with starting weights drawn by `rule` from `random`, row by row. */
export function drawWeights(matrix: Matrix, rule: InitRule, random: Random): void {
  const { draw } = INIT_RULE_SPECS[rule];
  for (let i = 0; i < matrix.data.length; i++) matrix.data[i] = draw(random, matrix.cols, matrix.rows);
}
