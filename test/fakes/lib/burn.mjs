// @ts-check
// Bounded CPU burner (FAKE_BURN): one worker thread per mining thread, each busy for `duty` of every
// 50 ms slice and asleep (Atomics.wait) for the rest; never more workers than real cores; stops for good
// after FAKE_BURN_MAX_MS. Pausing puts every worker to sleep.

import os from 'node:os';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const ctl = new Int32Array(workerData.sab);
const SLICE = 50;
let x = 1;
while (Date.now() < workerData.deadline) {
  const state = Atomics.load(ctl, 0);
  if (state === 2) break;
  if (state === 1) { Atomics.wait(ctl, 0, 1, 250); continue; }
  const busy = SLICE * Atomics.load(ctl, 1) / 1000;
  const t0 = performance.now();
  while (performance.now() - t0 < busy) {
    for (let i = 0; i < 2000; i++) x = (x * 1103515245 + 12345) % 2147483648;
  }
  const rest = Math.min(SLICE - busy, Math.max(0, workerData.deadline - Date.now()));
  if (rest > 0.5) Atomics.wait(ctl, 2, 0, rest);
}
`;

export class Burner {
  /**
   * @param {number} maxMs total lifetime of the burn, from now
   */
  constructor(maxMs) {
    this.deadline = Date.now() + Math.max(0, maxMs);
    this.sab = new SharedArrayBuffer(12);
    this.ctl = new Int32Array(this.sab); // [state 0=run 1=pause 2=stop, duty permille, sleep slot]
    /** @type {Worker[]} */
    this.workers = [];
    this.cap = Math.max(1, os.availableParallelism());
  }

  /**
   * @param {number} threads mining threads; capped at the real core count
   * @param {number} duty 0..1 share of each slice spent busy
   */
  set(threads, duty) {
    Atomics.store(this.ctl, 1, Math.round(Math.min(1, Math.max(0, duty)) * 1000));
    const n = Date.now() >= this.deadline ? 0 : Math.min(this.cap, Math.max(0, Math.floor(threads)));
    while (this.workers.length > n) void this.workers.pop()?.terminate();
    while (this.workers.length < n) {
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { sab: this.sab, deadline: this.deadline },
      });
      w.on('error', () => {});
      w.unref();
      this.workers.push(w);
    }
  }

  /** @param {boolean} paused */
  pause(paused) {
    Atomics.store(this.ctl, 0, paused ? 1 : 0);
    Atomics.notify(this.ctl, 0);
  }

  stop() {
    Atomics.store(this.ctl, 0, 2);
    Atomics.notify(this.ctl, 0);
    Atomics.notify(this.ctl, 2);
    for (const w of this.workers) void w.terminate();
    this.workers = [];
  }
}
