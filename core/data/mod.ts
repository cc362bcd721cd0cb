/**
 * The data: MNIST's shape (784 pixels, 10 labels) and the book's scaling of pixels to
 * 0.01…1.00 and labels to 0.01/0.99 targets; datasets held as bytes; where they come from
 * (the built-in `mnist:` sets, the book's CSV, the original IDX files); and the image
 * pipeline that turns your own handwriting into an MNIST-style record. Parsers take bytes
 * and name the file in their errors; reading the files is store/'s job.
 *
 * @module
 */
export * from "./dataset.ts";
export * from "./idx.ts";
export * from "./images.ts";
export * from "./mnist_csv.ts";
export * from "./sources.ts";
export * from "./mnist_style.ts";
export * from "./pictures.ts";
