/**
 * The book's `neuralNetwork` class (Part 2, "The Final Code") in plain TypeScript, line for
 * line: three layers, sigmoid, no bias, one record at a time. Read this first: every fast
 * path in myonn is tested against it, and `--kernels book` trains through it.
 *
 * Matrices are flat Float64Arrays, row by row: `wih[j * inodes + i]` is the book's
 * `self.wih[j][i]`, input i to hidden node j. Each step's comment is the book's Python line.
 *
 * @module
 */

/** The random numbers the constructor draws its weights from (core/model's createRandom). */
export interface NormalSource {
  normal(mean: number, standardDeviation: number): number;
}

/** The book's neural network class definition. */
export class NeuralNetwork {
  inodes: number;
  hnodes: number;
  onodes: number;
  /** link weights input → hidden, shape hnodes×inodes */
  wih: Float64Array;
  /** link weights hidden → output, shape onodes×hnodes */
  who: Float64Array;
  lr: number;
  // activation function is the sigmoid function: lambda x: scipy.special.expit(x)
  activation_function = (x: number): number => 1 / (1 + Math.exp(-x));
  // inverse activation function is the logit function: lambda x: scipy.special.logit(x)
  inverse_activation_function = (y: number): number => Math.log(y / (1 - y));

  /** `def __init__(self, inputnodes, hiddennodes, outputnodes, learningrate)` */
  constructor(
    inputnodes: number,
    hiddennodes: number,
    outputnodes: number,
    learningrate: number,
    random: NormalSource,
  ) {
    // set number of nodes in each input, hidden, output layer
    this.inodes = inputnodes;
    this.hnodes = hiddennodes;
    this.onodes = outputnodes;
    // self.wih = numpy.random.normal(0.0, pow(self.hnodes, -0.5), (self.hnodes, self.inodes))
    this.wih = normal(random, Math.pow(this.hnodes, -0.5), this.hnodes * this.inodes);
    // self.who = numpy.random.normal(0.0, pow(self.onodes, -0.5), (self.onodes, self.hnodes))
    this.who = normal(random, Math.pow(this.onodes, -0.5), this.onodes * this.hnodes);
    // learning rate
    this.lr = learningrate;
  }

  /** Not in the book: a network over these weights (shared, not copied), for myonn's training loop. */
  static withWeights(wih: Float64Array, who: Float64Array, hnodes: number, lr: number): NeuralNetwork {
    const net = new NeuralNetwork(0, 0, 0, lr, { normal: () => 0 });
    Object.assign(net, { inodes: wih.length / hnodes, hnodes, onodes: who.length / hnodes, wih, who });
    return net;
  }

  /** `def train(self, inputs_list, targets_list)`: one record, weights updated in place. */
  train(inputs: ArrayLike<number>, targets: ArrayLike<number>): void {
    const { inodes, hnodes, onodes, wih, who, lr } = this;
    // calculate signals into hidden layer: hidden_inputs = numpy.dot(self.wih, inputs)
    const hidden_inputs = dot(wih, hnodes, inodes, inputs);
    // calculate the signals emerging from hidden layer: hidden_outputs = self.activation_function(hidden_inputs)
    const hidden_outputs = hidden_inputs.map(this.activation_function);
    // calculate signals into final output layer: final_inputs = numpy.dot(self.who, hidden_outputs)
    const final_inputs = dot(who, onodes, hnodes, hidden_outputs);
    // calculate the signals emerging from final output layer
    const final_outputs = final_inputs.map(this.activation_function);
    // output layer error is the (target - actual): output_errors = targets - final_outputs
    const output_errors = final_outputs.map((output, k) => targets[k] - output);
    // hidden layer error is the output_errors, split by weights, recombined at hidden nodes:
    // hidden_errors = numpy.dot(self.who.T, output_errors)
    const hidden_errors = dotTransposed(who, onodes, hnodes, output_errors);
    // update the weights for the links between the hidden and output layers:
    // self.who += self.lr * numpy.dot((output_errors * final_outputs * (1.0 - final_outputs)), numpy.transpose(hidden_outputs))
    const output_slopes = output_errors.map((e, k) => e * final_outputs[k] * (1.0 - final_outputs[k]));
    addOuter(who, lr, output_slopes, hidden_outputs);
    // update the weights for the links between the input and hidden layers:
    // self.wih += self.lr * numpy.dot((hidden_errors * hidden_outputs * (1.0 - hidden_outputs)), numpy.transpose(inputs))
    const hidden_slopes = hidden_errors.map((e, j) => e * hidden_outputs[j] * (1.0 - hidden_outputs[j]));
    addOuter(wih, lr, hidden_slopes, inputs);
  }

