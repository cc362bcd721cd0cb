/**
 * The model: the book's network (create, query, train, back query) with any number of
 * hidden layers, its activation functions as objects, the rules for drawing starting
 * weights, and the seeded random numbers. Pure maths:
 * no `Deno.*`, no files. Imports only the kernels (the hot loops it runs on).
 *
 * @module
 */
export * from "./activation.ts";
export * from "./back_query.ts";
export * from "./init.ts";
export * from "./network.ts";
export * from "./random.ts";
