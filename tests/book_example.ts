/**
 * The book's three-layer worked example (Part 1: wih and who, 3 nodes each, rows the
 * receiving node) and the numbers numpy gives for two steps of the book's train() on it
 * (bench/book_reference.py's neuralNetwork, lr 0.3): one fixture for every test that uses them.
 */

export const BOOK_WIH = [0.9, 0.3, 0.4, 0.2, 0.8, 0.2, 0.1, 0.5, 0.6];
export const BOOK_WHO = [0.3, 0.7, 0.5, 0.6, 0.5, 0.2, 0.8, 0.1, 0.9];
export const BOOK_INPUT = [0.9, 0.1, 0.8];

/** The two training records: inputs and targets. */
export const TWO_STEPS = [
  { inputs: [0.9, 0.1, 0.8], targets: [0.01, 0.99, 0.01] },
  { inputs: [0.2, 0.7, 0.4], targets: [0.99, 0.01, 0.01] },
] as const;

/** numpy's wih and who after the first step, and after the second. */
export const NUMPY_AFTER = [
  {
    wih: [
      0.8675942520940578,
      0.2963993613437842,
      0.37119489075027357,
      0.17173236280463675,
      0.7968591514227374,
      0.17487321138189932,
      0.03901282463500602,
      0.49322364718166734,
      0.5457891774533387,
    ],
    who: [
      0.2674777742581621,
      0.6742207078444432,
      0.472224292998349,
      0.6132713530184928,
      0.51051976237663,
      0.21133443989606537,
      0.7697093438850126,
      0.07598959924298103,
      0.8741301719071668,
    ],
  },
  {
    wih: [
      0.8547250908318191,
      0.25135729692594877,
      0.3454565682257962,
      0.16872252008798402,
      0.7863247019144529,
      0.16885352594859387,
      0.029852177311265563,
      0.4611613815485757,
      0.5274678828058578,
    ],
    who: [
      0.2781185362521642,
      0.6853749489882405,
      0.48302938274098206,
      0.5859415521705815,
      0.4818711384114111,
      0.18358257861240695,
      0.7434774018102885,
      0.04849181217317123,
      0.8474931238836595,
    ],
  },
] as const;