  /** `def query(self, inputs_list)`: the outputs for one record. */
  query(inputs: ArrayLike<number>): Float64Array {
    // calculate signals into hidden layer, and the signals emerging from it
    const hidden_outputs = dot(this.wih, this.hnodes, this.inodes, inputs).map(this.activation_function);
    // calculate signals into final output layer, and the signals emerging from it
    return dot(this.who, this.onodes, this.hnodes, hidden_outputs).map(this.activation_function);
  }

  /**
   * `def backquery(self, targets_list)` (Part 3, "Backwards Query"): the image the network
   * holds for an output pattern, with each layer rescaled to 0.01…0.99 before its logit.
   */
  backquery(targets: ArrayLike<number>): Float64Array {
    // calculate the signal into the final output layer: final_inputs = self.inverse_activation_function(final_outputs)
    const final_inputs = Float64Array.from(targets, this.inverse_activation_function);
    // calculate the signal out of the hidden layer: hidden_outputs = numpy.dot(self.who.T, final_inputs)
    const hidden_outputs = rescale(dotTransposed(this.who, this.onodes, this.hnodes, final_inputs));
    // calculate the signal into the hidden layer, then the signal out of the input layer
    const hidden_inputs = hidden_outputs.map(this.inverse_activation_function);
    return rescale(dotTransposed(this.wih, this.hnodes, this.inodes, hidden_inputs));
  }
}

/** numpy.random.normal(0.0, sd, shape), row by row. */
function normal(random: NormalSource, sd: number, length: number): Float64Array {
  return Float64Array.from({ length }, () => random.normal(0.0, sd));
}

/** numpy.dot(W, x) for W of shape rows×cols: out[r] = Σ_c W[r][c]·x[c]. */
function dot(w: Float64Array, rows: number, cols: number, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += w[r * cols + c] * x[c];
    out[r] = sum;
  }
  return out;
}

/** numpy.dot(W.T, e) for W of shape rows×cols: out[c] = Σ_r W[r][c]·e[r]. */
function dotTransposed(w: Float64Array, rows: number, cols: number, e: ArrayLike<number>): Float64Array {
  const out = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += w[r * cols + c] * e[r];
    out[c] = sum;
  }
  return out;
}

/** W += lr · numpy.dot(column, numpy.transpose(row)): W[r][c] += lr · (column[r]·row[c]). */
function addOuter(w: Float64Array, lr: number, column: ArrayLike<number>, row: ArrayLike<number>): void {
  const cols = row.length;
  for (let r = 0; r < column.length; r++) {
    for (let c = 0; c < cols; c++) w[r * cols + c] += lr * (column[r] * row[c]);
  }
}

/** The back query's rescaling: x −= min(x); x /= max(x); x *= 0.98; x += 0.01 (in place). */
function rescale(x: Float64Array): Float64Array {
  const min = Math.min(...x);
  for (let i = 0; i < x.length; i++) x[i] -= min;
  const max = Math.max(...x);
  for (let i = 0; i < x.length; i++) x[i] = x[i] / max * 0.98 + 0.01;
  return x;
}
