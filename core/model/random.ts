/**
 * Seeded randomness, the only source of it in myonn: a run records its seed, and the
 * same seed gives the same weights. `Math.random()` is never used.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG, 32-bit),
 * written here by hand because it is ten lines and must be exactly reproducible.
 *
 * @module
 */

/** A seeded source of random numbers. */
export interface Random {
  /** The seed it was made from. */
  readonly seed: number;
  /** A uniform float in [0, 1) with 53 random bits. */
  uniform(): number;
  /** A normally distributed float with the given mean and standard deviation. */
  normal(mean: number, standardDeviation: number): number;
  /** A uniform integer in [0, n). */
  integer(n: number): number;
}

/** Make a generator from an integer seed (any safe integer; the same seed, the same stream). */
export function createRandom(seed: number): Random {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = 1;
  a ^= seed >>> 0;
  b ^= Math.floor(seed / 0x100000000) >>> 0;
  function next(): number {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  }
  for (let i = 0; i < 15; i++) next(); // mix the seed in
  let spareNormal: number | undefined;

  function uniform(): number {
    return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  }

  return {
    seed,
    uniform,
    normal(mean, standardDeviation) {
      // Box–Muller: two uniforms give two independent standard normals; keep the second.
      let z: number;
      if (spareNormal !== undefined) {
        z = spareNormal;
        spareNormal = undefined;
      } else {
        let u = uniform();
        while (u === 0) u = uniform();
        const v = uniform();
        const radius = Math.sqrt(-2 * Math.log(u));
        z = radius * Math.cos(2 * Math.PI * v);
        spareNormal = radius * Math.sin(2 * Math.PI * v);
      }
      return mean + standardDeviation * z;
    },
    integer(n) {
      return Math.floor(uniform() * n);
    },
  };
}
