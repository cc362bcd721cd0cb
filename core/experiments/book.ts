/**
 * The book's experiments as data, declared once: what each trains, where it comes from,
 * and the figures published for it. `deno task reproduce` (scripts/reproduce.ts) runs them
 * for several seeds and sets our spread beside each figure (reproduce.ts); the dashboard's
 * "The book" page and the README show the report.
 *
 * Where a figure was read matters, so each says how it reached this file:
 * - "notebook": printed in an output cell of the author's own notebooks,
 *   github.com/makeyourownneuralnetwork/makeyourownneuralnetwork (read at commit 914c047;
 *   its small data files are byte-identical to data/mnist_train_100.csv, mnist_test_10.csv).
 * - "quoted": the book's (or blog's, or tutorial's) figure as issue #12 quotes it. The
 *   book's text was not available where this was written, so these are not checked against
 *   the page; a reader with the book can correct one here, in one place.
 *
 * @module
 */
import type { Settings } from "../settings.ts";
import type { SweepParameter } from "./sweep.ts";

/** How a published figure reached this file (see the module's note). */
export type Provenance = "notebook" | "quoted";

/** A figure someone published for a line of an experiment. */
export interface PublishedFigure {
  /** performance, 0…1 */
  value: number;
  /** the graph's x value it belongs to; absent for a line without a graph, "best" for a graph's best point */
  at?: number | "best";
  /** where it is printed */
  source: string;
  provenance: Provenance;
}

/** One line of an experiment: one set of settings, optionally varied along a graph's x axis. */
export interface BookLine {
  label: string;
  /** settings over the defaults (core/settings.ts) */
  settings: Partial<Settings>;
  published: PublishedFigure[];
}

/** One experiment: a single figure (one or more lines, no x axis) or a graph. */
export interface BookExperiment {
  id: string;
  title: string;
  /** where in the book (or elsewhere) it is */
  source: string;
  /** the graph's x axis: the setting varied and its values (absent: a single figure per line) */
  vary?: { parameter: SweepParameter; values: number[] };
  lines: BookLine[];
  /** a note on how this run differs from the source, or what is unknown */
  note?: string;
  /** the book's 100-record training file and 10-record test file, not reduced by --quick */
  smallData?: boolean;
}

/** The single-layer tutorial's curve: its own model (core/experiments/single_layer.ts). */
export interface SingleLayerExperiment {
  id: string;
  title: string;
  source: string;
  /** training images after which the test accuracy is measured */
  reportAt: number[];
  published: PublishedFigure[];
  note?: string;
}

const NOTEBOOKS = "github.com/makeyourownneuralnetwork/makeyourownneuralnetwork";
const BOOK = "Make Your Own Neural Network (2016)";

