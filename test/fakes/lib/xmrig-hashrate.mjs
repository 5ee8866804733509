// @ts-check
// Per-thread hash counters sampled every tick, and XMRig's windowed rates (10 s / 60 s / 15 m, optionally
// compressed by FAKE_XMRIG_WINDOW_SCALE): a window reports null until the workers have run that long.

import { round2 } from './xjson.mjs';

export class HashrateModel {
  /**
   * @param {object} o
   * @param {number} o.threads
   * @param {number} o.ratePerThread mean H/s of one thread
   * @param {number[]} o.windowsMs e.g. [10000, 60000, 900000]
   * @param {import('./rng.mjs').Rng} o.rng
   * @param {number} o.now start time (ms)
   */
  constructor({ threads, ratePerThread, windowsMs, rng, now }) {
    this.threads = threads;
    this.windowsMs = windowsMs;
    this.rng = rng;
    this.start = now;
    // each thread runs a little faster or slower than the others, like real cores
    this.factors = Array.from({ length: threads }, () => 1 + 0.03 * rng.gauss());
    this.rate = ratePerThread;
    /** @type {{ t: number, h: Float64Array }[]} */
    this.samples = [{ t: now, h: new Float64Array(threads) }];
    this.maxWindow = Math.max(...windowsMs);
  }

  /** Total hashes so far (benchmark progress). */
  get hashes() {
    const h = this.samples[this.samples.length - 1].h;
    let sum = 0;
    for (const v of h) sum += v;
    return sum;
  }

  /**
   * Add one sample; `active` false (paused / zero rate) adds no hashes.
   * @param {number} now
   * @param {boolean} active
   */
  tick(now, active) {
    const last = this.samples[this.samples.length - 1];
    const dt = (now - last.t) / 1000;
    if (dt <= 0) return;
    const h = new Float64Array(last.h);
    if (active) {
      for (let i = 0; i < this.threads; i++) {
        const r = this.rate * this.factors[i] * (1 + 0.015 * this.rng.gauss());
        h[i] += Math.max(0, r) * dt;
      }
    }
    this.samples.push({ t: now, h });
    // keep one sample older than the largest window
    while (this.samples.length > 2 && this.samples[1].t <= now - this.maxWindow) this.samples.shift();
  }

  /**
   * Rate over window `w` for thread `i` (or all threads when i < 0); null until the window has filled.
   * @param {number} i
   * @param {number} w window index 0..2
   * @returns {number | null}
   */
  calc(i, w) {
    const ms = this.windowsMs[w];
    const latest = this.samples[this.samples.length - 1];
    if (latest.t - this.start < ms) return null;
    // newest sample at or before latest.t - ms
    let lo = 0;
    let hi = this.samples.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.samples[mid].t <= latest.t - ms) lo = mid;
      else hi = mid - 1;
    }
    const old = this.samples[lo];
    const span = (latest.t - old.t) / 1000;
    if (span <= 0) return null;
    let diff = 0;
    if (i >= 0) diff = latest.h[i] - old.h[i];
    else for (let k = 0; k < this.threads; k++) diff += latest.h[k] - old.h[k];
    return round2(diff / span);
  }
}
