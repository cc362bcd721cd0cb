/**
 * The book's network as the book prints it: the `neuralNetwork` class in plain TypeScript,
 * the reference every fast path is tested against. Imports nothing.
 *
 * @module
 */
export * from "./network.ts";