/** The 3-layer network's experiments, in the book's order. */
export const BOOK_EXPERIMENTS: readonly BookExperiment[] = [
  {
    id: "small-set",
    title: "Training on the 100-record set, testing on 10",
    source: `${BOOK}, Part 2, "Testing the network" (mnist_train_100.csv, mnist_test_10.csv)`,
    smallData: true,
    lines: [{
      label: "100 hidden, lr 0.3, 1 epoch",
      settings: { hidden: [100], learningRate: 0.3, epochs: 1 },
      published: [{ value: 0.6, source: `${BOOK}, Part 2: the scorecard`, provenance: "quoted" }],
    }],
    note: "Ten test records: every score is a multiple of 0.1.",
  },
  {
    id: "first-full-run",
    title: "The first run on the full data set",
    source: `${BOOK}, Part 2, "Training and testing with the full data set"`,
    lines: [{
      label: "100 hidden, lr 0.3, 1 epoch",
      settings: { hidden: [100], learningRate: 0.3, epochs: 1 },
      published: [{ value: 0.9473, source: `${BOOK}, Part 2`, provenance: "quoted" }],
    }],
  },
  {
    id: "learning-rate",
    title: "Performance against the learning rate",
    source: `${BOOK}, Part 2, "Some improvements: tweaking the learning rate" (graph)`,
    vary: { parameter: "lr", values: [0.01, 0.1, 0.2, 0.3, 0.6] },
    lines: [{
      label: "100 hidden, 1 epoch",
      settings: { hidden: [100], epochs: 1 },
      published: [{
        at: 0.3,
        value: 0.9473,
        source: `${BOOK}, Part 2 (the first full run)`,
        provenance: "quoted",
      }],
    }],
    note: "The graph's other points were not available here to set beside ours.",
  },
  {
    id: "epochs",
    title: "Performance against the number of epochs, at two learning rates",
    source: `${BOOK}, Part 2, "Some improvements: doing multiple runs" (graph, lr 0.1 drawn over lr 0.2)`,
    vary: { parameter: "epochs", values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
    lines: [
      { label: "lr 0.2", settings: { hidden: [100], learningRate: 0.2 }, published: [] },
      { label: "lr 0.1", settings: { hidden: [100], learningRate: 0.1 }, published: [] },
    ],
    note: "The graph's points were not available here to set beside ours.",
  },
  {
    id: "hidden-nodes",
    title: "Performance against the number of hidden nodes",
    source: `${BOOK}, Part 2, "Change network shape" (graph)`,
    vary: { parameter: "hidden", values: [5, 10, 100, 200, 500] },
    lines: [{ label: "lr 0.1, 1 epoch", settings: { learningRate: 0.1, epochs: 1 }, published: [] }],
    note:
      "The graph's points and its learning rate and epochs were not available here; ours: lr 0.1, 1 epoch.",
  },
  {
    id: "final-network",
    title: "The final network: 200 hidden nodes, lr 0.1, 5 epochs",
    source: `${BOOK}, Part 2, "Good work!" — and the author's notebooks with the same settings`,
    lines: [{
      label: "200 hidden, lr 0.1, 5 epochs",
      settings: { hidden: [200], learningRate: 0.1, epochs: 5 },
      published: [
        { value: 0.9751, source: `${BOOK}, Part 2`, provenance: "quoted" },
        {
          value: 0.9747,
          source: `${NOTEBOOKS}, part2_neural_network_mnist_data.ipynb`,
          provenance: "notebook",
        },
        {
          value: 0.9711,
          source: `${NOTEBOOKS}, part3_neural_network_mnist_backquery.ipynb`,
          provenance: "notebook",
        },
      ],
    }],
  },
  {
    id: "rotations-one-epoch",
    title: "Rotated training copies (±10°) against none, lr 0.1, 1 epoch",
    source: `${BOOK}, Part 3, "Creating new training data: rotations"`,
    lines: [
      {
        label: "with ±10° copies",
        settings: { hidden: [200], learningRate: 0.1, epochs: 1, rotate: 10 },
        published: [{ value: 0.9669, source: `${BOOK}, Part 3`, provenance: "quoted" }],
      },
      {
        label: "without",
        settings: { hidden: [200], learningRate: 0.1, epochs: 1 },
        published: [{ value: 0.954, source: `${BOOK}, Part 3`, provenance: "quoted" }],
      },
    ],
    note: "200 hidden nodes, as the author's rotation notebook.",
  },
  {
    id: "rotation-angle",
    title: "Performance against the rotation angle, after 5 and after 10 epochs (lr 0.01)",
    source: `${BOOK}, Part 3, "Creating new training data: rotations" (graph)`,
    vary: { parameter: "rotate", values: [5, 10, 20, 30] },
    lines: [
      {
        label: "5 epochs",
        settings: { hidden: [200], learningRate: 0.01, epochs: 5 },
        published: [{
          at: "best",
          value: 0.9745,
          source: `${BOOK}, Part 3 (the graph's best)`,
          provenance: "quoted",
        }],
      },
      { label: "10 epochs", settings: { hidden: [200], learningRate: 0.01, epochs: 10 }, published: [] },
    ],
    note:
      "The book's angles were not available here; ours: 5, 10, 20 and 30° (four, to keep the full report near half an hour on two cores). The 5-epoch line is read from the 10-epoch trainings.",
  },
  {
    id: "rotations-ten-epochs",
    title: "±10° copies, lr 0.01, 10 epochs",
    source: `${BOOK}, Part 3 — and the author's rotation notebook (which rotates bilinearly, order=1)`,
    lines: [
      {
        label: "cubic spline (the book's printed call)",
        settings: { hidden: [200], learningRate: 0.01, epochs: 10, rotate: 10, rotateOrder: 3 },
        published: [{ value: 0.9787, source: `${BOOK}, Part 3`, provenance: "quoted" }],
      },
      {
        label: "bilinear (the notebook's order=1)",
        settings: { hidden: [200], learningRate: 0.01, epochs: 10, rotate: 10, rotateOrder: 1 },
        published: [{
          value: 0.975,
          source: `${NOTEBOOKS}, part3_neural_network_mnist_data_with_rotations.ipynb`,
          provenance: "notebook",
        }],
      },
    ],
  },
  {
    id: "raspberry-pi",
    title: "The Raspberry Pi runs: small networks, 1 epoch",
    source: `${BOOK}, Appendix B (10 hidden nodes); the author's blog (50)`,
    lines: [
      {
        label: "10 hidden, lr 0.3, 1 epoch",
        settings: { hidden: [10], learningRate: 0.3, epochs: 1 },
        published: [],
      },
      {
        label: "50 hidden, lr 0.3, 1 epoch",
        settings: { hidden: [50], learningRate: 0.3, epochs: 1 },
        published: [],
      },
    ],
    note:
      "Their figures and learning rate were not available here; ours: lr 0.3 as the book's first full run.",
  },
];

/** The single-layer tutorial's accuracy curve. */
export const SINGLE_LAYER_EXPERIMENT: SingleLayerExperiment = {
  id: "single-layer",
  title: "The single-layer tutorial: test accuracy as training images go by",
  source: "the author's single-layer (784×10, delta rule) tutorial",
  reportAt: [0, 100, 1000, 10000, 20000, 30000, 40000, 50000, 60000],
  published: [
    { at: 0, value: 0.1256, source: "the single-layer tutorial", provenance: "quoted" },
    { at: 60000, value: 0.6928, source: "the single-layer tutorial", provenance: "quoted" },
  ],
  note: "At 0 images the accuracy is that of random weights: it depends on the draw.",
};

/** Every experiment's id, in order (the single-layer curve last). */
export const EXPERIMENT_IDS: readonly string[] = [
  ...BOOK_EXPERIMENTS.map((experiment) => experiment.id),
  SINGLE_LAYER_EXPERIMENT.id,
];
