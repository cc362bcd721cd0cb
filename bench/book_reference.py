"""The book's network in numpy: the faithful reference for myonn's numbers and speed.

This follows "Make Your Own Neural Network" (Tariq Rashid) step by step, in its own
vocabulary (wih, who, query, train, scorecard, performance), including the way the book
reads the CSV: each record's line is split inside the training loop. It is our own
writing of the algorithm the book describes, not a copy of the book's code.

    python3 bench/book_reference.py --train data/mnist_train_100.csv --test data/mnist_test_10.csv \
        --init-weights DIR --lr 0.1 --epochs 1 --out OUT_DIR --json

Starting weights: --init-weights DIR reads DIR/weights_0.npy (wih) and weights_1.npy
(who); otherwise they are drawn as the book does, normal(0, n_next^-0.5), from --seed.
Prints one JSON object with the performance and the seconds spent training and testing.
"""
import argparse
import json
import os
import time

import numpy
import scipy.special


class neuralNetwork:
    """Three layers, sigmoid activation, no bias, trained one record at a time."""

    def __init__(self, wih, who, learningrate):
        # link weight matrices: wih is hidden x input, who is output x hidden
        self.wih = wih
        self.who = who
        self.lr = learningrate
        self.activation_function = scipy.special.expit

    def train(self, inputs_list, targets_list):
        # inputs and targets as column vectors
        inputs = numpy.array(inputs_list, ndmin=2).T
        targets = numpy.array(targets_list, ndmin=2).T
        # signals into and out of the hidden layer
        hidden_inputs = numpy.dot(self.wih, inputs)
        hidden_outputs = self.activation_function(hidden_inputs)
        # signals into and out of the final layer
        final_inputs = numpy.dot(self.who, hidden_outputs)
        final_outputs = self.activation_function(final_inputs)
        # output error is (target - actual); hidden errors are the output errors split by weight
        output_errors = targets - final_outputs
        hidden_errors = numpy.dot(self.who.T, output_errors)
        # update the weights between hidden and output, then between input and hidden
        self.who += self.lr * numpy.dot(output_errors * final_outputs * (1.0 - final_outputs),
                                        numpy.transpose(hidden_outputs))
        self.wih += self.lr * numpy.dot(hidden_errors * hidden_outputs * (1.0 - hidden_outputs),
                                        numpy.transpose(inputs))

    def query(self, inputs_list):
        inputs = numpy.array(inputs_list, ndmin=2).T
        hidden_outputs = self.activation_function(numpy.dot(self.wih, inputs))
        return self.activation_function(numpy.dot(self.who, hidden_outputs))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", required=True, help="book-format CSV")
    parser.add_argument("--test", required=True, help="book-format CSV")
    parser.add_argument("--hidden", type=int, default=200)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--init-weights", help="folder with weights_0.npy and weights_1.npy")
    parser.add_argument("--out", help="write the trained weights_0.npy and weights_1.npy here")
    parser.add_argument("--compute-only", action="store_true",
                        help="turn the CSV lines into arrays before timing, so only the network's work is timed")
    args = parser.parse_args()

    input_nodes, output_nodes = 784, 10
    if args.init_weights:
        wih = numpy.load(os.path.join(args.init_weights, "weights_0.npy")).astype(numpy.float64)
        who = numpy.load(os.path.join(args.init_weights, "weights_1.npy")).astype(numpy.float64)
    else:
        rng = numpy.random.default_rng(args.seed)
        wih = rng.normal(0.0, pow(args.hidden, -0.5), (args.hidden, input_nodes))
        who = rng.normal(0.0, pow(output_nodes, -0.5), (output_nodes, args.hidden))
    n = neuralNetwork(wih, who, args.lr)

    with open(args.train) as f:
        training_data_list = f.readlines()
    with open(args.test) as f:
        test_data_list = f.readlines()

    def scaled(record):
        all_values = record.split(',')
        inputs = (numpy.asarray(all_values[1:], dtype=numpy.float64) / 255.0 * 0.99) + 0.01
        targets = numpy.zeros(output_nodes) + 0.01
        targets[int(all_values[0])] = 0.99
        return inputs, targets

    prepared = [scaled(record) for record in training_data_list] if args.compute_only else None
    started = time.perf_counter()
    epoch_seconds = []
    for _ in range(args.epochs):
        epoch_started = time.perf_counter()
        if prepared is not None:
            for inputs, targets in prepared:
                n.train(inputs, targets)
        else:
            # the book's loop: each record's line is split and scaled inside the loop
            for record in training_data_list:
                inputs, targets = scaled(record)
                n.train(inputs, targets)
        epoch_seconds.append(time.perf_counter() - epoch_started)
    train_seconds = time.perf_counter() - started

    started = time.perf_counter()
    scorecard = []
    for record in test_data_list:
        all_values = record.split(',')
        correct_label = int(all_values[0])
        inputs = (numpy.asarray(all_values[1:], dtype=numpy.float64) / 255.0 * 0.99) + 0.01
        label = numpy.argmax(n.query(inputs))
        scorecard.append(1 if label == correct_label else 0)
    test_seconds = time.perf_counter() - started
    performance = sum(scorecard) / len(scorecard)

    if args.out:
        os.makedirs(args.out, exist_ok=True)
        numpy.save(os.path.join(args.out, "weights_0.npy"), n.wih)
        numpy.save(os.path.join(args.out, "weights_1.npy"), n.who)
    print(json.dumps({
        "performance": performance,
        "trainSeconds": train_seconds,
        "epochSeconds": epoch_seconds,
        "testSeconds": test_seconds,
        "numpy": numpy.__version__,
    }))


if __name__ == "__main__":
    main()
