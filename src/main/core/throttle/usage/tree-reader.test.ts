// The reader chosen per platform: /proc on Linux (no spawn, no spacing needed), pidusage elsewhere.
import { describe, expect, it } from 'vitest';
import { platformReader } from './tree-reader';

describe('platformReader', () => {
  it('Linux reads /proc at any rate; macOS and Windows space their process-spawning reads', () => {
    expect(platformReader('linux').minIntervalMs).toBe(0);
    expect(platformReader('darwin').minIntervalMs).toBe(2000);
    expect(platformReader('win32').minIntervalMs).toBe(5000);
    expect(platformReader().minIntervalMs).toBe(platformReader(process.platform).minIntervalMs);
  });
});
