// @ts-check
// Small seeded PRNG (mulberry32) so fake hashrates and shares are reproducible with FAKE_SEED.

export class Rng {
  /** @param {number} seed */
  constructor(seed) {
    this.s = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1). */
  next() {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * Uniform in [a, b).
   * @param {number} a
   * @param {number} b
   */
  range(a, b) {
    return a + (b - a) * this.next();
  }

  /**
   * Integer in [a, b].
   * @param {number} a
   * @param {number} b
   */
  int(a, b) {
    return Math.floor(this.range(a, b + 1));
  }

  /** Roughly normal, mean 0, sd 1 (sum of uniforms). */
  gauss() {
    return (this.next() + this.next() + this.next() + this.next() - 2) * Math.SQRT2 * 1.2247449;
  }

  /**
   * Exponentially distributed delay with the given mean (Poisson arrivals, e.g. shares).
   * @param {number} mean
   */
  exp(mean) {
    return -Math.log(1 - this.next()) * mean;
  }
}
