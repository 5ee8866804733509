// The adapter registry: one adapter per MinerType, unknown types rejected with INVALID_INPUT.
import { describe, it, expect } from 'vitest';
import { MINER_TYPES } from '../../../shared/schemas';
import type { MinerType } from '../../../shared/schemas';
import { adapters, getAdapter } from './index';

describe('getAdapter', () => {
  it.each(MINER_TYPES)('returns the %s adapter', (type) => {
    expect(getAdapter(type).type).toBe(type);
    expect(adapters[type]).toBe(getAdapter(type));
  });

  it.each(['bash', '__proto__', 'toString'])('rejects the unknown type %s', (type) => {
    expect(() => getAdapter(type as MinerType)).toThrow(/Unknown miner type/);
  });
});
